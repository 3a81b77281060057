import type { Redis } from 'ioredis';
import { createRedis, quitQuietly, scanKeys, waitReady } from '../src/storage/redis';
import { startWooFake } from '../test/support/woo-fake';
import { BENCH_SECRETS, describeMachine, printerOrderSummary, signedRequest, envInt, markdownTable, printerTonerRule, runLoad, startBench, statusSummary, writeReport, runBench } from './bench-support';
import { keyKind } from './bench-seed';

/**
 * `npm run bench:bytes`: Redis memory per offer. ORDERS paid orders, each a new customer,
 * each holding a product that one rule offers on both channels (thank-you page and a
 * delayed email), go through `POST /v1/thank-you`; then every key is sized with
 * `MEMORY USAGE` (before and after, so shared keys count by their growth) and grouped by
 * kind, and `INFO memory` gives the total growth. Role `api`: the emails stay queued.
 */
const ORDERS = envInt('BENCH_BYTES_ORDERS', 10_000);
/**
 * Optional Redis `hash-max-listpack-value` for the run (default: the server's, 64). The README
 * names it as a tuning option; `BENCH_BYTES_HASH_LISTPACK_VALUE=128` measures what it saves.
 */
const LISTPACK_VALUE = envInt('BENCH_BYTES_HASH_LISTPACK_VALUE', 0);
const GOAL_BYTES = 1024;
/**
 * Kinds that do not grow with offers: replayed-request ids (one per signed request, living
 * minutes) and BullMQ's event stream (trimmed to its last ~10,000 events).
 */
const NOT_PER_OFFER = new Map([
  ['seen:*', 'per request, expires'],
  ['q:emails:events', 'bounded event stream'],
]);

const order = (i: number) => printerOrderSummary(800_000 + i);

/** Every key with its `MEMORY USAGE` (bytes), pipelined. */
async function sizes(redis: Redis): Promise<Map<string, number>> {
  const keys = await scanKeys(redis, '*', 1000);
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const pipeline = redis.pipeline();
    batch.forEach((k) => pipeline.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
    const results = (await pipeline.exec()) ?? [];
    batch.forEach((k, j) => out.set(k, Number(results[j]?.[1] ?? 0)));
  }
  return out;
}

const usedMemory = async (redis: Redis) => Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1] ?? NaN);

/** Kind of a key; replayed-request ids (`seen:<request id>`) folded into one. */
const kindOf = (key: string) => (/:seen:/.test(key) ? 'seen:*' : keyKind(key));

