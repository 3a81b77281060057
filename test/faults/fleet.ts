import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { signRequest } from '../../src/security/signed-request';
import { createKeys, type Keys } from '../../src/storage/keys';
import { scanKeys } from '../../src/storage/redis';
import { TEST_SECRETS } from '../support/encore';
import { freePort } from '../support/net';
import { killHard, startEntryPoint, tail, untilPrinted, untilReady, type Running } from '../support/processes';
import type { RedisTopology } from '../support/redis-topology';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startWooFake, type WooFake } from '../support/woo-fake';

/** One Encore process of the fleet: an API (with its URL) or a worker. */
export interface Member {
  role: 'api' | 'worker';
  url: string | null;
  running: Running;
}

/**
 * Encore as it runs in production, scaled out: API and worker processes started from the
 * sources (`src/start.ts`), all on one Redis deployment under a namespace of their own.
 */
export interface Fleet {
  namespace: string;
  keys: Keys;
  /** A client of the topology for assertions (closed by `stop`). */
  redis: Redis | Cluster;
  apis: Member[];
  workers: Member[];
  /** Sends a request signed like the WordPress plugin signs it, to the first API process. */
  signed(method: string, pathWithQuery: string, body?: unknown): Promise<Response>;
  /** Starts one more worker process and waits until it runs. */
  addWorker(): Promise<Member>;
  /** Waiting, active, delayed, prioritized and failed counts of one queue. */
  counts(queue: string): Promise<Record<string, number>>;
  /** `<job id>: <reason>` of every failed job of one queue (for a failure message that says why). */
  failures(queue: string): Promise<string[]>;
  /** Resolves once no job is waiting, active, delayed or prioritized in any of `queues`. */
  drained(queues: string[], timeoutMs: number): Promise<void>;
  /** The funnel counters of the namespace summed over days: `<ruleId>|<channel>|<metric>` → total. */
  counters(): Promise<Record<string, number>>;
  /** Output of every process, for failure messages (the last `chars` of each). */
  output(chars?: number): string;
  /**
   * Lines of any process's output that look like a stack frame (none may ever be logged), each
   * run of them after the line before it (the message that says what printed them).
   */
  stackLines(): string[];
  stop(): Promise<void>;
}

/** Queues of `src/queue/queues.ts`. */
export const QUEUES = ['orders', 'emails', 'maintenance'];

/** Milliseconds one process may take to start (tsx compiles on the fly on two busy cores). */
const START_MS = 60_000;

