import { emailHash } from '../../src/domain/customer';
import { createLiftService } from '../../src/domain/lift.service';
import type { Exposure } from '../../src/domain/offer-decision';
import type { Order } from '../../src/domain/order';
import { createLiftStore } from '../../src/storage/lift-store';
import { createOfferStore } from '../../src/storage/offer-store';
import { DECISION_FIELD, exposureClaimField } from '../../src/storage/keys';
import { connectTestRedis, type TestRedis } from '../support/redis';
import { NOW } from '../support/clock';

/** Exposures recorded with the offer decision and converted by later orders, on real Redis. */
describe('lift store', () => {
  // Redis expires keys by its own clock, so every time here is relative to the real now.
  const now = NOW;
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const iso = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
  const TODAY = now.toISOString().slice(0, 10);
  /** The default window: the offers end three days from now. */
  const WINDOW_END = iso(3 * DAY);
  const email = 'ann@example.com';
  /** When the exposing orders were paid. */
  const EXPOSED_AT = iso(-60_000);
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(() => t.cleanup());

  const exposure = (ruleId: string, group: Exposure['group'], windowEndsAt = WINDOW_END): Exposure => ({ ruleId, group, productIds: [202, 203], windowEndsAt });
  const stats = () => t.redis.hgetall(t.keys.statsDay(TODAY));
  const pendingKey = () => t.keys.customerExposures(emailHash(t.namespace, email));
  const order = (id: number, items: [number, number, string][], paidAt = iso(21 * HOUR)): Order => ({
    id,
    status: 'processing',
    email,
    customerId: 0,
    items: items.map(([productId, variationId, total]) => ({ productId, variationId, quantity: 1, total })),
    total: '0.00',
    currency: 'PLN',
    paidAt,
    modifiedAt: paidAt,
    refundedTotal: '0.00',
    couponCodes: [],
    meta: {},
  });

  async function decide(orderId: number, exposures: Exposure[]) {
    const lift = createLiftStore(t.redis, t.keys);
    return createOfferStore(t.redis, t.keys).ensureForOrder(orderId, [], now, lift.writes({ id: orderId, paidAt: EXPOSED_AT }, email, exposures, now));
  }

  it('counts an order’s exposures with its decision, once, and keeps them pending for the buyer', async () => {
    const first = await decide(4711, [exposure('r_a', 'control'), exposure('r_b', 'treated')]);
    const second = await decide(4711, [exposure('r_a', 'control'), exposure('r_b', 'treated')]);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(await stats()).toEqual({ 'r_a|lift|control': '1', 'r_b|lift|treated': '1' });
    expect(await t.redis.hgetall(pendingKey())).toEqual({
      'r_a|4711': `control|${Date.parse(WINDOW_END)}|${TODAY}|202,203|${Date.parse(EXPOSED_AT)}`,
      'r_b|4711': `treated|${Date.parse(WINDOW_END)}|${TODAY}|202,203|${Date.parse(EXPOSED_AT)}`,
    });
    // Kept as long as the window plus the retention (3600 s in tests), counted from now.
    const ttl = await t.redis.pttl(pendingKey());
    expect(ttl).toBeGreaterThan(3 * 86_400_000);
    expect(ttl).toBeLessThanOrEqual(3 * 86_400_000 + 3_600_000);
  });

  it('claims each exposure in the order’s hash, which lives as long as the longest window', async () => {
    await decide(4712, [exposure('r_a', 'control', iso(30 * DAY))]);
    expect(await t.redis.hgetall(t.keys.orderOffers(4712))).toEqual({ [DECISION_FIELD]: '[]', [exposureClaimField('r_a')]: '1' });
    // The window (30 days) outlasts the empty decision (retention only): the claim keeps the longer.
    expect(await t.redis.pttl(t.keys.orderOffers(4712))).toBeGreaterThan(30 * 86_400_000);
    // The decision gone, the claim alone still keeps the exposure from counting twice.
    await t.redis.hdel(t.keys.orderOffers(4712), DECISION_FIELD);
    expect((await decide(4712, [exposure('r_a', 'control', iso(30 * DAY))])).created).toBe(true);
    expect(await stats()).toEqual({ 'r_a|lift|control': '1' });
  });

  it('a later order with the products converts once, even when two deliveries race', async () => {
    await decide(4711, [exposure('r_a', 'treated')]);
    const service = createLiftService({ lift: createLiftStore(t.redis, t.keys), clock: () => now });
    const buy = order(4800, [[202, 0, '49.90'], [999, 203, '10.05'], [303, 0, '7.00']]);
    const counted = await Promise.all([service.recordConversions(buy), service.recordConversions(buy), service.recordConversions(buy)]);
    expect(counted.sort()).toEqual([0, 0, 1]);
    // 49.90 + 10.05 (a variation 203 of product 999) = 59.95 → 599,500 ten-thousandths.
    expect(await stats()).toEqual({ 'r_a|lift|treated': '1', 'r_a|lift|treated_converted': '1', 'r_a|lift|treated_revenue:PLN': '599500' });
    expect(await t.redis.exists(pendingKey())).toBe(0);
  });

  it('the exposing order itself, a purchase before it or after the window, or one without the products converts nothing', async () => {
    await decide(4711, [exposure('r_a', 'control')]);
    const service = createLiftService({ lift: createLiftStore(t.redis, t.keys), clock: () => now });
    expect(await service.recordConversions(order(4711, [[202, 0, '49.90']]))).toBe(0);
    // Paid a minute before the printer order, delivered after it.
    expect(await service.recordConversions(order(4700, [[202, 0, '49.90']], iso(-2 * 60_000)))).toBe(0);
    expect(await service.recordConversions(order(4801, [[202, 0, '49.90']], iso(3 * DAY + 1)))).toBe(0);
    expect(await service.recordConversions(order(4802, [[303, 0, '49.90']]))).toBe(0);
    expect(await t.redis.hlen(pendingKey())).toBe(1);
    // Paid exactly at the window's end still counts.
    expect(await service.recordConversions(order(4803, [[203, 0, '1.00']], WINDOW_END))).toBe(1);
    expect((await stats())['r_a|lift|control_revenue:PLN']).toBe('10000');
  });

  it('drops exposures whose window ended more than the grace ago, and entries it cannot read', async () => {
    await decide(4711, [exposure('r_old', 'treated', iso(-13 * DAY - 12 * HOUR)), exposure('r_live', 'treated')]);
    await t.redis.hset(pendingKey(), 'garbage', 'x');
    const service = createLiftService({ lift: createLiftStore(t.redis, t.keys), clock: () => now });
    expect(await service.recordConversions(order(4900, [[303, 0, '1.00']]))).toBe(0);
    expect(Object.keys(await t.redis.hgetall(pendingKey()))).toEqual(['r_live|4711']);
  });

  it('erase forgets the pending exposures and says how many', async () => {
    await decide(4711, [exposure('r_a', 'control'), exposure('r_b', 'treated')]);
    expect(await createLiftStore(t.redis, t.keys).erase(email)).toBe(2);
    expect(await t.redis.exists(pendingKey())).toBe(0);
    expect(await stats()).toEqual({ 'r_a|lift|control': '1', 'r_b|lift|treated': '1' });
  });
});
