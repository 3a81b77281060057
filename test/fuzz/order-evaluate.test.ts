import { Queue } from 'bullmq';
import fc from 'fast-check';
import { delivery, postWebhook, wooSignature } from '../support/fixtures';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { eventually, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { answerOf, expectCleanAnswer, statusTally } from './support';

const SECRET = TEST_SECRETS.WC_WEBHOOK_SECRET;

/** Accepted deliveries with odd but valid values, run through the real worker. */
describe('fuzzing order.evaluate with accepted deliveries', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let queue: Queue;

  beforeAll(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url });
    queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    const rules = [
      printerTonerRule(),
      printerTonerRule({ offer: { productIds: [303], discount: { type: 'fixed_cart', amount: '5' } }, channels: { thankYou: false, email: { enabled: true, replenish: { daysPerUnit: 3650, leadDays: 1 } } } }),
      printerTonerRule({ trigger: { productIds: [205] }, offer: { productIds: [404], discount: { type: 'percent', amount: '100' } }, channels: { thankYou: true, email: { enabled: true, delayHours: 8760 } } }),
    ];
    for (const rule of rules) expect((await encore.signed('POST', '/v1/admin/rules', rule)).status).toBe(201);
  });
  afterAll(async () => {
    await queue.close();
    await encore.stop();
    await woo.close();
  });

  it('finishes the job of every accepted delivery without a failure', async () => {
    const base = JSON.parse(delivery('order-updated-processing').body.toString('utf8')) as Record<string, unknown>;
    const item = fc.record({
      product_id: fc.constantFrom(0, 101, 205, 303, 404, 2 ** 53 - 1),
      variation_id: fc.constantFrom(0, 101, 205),
      quantity: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(2 ** 31, 2 ** 53 - 1)),
      total: fc.constantFrom('0.00', '-5', '999999999999.9999', '10'),
    });
    const order = fc.record({
      id: fc.integer({ min: 1, max: 2 ** 53 - 1 }),
      status: fc.constantFrom('processing', 'completed', 'wc-processing', 'cancelled', 'refunded', 'on-hold', 'custom_status'),
      currency: fc.constantFrom('PLN', 'jpy', 'XBT123'),
      total: fc.constantFrom('0', '243.88', '-1.00', '999999999999.9999'),
      customer_id: fc.constantFrom(0, 7, 2 ** 53 - 1),
      billing: fc.constantFrom(null, {}, { email: null }, { email: '' }, { email: ' Zofia.Wasik@Example.com ' }, { email: 'not an email' }),
      line_items: fc.array(item, { maxLength: 4 }),
      refunds: fc.array(fc.record({ total: fc.constantFrom('-10.00', '5', '-999999999999.9999') }), { maxLength: 2 }),
      date_paid_gmt: fc.constantFrom(null, '1970-01-01T00:00:00', '2026-11-20T13:05:40', '9999-12-31T23:59:59', '0000-01-01T00:00:00'),
      date_modified_gmt: fc.constantFrom(null, '2026-11-20T13:05:42', '9999-12-31T23:59:59'),
    });
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(order, async (patch) => {
        const text = JSON.stringify({ ...base, ...patch });
        const headers = { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'order.updated', 'X-WC-Webhook-Signature': wooSignature(text, SECRET) };
        const answer = await answerOf(await postWebhook(encore.url, text, headers));
        expectCleanAnswer(answer, [202, 400], `order ${text.slice(0, 200)}`);
        tally.count(answer.status);
      }),
      { numRuns: 100 },
    );
    expect(tally.of(202)).toBeGreaterThan(0);
    const counts = await eventually(async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) === 0 ? c : undefined;
    }, 15_000);
    const failed = await queue.getJobs(['failed', 'delayed']);
    expect(failed.map((job) => `${job.id}: ${job.failedReason}`)).toEqual([]);
    expect(counts.completed ?? 0).toBeGreaterThan(0);
  });
});