/** Starts `apis` API and `workers` worker processes on `topology` under a fresh namespace. */
export async function startFleet(
  topology: RedisTopology,
  opts: { storeUrl: string; env?: Record<string, string>; apis?: number; workers?: number },
): Promise<Fleet> {
  const namespace = `f${randomBytes(6).toString('hex')}`;
  const keys = createKeys(namespace, { retentionSeconds: 180 * 86_400 });
  const dir = mkdtempSync(join(tmpdir(), 'encore-faults-'));
  const members: Member[] = [];
  const baseEnv = {
    ...TEST_SECRETS,
    ...topology.env,
    ENCORE_REDIS_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    ENCORE_STORE_URL: opts.storeUrl,
    ENCORE_PUBLIC_URL: 'https://encore.example.com',
    ENCORE_VAR_DIR: join(dir, 'var'),
    ENCORE_OUTBOX_DIR: join(dir, 'outbox'),
    LOG_LEVEL: 'warn',
    ...opts.env,
  };

  async function start(role: 'api' | 'worker'): Promise<Member> {
    const port = role === 'api' ? await freePort() : 0;
    const running = startEntryPoint({ ...baseEnv, ENCORE_ROLE: role, PORT: String(port) });
    const member: Member = { role, url: role === 'api' ? `http://127.0.0.1:${port}` : null, running };
    members.push(member);
    if (member.url) await untilReady(running, member.url, START_MS);
    else await untilPrinted(running, 'Encore is running (role worker).', START_MS);
    return member;
  }

  const redis = topology.connect();
  const queues = new Map(QUEUES.map((name) => [name, new Queue(name, { connection: redis, prefix: keys.bullPrefix })]));
  try {
    await Promise.all([
      ...Array.from({ length: opts.apis ?? 2 }, () => start('api')),
      ...Array.from({ length: opts.workers ?? 2 }, () => start('worker')),
    ]);
  } catch (err) {
    await Promise.all(members.map((m) => killHard(m.running.child)));
    await Promise.all([...queues.values()].map((q) => q.close()));
    redis.disconnect();
    throw err;
  }
  let seq = 0;
  const fleet: Fleet = {
    namespace,
    keys,
    redis,
    get apis() {
      return members.filter((m) => m.role === 'api');
    },
    get workers() {
      return members.filter((m) => m.role === 'worker');
    },
    async signed(method, pathWithQuery, body) {
      const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const headers = signRequest(TEST_SECRETS.ENCORE_SHIM_SECRET, {
        id: `req-${namespace}-${++seq}`,
        timestamp: Math.floor(Date.now() / 1000),
        method,
        pathWithQuery,
        body: raw,
      });
      return fetch(`${fleet.apis[0]!.url}${pathWithQuery}`, {
        method,
        headers: { ...headers, ...(raw ? { 'Content-Type': 'application/json' } : {}) },
        body: raw || undefined,
        signal: AbortSignal.timeout(30_000),
      });
    },
    addWorker: () => start('worker'),
    async counts(queue) {
      return queues.get(queue)!.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
    },
    async failures(queue) {
      const failed = await queues.get(queue)!.getJobs(['failed']);
      return failed.map((job) => `${job.id}: ${job.failedReason}`);
    },
    async drained(names, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last: Record<string, Record<string, number>> = {};
      for (;;) {
        last = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await fleet.counts(n)] as const)));
        const busy = Object.values(last).some((c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) > 0);
        if (!busy) return;
        if (Date.now() > deadline) throw new Error(`queues not drained within ${timeoutMs} ms: ${JSON.stringify(last)}\n${fleet.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async counters() {
      const sums: Record<string, number> = {};
      const days = await scanKeys(redis, `${keys.prefix}stats:*`, 1000);
      for (const key of days) {
        for (const [field, value] of Object.entries(await redis.hgetall(key))) sums[field] = (sums[field] ?? 0) + Number(value);
      }
      return sums;
    },
    stackLines: () => members.flatMap((m) => stackFrames(`${m.running.stdout()}\n${m.running.stderr()}`).map((line) => `${m.role}: ${line}`)),
    output: (chars?: number) => members.map((m) => `--- ${m.role} ${m.url ?? ''}\n${tail(m.running, chars)}`).join('\n'),
    async stop() {
      await Promise.all(members.map((m) => killHard(m.running.child)));
      await Promise.all([...queues.values()].map((q) => q.close()));
      const found = await scanKeys(redis, `${keys.prefix}*`, 1000);
      for (let i = 0; i < found.length; i += 500) await redis.del(...found.slice(i, i + 500));
      await redis.quit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}

/** What a fault scenario stands on: one Redis topology, the WooCommerce fake and, once started, the fleet. */
export interface FaultStage {
  readonly topology: RedisTopology;
  readonly woo: WooFake;
  /** The mail server, when the stage was asked for one. */
  readonly smtp: SmtpSink;
  /** The fleet of the last `startFleet` call. */
  readonly fleet: Fleet;
  /** Starts the fleet on the stage's topology with the fake as its store; the stage stops it. */
  startFleet(opts?: { env?: Record<string, string>; apis?: number; workers?: number }): Promise<Fleet>;
}

/**
 * Registers the `beforeAll` that starts `startTopology`, the WooCommerce fake and, given `smtp`
 * options, a mail server; and the `afterAll` that stops the fleet first, then at once the mail
 * server (left open longer, the connections of SIGKILLed workers reset into it and fail the
 * suite), the fake and the topology. Call it inside a `describe`; read the stage inside hooks and tests.
 */
export function faultStage(startTopology: () => Promise<RedisTopology>, opts: { smtp?: Parameters<typeof startSmtpSink>[0] } = {}): FaultStage {
  let topology: RedisTopology | undefined;
  let woo: WooFake | undefined;
  let smtp: SmtpSink | undefined;
  let fleet: Fleet | undefined;
  beforeAll(async () => {
    topology = await startTopology();
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    if (opts.smtp) smtp = await startSmtpSink(opts.smtp);
  });
  afterAll(async () => {
    await fleet?.stop();
    await smtp?.close();
    await woo?.close();
    await topology?.stop();
  });
  /** Read before `beforeAll` ran (or after it failed): say which part is missing. */
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started`);
    return value;
  };
  return {
    get topology() {
      return started(topology, 'the Redis topology');
    },
    get woo() {
      return started(woo, 'the WooCommerce fake');
    },
    get smtp() {
      return started(smtp, 'the mail server');
    },
    get fleet() {
      return started(fleet, 'the fleet');
    },
    async startFleet(fleetOpts = {}) {
      fleet = await startFleet(started(topology, 'the Redis topology'), { ...fleetOpts, storeUrl: started(woo, 'the WooCommerce fake').url });
      return fleet;
    },
  };
}

/** Stack frames in `output` (a line `    at f (file:1:2)`, or one inside a JSON string), each run after the line before it. */
function stackFrames(output: string): string[] {
  const lines = output.split('\n');
  const isFrame = (line: string) => /^\s+at .+:\d+:\d+\)?$|\\n\s+at /.test(line);
  return lines.flatMap((line, i) => (isFrame(line) ? (i > 0 && !isFrame(lines[i - 1]!) ? [lines[i - 1]!, line] : [line]) : []));
}
