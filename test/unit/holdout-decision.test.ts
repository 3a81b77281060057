import { holdoutGroup } from '../../src/domain/holdout';
import { decideOffers, decideOffersAndExposures, type DecideInput } from '../../src/domain/offer-decision';
import type { Order } from '../../src/domain/order';
import type { Rule } from '../../src/domain/rule';
import { paidOrder, storedRule } from '../support/rules';

const STORE = 'https://sklep.example.com';
const now = new Date('2026-11-20T14:05:42.000Z');

/** A stored rule: printer 101 → toner 202 on the thank-you page for 72 h, 10 % held out. */
const rule = (id: string, overrides: Partial<Rule> = {}): Rule => storedRule({ id, name: id, holdoutPercent: 10, ...overrides });

const order = (id: number, overrides: Partial<Order> = {}): Order => paidOrder({ id, ...overrides });

/** The first order id from 1000 on that lands in `group` for every rule of `wanted`. */
function orderIdIn(wanted: { rule: Rule; group: 'treated' | 'control' }[]): number {
  for (let id = 1000; ; id++) if (wanted.every((w) => holdoutGroup(STORE, id, w.rule) === w.group)) return id;
}

const decide = (o: Order, rules: Rule[], extra: Partial<DecideInput> = {}) => {
  let n = 0;
  return decideOffersAndExposures({ order: o, rules, maxOffers: 3, now, newOfferId: () => `of_${++n}`, storeUrl: STORE, ...extra });
};

describe('offers under a holdout', () => {
  const toner = rule('r_toner', { priority: 5 });

  it('a treated order gets the offer and is a treated exposure with its products and expiry', () => {
    const id = orderIdIn([{ rule: toner, group: 'treated' }]);
    const { offers, exposures } = decide(order(id), [toner]);
    expect(offers.map((o) => [o.ruleId, o.productIds])).toEqual([['r_toner', [202]]]);
    expect(exposures).toEqual([{ ruleId: 'r_toner', group: 'treated', productIds: [202], windowEndsAt: '2026-11-23T14:05:42.000Z' }]);
  });

  it('a control order gets no offer from the rule, but is a control exposure with what it would have got', () => {
    const id = orderIdIn([{ rule: toner, group: 'control' }]);
    const { offers, exposures } = decide(order(id), [toner]);
    expect(offers).toEqual([]);
    expect(exposures).toEqual([{ ruleId: 'r_toner', group: 'control', productIds: [202], windowEndsAt: '2026-11-23T14:05:42.000Z' }]);
  });

  it('the held-out rule keeps its products: a lower rule offering the same toner does not offer it to the control group', () => {
    const lower = rule('r_lower', { priority: 1, holdoutPercent: 0, offer: { productIds: [202, 303], discount: { type: 'percent', amount: '5.00' } } });
    const id = orderIdIn([{ rule: toner, group: 'control' }]);
    const { offers, exposures } = decide(order(id), [toner, lower]);
    expect(offers.map((o) => [o.ruleId, o.productIds])).toEqual([['r_lower', [303]]]);
    // The lower rule has no holdout: it is in no experiment.
    expect(exposures.map((e) => e.ruleId)).toEqual(['r_toner']);
  });

  it('the held-out rule keeps its place among maxOffers, so other rules offer exactly what they would have', () => {
    const others = [4, 3, 2].map((p) => rule(`r_p${p}`, { priority: p, holdoutPercent: 0, offer: { productIds: [400 + p], discount: { type: 'percent', amount: '5.00' } } }));
    const control = orderIdIn([{ rule: toner, group: 'control' }]);
    const treated = orderIdIn([{ rule: toner, group: 'treated' }]);
    const shown = (id: number) => decide(order(id), [toner, ...others]).offers.map((o) => o.ruleId);
    expect(shown(treated)).toEqual(['r_toner', 'r_p4', 'r_p3']);
    expect(shown(control)).toEqual(['r_p4', 'r_p3']);
  });

  it('holds out every channel, and the window ends with the latest of the offers', () => {
    const both = rule('r_both', { channels: { thankYou: true, email: { enabled: true, delayHours: 48 } } });
    const id = orderIdIn([{ rule: both, group: 'control' }]);
    const { offers, exposures } = decide(order(id), [both]);
    expect(offers).toEqual([]);
    // The email would have gone 48 h after payment (14:05:00) and lasted 72 h.
    expect(exposures).toEqual([{ ruleId: 'r_both', group: 'control', productIds: [202], windowEndsAt: '2026-11-25T14:05:00.000Z' }]);
  });

  it('two rules split independently within one order', () => {
    const paper = rule('r_paper', { offer: { productIds: [303], discount: { type: 'percent', amount: '5.00' } }, holdoutPercent: 50 });
    const tonerHalf = rule('r_toner', { holdoutPercent: 50 });
    const id = orderIdIn([
      { rule: tonerHalf, group: 'control' },
      { rule: paper, group: 'treated' },
    ]);
    const { offers, exposures } = decide(order(id), [tonerHalf, paper]);
    expect(offers.map((o) => o.ruleId)).toEqual(['r_paper']);
    // Equal priorities and ages: the rule id decides the order.
    expect(exposures.map((e) => [e.ruleId, e.group])).toEqual([
      ['r_paper', 'treated'],
      ['r_toner', 'control'],
    ]);
  });

  it('an order without an email is held out the same way but is no exposure in either group', () => {
    const control = orderIdIn([{ rule: toner, group: 'control' }]);
    const treated = orderIdIn([{ rule: toner, group: 'treated' }]);
    expect(decide(order(control, { email: null }), [toner])).toEqual({ offers: [], exposures: [] });
    const t = decide(order(treated, { email: null }), [toner]);
    expect(t.offers).toHaveLength(1);
    expect(t.exposures).toEqual([]);
  });

  it('a rule with nothing to offer (the buyer has it all) is no exposure', () => {
    const id = orderIdIn([{ rule: toner, group: 'control' }]);
    const holding = order(id, { items: [{ productId: 101, variationId: 0, quantity: 1, total: '1.00' }, { productId: 202, variationId: 0, quantity: 1, total: '1.00' }] });
    expect(decide(holding, [toner])).toEqual({ offers: [], exposures: [] });
  });

  it('without a store URL, or with a holdout of 0, nothing is held out and decideOffers is unchanged', () => {
    const id = orderIdIn([{ rule: toner, group: 'control' }]);
    expect(decide(order(id), [toner], { storeUrl: undefined }).offers).toHaveLength(1);
    expect(decide(order(id), [{ ...toner, holdoutPercent: 0 }])).toMatchObject({ exposures: [] });
    expect(decide(order(id), [{ ...toner, holdoutPercent: 0 }]).offers).toHaveLength(1);
    let n = 0;
    expect(decideOffers({ order: order(id), rules: [toner], maxOffers: 3, now, newOfferId: () => `of_${++n}`, storeUrl: STORE })).toEqual([]);
  });

  it('is pure: the same input gives the same offers and exposures', () => {
    const id = orderIdIn([{ rule: toner, group: 'treated' }]);
    expect(decide(order(id), [toner])).toEqual(decide(order(id), [toner]));
  });
});
