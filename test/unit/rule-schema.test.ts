import { mergeRulePatch, ruleInputSchema, type Rule } from '../../src/domain/rule';
import { sampleRuleInput } from '../support/rules';

type Json = Record<string, any>;

/** Printer 101 → toner 202, 15 % off for three days: the merchant's first rule. */
const sample = (overrides: Json = {}): Json => ({
  name: 'Printer → toner',
  kind: 'complement',
  trigger: { productIds: [101] },
  offer: { productIds: [202], discount: { type: 'percent', amount: '15' } },
  expiresAfterHours: 72,
  ...overrides,
});

const withOffer = (offer: Json) => sample({ offer: { productIds: [202], discount: { type: 'percent', amount: '15' }, ...offer } });

/** The issues of a rejected rule as `path → message`. */
function problems(input: unknown): Record<string, string[]> {
  const result = ruleInputSchema.safeParse(input);
  if (result.success) throw new Error(`expected the rule to be rejected, got ${JSON.stringify(result.data)}`);
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) (out[issue.path.join('.')] ??= []).push(issue.message);
  return out;
}

describe('rule input', () => {
  it('a minimal rule parses with safe defaults and normalised amounts', () => {
    expect(ruleInputSchema.parse(sample())).toEqual(sampleRuleInput());
  });

  it('accepts numbers for amounts and writes them as WooCommerce does', () => {
    const rule = ruleInputSchema.parse(
      sample({ trigger: { productIds: [101], minOrderTotal: 150 }, offer: { productIds: [202], discount: { type: 'fixed_cart', amount: 12.5 } } }),
    );
    expect(rule.trigger.minOrderTotal).toBe('150.00');
    expect(rule.offer.discount).toEqual({ type: 'fixed_cart', amount: '12.50' });
  });

  it('trims the name and refuses a blank one', () => {
    expect(ruleInputSchema.parse(sample({ name: '  Toner  ' })).name).toBe('Toner');
    expect(problems(sample({ name: '   ' }))).toEqual({ name: ['is required'] });
  });

  it('drops duplicate product ids, keeping the first order', () => {
    const rule = ruleInputSchema.parse(sample({ trigger: { productIds: [101, 101, 103] }, offer: { productIds: [202, 205, 202], discount: { type: 'percent', amount: 5 } } }));
    expect(rule.trigger.productIds).toEqual([101, 103]);
    expect(rule.offer.productIds).toEqual([202, 205]);
  });

  it('a percent discount of exactly 100 is allowed', () => {
    expect(ruleInputSchema.parse(withOffer({ discount: { type: 'percent', amount: '100' } })).offer.discount.amount).toBe('100.00');
  });

  describe('names the field of every mistake', () => {
    it.each<[string, string, Json]>([
      ['an unknown kind', 'kind', sample({ kind: 'bundle' })],
      ['an unknown discount type', 'offer.discount.type', withOffer({ discount: { type: 'bogus', amount: '5' } })],
      ['a percent above 100', 'offer.discount.amount', withOffer({ discount: { type: 'percent', amount: '100.01' } })],
      ['a zero amount', 'offer.discount.amount', withOffer({ discount: { type: 'fixed_cart', amount: 0 } })],
      ['a negative amount', 'offer.discount.amount', withOffer({ discount: { type: 'fixed_product', amount: '-5' } })],
      ['an amount that is not a decimal', 'offer.discount.amount', withOffer({ discount: { type: 'fixed_cart', amount: '5 zł' } })],
      ['a minimum total that is not a decimal', 'trigger.minOrderTotal', sample({ trigger: { productIds: [101], minOrderTotal: '1e3' } })],
      ['no trigger products', 'trigger.productIds', sample({ trigger: { productIds: [] } })],
      ['a fractional product id', 'trigger.productIds.0', sample({ trigger: { productIds: [101.5] } })],
      ['a product id of 0', 'offer.productIds.1', withOffer({ productIds: [202, 0] })],
      ['a product id as a string', 'offer.productIds.0', withOffer({ productIds: ['202'] })],
      ['expiry of 0 hours', 'expiresAfterHours', sample({ expiresAfterHours: 0 })],
      ['expiry longer than a year', 'expiresAfterHours', sample({ expiresAfterHours: 24 * 365 + 1 })],
      ['expiry in fractions of an hour', 'expiresAfterHours', sample({ expiresAfterHours: 1.5 })],
      ['a priority above 1000', 'priority', sample({ priority: 1001 })],
      ['an offer made only of trigger products', 'offer.productIds', sample({ trigger: { productIds: [101, 202] } })],
    ])('%s → %s', (_what, path, input) => {
      expect(Object.keys(problems(input))).toEqual([path]);
    });

    it('an empty offer list says so', () => {
      expect(problems(withOffer({ productIds: [] }))['offer.productIds']).toContain('must list at least one product id');
    });

    it('a percent above 100 gets its own message', () => {
      expect(problems(withOffer({ discount: { type: 'percent', amount: '150' } }))).toEqual({
        'offer.discount.amount': ['a percent discount is at most 100'],
      });
    });

    it('more than 100 product ids are refused', () => {
      const ids = Array.from({ length: 101 }, (_, i) => 1000 + i);
      expect(problems(withOffer({ productIds: ids }))).toEqual({ 'offer.productIds': ['at most 100 product ids'] });
    });

    it.each<[unknown, string]>([
      [-1, 'must be from 0 to 50'],
      [50.1, 'must be from 0 to 50'],
      [12.25, 'at most one decimal place, e.g. 12.5'],
      ['10', 'must be a number from 0 to 50'],
    ])('a holdout of %p is refused: %s', (holdoutPercent, message) => {
      expect(problems(sample({ holdoutPercent }))).toEqual({ holdoutPercent: [message] });
    });

    it('a holdout from 0 to 50 in tenths is accepted as given', () => {
      for (const holdoutPercent of [0, 0.1, 0.3, 5, 12.5, 33.3, 50]) {
        expect(ruleInputSchema.parse(sample({ holdoutPercent })).holdoutPercent).toBe(holdoutPercent);
      }
    });

    it('the bounds of a year and an hour are accepted', () => {
      expect(ruleInputSchema.safeParse(sample({ expiresAfterHours: 1 })).success).toBe(true);
      expect(ruleInputSchema.safeParse(sample({ expiresAfterHours: 24 * 365 })).success).toBe(true);
    });
  });

  describe('refuses keys it does not know, at every level', () => {
    it.each<[string, Json, string]>([
      ['top level', sample({ discountPercent: 10 }), ''],
      ['trigger', sample({ trigger: { productIds: [101], categories: [5] } }), 'trigger'],
      ['offer', withOffer({ coupon: 'X' }), 'offer'],
      ['discount', withOffer({ discount: { type: 'percent', amount: '5', freeShipping: true } }), 'offer.discount'],
      ['channels', sample({ channels: { thankYou: true, sms: true } }), 'channels'],
    ])('%s', (_where, input, path) => {
      const found = problems(input);
      expect(Object.keys(found)).toEqual([path]);
      expect(found[path]![0]).toMatch(/Unrecognized key/);
    });
  });
});

