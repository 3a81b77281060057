import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createKeys } from '../src/storage/keys';
import { createRedis, quitQuietly, scanKeys, waitReady } from '../src/storage/redis';
import { startWooFake } from '../test/support/woo-fake';
import { BENCH_SECRETS, describeMachine, envInt, markdownTable, printerTonerRule, signedRequest, redisCpuSeconds, runLoad, startBench, statusSummary, writeReport, type PreparedRequest, runBench, signedOrderDelivery } from './bench-support';

/**
 * `npm run bench:scaling`: `order.evaluate` throughput with one and with two worker
 * processes (`ENCORE_ROLE=worker`, spawned as `node --import tsx src/start.ts`, configured by
 * environment like production) draining the same size of pre-queued backlog. The backlog is
 * made through the real webhook (snapshots and jobs) while the queue is paused; the clock
 * runs from resuming the queue, with the workers started and idle, until no order job is
 * waiting or active.
 */
const ORDERS = envInt('BENCH_SCALING_ORDERS', 4_000);
const ROOT = join(__dirname, '..');

let nextOrderId = 2_000_000;
/** Distinct paid orders (printer 101 and 205), each from its own customer, signed up front. */
function deliveries(count: number): PreparedRequest[] {
  return Array.from({ length: count }, () => {
    const id = nextOrderId++;
    return signedOrderDelivery(id, { email: `buyer${id}@example.com` });
  });
}

/** Every worker process started, killed when this script exits however it ends (no orphan keeps running). */
const spawned = new Set<ChildProcess>();
process.once('exit', () => spawned.forEach((child) => child.exitCode === null && child.kill('SIGKILL')));

/** Starts one worker process; resolves once it printed its banner (connected, workers running). */
function spawnWorker(socket: string, storeUrl: string, varDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...BENCH_SECRETS,
      REDIS_URL: `unix://${socket}`,
      ENCORE_ROLE: 'worker',
      // A worker serves its ops routes (metrics) too: any free port, so that two can run.
      PORT: '0',
      HOST: '127.0.0.1',
      ENCORE_STORE_URL: storeUrl,
      ENCORE_PUBLIC_URL: 'https://encore.example.com',
      ENCORE_VAR_DIR: varDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.add(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting`)));
  });
}

const stopWorker = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

async function main(): Promise<boolean> {
  console.log(`Worker scaling benchmark: ${ORDERS} queued orders, 1 then 2 worker processes`);
  const woo = await startWooFake({ consumerKey: BENCH_SECRETS.WC_CONSUMER_KEY, consumerSecret: BENCH_SECRETS.WC_CONSUMER_SECRET });
  woo.addProduct({ id: 202, name: 'Toner TN-200 (3 000 stron)', price: '49.00' });
  const bench = await startBench({ ENCORE_ROLE: 'api', ENCORE_STORE_URL: woo.url });
  const varDir = mkdtempSync(join(os.tmpdir(), 'encore-bench-workers-'));
  const redis = createRedis({ path: bench.socket }, { name: 'bench-scaling' });
  await waitReady(redis);
  const keys = createKeys(bench.config.namespace, { retentionSeconds: bench.config.retentionDays * 86_400 });
  const queue = new Queue('orders', { connection: redis, prefix: keys.bullPrefix });
  const ruleReq = signedRequest('POST', '/v1/admin/rules', printerTonerRule('Printer → toner by email', { thankYou: false, email: { enabled: true, delayHours: 48 } }));
  const created = await fetch(`${bench.url}${ruleReq.path}`, { method: ruleReq.method, headers: ruleReq.headers, body: ruleReq.body });

  const rows: { workers: number; seconds: number; perSecond: number; failed: number; queued: string; redisCpu: number }[] = [];
  for (const workers of [1, 2]) {
    await queue.pause();
    const backlog = await runLoad({ url: bench.url, requests: deliveries(ORDERS), concurrency: 16, keepAlive: true });
    const children = await Promise.all(Array.from({ length: workers }, () => spawnWorker(bench.socket, woo.url, varDir)));
    const failedBefore = await queue.getFailedCount();
    const cpuBefore = await redisCpuSeconds(redis);
    const started = process.hrtime.bigint();
    await queue.resume();
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'paused');
      if (Object.values(counts).every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // How busy redis-server was while draining, % of one core: one thread serves every worker.
    const redisCpu = (((await redisCpuSeconds(redis)) - cpuBefore) / seconds) * 100;
    await Promise.all(children.map(stopWorker));
    const failed = (await queue.getFailedCount()) - failedBefore;
    rows.push({ workers, seconds, perSecond: ORDERS / seconds, failed, queued: statusSummary(backlog), redisCpu });
    console.log(`  ${workers} worker process(es): ${(ORDERS / seconds).toFixed(0)} orders/s (${seconds.toFixed(2)} s; webhooks ${statusSummary(backlog)}; failed jobs ${failed})`);
  }
  const decisions = (await scanKeys(redis, `${keys.prefix}order:*:offers`, 1000)).length;

  const [one, two] = rows as [(typeof rows)[number], (typeof rows)[number]];
  const ratio = two.perSecond / one.perSecond;
  const table = rows.map((r) => [r.workers, ORDERS, r.seconds.toFixed(2), r.perSecond.toFixed(0), r.redisCpu.toFixed(0), r.failed]);
  console.log(`\n### Machine\n\n${describeMachine()}\n`);
  console.log(markdownTable(['worker processes', 'orders', 'seconds', 'orders / s', 'redis-server CPU, % of one core', 'failed jobs'], table));
  console.log(`\n2 workers / 1 worker: ${ratio.toFixed(2)}; decisions stored ${decisions} (expected ${2 * ORDERS})`);

  const honest = created.status === 201 && rows.every((r) => r.failed === 0 && r.queued === `202×${ORDERS}`) && decisions === 2 * ORDERS;
  writeReport({
    bench: 'scaling',
    checksPassed: honest,
    figures: [
      {
        name: 'order.evaluate throughput, 2 worker processes vs 1',
        goal: '',
        result: `${two.perSecond.toFixed(0)} orders/s (2 processes)`,
        baseline: `${one.perSecond.toFixed(0)} orders/s (1 process)`,
        ratio: ratio.toFixed(2),
        pass: null,
      },
    ],
    details: [
      `${ORDERS.toLocaleString('en')} paid orders per row, queued through the real webhook while the queue was paused (one rule matches each, email channel), then drained by worker processes spawned as \`node --import tsx src/start.ts\` with \`ENCORE_ROLE=worker\`, \`REDIS_URL\` and the secrets in the environment, concurrency ${bench.config.workerConcurrency} each. Clock from resuming the queue (workers already idle and connected) to no waiting or active order job. On a 2-core machine the two processes share the cores with redis-server and the API process, so the ratio is bounded well below 2.\n`,
      markdownTable(['worker processes', 'orders', 'seconds', 'orders / s', 'redis-server CPU, % of one core', 'failed jobs'], table),
      '',
      `Checks: webhooks ${rows.map((r) => r.queued).join(' / ')}; decisions stored ${decisions} (expected ${2 * ORDERS}); failed jobs ${rows.map((r) => r.failed).join(' / ')}.`,
    ].join('\n'),
  });
  await queue.close();
  await quitQuietly(redis);
  await bench.stop();
  await woo.close();
  rmSync(varDir, { recursive: true, force: true });
  return honest;
}

runBench(main);
