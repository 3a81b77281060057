import { Queue } from 'bullmq';
import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { clickedOffer, finished } from '../support/offers';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { dayAt, dayOf } from '../support/clock';

type Json = Record<string, unknown>;

/**
 * Redis expires the offers by its own clock, so the days are today (D1) and the two after it,
 * at fixed UTC times: what falls on which stats day must not depend on when the suite runs.
 */
const at1 = (time: string) => dayAt(0, time);
const at2 = (time: string) => dayAt(1, time);
/** WooCommerce's `*_gmt` form: UTC without zone or milliseconds. */
const gmt = (date: Date) => date.toISOString().slice(0, 19);
const D1 = dayOf(at1('00:00:00'));
const D2 = dayOf(at2('00:00:00'));
const D3 = dayOf(dayAt(2, '00:00:00'));
/** The modification time of the fixture orders (4711, 4712) in unix ms, part of their job ids. */
const FIXTURE_MODIFIED = Date.parse(`${processingOrder().date_modified_gmt as string}Z`);

const line = (id: number, productId: number, total: string, variationId = 0) => ({
  id, name: `Product ${productId}`, product_id: productId, variation_id: variationId, quantity: 1, tax_class: '',
  subtotal: total, subtotal_tax: '0.00', total, total_tax: '0.00', taxes: [], meta_data: [], sku: '', price: Number(total),
});

/**
 * Flow 4 through the webhook and the real worker: an order that used an offer's coupon
 * redeems the offer and attributes revenue to its rule; refunds of that order take it back.
 */