describe('a bought_together rule', () => {
  const learned = (offer: Json = {}) =>
    sample({ kind: 'bought_together', offer: { fromHistory: { top: 3, minSupport: 2 }, discount: { type: 'percent', amount: 10 }, ...offer } });

  it('learns its products instead of naming them', () => {
    expect(ruleInputSchema.parse(learned()).offer).toEqual({ fromHistory: { top: 3, minSupport: 2 }, discount: { type: 'percent', amount: '10.00' } });
  });

  it('accepts a fractional minimum support (decayed counts are fractions)', () => {
    expect(ruleInputSchema.parse(learned({ fromHistory: { top: 10, minSupport: 0.5 } })).offer.fromHistory).toEqual({ top: 10, minSupport: 0.5 });
  });

  it('without fromHistory names offer.fromHistory', () => {
    expect(problems(sample({ kind: 'bought_together', offer: { discount: { type: 'percent', amount: 10 } } }))).toEqual({
      'offer.fromHistory': ['is required for a bought_together rule'],
    });
  });

  it('with named products as well names offer.productIds', () => {
    expect(problems(learned({ productIds: [202] }))).toEqual({
      'offer.productIds': ['a bought_together rule learns its products: set offer.fromHistory instead'],
    });
  });

  it('with named products instead of fromHistory names both', () => {
    expect(Object.keys(problems(sample({ kind: 'bought_together' })))).toEqual(['offer.productIds', 'offer.fromHistory']);
  });

  it.each<[string, Json, string, string]>([
    ['top of 0', { top: 0, minSupport: 1 }, 'offer.fromHistory.top', 'must be at least 1'],
    ['top above 10', { top: 11, minSupport: 1 }, 'offer.fromHistory.top', 'at most 10'],
    ['a fractional top', { top: 2.5, minSupport: 1 }, 'offer.fromHistory.top', 'must be a whole number'],
    ['a minimum support of 0', { top: 3, minSupport: 0 }, 'offer.fromHistory.minSupport', 'must be greater than 0'],
    ['a negative minimum support', { top: 3, minSupport: -1 }, 'offer.fromHistory.minSupport', 'must be greater than 0'],
  ])('refuses %s', (_what, fromHistory, path, message) => {
    expect(problems(learned({ fromHistory }))).toEqual({ [path]: [message] });
  });

  it('refuses unknown keys in fromHistory', () => {
    expect(Object.keys(problems(learned({ fromHistory: { top: 3, minSupport: 1, window: 30 } })))).toEqual(['offer.fromHistory']);
  });

  it('another kind may not learn from history, and still needs its products', () => {
    expect(problems(withOffer({ fromHistory: { top: 3, minSupport: 1 } }))).toEqual({
      'offer.fromHistory': ['only a bought_together rule learns its products from history'],
    });
    expect(problems(sample({ offer: { discount: { type: 'percent', amount: 10 } } }))).toEqual({
      'offer.productIds': ['must list at least one product id'],
    });
  });

  it('a PUT can turn a named rule into a learned one when it replaces kind and offer together', () => {
    const stored: Rule = { ...ruleInputSchema.parse(sample()), id: 'r_stored000002', createdAt: '2026-11-01T10:00:00.000Z', updatedAt: '2026-11-01T10:00:00.000Z' };
    const patch = { kind: 'bought_together', offer: { fromHistory: { top: 2, minSupport: 1 }, discount: { type: 'percent', amount: 5 } } };
    expect(ruleInputSchema.parse(mergeRulePatch(stored, patch)).offer.fromHistory).toEqual({ top: 2, minSupport: 1 });
    expect(Object.keys(problems(mergeRulePatch(stored, { kind: 'bought_together' })))).toEqual(['offer.productIds', 'offer.fromHistory']);
  });
});

