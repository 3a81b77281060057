import { byPriority, decideOffers, ruleMatches, type DecideInput } from '../../src/domain/offer-decision';
import { productIdsInOrder, type Order, type OrderItem } from '../../src/domain/order';
import type { Rule } from '../../src/domain/rule';
import { paidOrder, storedRule } from '../support/rules';

const now = new Date('2026-11-20T14:05:42.000Z');

let seq = 0;
/** A stored rule: printer 101 → toner 202, 15 % off for 72 h, unless told otherwise. */
function rule(overrides: Partial<Rule> = {}): Rule {
  seq += 1;
  return storedRule({ id: `r_${String(seq).padStart(12, '0')}`, name: `rule ${seq}`, ...overrides });
}

const item = (productId: number, variationId = 0): OrderItem => ({ productId, variationId, quantity: 1, total: '199.00' });

/** A paid order of one printer (101) for 199.00 PLN. */
function order(overrides: Partial<Order> = {}): Order {
  return paidOrder({ locale: 'pl_PL', ...overrides });
}

/** Offer ids from a counter, so that two runs can be compared. */
const counter = () => {
  let n = 0;
  return () => `of_${String(++n).padStart(3, '0')}`;
};

const decide = (input: Partial<DecideInput> & Pick<DecideInput, 'rules'>) =>
  decideOffers({ order: order(), maxOffers: 3, now, newOfferId: counter(), ...input });