describe('redemptions and refunds', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let orders: Queue;
  let now: Date;
  let ruleId: string;

  beforeEach(async () => {
    now = at1('09:00:00');
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, clock: () => now });
    orders = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    const res = await encore.signed('POST', '/v1/admin/rules', printerTonerRule());
    expect(res.status).toBe(201);
    ruleId = ((await res.json()) as { id: string }).id;
  });
  afterEach(async () => {
    await orders.close();
    await encore.stop();
    await woo.close();
  });

  /** Order 4800, paid on D1: toner 202 for 75.65 (the offered product) and paper 303, with `code` applied. */
  const tonerOrder = (code: string, over: Json = {}): Json => ({
    ...processingOrder(),
    id: 4800,
    number: '4800',
    status: 'completed',
    total: '100.00',
    line_items: [line(90, 202, '75.65'), line(91, 303, '24.35')],
    coupon_lines: [{ id: 92, code, discount: '13.35', discount_tax: '0.00', meta_data: [] }],
    refunds: [],
    // The store's local time is an hour ahead of UTC.
    date_paid: gmt(at1('10:29:00')),
    date_paid_gmt: gmt(at1('09:29:00')),
    date_modified_gmt: gmt(at1('09:30:00')),
    ...over,
  });

  /** Delivers `order` as a signed `order.updated` and waits until the worker applied it. */
  async function deliver(order: Json): Promise<void> {
    const sent = signedDelivery(delivery('order-updated-processing'), order, TEST_SECRETS.WC_WEBHOOK_SECRET, 'order.updated');
    expect((await postWebhook(encore.url, sent.body, sent.headers)).status).toBe(202);
    // The ingest's job id: one job per order version (modification time and status).
    await finished(orders, `order-${order.id as number}-${Date.parse(`${order.date_modified_gmt as string}Z`)}-${order.status as string}`);
  }
  const statsOn = (day: string) => encore.redis.hgetall(encore.keys.statsDay(day));
  const offerHash = (offerId: string) => encore.redis.hgetall(encore.keys.offer(offerId));
  const revenueField = () => `${ruleId}|thank_you|revenue:PLN`;

  it('a coupon used in a later order redeems its offer and attributes the offered line, once', async () => {
    const { offerId, code } = await clickedOffer(encore, 4711);
    await deliver(tonerOrder(code));

    expect(await offerHash(offerId)).toMatchObject({
      state: 'redeemed',
      redeemedOrderId: '4800',
      revenue: '75.65',
      revenueRefunded: '0.00',
      revenueCurrency: 'PLN',
    });
    const stats = await statsOn(D1);
    expect(stats[`${ruleId}|thank_you|redeemed`]).toBe('1');
    expect(stats[revenueField()]).toBe('756500');

    // The same delivery again (deduplicated), then the same order saved again (a new job).
    await deliver(tonerOrder(code));
    await deliver(tonerOrder(code, { date_modified_gmt: gmt(at1('09:45:00')) }));
    expect(await statsOn(D1)).toEqual(stats);
    const [offer] = ((await (await encore.signed('GET', '/v1/admin/orders/4711/offers')).json()) as { offers: Json[] }).offers;
    expect(offer).toMatchObject({ id: offerId, state: 'redeemed' });
  });

  it('a partial refund takes back its share on the day of the refund, repeats change nothing, a full refund takes back the rest', async () => {
    const { offerId, code } = await clickedOffer(encore, 4711);
    await deliver(tonerOrder(code));

    // A day later, 25.00 of the 100.00 order is refunded: a quarter of 75.65 = 18.9125.
    now = at2('10:00:00');
    const partial = tonerOrder(code, { refunds: [{ id: 4801, reason: '', total: '-25.00' }], date_modified_gmt: gmt(at2('09:59:00')) });
    await deliver(partial);
    expect(await offerHash(offerId)).toMatchObject({ state: 'redeemed', revenue: '75.65', revenueRefunded: '18.9125' });
    expect((await statsOn(D1))[revenueField()]).toBe('756500');
    expect((await statsOn(D2))[revenueField()]).toBe('-189125');

    await deliver({ ...partial, date_modified_gmt: gmt(at2('10:05:00')) });
    expect((await statsOn(D2))[revenueField()]).toBe('-189125');

    const refunded = tonerOrder(code, {
      status: 'refunded',
      refunds: [{ id: 4801, reason: '', total: '-25.00' }, { id: 4802, reason: '', total: '-75.00' }],
      date_modified_gmt: gmt(at2('11:00:00')),
    });
    await deliver(refunded);
    await deliver({ ...refunded, date_modified_gmt: gmt(at2('11:30:00')) });
    expect(await offerHash(offerId)).toMatchObject({ state: 'redeemed', revenueRefunded: '75.65' });
    const day2 = await statsOn(D2);
    expect(day2[revenueField()]).toBe('-756500');
    // Redeemed stays counted; refunding the redeeming order revokes nothing.
    expect(Object.keys(day2).filter((k) => k.endsWith('|revoked') || k.endsWith('|redeemed'))).toEqual([]);
  });

  it('refunding the order that got the offer leaves the redeemed offer redeemed', async () => {
    const { offerId, code } = await clickedOffer(encore, 4711);
    await deliver(tonerOrder(code));
    const refunded = delivery('order-updated-refunded');
    expect((await postWebhook(encore.url, refunded.body, refunded.headers)).status).toBe(202);
    await finished(orders, `order-4711-${FIXTURE_MODIFIED}-refunded`);
    expect((await offerHash(offerId)).state).toBe('redeemed');
    expect(Object.keys(await statsOn(D1)).some((k) => k.endsWith('|revoked'))).toBe(false);
  });

  it('an order on hold does not redeem; it does once it is paid', async () => {
    const { offerId, code } = await clickedOffer(encore, 4711);
    await deliver(tonerOrder(code, { status: 'on-hold', date_paid: null, date_paid_gmt: null }));
    expect((await offerHash(offerId)).state).toBe('clicked');
    await deliver(tonerOrder(code, { status: 'processing', date_modified_gmt: gmt(at1('10:00:00')) }));
    expect(await offerHash(offerId)).toMatchObject({ state: 'redeemed', revenue: '75.65' });
  });

  it('a delivery that comes days late counts the redemption on the day the order was paid', async () => {
    const { offerId, code } = await clickedOffer(encore, 4711);
    now = dayAt(2, '08:00:00');
    await deliver(tonerOrder(code));
    expect(await offerHash(offerId)).toMatchObject({ state: 'redeemed', redeemedAt: at1('09:29:00').toISOString() });
    expect((await statsOn(D1))[revenueField()]).toBe('756500');
    expect((await statsOn(D3))[revenueField()]).toBeUndefined();
  });

  it('an order with a coupon code Encore does not know is ignored', async () => {
    const { offerId } = await clickedOffer(encore, 4711);
    const before = await statsOn(D1);
    // Order 4712 used `encore-7f3k2m9q`, which no offer here was given.
    const d = delivery('order-updated-completed-with-coupon');
    expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(202);
    await finished(orders, `order-4712-${FIXTURE_MODIFIED}-completed`);
    const after = await statsOn(D1);
    expect(Object.keys(after).filter((k) => /\|(redeemed|revenue:)/.test(k))).toEqual([]);
    expect(after[`${ruleId}|thank_you|clicked`]).toBe(before[`${ruleId}|thank_you|clicked`]);
    expect((await offerHash(offerId)).state).toBe('clicked');
  });

  it('the coupon of a redeemed offer is never cleaned up, even where WooCommerce has not counted the use', async () => {
    const { code } = await clickedOffer(encore, 4711);
    await deliver(tonerOrder(code));
    now = new Date(now.getTime() + 80 * 3600_000);
    const maintenance = new Queue('maintenance', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    const seen = woo.requests.length;
    await maintenance.add('coupon.cleanup', {}, { jobId: 'cleanup-redeemed' });
    expect(await finished(maintenance, 'cleanup-redeemed')).toBe('deleted 0, kept 1, gone 0, failed 0');
    await maintenance.close();
    expect(woo.requests.slice(seen)).toEqual([]);
    expect([...woo.coupons.values()].map((c) => c.code)).toEqual([code]);
  });
});
