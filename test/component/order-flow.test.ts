import { Queue } from 'bullmq';
import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { eventually, orderSummary, printerTonerRule, startTestEncore, type TestEncore } from '../support/encore';

/**
 * From webhook to offers through the real worker: one order gets one set of offers, whichever
 * path (webhook, repeated webhook, thank-you page) reaches it first.
 */
describe('order evaluation', () => {
  let encore: TestEncore;

  beforeEach(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9' });
  });
  afterEach(() => encore.stop());

  async function createRule(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await encore.signed('POST', '/v1/admin/rules', printerTonerRule(overrides));
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }
  const offersOf = async (orderId: number) => {
    const res = await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { offers: { id: string; ruleId: string; state: string; productIds: number[] }[] }).offers;
  };
  const offersEventually = (orderId: number, count = 1) =>
    eventually(async () => {
      const offers = await offersOf(orderId);
      return offers.length >= count ? offers : undefined;
    });
  const send = async (name: string) => {
    const d = delivery(name);
    expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(202);
  };
  const thankYouSummary = orderSummary({
    items: [
      { productId: 101, variationId: 0, quantity: 1, total: '162.60' },
      { productId: 205, variationId: 0, quantity: 2, total: '20.08' },
    ],
    total: '243.88',
  });

  it('when a paid order arrives, the worker issues the rule’s offer', async () => {
    const ruleId = await createRule();
    await send('order-updated-processing');
    const [offer] = await offersEventually(4711);
    expect(offer).toMatchObject({ ruleId, state: 'issued', productIds: [202] });
  });

  it('when an unpaid order arrives, no offer is made', async () => {
    await createRule();
    await send('order-created-pending');
    const queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    await eventually(async () => ((await queue.getCompletedCount()) === 1 ? true : undefined));
    await queue.close();
    expect(await offersOf(4711)).toEqual([]);
    expect(await encore.redis.exists(encore.keys.orderOffers(4711))).toBe(0);
  });

  it('when the same order arrives twice, as created then updated, one set of offers exists', async () => {
    await createRule();
    await createRule({ name: 'Printer → paper', offer: { productIds: [303], discount: { type: 'fixed_cart', amount: 5 } }, priority: 1 });
    const order = processingOrder();
    const d = delivery('order-updated-processing');
    const created = signedDelivery(d, { ...order, date_modified_gmt: '2026-11-20T13:05:41' }, d.secret!, 'order.created');
    await postWebhook(encore.url, created.body, created.headers);
    await send('order-updated-processing');
    await send('order-updated-processing');
    const offers = await offersEventually(4711, 2);
    const queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    await eventually(async () => ((await queue.getCompletedCount()) === 2 ? true : undefined));
    expect(await offersOf(4711)).toEqual(offers);
    expect(offers).toHaveLength(2);

    // BullMQ forgets finished jobs; the decision stays. A redelivery after that changes nothing.
    await queue.obliterate({ force: true });
    await queue.close();
    await send('order-updated-processing');
    await new Promise((r) => setTimeout(r, 300));
    expect(await offersOf(4711)).toEqual(offers);
  });

  it('when the thank-you page comes first, the webhook later finds the same offers', async () => {
    await createRule();
    const page = await encore.signed('POST', '/v1/thank-you', thankYouSummary);
    expect(page.status).toBe(200);
    const html = await page.text();
    const shownId = /data-offer-id="([^"]+)"/.exec(html)?.[1];
    await send('order-updated-processing');
    const queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    await eventually(async () => ((await queue.getCompletedCount()) === 1 ? true : undefined));
    await queue.close();
    const offers = await offersOf(4711);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ id: shownId, state: 'shown' });
  });

  it('when the order is cancelled, refunded or trashed, its offers are revoked', async () => {
    await createRule();
    await send('order-updated-processing');
    await offersEventually(4711);
    await send('order-updated-refunded');
    const [revoked] = await eventually(async () => {
      const offers = await offersOf(4711);
      return offers[0]?.state === 'revoked' ? offers : undefined;
    });
    expect(revoked?.state).toBe('revoked');

    // A trashed order that never had offers is never offered later either.
    await send('order-deleted');
    await eventually(async () => ((await encore.redis.exists(encore.keys.orderOffers(4713))) === 1 ? true : undefined));
    expect(await offersOf(4713)).toEqual([]);
  });

  it('never offers a product the order already holds, and keeps at most ENCORE_MAX_OFFERS', async () => {
    await createRule({ name: 'Printer → starter toner', offer: { productIds: [205], discount: { type: 'percent', amount: 10 } } });
    for (let i = 0; i < 5; i++) {
      await createRule({ name: `Extra ${i}`, offer: { productIds: [400 + i], discount: { type: 'percent', amount: 5 } }, priority: i });
    }
    await send('order-updated-processing');
    const offers = await offersEventually(4711, 3);
    expect(offers).toHaveLength(3);
    expect(offers.flatMap((o) => o.productIds)).toEqual(expect.not.arrayContaining([205, 101]));
    expect(offers.flatMap((o) => o.productIds).sort()).toEqual([402, 403, 404]);
  });
});