describe('decideOffers', () => {
  it('a printer order gets the toner offer, with everything the offer needs', () => {
    const r = rule();
    expect(decide({ rules: [r] })).toEqual([
      {
        id: 'of_001',
        orderId: 4711,
        ruleId: r.id,
        kind: 'complement',
        productIds: [202],
        discount: { type: 'percent', amount: '15.00' },
        channel: 'thank_you',
        priority: 0,
        issuedAt: '2026-11-20T14:05:42.000Z',
        expiresAt: '2026-11-23T14:05:42.000Z',
        sendAt: null,
        email: 'ann@example.com',
        customerId: 7,
        currency: 'PLN',
        locale: 'pl_PL',
      },
    ]);
  });

  it('expires exactly expiresAfterHours after now', () => {
    const [offer] = decide({ rules: [rule({ expiresAfterHours: 1 })] });
    expect(Date.parse(offer!.expiresAt) - now.getTime()).toBe(3_600_000);
    const [yearLong] = decide({ rules: [rule({ expiresAfterHours: 24 * 365 })] });
    expect(yearLong!.expiresAt).toBe('2027-11-20T14:05:42.000Z');
  });

  it('an order without a locale gets offers with locale null', () => {
    expect(decide({ order: order({ locale: undefined }), rules: [rule()] })[0]!.locale).toBeNull();
  });

  describe('triggers', () => {
    it('by the variation id of an order line', () => {
      const r = rule({ trigger: { productIds: [301], minOrderTotal: '0.00' } });
      expect(decide({ order: order({ items: [item(300, 301)] }), rules: [r] })).toHaveLength(1);
    });

    it('by the parent product id of a variation line', () => {
      const r = rule({ trigger: { productIds: [300], minOrderTotal: '0.00' } });
      expect(decide({ order: order({ items: [item(300, 301)] }), rules: [r] })).toHaveLength(1);
    });

    it('not when the order holds none of the trigger products', () => {
      expect(decide({ order: order({ items: [item(999)] }), rules: [rule()] })).toEqual([]);
    });

    it('a disabled rule is ignored', () => {
      expect(decide({ rules: [rule({ enabled: false })] })).toEqual([]);
    });

    it('a rule that reaches no channel is ignored', () => {
      expect(decide({ rules: [rule({ channels: { thankYou: false } })] })).toEqual([]);
    });

    it('minOrderTotal is compared as decimals: 199.99 misses 200, 200.00 meets "200"', () => {
      const r = rule({ trigger: { productIds: [101], minOrderTotal: '200' } });
      expect(decide({ order: order({ total: '199.99' }), rules: [r] })).toEqual([]);
      expect(decide({ order: order({ total: '200.00' }), rules: [r] })).toHaveLength(1);
      expect(decide({ order: order({ total: '1000' }), rules: [r] })).toHaveLength(1);
    });

    it('ruleMatches agrees with decideOffers', () => {
      const o = order();
      const owned = productIdsInOrder(o);
      expect(ruleMatches(rule(), o, owned)).toBe(true);
      expect(ruleMatches(rule({ enabled: false }), o, owned)).toBe(false);
      expect(ruleMatches(rule({ trigger: { productIds: [101], minOrderTotal: '199.01' } }), o, owned)).toBe(false);
    });
  });

  describe('never offers what the order already holds', () => {
    it('drops a product that is in the order and keeps the rest', () => {
      const r = rule({ offer: { productIds: [202, 205], discount: { type: 'percent', amount: '10.00' } } });
      const [offer] = decide({ order: order({ items: [item(101), item(205)] }), rules: [r] });
      expect(offer!.productIds).toEqual([202]);
    });

    it('drops a variation that is in the order', () => {
      const r = rule({ offer: { productIds: [206, 207], discount: { type: 'percent', amount: '10.00' } } });
      const [offer] = decide({ order: order({ items: [item(101), item(205, 206)] }), rules: [r] });
      expect(offer!.productIds).toEqual([207]);
    });

    it('makes no offer when every offered product is already in the order', () => {
      const r = rule({ offer: { productIds: [202], discount: { type: 'percent', amount: '10.00' } } });
      expect(decide({ order: order({ items: [item(101), item(202)] }), rules: [r] })).toEqual([]);
    });
  });

  describe('when rules compete', () => {
    it('the higher priority keeps a product both offer; the lower keeps its remaining ones', () => {
      const low = rule({ priority: 1, kind: 'cross_sell', offer: { productIds: [202, 203], discount: { type: 'percent', amount: '5.00' } } });
      const high = rule({ priority: 10, offer: { productIds: [202], discount: { type: 'percent', amount: '15.00' } } });
      const offers = decide({ rules: [low, high] });
      expect(offers.map((o) => [o.ruleId, o.productIds])).toEqual([
        [high.id, [202]],
        [low.id, [203]],
      ]);
    });

    it('a lower rule left with nothing to offer makes no offer and takes no slot', () => {
      const high = rule({ priority: 10 });
      const shadowed = rule({ priority: 5 });
      const other = rule({ priority: 1, offer: { productIds: [203], discount: { type: 'percent', amount: '5.00' } } });
      const offers = decide({ rules: [shadowed, other, high], maxOffers: 2 });
      expect(offers.map((o) => o.ruleId)).toEqual([high.id, other.id]);
    });

    it('ties go to the older rule', () => {
      const newer = rule({ createdAt: '2026-11-05T00:00:00.000Z' });
      const older = rule({ createdAt: '2026-11-02T00:00:00.000Z' });
      expect(decide({ rules: [newer, older] }).map((o) => o.ruleId)).toEqual([older.id]);
    });

    it('then to the smaller id', () => {
      const b = rule({ id: 'r_bbbbbbbbbbbb' });
      const a = rule({ id: 'r_aaaaaaaaaaaa' });
      expect(decide({ rules: [b, a] }).map((o) => o.ruleId)).toEqual(['r_aaaaaaaaaaaa']);
      expect([b, a].sort(byPriority).map((r) => r.id)).toEqual(['r_aaaaaaaaaaaa', 'r_bbbbbbbbbbbb']);
    });

    it('makes at most maxOffers offers, the highest priorities first', () => {
      const rules = [1, 2, 3, 4, 5].map((p) =>
        rule({ priority: p, offer: { productIds: [200 + p], discount: { type: 'percent', amount: '5.00' } } }),
      );
      const offers = decide({ rules, maxOffers: 3 });
      expect(offers.map((o) => o.productIds[0])).toEqual([205, 204, 203]);
      expect(decide({ rules, maxOffers: 1 })).toHaveLength(1);
    });

    it('does not reorder the caller’s rules', () => {
      const rules = [rule({ priority: 1 }), rule({ priority: 9 })];
      const ids = rules.map((r) => r.id);
      decide({ rules });
      expect(rules.map((r) => r.id)).toEqual(ids);
    });
  });

  describe('the email channel', () => {
    const emailRule = (email: NonNullable<Rule['channels']['email']>, overrides: Partial<Rule> = {}) =>
      rule({ channels: { thankYou: false, email }, ...overrides });

    it('an email offer is due delayHours after payment and expires expiresAfterHours after that', () => {
      const [offer] = decide({ rules: [emailRule({ enabled: true, delayHours: 48 })] });
      expect(offer).toMatchObject({
        channel: 'email',
        sendAt: '2026-11-22T14:05:00.000Z',
        expiresAt: '2026-11-25T14:05:00.000Z',
        issuedAt: now.toISOString(),
      });
    });

    it('for a consumable, it is due when the bought quantity runs out: paid + quantity × daysPerUnit − leadDays', () => {
      // Two toners (205), each lasting 30 days; the offer of the high-yield toner (206) goes out 5 days early.
      const r = emailRule(
        { enabled: true, replenish: { daysPerUnit: 30, leadDays: 5 } },
        { trigger: { productIds: [205], minOrderTotal: '0.00' }, offer: { productIds: [206], discount: { type: 'percent', amount: '10.00' } } },
      );
      const o = order({ items: [item(101), { productId: 205, variationId: 0, quantity: 2, total: '178.00' }] });
      const [offer] = decide({ order: o, rules: [r] });
      expect(offer!.sendAt).toBe('2027-01-14T14:05:00.000Z'); // 2 × 30 − 5 = 55 days after payment
    });

    it('is never due before now', () => {
      const [offer] = decide({ order: order({ paidAt: '2026-11-01T00:00:00.000Z' }), rules: [emailRule({ enabled: true, delayHours: 1 })] });
      expect(offer!.sendAt).toBe(now.toISOString());
    });

    it('an order without an email address gets no email offer, only the thank-you one', () => {
      const both = rule({ channels: { thankYou: true, email: { enabled: true, delayHours: 24 } } });
      expect(decide({ rules: [both] }).map((o) => o.channel)).toEqual(['thank_you', 'email']);
      expect(decide({ order: order({ email: null }), rules: [both] }).map((o) => o.channel)).toEqual(['thank_you']);
    });

    it('a disabled email channel is no channel', () => {
      expect(decide({ rules: [emailRule({ enabled: false, delayHours: 24 })] })).toEqual([]);
    });

    it('maxOffers counts per channel', () => {
      const rules = [1, 2, 3].map((p) =>
        rule({
          priority: p,
          channels: { thankYou: true, email: { enabled: true, delayHours: 24 } },
          offer: { productIds: [200 + p], discount: { type: 'percent', amount: '5.00' } },
        }),
      );
      const offers = decide({ rules, maxOffers: 2 });
      expect(offers.map((o) => [o.channel, o.productIds[0]])).toEqual([
        ['thank_you', 203],
        ['thank_you', 202],
        ['email', 203],
        ['email', 202],
      ]);
    });
  });

  it('the same input gives the same offers', () => {
    const rules = [
      rule({ priority: 3, offer: { productIds: [202, 203], discount: { type: 'percent', amount: '5.00' } } }),
      rule({ priority: 3, offer: { productIds: [203, 204], discount: { type: 'fixed_cart', amount: '20.00' } } }),
      rule({ priority: 7, kind: 'upsell', offer: { productIds: [102], discount: { type: 'fixed_product', amount: '50.00' } } }),
    ];
    const first = decideOffers({ order: order(), rules, maxOffers: 3, now, newOfferId: counter() });
    const second = decideOffers({ order: order(), rules: [...rules].reverse(), maxOffers: 3, now, newOfferId: counter() });
    expect(second).toEqual(first);
    expect(first.map((o) => o.id)).toEqual(['of_001', 'of_002', 'of_003']);
  });

  describe('a bought_together rule', () => {
    const learning = (overrides: Partial<Rule> = {}) =>
      rule({ kind: 'bought_together', offer: { fromHistory: { top: 3, minSupport: 1 }, discount: { type: 'percent', amount: '10.00' } }, ...overrides });

    it('offers the products learned for it, in their order', () => {
      const r = learning();
      const [offer] = decide({ rules: [r], learned: new Map([[r.id, [510, 505]]]) });
      expect(offer).toMatchObject({ ruleId: r.id, kind: 'bought_together', productIds: [510, 505], discount: { type: 'percent', amount: '10.00' } });
    });

    it('makes no offer when nothing was learned for it', () => {
      const r = learning();
      expect(decide({ rules: [r] })).toEqual([]);
      expect(decide({ rules: [r], learned: new Map([['r_other', [510]]]) })).toEqual([]);
    });

    it('competes like any rule: a higher named rule keeps a product both offer', () => {
      const named = rule({ priority: 5, offer: { productIds: [510], discount: { type: 'percent', amount: '15.00' } } });
      const r = learning({ priority: 1 });
      const offers = decide({ rules: [r, named], learned: new Map([[r.id, [510, 505]]]) });
      expect(offers.map((o) => [o.ruleId, o.productIds])).toEqual([
        [named.id, [510]],
        [r.id, [505]],
      ]);
    });
  });

  it('asks for an offer id only for offers it makes', () => {
    const newOfferId = jest.fn(counter());
    decideOffers({ order: order(), rules: [rule({ enabled: false }), rule()], maxOffers: 3, now, newOfferId });
    expect(newOfferId).toHaveBeenCalledTimes(1);
  });
});
