import { gzipSync } from 'node:zlib';
import { emailSendAt, MAX_REPLENISH_DAYS } from '../../src/domain/offer-decision';
import type { Order } from '../../src/domain/order';
import { ruleInputSchema, type Rule } from '../../src/domain/rule';
import { parseOrdersPage, parseWooOrder } from '../../src/integrations/woocommerce/order-mapper';
import { appErrorOf } from '../support/errors';
import { delivery, postWebhook, processingOrder, wooSignature } from '../support/fixtures';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { webhookStage } from './support';

/** Inputs the property tests found to fail, kept as plain scenarios. */
describe('what fuzzing found', () => {
  describe('webhook deliveries', () => {
    const api = webhookStage();

    const signedPost = (order: Record<string, unknown>) => {
      const text = JSON.stringify(order);
      return postWebhook(api.encore.url, text, { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'order.updated', 'X-WC-Webhook-Signature': wooSignature(text, TEST_SECRETS.WC_WEBHOOK_SECRET) });
    };
    const nothingStored = async () => {
      expect(await api.encore.redis.keys(`${api.encore.keys.prefix}order:*`)).toEqual([]);
      expect(await api.queue.getJobs(['waiting', 'delayed', 'failed'])).toEqual([]);
    };

    it('answers Content-Encoding: gzip on bytes that are not gzip with 400, not 500', async () => {
      const d = delivery('order-updated-processing');
      const res = await postWebhook(api.encore.url, d.body, { ...d.headers, 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_request', message: 'The body could not be read.' } });
      await nothingStored();
    });

    it('still reads a gzip body that inflates, and checks the signature on the inflated bytes', async () => {
      const d = delivery('order-updated-processing');
      const res = await postWebhook(api.encore.url, gzipSync(d.body), { ...d.headers, 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(202);
      await api.encore.redis.del(api.encore.keys.orderSnapshot(4711));
      await api.queue.obliterate({ force: true });
    });

    it('keeps accepting an order after a delivery whose meta held a lone surrogate (Lua JSON refuses it)', async () => {
      const order = processingOrder();
      const meta = [{ id: 1, key: 'note\ud800', value: 'x' }, { id: 2, key: 'gift', value: 'yes\udfff' }, { id: 3, key: 'ok', value: 'kept' }];
      expect((await signedPost({ ...order, meta_data: meta })).status).toBe(202);
      const stored = JSON.parse((await api.encore.redis.get(api.encore.keys.orderSnapshot(order.id as number)))!) as Order;
      expect(stored.meta).toEqual({ ok: 'kept' });
      // A later delivery of the same order is still compared with the stored one and kept.
      expect((await signedPost({ ...order, date_modified_gmt: '2026-11-20T15:00:00' })).status).toBe(202);
      // Even a snapshot Lua cannot decode does not block the next delivery.
      await api.encore.redis.set(api.encore.keys.orderSnapshot(order.id as number), '{"modifiedAt":"\\ud800"}');
      expect((await signedPost({ ...order, date_modified_gmt: '2026-11-20T16:00:00' })).status).toBe(202);
      await api.encore.redis.del(api.encore.keys.orderSnapshot(order.id as number));
      await api.queue.obliterate({ force: true });
    });

    it.each([
      ['a status with ":" (it would go into a job id)', { status: 'a:b' }, 'status'],
      ['a modification time that is no calendar time', { date_modified_gmt: '2026-13-45T99:99:99' }, 'date_modified_gmt'],
      ['a paid time that is no calendar time', { date_paid_gmt: '2026-02-30T24:61:00' }, 'date_paid_gmt'],
      ['refunds adding up past 12 digits', { refunds: [{ total: '-999999999999.9999' }, { total: '-10.00' }] }, 'refunds'],
    ])('refuses %s with 400 naming the field, and stores nothing', async (_what, patch, field) => {
      const res = await signedPost({ ...processingOrder(), ...patch });
      expect(res.status).toBe(400);
      expect(Object.keys(((await res.json()) as { error: { fields: object } }).error.fields)).toEqual([field]);
      await nothingStored();
    });
  });

  it('sets aside a swept order whose refunds overflow instead of stopping the sweep', () => {
    const bad = { ...processingOrder(), id: 9, refunds: [{ total: '-999999999999.9999' }, { total: '-1' }] };
    const { orders, unparsable } = parseOrdersPage([processingOrder(), bad]);
    expect(orders.map((o) => o.id)).toEqual([4711]);
    expect(unparsable).toEqual([{ id: 9, fields: ['refunds'] }]);
    expect(appErrorOf(() => parseWooOrder(bad)).code).toBe('invalid_request');
  });

  it('schedules a replenishment email at most ten years after payment, however large the quantity', () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    const rule = { ...printerTonerRule(), channels: { thankYou: false, email: { enabled: true, replenish: { daysPerUnit: 3650, leadDays: 0 } } } } as unknown as Rule;
    const order = { paidAt: now.toISOString(), items: [{ productId: 101, variationId: 0, quantity: 999_983, total: '199.00' }] } as Order;
    expect(emailSendAt(rule, order, now).toISOString()).toBe(new Date(now.getTime() + MAX_REPLENISH_DAYS * 86_400_000).toISOString());
    const oneUnit = { ...order, items: [{ ...order.items[0]!, quantity: 1 }] };
    expect(emailSendAt(rule, oneUnit, now).toISOString()).toBe('2036-11-20T12:00:00.000Z');
  });

  it('refuses a rule offering more products than a landing adds (21), accepts 20', () => {
    const offer = (n: number) => printerTonerRule({ offer: { productIds: Array.from({ length: n }, (_, i) => 1000 + i), discount: { type: 'percent', amount: '10' } } });
    expect(ruleInputSchema.safeParse(offer(20)).success).toBe(true);
    const refused = ruleInputSchema.safeParse(offer(21));
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['offer.productIds']);
  });

  describe('the thank-you page', () => {
    let woo: WooFake;
    let encore: TestEncore;
    beforeAll(async () => {
      woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
      encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api' } });
    });
    afterAll(async () => {
      await encore.stop();
      await woo.close();
    });

    it('answers an order of a million consumables under a 10-year replenishment rule, not 500', async () => {
      const rule = printerTonerRule({ channels: { thankYou: true, email: { enabled: true, replenish: { daysPerUnit: 3650 } } } });
      expect((await encore.signed('POST', '/v1/admin/rules', rule)).status).toBe(201);
      const items = [{ productId: 101, variationId: 0, quantity: 999_983, total: '199.00' }];
      const res = await encore.signed('POST', '/v1/thank-you', orderSummary({ orderId: 6000, orderKey: 'wc_order_k6000', items }));
      expect(res.status).toBe(200);
      expect(await encore.redis.exists(encore.keys.orderOffers(6000))).toBe(1);
    });
  });
});
