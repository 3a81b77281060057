import { toUnits } from './money';
import type { Order } from './order';

/**
 * "Bought together", learned from paid orders. Each order adds, for every ordered pair (a, b)
 * of distinct products in it, a weight to the score of b under a. The weight grows with the
 * paid time instead of old scores shrinking, so nothing ever has to be rewritten:
 *
 *   w = 2^((paidAt − EPOCH) / halfLife)        (written once per order)
 *   support = score / 2^((now − EPOCH) / halfLife)   (on read)
 *
 * An order paid `now` counts 1; one paid a half-life earlier counts 0.5.
 *
 * Exactness of the doubles: every weight is one `Math.pow` away from exact (relative error
 * ≤ 2^-52), and a score summing n weights is off by at most about n · 2^-53 of its largest
 * weight. Read as a decayed count that is under 10^-9 co-purchases for n < 2^23 (8 million
 * orders holding one pair), far below any useful minimum support. Subtracting every weight
 * that was added may leave such a residue instead of 0, hence `COBUY_RESIDUE`. The weights
 * themselves grow by 2^(days / halfLife): a double holds up to 2^1024, so with the shortest
 * allowed half-life (14 days) the scale lasts until about 2062, with the default 90 days
 * until about 2270.
 */
export const COBUY_EPOCH_MS = Date.UTC(2024, 0, 1);

const DAY_MS = 86_400_000;

/**
 * Most distinct products of one order that are counted (the first ones, in line order). The
 * writes per order are n × (n − 1) score updates: 40 products make 1,560; a wholesale order of
 * 500 lines would make about 250,000 and say little about what belongs together.
 */
export const COBUY_MAX_PRODUCTS = 40;

/**
 * A score below this share of the weight being applied is rounding residue (see above) or
 * history more than 30 half-lives old: it is removed like a score of 0.
 */
export const COBUY_RESIDUE = 2 ** -30;

/** The time weight of an order paid at `at`: 2^((at − EPOCH) / halfLife). */
export function cobuyWeight(at: Date, halfLifeDays: number): number {
  return 2 ** ((at.getTime() - COBUY_EPOCH_MS) / (halfLifeDays * DAY_MS));
}

/** Divides a stored score into a decayed count of co-purchases as seen at `now`. */
export function decayedSupport(score: number, now: Date, halfLifeDays: number): number {
  return score / cobuyWeight(now, halfLifeDays);
}

/**
 * The share of the order that still counts: 1 − refundedTotal / total, computed on exact
 * ten-thousandths and rounded once; clamped to [0, 1]. A free order (total 0) counts whole.
 */
export function remainingShare(order: Pick<Order, 'total' | 'refundedTotal'>): number {
  const total = toUnits(order.total);
  if (total <= 0n) return 1;
  const left = total - toUnits(order.refundedTotal);
  if (left <= 0n) return 0;
  if (left >= total) return 1;
  // Both sides are below 2^53 (at most 12 integer digits and 4 decimals), so each converts exactly.
  return Number(left) / Number(total);
}

/**
 * The parent products of an order that are counted: distinct, in line order, at most
 * `COBUY_MAX_PRODUCTS`. A line of a deleted product has product id 0 and is skipped.
 */
export function cobuyProducts(order: Pick<Order, 'items'>, cap = COBUY_MAX_PRODUCTS): number[] {
  const ids: number[] = [];
  for (const item of order.items) {
    if (ids.length >= cap) break;
    if (item.productId > 0 && !ids.includes(item.productId)) ids.push(item.productId);
  }
  return ids;
}

/** One product's decayed co-purchase count with a trigger. */
export interface Support {
  productId: number;
  support: number;
}

/**
 * Ranks learned candidates: sums each product's support across the triggers, drops excluded
 * products and those under `minSupport`, and keeps the `top` best (ties: lower product id).
 */
export function rankCandidates(
  perTrigger: Support[][],
  opts: { exclude: ReadonlySet<number>; minSupport: number; top: number },
): number[] {
  const sums = new Map<number, number>();
  for (const list of perTrigger) {
    for (const { productId, support } of list) {
      if (!opts.exclude.has(productId)) sums.set(productId, (sums.get(productId) ?? 0) + support);
    }
  }
  return [...sums]
    .filter(([, support]) => support >= opts.minSupport)
    .sort(([a, sa], [b, sb]) => sb - sa || a - b)
    .slice(0, opts.top)
    .map(([productId]) => productId);
}
