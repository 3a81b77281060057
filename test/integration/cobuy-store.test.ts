import { cobuyWeight, decayedSupport } from '../../src/domain/cobuy';
import { createCobuyService } from '../../src/domain/cobuy.service';
import type { Order } from '../../src/domain/order';
import type { Rule } from '../../src/domain/rule';
import { createCobuyStore, type CobuyStore } from '../../src/storage/cobuy-store';
import { createCustomerStore } from '../../src/storage/customer-store';
import { cobuyOrderTtlSeconds } from '../../src/storage/keys';
import { connectTestRedis, type TestRedis } from '../support/redis';
import { storedRule } from '../support/rules';

const HALF_LIFE_DAYS = 90;
const DAY_MS = 86_400_000;
const PAID = '2026-11-20T10:00:00.000Z';

/** A paid order of the given products, 200.00 PLN, nothing refunded. */
function order(id: number, productIds: number[], overrides: Partial<Order> = {}): Order {
  return {
    id,
    status: 'processing',
    email: null,
    customerId: 0,
    items: productIds.map((productId) => ({ productId, variationId: 0, quantity: 1, total: '10.00' })),
    total: '200.00',
    currency: 'PLN',
    paidAt: PAID,
    modifiedAt: PAID,
    refundedTotal: '0.00',
    couponCodes: [],
    meta: {},
    ...overrides,
  };
}

