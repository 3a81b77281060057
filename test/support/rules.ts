import type { Order } from '../../src/domain/order';
import type { Rule, RuleInput } from '../../src/domain/rule';

/** When the sample rules were stored: before every clock the tests set (ISO 8601 UTC). */
const STORED_AT = '2026-11-01T10:00:00.000Z';

/**
 * The merchant's first rule as the rule schema leaves it: printer 101 → toner 202, 15 % off on
 * the thank-you page for 72 h, with every default filled in (amounts normalised to two decimals,
 * priority 0, no holdout). A fresh object each call, so a test may change it freely.
 */
export const sampleRuleInput = (): RuleInput => ({
  name: 'Printer → toner',
  enabled: true,
  kind: 'complement',
  trigger: { productIds: [101], minOrderTotal: '0.00' },
  offer: { productIds: [202], discount: { type: 'percent', amount: '15.00' } },
  channels: { thankYou: true },
  expiresAfterHours: 72,
  priority: 0,
  holdoutPercent: 0,
});

/** The sample rule as the rule store holds it; `overrides` replace whole top-level fields. */
export const storedRule = (overrides: Partial<Rule> = {}): Rule => ({
  id: 'r_000000000001',
  ...sampleRuleInput(),
  createdAt: STORED_AT,
  updatedAt: STORED_AT,
  ...overrides,
});

/** An order the sample rule matches: paid order 4711 of one printer (101) for 199.00 PLN, no locale. */
export const paidOrder = (overrides: Partial<Order> = {}): Order => ({
  id: 4711,
  status: 'processing',
  email: 'ann@example.com',
  customerId: 7,
  items: [{ productId: 101, variationId: 0, quantity: 1, total: '199.00' }],
  total: '199.00',
  currency: 'PLN',
  paidAt: '2026-11-20T14:05:00.000Z',
  modifiedAt: '2026-11-20T14:05:00.000Z',
  refundedTotal: '0.00',
  couponCodes: [],
  meta: {},
  ...overrides,
});
