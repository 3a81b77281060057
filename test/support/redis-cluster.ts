import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { pingRedis, redisServerArgs } from '../../src/dev/redis-server';
import { freePort } from './net';
import type { RedisTopology } from './redis-topology';

/** Hash slots of a Redis Cluster, split evenly across the three masters. */
const SLOTS = 16_384;
const NODES = 3;
/**
 * Milliseconds before peers mark a silent node as failing. Short, so that a killed key holder
 * turns the cluster to `fail` (and back) within seconds; Redis lifts a master's FAIL flag two
 * timeouts after it comes back.
 */
const NODE_TIMEOUT_MS = 2_000;
/** Milliseconds to wait for a server to answer, or for the cluster to agree it is healthy. */
const READY_TIMEOUT_MS = 30_000;

interface ClusterNode {
  port: number;
  dir: string;
  /** First and last hash slot this master serves. */
  slots: [number, number];
  child: ChildProcess | null;
  /** False once the process exited (a killed process has a signal, not an exit code). */
  running: boolean;
  exited: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one command on one node over a short-lived connection (no cluster redirection). */
async function onNode(port: number, ...args: string[]): Promise<unknown> {
  const conn = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await conn.connect();
    return await conn.call(args[0]!, ...args.slice(1));
  } finally {
    conn.disconnect();
  }
}

/** Starts (or restarts, from its AOF and nodes.conf) the redis-server of `node`. */
async function spawnNode(node: ClusterNode): Promise<void> {
  mkdirSync(node.dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port', String(node.port),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', 'nodes.conf',
      '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
      ...redisServerArgs({ dir: node.dir, appendfsync: 'always', logfile: join(node.dir, 'redis.log') }),
    ],
    { stdio: 'ignore' },
  );
  node.child = child;
  node.running = true;
  node.exited = new Promise((resolve) =>
    child.once('exit', () => {
      node.running = false;
      resolve();
    }),
  );
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await pingRedis({ host: '127.0.0.1', port: node.port }))) {
    if (!node.running || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${node.port} did not start; see ${join(node.dir, 'redis.log')}`);
    }
    await sleep(50);
  }
}

/** Waits until every node sees all slots served and all three nodes known. */
async function waitClusterOk(nodes: ClusterNode[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const node of nodes) {
    for (;;) {
      const info = String(await onNode(node.port, 'CLUSTER', 'INFO').catch(() => ''));
      if (/^cluster_state:ok/m.test(info) && new RegExp(`^cluster_known_nodes:${nodes.length}`, 'm').test(info)) break;
      if (Date.now() > deadline) throw new Error(`cluster not ok on port ${node.port}: ${info.split('\n')[0] ?? ''}`);
      await sleep(100);
    }
  }
}

/**
 * Three real `redis-server` masters on free loopback ports, cluster mode, each with its own
 * directory, AOF with `appendfsync always` and `noeviction`, joined with CLUSTER MEET and
 * given a third of the 16,384 slots each (CLUSTER ADDSLOTSRANGE, Redis ≥ 7.0). Resolves once
 * every node reports `cluster_state:ok`. No replicas: killing a master takes its slots down
 * until it is restarted.
 */
export async function startRedisCluster(opts: { dir?: string } = {}): Promise<RedisTopology> {
  const root = opts.dir ?? mkdtempSync(join(tmpdir(), 'encore-redis-cluster-'));
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < NODES; i++) {
    const first = Math.floor((i * SLOTS) / NODES);
    const last = Math.floor(((i + 1) * SLOTS) / NODES) - 1;
    nodes.push({ port: await freePort(), dir: join(root, `node-${i}`), slots: [first, last], child: null, running: false, exited: Promise.resolve() });
  }
  // A crashed test run must not leave servers behind.
  const killAll = () => nodes.forEach((node) => node.running && node.child?.kill('SIGKILL'));
  process.once('exit', killAll);

  try {
    for (const node of nodes) await spawnNode(node);
    for (const node of nodes.slice(1)) await onNode(nodes[0]!.port, 'CLUSTER', 'MEET', '127.0.0.1', String(node.port));
    for (const node of nodes) await onNode(node.port, 'CLUSTER', 'ADDSLOTSRANGE', String(node.slots[0]), String(node.slots[1]));
    await waitClusterOk(nodes);
  } catch (err) {
    killAll();
    throw err;
  }

  const live = () => nodes.find((node) => node.running)!;
  const holderOf = async (namespace: string): Promise<ClusterNode> => {
    const slot = Number(await onNode(live().port, 'CLUSTER', 'KEYSLOT', `{${namespace}}`));
    return nodes.find((node) => slot >= node.slots[0] && slot <= node.slots[1])!;
  };
  const seeds = nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));

  return {
    kind: 'cluster',
    env: { REDIS_CLUSTER_NODES: nodes.map((node) => `redis://127.0.0.1:${node.port}`).join(',') },
    connect: () => new Cluster(seeds, { redisOptions: { maxRetriesPerRequest: 2 } }),
    async killKeyHolder(namespace) {
      const node = await holderOf(namespace);
      node.child?.kill('SIGKILL');
      await node.exited;
    },
    async restartKeyHolder(namespace) {
      const node = await holderOf(namespace);
      if (node.running) return;
      await spawnNode(node);
      await waitClusterOk(nodes);
    },
    async stop() {
      process.off('exit', killAll);
      for (const node of nodes) {
        if (node.running) node.child?.kill('SIGTERM');
        await node.exited;
      }
      if (!opts.dir) rmSync(root, { recursive: true, force: true });
    },
  };
}