describe('the email channel of a rule', () => {
  const withEmail = (email: Json) => sample({ channels: { thankYou: true, email } });

  it('accepts a delay or a replenishment timing, with leadDays defaulting to 0', () => {
    expect(ruleInputSchema.parse(withEmail({ enabled: true, delayHours: 48 })).channels.email).toEqual({ enabled: true, delayHours: 48 });
    expect(ruleInputSchema.parse(withEmail({ enabled: true, replenish: { daysPerUnit: 30 } })).channels.email).toEqual({
      enabled: true,
      replenish: { daysPerUnit: 30, leadDays: 0 },
    });
  });

  it('an enabled email channel needs exactly one timing', () => {
    const message = 'an enabled email channel needs exactly one of delayHours or replenish';
    expect(problems(withEmail({ enabled: true }))).toEqual({ 'channels.email': [message] });
    expect(problems(withEmail({ enabled: true, delayHours: 1, replenish: { daysPerUnit: 30 } }))).toEqual({ 'channels.email': [message] });
  });

  it('a switched-off email channel may keep no timing', () => {
    expect(ruleInputSchema.safeParse(withEmail({ enabled: false })).success).toBe(true);
  });

  it.each<[string, Json, string]>([
    ['a negative delay', { enabled: true, delayHours: -1 }, 'channels.email.delayHours'],
    ['zero days per unit', { enabled: true, replenish: { daysPerUnit: 0 } }, 'channels.email.replenish.daysPerUnit'],
    ['an unknown timing key', { enabled: true, delayHours: 1, cron: '0 9 * * *' }, 'channels.email'],
  ])('names the field of %s', (_what, email, path) => {
    expect(Object.keys(problems(withEmail(email)))).toContain(path);
  });
});

describe('mergeRulePatch (PUT semantics)', () => {
  const stored: Rule = {
    ...ruleInputSchema.parse(sample({ trigger: { productIds: [101], minOrderTotal: '100' }, priority: 5 })),
    id: 'r_stored000001',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
  };

  it('leaves the fields a patch does not name untouched', () => {
    const merged = ruleInputSchema.parse(mergeRulePatch(stored, { name: 'Renamed' }));
    expect(merged).toEqual({ ...ruleInputSchema.parse(sample({ trigger: { productIds: [101], minOrderTotal: '100' }, priority: 5 })), name: 'Renamed' });
  });

  it('replaces a nested object whole: a trigger without minOrderTotal falls back to the default', () => {
    const merged = ruleInputSchema.parse(mergeRulePatch(stored, { trigger: { productIds: [103] } }));
    expect(merged.trigger).toEqual({ productIds: [103], minOrderTotal: '0.00' });
  });

  it('a partial nested object is not merged into the stored one, so it fails validation', () => {
    const merged = mergeRulePatch(stored, { offer: { discount: { type: 'percent', amount: '20' } } });
    expect(problems(merged)).toHaveProperty(['offer.productIds']);
  });

  it('ignores id, createdAt and updatedAt in a patch, and leaves them out of the result', () => {
    const merged = mergeRulePatch(stored, { id: 'r_hijacked', createdAt: '1999-01-01T00:00:00Z', updatedAt: 'x', priority: 9 });
    expect(merged).not.toHaveProperty('id');
    expect(merged).not.toHaveProperty('createdAt');
    expect(merged).not.toHaveProperty('updatedAt');
    expect(ruleInputSchema.parse(merged).priority).toBe(9);
  });

  it('an unknown key in a patch still reaches validation and is refused', () => {
    expect(Object.keys(problems(mergeRulePatch(stored, { colour: 'red' })))).toEqual(['']);
  });

  it('does not change the stored rule', () => {
    const before = structuredClone(stored);
    mergeRulePatch(stored, { name: 'Other', offer: { productIds: [1], discount: { type: 'percent', amount: 1 } } });
    expect(stored).toEqual(before);
  });
});
