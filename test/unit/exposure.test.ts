import { decodePending, encodePending, LATE_PURCHASE_GRACE_MS, matchConversions } from '../../src/domain/exposure';
import type { Order } from '../../src/domain/order';

const END = Date.parse('2026-11-26T12:00:00.000Z');
const START = Date.parse('2026-11-23T11:59:00.000Z');
const value = encodePending({ ruleId: 'r_a', group: 'control', productIds: [202, 203], windowEndsAt: new Date(END).toISOString() }, '2026-11-23', START);

const order = (paidAt: string, items: [number, number, string][], currency = 'PLN'): Order => ({
  id: 4800,
  status: 'processing',
  email: 'ann@example.com',
  customerId: 0,
  items: items.map(([productId, variationId, total]) => ({ productId, variationId, quantity: 1, total })),
  total: '0.00',
  currency,
  paidAt,
  modifiedAt: paidAt,
  refundedTotal: '0.00',
  couponCodes: [],
  meta: {},
});

describe('pending exposures', () => {
  it('round-trip through their hash field and value', () => {
    expect(value).toBe(`control|${END}|2026-11-23|202,203|${START}`);
    expect(decodePending('r_a|4711', value)).toEqual({ ruleId: 'r_a', orderId: 4711, group: 'control', startsMs: START, windowEndsMs: END, day: '2026-11-23', productIds: [202, 203] });
  });

  it.each([
    ['r_a', value],
    ['r_a|4711', 'treated|x|2026-11-23|202|1'],
    ['r_a|4711', 'bystander|1|2026-11-23|202|1'],
    ['r_a|4711', `control|${END}|2026-11-23||${START}`],
    ['r_a|4711', `control|${END}|2026-11-23|202`],
  ])('an entry that cannot be read (%s → %s) is null', (field, v) => {
    expect(decodePending(field, v)).toBeNull();
  });

  it('a matching purchase converts with the revenue of its matching lines only, in its currency', () => {
    const { conversions, dropped } = matchConversions(order('2026-11-24T10:00:00Z', [[202, 0, '49.90'], [500, 203, '0.0150'], [303, 0, '99.00']], 'EUR'), { 'r_a|4711': value }, new Date('2026-11-24T10:00:00Z'));
    expect(dropped).toEqual([]);
    // 49.90 + 0.015 = 49.915 → 499,150 ten-thousandths.
    expect(conversions).toEqual([{ field: 'r_a|4711', value, ruleId: 'r_a', group: 'control', day: '2026-11-23', currency: 'EUR', revenueUnits: 499_150n }]);
  });

  it('an exposure whose window ended more than the grace ago is dropped, one within it is kept for a late delivery', () => {
    const within = new Date(END + LATE_PURCHASE_GRACE_MS);
    const past = new Date(END + LATE_PURCHASE_GRACE_MS + 1);
    // Paid inside the window, delivered late: still converts.
    expect(matchConversions(order('2026-11-25T10:00:00Z', [[202, 0, '1.00']]), { 'r_a|4711': value }, within).conversions).toHaveLength(1);
    expect(matchConversions(order('2026-11-25T10:00:00Z', [[202, 0, '1.00']]), { 'r_a|4711': value }, past)).toEqual({ conversions: [], dropped: [{ field: 'r_a|4711', value }] });
  });
});
