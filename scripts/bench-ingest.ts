import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createKeys } from '../src/storage/keys';
import { createRedis, waitReady } from '../src/storage/redis';
import {
  describeMachine,
  envInt,
  markdownTable,
  ms,
  percentile,
  ratioOf,
  redisCpuSeconds,
  runLoad,
  startBench,
  statusSummary,
  type LoadResult,
  type PreparedRequest,
  writeReport,
  runBench,
  signedOrderDelivery,
  wooSignature,
} from './bench-support';

/**
 * `npm run bench:ingest`: signed WooCommerce webhooks per second through Encore's
 * `POST /webhooks/woocommerce` (role `api`: verify, validate, snapshot, enqueue, 202) against
 * a bare node:http server doing the least the same job needs (raw body, the same HMAC check,
 * one Redis write, 202), both on the same private Redis, in the same run, with the same load.
 */
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 32);
const REQUESTS = envInt('BENCH_REQUESTS', 20_000);
const WARMUP = envInt('BENCH_WARMUP', 2_000);
const GOAL = 0.6;

let nextOrderId = 100_000;
const modifiedBase = Date.parse('2026-11-20T13:05:42Z');

/** `count` deliveries of distinct orders (id and date_modified_gmt vary), signed up front. */
function deliveries(count: number): PreparedRequest[] {
  return Array.from({ length: count }, () => {
    const id = nextOrderId++;
    return signedOrderDelivery(id, { modifiedGmt: new Date(modifiedBase + id * 1000).toISOString().slice(0, 19) });
  });
}

/**
 * The baseline: what any webhook receiver must do at least. Reads the raw body, checks the
 * base64 HMAC-SHA256 in constant time, parses the JSON for the order id, LPUSHes it, 202.
 */