describe('co-purchase counts on real Redis', () => {
  let t: TestRedis;
  let store: CobuyStore;
  let now: Date;
  const w = cobuyWeight(new Date(PAID), HALF_LIFE_DAYS);

  beforeEach(async () => {
    t = await connectTestRedis();
    store = createCobuyStore(t.redis, t.keys, HALF_LIFE_DAYS);
    now = new Date(PAID);
  });
  afterEach(() => t.cleanup());

  const service = () =>
    createCobuyService({ store, customers: createCustomerStore(t.redis, t.keys), halfLifeDays: HALF_LIFE_DAYS, clock: () => now });
  /** Raw scores under `productId`, as `{other: score}`. */
  const scores = async (productId: number): Promise<Record<string, number>> => {
    const flat = await t.redis.zrange(t.keys.cobuy(productId), 0, -1, 'WITHSCORES');
    const out: Record<string, number> = {};
    for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = Number(flat[i + 1]);
    return out;
  };

  it('a paid order counts every ordered pair of its distinct products once, with its time weight', async () => {
    await service().record(order(1, [101, 202, 303]));
    expect(await scores(101)).toEqual({ '202': w, '303': w });
    expect(await scores(202)).toEqual({ '101': w, '303': w });
    expect(await scores(303)).toEqual({ '101': w, '202': w });
  });

  it('a payment time in the future counts as paid now, one before the epoch as paid at the epoch: the weight stays finite', async () => {
    await service().record(order(1, [101, 202], { paidAt: '9999-12-31T23:59:59.000Z' }));
    await service().record(order(2, [101, 303], { paidAt: '1970-01-01T00:00:00.000Z' }));
    expect(await scores(101)).toEqual({ '202': w, '303': 1 });
  });

  it('a repeated delivery changes nothing, also when several arrive at once', async () => {
    const o = order(1, [101, 202]);
    await expect(store.apply(o.id, { products: [101, 202], weight: w, share: 1 })).resolves.toBe(true);
    await expect(store.apply(o.id, { products: [101, 202], weight: w, share: 1 })).resolves.toBe(false);
    await Promise.all(Array.from({ length: 5 }, () => service().record(o)));
    expect(await scores(101)).toEqual({ '202': w });
  });

  it('the first counted delivery fixes the order’s time weight: a later one with another paid time changes nothing', async () => {
    await service().record(order(1, [101, 202]));
    await service().record(order(1, [101, 202], { paidAt: '2026-11-21T10:00:00.000Z' }));
    expect(await scores(101)).toEqual({ '202': w });
  });

  it('a partial refund scales the order’s weight by the share not refunded, applying only the difference', async () => {
    await service().record(order(1, [101, 202]));
    await service().record(order(2, [101, 202]));
    await service().record(order(1, [101, 202], { refundedTotal: '50.00' }));
    expect((await scores(101))['202']).toBeCloseTo(1.75 * w, 6);
    // The same refund delivered again is a repeat.
    await service().record(order(1, [101, 202], { refundedTotal: '50.00' }));
    expect((await scores(101))['202']).toBeCloseTo(1.75 * w, 6);
    await service().record(order(1, [101, 202], { refundedTotal: '150.00' }));
    expect((await scores(101))['202']).toBeCloseTo(1.25 * w, 6);
    // The record keeps the exact doubles ('%.17g' reads back to the same number).
    const [base, applied, products] = (await t.redis.get(t.keys.orderCobuy(1)))!.split('|');
    expect([Number(base), Number(applied), products]).toEqual([w, 0.25 * w, '101,202']);
  });

  it('a full refund, or a cancellation, subtracts everything the order added, down to nothing', async () => {
    await service().record(order(1, [101, 202, 303]));
    await service().record(order(2, [101, 202]));
    await service().record(order(2, [101, 202], { refundedTotal: '200.00' }));
    expect(await scores(101)).toEqual({ '202': w, '303': w });
    await service().withdraw(1);
    for (const id of [101, 202, 303]) expect(await t.redis.exists(t.keys.cobuy(id))).toBe(0);
    // A second withdrawal, or one of an order never counted, changes nothing.
    await expect(store.withdraw(1)).resolves.toBe(false);
    await expect(store.withdraw(99)).resolves.toBe(false);
    expect(await t.redis.exists(t.keys.orderCobuy(99))).toBe(0);
  });

  it('a withdrawn order that is paid again counts again', async () => {
    await service().record(order(1, [101, 202]));
    await service().withdraw(1);
    await service().record(order(1, [101, 202]));
    expect(await scores(101)).toEqual({ '202': w });
  });

  it('an edited order moves its weight from the old pairs to the new ones', async () => {
    await service().record(order(1, [101, 202]));
    await service().record(order(1, [101, 303]));
    expect(await scores(101)).toEqual({ '303': w });
    expect(await t.redis.exists(t.keys.cobuy(202))).toBe(0);
    expect(await scores(303)).toEqual({ '101': w });
  });

  it('an order of one product writes nothing', async () => {
    await service().record(order(1, [101]));
    expect(await t.redis.exists(t.keys.cobuy(101), t.keys.orderCobuy(1))).toBe(0);
  });

  it('the order record expires after ten half-lives; the counts never do', async () => {
    await service().record(order(1, [101, 202]));
    const ttl = await t.redis.ttl(t.keys.orderCobuy(1));
    expect(ttl).toBeGreaterThan(cobuyOrderTtlSeconds(HALF_LIFE_DAYS) - 5);
    expect(ttl).toBeLessThanOrEqual(cobuyOrderTtlSeconds(HALF_LIFE_DAYS));
    expect(await t.redis.ttl(t.keys.cobuy(101))).toBe(-1);
  });

  it('read after one half-life, a co-purchase counts half', async () => {
    await service().record(order(1, [101, 202]));
    await service().record(order(2, [101, 202]));
    const read = async () => {
      const [top] = (await store.topWith([101], 10)).get(101)!;
      return decayedSupport(top!.score, now, HALF_LIFE_DAYS);
    };
    expect(await read()).toBeCloseTo(2, 9);
    now = new Date(Date.parse(PAID) + HALF_LIFE_DAYS * DAY_MS);
    expect(await read()).toBeCloseTo(1, 9);

    // What a bought_together rule with minSupport 1.5 sees: enough today, not a half-life later.
    const rule = learningRule(1.5);
    now = new Date(PAID);
    expect(await service().learnedProducts(order(3, [101]), [rule])).toEqual(new Map([[rule.id, [202]]]));
    now = new Date(Date.parse(PAID) + HALF_LIFE_DAYS * DAY_MS);
    expect(await service().learnedProducts(order(3, [101]), [rule])).toEqual(new Map());
  });

  it('a trigger met by a variation reads the co-purchases of its parent product, and sums over several triggers', async () => {
    await service().record(order(1, [300, 505]));
    await service().record(order(2, [101, 505]));
    await service().record(order(3, [101, 506]));
    const rule = { ...learningRule(1.5), trigger: { productIds: [101, 301], minOrderTotal: '0.00' } };
    const buyer = order(4, [101], { items: [{ productId: 101, variationId: 0, quantity: 1, total: '10.00' }, { productId: 300, variationId: 301, quantity: 1, total: '10.00' }] });
    // 505: once with 300, once with 101 → 2; 506: once with 101 → 1, under 1.5.
    expect(await service().learnedProducts(buyer, [rule])).toEqual(new Map([[rule.id, [505]]]));
  });

  it('candidates leave out what the buyer bought before', async () => {
    await service().record(order(1, [101, 202, 303]));
    await service().record(order(2, [101, 202, 404]));
    await createCustomerStore(t.redis, t.keys).recordPurchases('ann@example.com', [202], '2025-01-01T00:00:00.000Z');
    const rule = learningRule(0.5);
    const buyer = order(3, [101], { email: 'ann@example.com' });
    expect(await service().learnedProducts(buyer, [rule])).toEqual(new Map([[rule.id, [303, 404]]]));
    expect(await service().learnedProducts({ ...buyer, email: null }, [rule])).toEqual(new Map([[rule.id, [202, 303]]]));
  });
});

/** A bought_together rule triggered by 101: top 2 with at least `minSupport`. */
function learningRule(minSupport: number): Rule {
  return storedRule({
    id: 'r_learned00001',
    name: 'Bought with the printer',
    kind: 'bought_together',
    offer: { fromHistory: { top: 2, minSupport }, discount: { type: 'percent', amount: '10.00' } },
  });
}
