import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { redisServerArgs } from '../../src/dev/redis-server';
import { freePort } from './net';
import type { RedisTopology } from './redis-topology';

/** Milliseconds a (re)started redis-server may take to answer PING, AOF replay included. */
const START_DEADLINE_MS = 20_000;

/** PONG from 127.0.0.1:port on a one-off connection, or false. */
async function pings(port: number): Promise<boolean> {
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * One real redis-server on a free loopback TCP port, persisting every write to its AOF
 * (`appendfsync always`) in a directory of its own, with `noeviction` as Encore requires.
 * `killKeyHolder` is a SIGKILL (no shutdown save); `restartKeyHolder` starts it again on the
 * same port and directory, so the AOF is replayed. With one server every namespace lives on it.
 */
export async function startRedisSingle(opts: { dir?: string } = {}): Promise<RedisTopology> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'encore-faults-redis-'));
  const ownsDir = opts.dir === undefined;
  const port = await freePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    ...redisServerArgs({ dir, appendfsync: 'always' }),
  ];
  let child: ChildProcess | null = null;

  async function launch(): Promise<void> {
    const started = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child = started;
    const deadline = Date.now() + START_DEADLINE_MS;
    while (!(await pings(port))) {
      if (started.exitCode !== null) throw new Error(`redis-server on port ${port} exited (${started.exitCode}): ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${START_DEADLINE_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await gone;
  }

  await launch();
  return {
    kind: 'single',
    env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    connect: () => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 20 }),
    killKeyHolder: () => kill(),
    async restartKeyHolder() {
      if (child) throw new Error('redis-server is still running; kill it first');
      await launch();
    },
    async stop() {
      await kill();
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
