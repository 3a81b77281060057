import fc from 'fast-check';
import {
  COBUY_EPOCH_MS,
  COBUY_MAX_PRODUCTS,
  cobuyProducts,
  cobuyWeight,
  decayedSupport,
  rankCandidates,
  remainingShare,
} from '../../src/domain/cobuy';
import type { OrderItem } from '../../src/domain/order';

const DAY_MS = 86_400_000;
const at = (days: number) => new Date(COBUY_EPOCH_MS + days * DAY_MS);
const item = (productId: number, variationId = 0): OrderItem => ({ productId, variationId, quantity: 1, total: '10.00' });

describe('co-purchase decay', () => {
  it('an order paid at the epoch weighs 1, one half-life later 2, ten half-lives later 1024', () => {
    expect(cobuyWeight(at(0), 90)).toBe(1);
    expect(cobuyWeight(at(90), 90)).toBe(2);
    expect(cobuyWeight(at(900), 90)).toBe(1024);
    expect(cobuyWeight(at(-90), 90)).toBe(0.5);
  });

  it('read at its own paid time, an order counts 1; a half-life later 0.5; two half-lives later 0.25', () => {
    const paid = new Date('2026-11-23T12:00:00.000Z');
    const w = cobuyWeight(paid, 90);
    expect(decayedSupport(w, paid, 90)).toBeCloseTo(1, 12);
    expect(decayedSupport(w, new Date(paid.getTime() + 90 * DAY_MS), 90)).toBeCloseTo(0.5, 12);
    expect(decayedSupport(w, new Date(paid.getTime() + 180 * DAY_MS), 90)).toBeCloseTo(0.25, 12);
  });

  it('the half-life sets the pace: with 30 days, 90 days of age leave one eighth', () => {
    const paid = new Date('2026-01-01T00:00:00.000Z');
    expect(decayedSupport(cobuyWeight(paid, 30), new Date(paid.getTime() + 90 * DAY_MS), 30)).toBeCloseTo(0.125, 12);
  });

  it('a decayed count of many orders stays within 1e-9 of the exact sum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 14, max: 365 }), (days, halfLife) => {
        const now = at(4000);
        const score = days.reduce((sum, d) => sum + cobuyWeight(at(d), halfLife), 0);
        const exact = days.reduce((sum, d) => sum + 2 ** ((d - 4000) / halfLife), 0);
        expect(Math.abs(decayedSupport(score, now, halfLife) - exact)).toBeLessThan(1e-9 * Math.max(1, exact));
      }),
    );
  });

  it('the weights stay finite until at least 2060 with the shortest half-life', () => {
    expect(Number.isFinite(cobuyWeight(new Date('2060-01-01T00:00:00Z'), 14) * 2 ** 23)).toBe(true);
  });
});

describe('remainingShare', () => {
  it('is 1 without refunds and 0 when everything was refunded', () => {
    expect(remainingShare({ total: '199.00', refundedTotal: '0.00' })).toBe(1);
    expect(remainingShare({ total: '199.00', refundedTotal: '199.00' })).toBe(0);
  });

  it('scales by the part not refunded, computed on exact decimals', () => {
    expect(remainingShare({ total: '200.00', refundedTotal: '50.00' })).toBe(0.75);
    expect(remainingShare({ total: '0.30', refundedTotal: '0.10' })).toBe(2 / 3);
  });

  it('clamps a refund above the total to 0, and counts a free order whole', () => {
    expect(remainingShare({ total: '10.00', refundedTotal: '12.00' })).toBe(0);
    expect(remainingShare({ total: '0.00', refundedTotal: '0.00' })).toBe(1);
  });
});

describe('cobuyProducts', () => {
  it('takes parent product ids, once each, in line order, and skips deleted products (id 0)', () => {
    expect(cobuyProducts({ items: [item(101), item(300, 301), item(300, 302), item(0), item(205)] })).toEqual([101, 300, 205]);
  });

  it(`keeps at most ${COBUY_MAX_PRODUCTS} distinct products`, () => {
    const items = Array.from({ length: 60 }, (_, i) => item(1000 + i));
    const ids = cobuyProducts({ items });
    expect(ids).toHaveLength(COBUY_MAX_PRODUCTS);
    expect(ids[39]).toBe(1039);
  });
});

describe('rankCandidates', () => {
  const s = (productId: number, support: number) => ({ productId, support });

  it('sums supports across triggers, ranks by support, then product id', () => {
    const perTrigger = [
      [s(500, 3), s(501, 2), s(503, 2)],
      [s(501, 2), s(502, 3)],
    ];
    expect(rankCandidates(perTrigger, { exclude: new Set(), minSupport: 1, top: 10 })).toEqual([501, 500, 502, 503]);
  });

  it('drops excluded products and those under minSupport, and keeps the top N', () => {
    const perTrigger = [[s(500, 5), s(501, 4), s(502, 3), s(503, 0.99)]];
    expect(rankCandidates(perTrigger, { exclude: new Set([500]), minSupport: 1, top: 2 })).toEqual([501, 502]);
    expect(rankCandidates(perTrigger, { exclude: new Set(), minSupport: 1, top: 10 })).toEqual([500, 501, 502]);
  });

  it('a product under minSupport for each trigger alone can pass by their sum', () => {
    expect(rankCandidates([[s(600, 0.6)], [s(600, 0.6)]], { exclude: new Set(), minSupport: 1, top: 1 })).toEqual([600]);
  });

  it('no candidates give an empty list', () => {
    expect(rankCandidates([], { exclude: new Set(), minSupport: 1, top: 3 })).toEqual([]);
  });
});
