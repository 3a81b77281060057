import { createWooClient } from '../src/integrations/woocommerce/woo-client';
import { startWooFake } from '../test/support/woo-fake';
import { BENCH_SECRETS, describeMachine, printerOrderSummary, signedRequest, envInt, markdownTable, ms, percentile, runLoad, startBench, statusSummary, writeReport, type LoadResult, type PreparedRequest, runBench } from './bench-support';

/**
 * `npm run bench:click`: latency of an offer link `GET /o/<token>` as a buyer's browser
 * opens it. A first click creates the WooCommerce coupon (at the WooCommerce fake, over
 * HTTP, under the per-offer lock) and redirects; a repeat click reuses it. Baseline, same
 * run: one coupon created at the fake through the same REST client, i.e. the round trip a
 * first click cannot avoid.
 */
const CLICKS = envInt('BENCH_CLICKS', 1_000);
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

const order = (i: number) => printerOrderSummary(900_000 + i);

/** One offer link per order, from the thank-you fragment the buyer's page would show. */
async function offerLinks(url: string, from: number, count: number): Promise<string[]> {
  const links: string[] = [];
  for (let i = 0; i < count; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
        const req = signedRequest('POST', '/v1/thank-you', order(from + i + j));
        const res = await fetch(`${url}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
        const match = /\/o\/([A-Za-z0-9._~-]+)/.exec(await res.text());
        if (!match) throw new Error(`thank-you answered ${res.status} without an offer link`);
        return `/o/${match[1]}`;
      }),
    );
    links.push(...batch);
  }
  return links;
}

async function main(): Promise<boolean> {
  console.log(`Click benchmark: ${CLICKS} offer links, first and repeat clicks`);
  const woo = await startWooFake({ consumerKey: BENCH_SECRETS.WC_CONSUMER_KEY, consumerSecret: BENCH_SECRETS.WC_CONSUMER_SECRET });
  woo.addProduct({ id: 202, name: 'Toner TN-200 (3 000 stron)', price: '49.00' });
  const bench = await startBench({ ENCORE_ROLE: 'api', ENCORE_STORE_URL: woo.url, ENCORE_CLICK_RATE_LIMIT: '100000' });
  const rule = {
    name: 'Printer → toner',
    kind: 'complement',
    trigger: { productIds: [101] },
    offer: { productIds: [202], discount: { type: 'percent', amount: '15' } },
    expiresAfterHours: 72,
    priority: 10,
  };
  const ruleReq = signedRequest('POST', '/v1/admin/rules', rule);
  const created = await fetch(`${bench.url}${ruleReq.path}`, { method: ruleReq.method, headers: ruleReq.headers, body: ruleReq.body });
  const warm = await offerLinks(bench.url, 0, 50);
  const links = await offerLinks(bench.url, 50, CLICKS);
  const click = (path: string): PreparedRequest => ({ method: 'GET', path, headers: { 'User-Agent': BROWSER, Cookie: 'encore_v=1', Accept: 'text/html' } });
  const fresh = (requests: PreparedRequest[]) => runLoad({ url: bench.url, requests, concurrency: 1, keepAlive: false });

  await fresh(warm.map(click));
  const couponsBefore = woo.coupons.size;
  const rows: { name: string; result: LoadResult }[] = [];
  rows.push({ name: 'first click (coupon created at the fake), 302', result: await fresh(links.map(click)) });
  const couponsMade = woo.coupons.size - couponsBefore;
  rows.push({ name: 'repeat click (coupon reused), 302', result: await fresh(links.map(click)) });
  const couponsAfterRepeat = woo.coupons.size - couponsBefore;

  // Baseline: the REST round trip a first click needs, through the same client, one at a time.
  const client = createWooClient({ storeUrl: woo.url, consumerKey: BENCH_SECRETS.WC_CONSUMER_KEY, consumerSecret: BENCH_SECRETS.WC_CONSUMER_SECRET, timeoutMs: 10_000 });
  const baseline: number[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const started = process.hrtime.bigint();
    await client.createCoupon({
      code: `bench-${process.pid}-${i}`,
      discountType: 'percent',
      amount: '15.00',
      productIds: [202],
      emailRestrictions: [`buyer${i}@example.com`],
      usageLimit: 1,
      usageLimitPerUser: 1,
      individualUse: true,
      expiresAt: new Date(Date.now() + 72 * 3_600_000),
      offerId: `of_bench${String(i).padStart(6, '0')}`,
    });
    baseline.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  baseline.sort((a, b) => a - b);

  const base99 = percentile(baseline, 99);
  const table = [
    ...rows.map(({ name, result: r }) => [name, r.latenciesMs.length, ms(percentile(r.latenciesMs, 50)), ms(percentile(r.latenciesMs, 99)), ms(r.latenciesMs.at(-1) ?? NaN), (percentile(r.latenciesMs, 99) / base99).toFixed(1)]),
    ['baseline: create one coupon at the fake (REST client)', baseline.length, ms(percentile(baseline, 50)), ms(base99), ms(baseline.at(-1) ?? NaN), '1.0'],
  ];
  const [first, repeat] = rows.map((r) => percentile(r.result.latenciesMs, 99)) as [number, number];
  const bad = rows.filter((r) => r.result.statuses[302] !== CLICKS);

  console.log(`\n### Machine\n\n${describeMachine()}\n`);
  console.log(markdownTable(['request', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'p99 / baseline p99'], table));
  console.log(`Check: coupons created by first clicks ${couponsMade}, after repeat clicks ${couponsAfterRepeat} (expected ${CLICKS} both); rule ${created.status}; clicks ${rows.map((r) => statusSummary(r.result)).join('; ')}`);

  const honest = created.status === 201 && couponsMade === CLICKS && couponsAfterRepeat === CLICKS && bad.length === 0;
  writeReport({
    bench: 'click',
    checksPassed: honest,
    figures: [
      { name: 'Click p99, first click (coupon created)', goal: '', result: `${ms(first)} ms`, baseline: `${ms(base99)} ms (coupon round trip at the fake)`, ratio: (first / base99).toFixed(1), pass: null },
      { name: 'Click p99, repeat click', goal: '', result: `${ms(repeat)} ms`, baseline: `${ms(base99)} ms (coupon round trip at the fake)`, ratio: (repeat / base99).toFixed(1), pass: null },
    ],
    details: [
      `${CLICKS} offer links (one per order, from the thank-you fragment), each opened twice, one at a time, fresh connection per request, with a browser's User-Agent and the visitor cookie (a person's click, not a scanner's).\n`,
      markdownTable(['request', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'p99 / baseline p99'], table),
      '',
      `Checks: coupons created by first clicks ${couponsMade}, still ${couponsAfterRepeat} after the repeat clicks (expected ${CLICKS}); clicks answered ${rows.map((r) => statusSummary(r.result)).join('; ')}.`,
    ].join('\n'),
  });
  await bench.stop();
  await woo.close();
  return honest;
}

runBench(main);