async function startBaseline(redis: Redis, listKey: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers['x-wc-webhook-signature'] ?? ''), 'utf8');
      const expected = Buffer.from(wooSignature(body), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      const { id } = JSON.parse(body.toString('utf8')) as { id: number };
      redis.lpush(listKey, String(id)).then(
        () => res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"accepted"}'),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

interface Row {
  server: 'Encore' | 'baseline';
  keepAlive: boolean;
  result: LoadResult;
  accepted: number;
  /** redis-server CPU per measured request, microseconds. */
  redisCpuUs: number;
  /** Busy time of the server's event loop (this process's main thread) per request, microseconds. */
  serverBusyUs: number;
}

async function main(): Promise<boolean> {
  console.log(`Ingest benchmark: ${REQUESTS} webhooks per row after ${WARMUP} warm-up, ${CONCURRENCY} concurrent clients`);
  const bench = await startBench({ ENCORE_ROLE: 'api' });
  const redis = createRedis({ path: bench.socket }, { name: 'bench-check' });
  await waitReady(redis);
  const listKey = '{bench}:baseline:orders';
  const baseline = await startBaseline(redis, listKey);
  const accepted = { Encore: 0, baseline: 0 };
  const rows: Row[] = [];
  let failures = 0;

  // Baseline and Encore alternate, so drift (page cache, AOF rewrite, thermals) hits both.
  for (const keepAlive of [false, true]) {
    for (const server of ['baseline', 'Encore'] as const) {
      const url = server === 'Encore' ? bench.url : baseline.url;
      const warm = await runLoad({ url, requests: deliveries(WARMUP), concurrency: CONCURRENCY, keepAlive });
      const requests = deliveries(REQUESTS);
      const cpuBefore = await redisCpuSeconds(redis);
      const eluBefore = performance.eventLoopUtilization();
      const result = await runLoad({ url, requests, concurrency: CONCURRENCY, keepAlive });
      // Less noisy than req/s on a shared machine: the time both servers' thread was busy.
      const serverBusyUs = (performance.eventLoopUtilization(eluBefore).active * 1e3) / REQUESTS;
      const redisCpuUs = ((await redisCpuSeconds(redis)) - cpuBefore) * 1e6 / REQUESTS;
      accepted[server] += (warm.statuses[202] ?? 0) + (result.statuses[202] ?? 0);
      failures += warm.count - (warm.statuses[202] ?? 0) + result.count - (result.statuses[202] ?? 0);
      rows.push({ server, keepAlive, result, accepted: result.statuses[202] ?? 0, redisCpuUs, serverBusyUs });
      console.log(`  ${server}, ${keepAlive ? 'keep-alive' : 'fresh connections'}: ${result.requestsPerSecond.toFixed(0)} req/s (${statusSummary(result)})`);
    }
  }

  // Honest results: every 202 must be a job in Redis (or a list entry), and nothing failed.
  const keys = createKeys(bench.config.namespace, { retentionSeconds: bench.config.retentionDays * 86_400 });
  const queue = new Queue('orders', { connection: redis, prefix: keys.bullPrefix });
  const counts = await queue.getJobCounts();
  const jobs = Object.values(counts).reduce((a, b) => a + b, 0);
  const listed = await redis.llen(listKey);
  await queue.close();

  const table = rows.map((r) => {
    const other = rows.find((o) => o.keepAlive === r.keepAlive && o.server !== r.server)!;
    const ratio = r.server === 'Encore' ? (r.result.requestsPerSecond / other.result.requestsPerSecond).toFixed(2) : '—';
    return [
      r.server,
      r.keepAlive ? 'keep-alive' : 'fresh (WooCommerce-like)',
      r.result.count,
      r.accepted,
      r.result.requestsPerSecond.toFixed(0),
      ms(percentile(r.result.latenciesMs, 50)),
      ms(percentile(r.result.latenciesMs, 99)),
      r.serverBusyUs.toFixed(0),
      r.redisCpuUs.toFixed(0),
      ratio,
    ];
  });
  const primary = rows.find((r) => r.server === 'Encore' && !r.keepAlive)!;
  const primaryBase = rows.find((r) => r.server === 'baseline' && !r.keepAlive)!;
  const ratio = primary.result.requestsPerSecond / primaryBase.result.requestsPerSecond;

  console.log(`\n### Machine\n\n${describeMachine()}\n`);
  console.log(`### Results (${CONCURRENCY} concurrent clients, ${REQUESTS} webhooks per row after ${WARMUP} warm-up)\n`);
  console.log(markdownTable(['server', 'connections', 'requests', '202', 'req/s', 'p50 ms', 'p99 ms', 'server busy µs/req', 'Redis CPU µs/req', 'Encore / baseline'], table));
  console.log(`\nGoal: Encore ≥ ${GOAL} × baseline with fresh connections: ${ratio.toFixed(2)} → ${ratio >= GOAL ? 'met' : 'NOT met'}`);
  console.log(`Check: Encore answered 202 ${accepted.Encore} times (warm-up included); BullMQ holds ${jobs} jobs (${JSON.stringify(counts)})`);
  console.log(`Check: baseline answered 202 ${accepted.baseline} times; its list holds ${listed} entries`);
  console.log(`Check: requests without a 202 (warm-up included): ${failures}`);

  await baseline.close();
  await redis.quit();
  await bench.stop();
  const honest = jobs === accepted.Encore && listed === accepted.baseline && failures === 0;
  const keepAliveRow = rows.find((r) => r.server === 'Encore' && r.keepAlive)!;
  const keepAliveBase = rows.find((r) => r.server === 'baseline' && r.keepAlive)!;
  const reqs = (r: Row) => `${r.result.requestsPerSecond.toFixed(0)} req/s`;
  writeReport({
    bench: 'ingest',
    checksPassed: honest,
    figures: [
      { name: 'Webhook ingest, fresh connections', goal: `ratio ≥ ${GOAL}`, result: reqs(primary), baseline: reqs(primaryBase), ratio: ratio.toFixed(2), pass: ratio >= GOAL },
      { name: 'Webhook ingest, keep-alive', goal: '', result: reqs(keepAliveRow), baseline: reqs(keepAliveBase), ratio: ratioOf(keepAliveRow.result.requestsPerSecond, keepAliveBase.result.requestsPerSecond), pass: null },
    ],
    details: [
      `${CONCURRENCY} concurrent clients, ${REQUESTS} webhooks per row after ${WARMUP} warm-up.\n`,
      markdownTable(['server', 'connections', 'requests', '202', 'req/s', 'p50 ms', 'p99 ms', 'server busy µs/req', 'Redis CPU µs/req', 'Encore / baseline'], table),
      '',
      `Checks: Encore answered 202 ${accepted.Encore} times (warm-up included), BullMQ holds ${jobs} jobs; the baseline answered 202 ${accepted.baseline} times, its list holds ${listed}; requests without a 202: ${failures}.`,
    ].join('\n'),
  });
  return honest;
}

runBench(main);