async function main(): Promise<boolean> {
  console.log(`Bytes-per-offer benchmark: ${ORDERS} orders, one rule on both channels${LISTPACK_VALUE > 0 ? `, hash-max-listpack-value ${LISTPACK_VALUE}` : ''}`);
  const woo = await startWooFake({ consumerKey: BENCH_SECRETS.WC_CONSUMER_KEY, consumerSecret: BENCH_SECRETS.WC_CONSUMER_SECRET });
  woo.addProduct({ id: 202, name: 'Toner TN-200 (3 000 stron)', price: '49.00' });
  const bench = await startBench({ ENCORE_ROLE: 'api', ENCORE_STORE_URL: woo.url });
  const redis = createRedis({ path: bench.socket }, { name: 'bench-bytes' });
  await waitReady(redis);
  if (LISTPACK_VALUE > 0) await redis.config('SET', 'hash-max-listpack-value', String(LISTPACK_VALUE));
  const listpackValue = ((await redis.config('GET', 'hash-max-listpack-value')) as string[])[1];
  const rule = printerTonerRule('Printer → toner, page and email', { thankYou: true, email: { enabled: true, delayHours: 48 } });
  const created = await runLoad({ url: bench.url, requests: [signedRequest('POST', '/v1/admin/rules', rule)], concurrency: 1, keepAlive: false });
  // One order first, so one-off keys (product cache, queue metadata) exist before measuring.
  const first = await runLoad({ url: bench.url, requests: [signedRequest('POST', '/v1/thank-you', order(0))], concurrency: 1, keepAlive: false });

  const before = await sizes(redis);
  const memoryBefore = await usedMemory(redis);
  const pages = await runLoad({ url: bench.url, requests: Array.from({ length: ORDERS }, (_, i) => signedRequest('POST', '/v1/thank-you', order(i + 1))), concurrency: 8, keepAlive: true });
  const memoryGrowth = (await usedMemory(redis)) - memoryBefore;
  const after = await sizes(redis);

  const byKind = new Map<string, { keys: number; bytes: number }>();
  for (const [key, bytes] of after) {
    const grew = bytes - (before.get(key) ?? 0);
    if (grew === 0 && before.has(key)) continue;
    const kind = kindOf(key);
    const entry = byKind.get(kind) ?? { keys: 0, bytes: 0 };
    entry.keys += before.has(key) ? 0 : 1;
    entry.bytes += grew;
    byKind.set(kind, entry);
  }
  const offers = [...after.keys()].filter((k) => !before.has(k) && /:offer:of_[0-9a-z]{12}$/.test(k)).length;
  const rows = [...byKind].sort((a, b) => b[1].bytes - a[1].bytes);
  const perOfferBytes = rows.filter(([kind]) => !NOT_PER_OFFER.has(kind)).reduce((sum, [, e]) => sum + e.bytes, 0) / offers;
  const table = rows.map(([kind, e]) => [
    `\`${kind}\`${NOT_PER_OFFER.has(kind) ? ` (${NOT_PER_OFFER.get(kind)}; not counted)` : ''}`,
    e.keys,
    e.bytes,
    (e.bytes / offers).toFixed(0),
  ]);
  const usedPerOffer = memoryGrowth / offers;

  console.log(`\n### Machine\n\n${describeMachine()}\n`);
  console.log(markdownTable(['key kind', 'new keys', 'bytes added', 'bytes / offer'], table));
  console.log(`\nOffers made: ${offers}; keys' bytes per offer ${perOfferBytes.toFixed(0)}; used_memory growth per offer ${usedPerOffer.toFixed(0)}`);
  console.log(`Goal: ≤ ${GOAL_BYTES} bytes per offer: ${perOfferBytes.toFixed(0)} → ${perOfferBytes <= GOAL_BYTES ? 'met' : 'NOT met'}`);
  console.log(`Check: setup answers: rule ${statusSummary(created)}, first order ${statusSummary(first)}; thank-you ${statusSummary(pages)}`);

  const honest = created.statuses[201] === 1 && pages.statuses[200] === ORDERS && offers === 2 * ORDERS;
  writeReport({
    bench: 'bytes',
    checksPassed: honest,
    figures: [
      {
        name: 'Redis bytes per offer (both channels)',
        goal: `≤ ${GOAL_BYTES} B`,
        result: `${perOfferBytes.toFixed(0)} B`,
        baseline: `${usedPerOffer.toFixed(0)} B (INFO used_memory growth ÷ offers)`,
        ratio: (perOfferBytes / usedPerOffer).toFixed(2),
        pass: perOfferBytes <= GOAL_BYTES,
      },
    ],
    details: [
      `${ORDERS.toLocaleString('en')} orders, each a new customer, one rule offering on the thank-you page and by email (48 h delay; role \`api\`, so the email jobs stay queued): ${offers.toLocaleString('en')} offers, Redis \`hash-max-listpack-value\` ${listpackValue}${LISTPACK_VALUE > 0 ? ' (set for this run)' : ' (the default)'}. Bytes are \`MEMORY USAGE … SAMPLES 0\` of every key, after minus before (shared keys such as the day's stats count by their growth); the figure is their sum ÷ offers, without the kinds that do not grow with offers (marked). \`INFO memory\` used_memory grew by ${memoryGrowth.toLocaleString('en')} bytes in the same time (allocator and dictionary overhead included).\n`,
      markdownTable(['key kind', 'new keys', 'bytes added', 'bytes / offer'], table),
      '',
      `Checks: the rule ${statusSummary(created)}; thank-you ${statusSummary(pages)}; offers found ${offers} (expected ${2 * ORDERS}).`,
    ].join('\n'),
  });
  await quitQuietly(redis);
  await bench.stop();
  await woo.close();
  return honest;
}

runBench(main);
