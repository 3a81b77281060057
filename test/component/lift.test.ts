import { emailHash } from '../../src/domain/customer';
import { holdoutGroup } from '../../src/domain/holdout';
import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { eventually, printerTonerRule, startTestEncore, type TestEncore } from '../support/encore';
import { at, HOUR, NOW } from '../support/clock';

type Json = Record<string, any>;

/**
 * A rule with a 50 % holdout, through the webhook and the real worker: half of the printer
 * buyers get the toner offer, the other half none; later toner purchases convert either group,
 * and the admin stats show exactly those orders, conversions and revenue.
 */
describe('holdout lift', () => {
  // Redis expires offers and exposures by its own clock: the times are relative to the real now.
  const now = NOW;
  /** `offsetMs` after now, in the form the deliveries carry. */
  const iso = (offsetMs: number) => at(offsetMs).toISOString();
  let encore: TestEncore;

  beforeEach(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', clock: () => now });
  });
  afterEach(() => encore.stop());

  const base = delivery('order-updated-processing');
  /** Delivers paid order `id` of `email` holding `lines`, paid and modified at `paidAt`. */
  async function deliver(id: number, email: string | null, lines: [number, number, string][], paidAt: string): Promise<void> {
    const order = processingOrder();
    const gmt = paidAt.slice(0, 19);
    Object.assign(order, {
      id,
      number: String(id),
      billing: { ...(order.billing as Json), email: email ?? '' },
      line_items: lines.map(([productId, variationId, total], i) => ({ id: 900 + i, name: `#${productId}`, product_id: productId, variation_id: variationId, quantity: 1, total, meta_data: [] })),
      date_paid_gmt: gmt,
      date_modified_gmt: gmt,
    });
    const signed = signedDelivery(base, order, base.secret!, 'order.updated');
    expect((await postWebhook(encore.url, signed.body, signed.headers)).status).toBe(202);
    // The worker converts before it decides: once the decision exists, both are done.
    await eventually(async () => ((await encore.redis.exists(encore.keys.orderOffers(id))) === 1 ? true : undefined), 8_000);
  }
  const offersOf = async (orderId: number): Promise<Json[]> =>
    ((await (await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`)).json()) as Json).offers;

  it('treated and control orders, later purchases converting, and the stats that follow from them', async () => {
    const created = await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ holdoutPercent: 50 }));
    const rule = (await created.json()) as Json;
    const groupOf = (id: number) => holdoutGroup(encore.config.storeUrl, id, { id: rule.id, holdoutPercent: 50 });
    const ids = Array.from({ length: 200 }, (_, i) => 5000 + i);
    const [t1, t2] = ids.filter((id) => groupOf(id) === 'treated');
    const [c1, c2, c3] = ids.filter((id) => groupOf(id) === 'control');
    const printer: [number, number, string][] = [[101, 0, '199.00']];
    const paid = iso(-60_000);

    await deliver(t1!, 'ada@example.com', printer, paid);
    await deliver(t2!, 'bert@example.com', printer, paid);
    await deliver(c1!, 'cleo@example.com', printer, paid);
    await deliver(c2!, 'dora@example.com', printer, paid);
    // No email: held out like any order, but followed in neither group.
    await deliver(c3!, null, printer, paid);

    expect((await offersOf(t1!)).map((o) => o.productIds)).toEqual([[202]]);
    expect((await offersOf(t2!)).map((o) => o.productIds)).toEqual([[202]]);
    expect(await offersOf(c1!)).toEqual([]);
    expect(await offersOf(c2!)).toEqual([]);
    expect(await offersOf(c3!)).toEqual([]);

    // Ada buys the toner (no coupon: intent-to-treat counts it); Cleo buys it as a variation of
    // another product; Bert buys something else; Dora buys the toner after the 72 h window.
    await deliver(9001, 'ada@example.com', [[202, 0, '49.90'], [303, 0, '10.00']], iso(21 * HOUR));
    await deliver(9002, 'cleo@example.com', [[777, 202, '39.95']], iso(45 * HOUR));
    await deliver(9003, 'bert@example.com', [[303, 0, '10.00']], iso(21 * HOUR));
    await deliver(9004, 'dora@example.com', [[202, 0, '49.90']], iso(72 * HOUR + 1_000));
    // Ada's second toner order converts nothing more: each exposure converts once.
    await deliver(9005, 'ada@example.com', [[202, 0, '49.90']], iso(22 * HOUR));

    const res = await encore.signed('GET', '/v1/admin/stats');
    expect(res.status).toBe(200);
    const [stats] = ((await res.json()) as Json).rules as Json[];
    expect(Object.keys(stats!.channels).sort()).toEqual(['email', 'thank_you']);
    expect(stats!.channels.thank_you.issued).toBe(2);
    const lift = stats!.lift as Json;
    expect(lift).toMatchObject({
      holdoutPercent: 50,
      treated: { orders: 2, conversions: 1, conversionRate: 0.5, revenue: { PLN: '49.90' } },
      control: { orders: 2, conversions: 1, conversionRate: 0.5, revenue: { PLN: '39.95' } },
      absoluteLift: { estimate: 0 },
      // 49.90 − 39.95 × 2/2 = 9.95
      incrementalRevenue: { PLN: '9.95' },
      enoughData: false,
      minSamplePerGroup: 100,
    });
    // Wald: 1.96 · sqrt(0.25/2 + 0.25/2) = 1.96 · 0.5 = 0.98.
    expect(lift.absoluteLift.low).toBeCloseTo(-0.98, 10);
    expect(lift.absoluteLift.high).toBeCloseTo(0.98, 10);
    // Katz: RR = 1, se = sqrt(1 − 1/2 + 1 − 1/2) = 1 → e^∓1.96 − 1.
    expect(lift.relativeLift.estimate).toBe(0);
    expect(lift.relativeLift.low).toBeCloseTo(Math.exp(-1.96) - 1, 10);
    expect(lift.relativeLift.high).toBeCloseTo(Math.exp(1.96) - 1, 10);

    // Bert's and Dora's exposures still wait (Dora's window may yet see a late order); the converted ones are gone.
    const pending = async (email: string) => Object.keys(await encore.redis.hgetall(encore.keys.customerExposures(emailHash(encore.keys.namespace, email))));
    expect(await pending('ada@example.com')).toEqual([]);
    expect(await pending('cleo@example.com')).toEqual([]);
    expect(await pending('bert@example.com')).toEqual([`${rule.id}|${t2}`]);
  });

  it('the thank-you page and the webhook racing on one order count its exposure once', async () => {
    const rule = (await (await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ holdoutPercent: 50 }))).json()) as Json;
    const id = Array.from({ length: 100 }, (_, i) => 6000 + i).find((o) => holdoutGroup(encore.config.storeUrl, o, { id: rule.id, holdoutPercent: 50 }) === 'control')!;
    const summary = { orderId: id, orderKey: 'wc_order_x', status: 'processing', email: 'eve@example.com', customerId: 0, items: [{ productId: 101, variationId: 0, quantity: 1, total: '199.00' }], total: '199.00', currency: 'PLN' };
    const [page] = await Promise.all([encore.signed('POST', '/v1/thank-you', summary), deliver(id, 'eve@example.com', [[101, 0, '199.00']], iso(-60_000))]);
    // A control buyer sees no offer of the rule: the page has nothing to show.
    expect(page.status).toBe(204);
    await encore.signed('POST', '/v1/thank-you', summary);
    const stats = ((await (await encore.signed('GET', '/v1/admin/stats')).json()) as Json).rules[0];
    expect(stats.lift.control.orders).toBe(1);
    expect(stats.lift.treated.orders).toBe(0);
  });
});
