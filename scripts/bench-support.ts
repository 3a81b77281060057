import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig, type Config } from '../src/config';
import { startRedisServer, type RedisServerHandle } from '../src/dev/redis-server';
import { createLogger } from '../src/logger';
import { startEncore, type Encore } from '../src/main';
import { signRequest } from '../src/security/signed-request';

/**
 * Shared parts of the benchmarks (`npm run bench:*`): a private redis-server and Encore
 * in-process, a load generator on its own thread, percentiles, the machine, tables.
 * Benchmarks are scripts, never tests: nothing here asserts a time.
 */

/** Fixed, non-secret values: the benchmarks talk to loopback only. */
export const BENCH_SECRETS = {
  WC_CONSUMER_KEY: 'ck_bench_4f1a2b3c4d5e6f708192a3b4',
  WC_CONSUMER_SECRET: 'cs_bench_9e8d7c6b5a493827160f1e2d',
  WC_WEBHOOK_SECRET: 'k3Xq9vLmP2wR7tYz',
  ENCORE_SHIM_SECRET: 'shim-secret-Zx81Qp0Lm2',
  ENCORE_TOKEN_KEYS: 'k1:0123456789abcdef0123456789abcdef-bench-key-one',
};

export interface Bench {
  config: Config;
  /** Base URL of Encore's HTTP API. */
  url: string;
  /** Unix socket of the private redis-server. */
  socket: string;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server (AOF, fsync every second, noeviction) in a fresh temp dir
 * and Encore in-process on 127.0.0.1, port 0. Logs go to /dev/null at `info` (the
 * production default, so the per-request log line is part of the cost); set
 * BENCH_LOG_LEVEL=silent to leave it out.
 */
export async function startBench(env: Record<string, string>): Promise<Bench> {
  const dir = await mkdtemp(join(os.tmpdir(), 'encore-bench-'));
  let redis: RedisServerHandle | null = null;
  // Whatever ends the script (an error, Ctrl-C), the private redis-server and its dir go too.
  const cleanUp = () => {
    redis?.child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  process.once('SIGINT', () => process.exit(130));
  try {
    redis = await startRedisServer(dir);
    const config = loadConfig({
      ...BENCH_SECRETS,
      PORT: '0',
      HOST: '127.0.0.1',
      ENCORE_STORE_URL: 'http://127.0.0.1:9',
      ENCORE_PUBLIC_URL: 'https://encore.example.com',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ...env,
    });
    const logger = createLogger(config.logLevel, pino.destination({ dest: '/dev/null', sync: false }));
    const encore: Encore = await startEncore(config, { logger, redis: { path: redis.socket } });
    const server = redis;
    return {
      config,
      url: encore.url!,
      socket: server.socket,
      async stop() {
        await encore.stop();
        await server.stop();
        process.off('exit', cleanUp);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await redis?.stop();
    throw err;
  }
}

/** One request, built and signed before the timed loop. */
export interface PreparedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Runs a benchmark's `main`, which resolves whether every check of its run passed: says so,
 * and exits 0 only then (`bench:all` reads the exit code); a thrown error exits 1.
 */
export function runBench(main: () => Promise<boolean>): void {
  main().then(
    (honest) => {
      console.log(honest ? '\nAll checks passed.' : '\nA CHECK FAILED: the figures above are not trustworthy.');
      process.exit(honest ? 0 : 1);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

let signedSeq = 0;
/** A JSON request signed as the WordPress plugin signs it, with an `Encore-Id` of its own. */
export function signedRequest(method: string, path: string, body: unknown): PreparedRequest {
  const raw = JSON.stringify(body);
  const id = `bench_${process.pid}_${++signedSeq}`;
  const headers = signRequest(BENCH_SECRETS.ENCORE_SHIM_SECRET, { id, timestamp: Math.floor(Date.now() / 1000), method, pathWithQuery: path, body: raw });
  return { method, path, headers: { ...headers, 'Content-Type': 'application/json' }, body: raw };
}

const DELIVERY = join(__dirname, '..', 'test', 'fixtures', 'woocommerce', 'deliveries', 'order-updated-processing');
const deliveryBody = JSON.parse(readFileSync(`${DELIVERY}.body`, 'utf8')) as Record<string, unknown> & { billing: Record<string, unknown> };
const deliveryHeaders = (JSON.parse(readFileSync(`${DELIVERY}.json`, 'utf8')) as { headers: Record<string, string> }).headers;

/** `X-WC-Webhook-Signature` of `body`: base64 HMAC-SHA256 with the webhook secret, as WooCommerce signs. */
export const wooSignature = (body: string | Buffer): string => createHmac('sha256', BENCH_SECRETS.WC_WEBHOOK_SECRET).update(body).digest('base64');

/**
 * The captured `order.updated` delivery (printer 101, toner 205, paid) as order `id`, with a
 * modification time and buyer email of its own when given, signed as WooCommerce signs it.
 */
export function signedOrderDelivery(id: number, opts: { modifiedGmt?: string; email?: string } = {}): PreparedRequest {
  const order = { ...deliveryBody, id, number: String(id) };
  if (opts.modifiedGmt) Object.assign(order, { date_modified_gmt: opts.modifiedGmt, date_modified: opts.modifiedGmt });
  if (opts.email) order.billing = { ...deliveryBody.billing, email: opts.email };
  const body = JSON.stringify(order);
  const headers = { ...deliveryHeaders, 'X-WC-Webhook-Delivery-ID': randomBytes(16).toString('hex'), 'X-WC-Webhook-Signature': wooSignature(body) };
  return { method: 'POST', path: '/webhooks/woocommerce', headers, body };
}

/** The benchmarks' rule: printer (101) → toner (202), 15 % off for 72 h, on `channels`. */
export function printerTonerRule(name: string, channels: { thankYou: boolean; email?: { enabled: boolean; delayHours: number } }) {
  return {
    name,
    kind: 'complement',
    trigger: { productIds: [101] },
    offer: { productIds: [202], discount: { type: 'percent', amount: '15' } },
    channels,
    expiresAfterHours: 72,
    priority: 10,
  };
}

/** A paid order summary of one printer (product 101, 199.00 PLN) for `POST /v1/thank-you`. */
export function printerOrderSummary(orderId: number, opts: { email?: string; locale?: string } = {}) {
  return {
    orderId,
    orderKey: `wc_order_bench${orderId}`,
    status: 'processing',
    email: opts.email ?? `buyer${orderId}@example.com`,
    customerId: 0,
    items: [{ productId: 101, variationId: 0, quantity: 1, total: '199.00' }],
    total: '199.00',
    currency: 'PLN',
    locale: opts.locale ?? 'pl_PL',
  };
}

export interface LoadOptions {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  requests: PreparedRequest[];
  /** Requests in flight at once, count. */
  concurrency: number;
  /** false: a fresh TCP connection per request (`Connection: close`), as WooCommerce delivers. */
  keepAlive: boolean;
}

export interface LoadResult {
  count: number;
  /** Responses per HTTP status. */
  statuses: Record<number, number>;
  /** Requests that got no response (connection errors). */
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  requestsPerSecond: number;
  /** Latency of every answered request, milliseconds, ascending. */
  latenciesMs: number[];
}

/**
 * Sends `requests` from a worker thread (its own event loop, so the generator does not
 * queue behind the server it measures) and resolves with what it saw.
 */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  // The worker is this same file, loaded through tsx's CommonJS hook.
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(__filename)});`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: { benchLoad: opts } });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

async function loadWorker(opts: LoadOptions): Promise<LoadResult> {
  const base = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: opts.keepAlive, maxSockets: opts.concurrency });
  const prepared = opts.requests.map((r) => {
    const body = r.body === undefined ? null : Buffer.from(r.body, 'utf8');
    const headers = body ? { ...r.headers, 'Content-Length': String(body.length) } : r.headers;
    return { method: r.method, path: r.path, headers, body };
  });
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;

  const one = (req: (typeof prepared)[number]) =>
    new Promise<void>((done) => {
      const started = process.hrtime.bigint();
      const fail = (err: Error) => {
        errors++;
        firstError ??= err.message;
        done();
      };
      const out = http.request({ host: base.hostname, port: base.port, agent, method: req.method, path: req.path, headers: req.headers }, (res) => {
        res.on('data', () => {});
        res.on('error', fail);
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          done();
        });
      });
      out.on('error', fail);
      out.end(req.body ?? undefined);
    });

  const started = process.hrtime.bigint();
  const lanes = Array.from({ length: Math.min(opts.concurrency, prepared.length) }, async () => {
    while (next < prepared.length) await one(prepared[next++]!);
  });
  await Promise.all(lanes);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  agent.destroy();
  return {
    count: prepared.length,
    statuses,
    errors,
    firstError,
    elapsedMs,
    requestsPerSecond: (latencies.length / elapsedMs) * 1000,
    latenciesMs: latencies.sort((a, b) => a - b),
  };
}

if (!isMainThread && (workerData as { benchLoad?: LoadOptions } | null)?.benchLoad) {
  loadWorker((workerData as { benchLoad: LoadOptions }).benchLoad).then(
    (result) => parentPort!.postMessage(result),
    (err: unknown) => {
      throw err;
    },
  );
}

/** CPU seconds (user + system) the redis-server has used so far, from `INFO cpu`. */
export async function redisCpuSeconds(redis: Pick<Redis, 'info'>): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Nearest-rank percentile of an ascending list; `p` in 0–100. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Milliseconds with two decimals. */
export const ms = (value: number): string => value.toFixed(2);

// Other work on the machine skews every figure: the load when the script started is printed.
const loadAtStart = os.loadavg()[0] ?? NaN;

/** The measured code: commit, and whether src/ had uncommitted changes. */
function describeCode(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--', 'src') ? `${commit} plus uncommitted changes in src/` : commit;
}

/** What the figures were measured on: CPU, cores, RAM, OS, Node, code, date (UTC). */
export function describeMachine(): string {
  const cpus = os.cpus();
  const ramGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical cores`,
    `- RAM: ${ramGiB} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node ${process.version}`,
    `- Code: ${describeCode()}`,
    `- 1-minute load average when the run started: ${loadAtStart.toFixed(2)}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
  ].join('\n');
}

/** A markdown table, so BENCHMARKS.md can be updated by copy. */
export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Reads a positive integer from the environment (to shorten or lengthen a run). */
export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** `200×1998, 503×2`: every status seen, for the verification lines. */
export const statusSummary = (result: LoadResult): string =>
  Object.entries(result.statuses)
    .map(([status, n]) => `${status}×${n}`)
    .join(', ') + (result.errors ? `, no answer×${result.errors} (${result.firstError})` : '');

/** One figure of `BENCHMARKS.md`: goal, result, same-run baseline, ratio, and the mark. */
export interface Figure {
  name: string;
  /** e.g. `≥ 0.6 × baseline`; empty when the figure has no goal (reported only). */
  goal: string;
  result: string;
  baseline: string;
  ratio: string;
  /** true PASS, false NOT MET, null no goal. */
  pass: boolean | null;
}

/** What one benchmark hands to `bench:all`: its figures, its detail tables and checks. */
export interface BenchReport {
  bench: string;
  /** Every honesty check held (counts match, no failed request). */
  checksPassed: boolean;
  figures: Figure[];
  /** Markdown: the detail table(s), check lines. */
  details: string;
  skipped?: string;
}

/**
 * Writes `report` as JSON to `BENCH_REPORT` when `bench:all` runs the script (a path it
 * chose); run alone, the script prints its tables and this does nothing.
 */
export function writeReport(report: BenchReport): void {
  const path = process.env.BENCH_REPORT;
  if (path) writeFileSync(path, JSON.stringify(report));
}

/** `a / b` with two decimals, or `—` when either is not a number. */
export const ratioOf = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '—');
