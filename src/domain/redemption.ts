import { toUnits } from './money';
import type { Order } from './order';

/**
 * What an offer's redemption attributed to its rule: set once, when a paid order used the
 * offer's coupon. Money is a decimal string in `currency`, the redeeming order's currency.
 */
export interface Redemption {
  orderId: number;
  /** When the redeeming order was paid (or, unknown, was first seen paid), ISO 8601 UTC: the day it counts on. */
  redeemedAt: string;
  /** The order's discounted line totals for the offered products. */
  revenue: string;
  /** The part of `revenue` the order's refunds took back so far (0 … revenue). */
  revenueRefunded: string;
  currency: string;
}

/**
 * Statuses in which the redeeming order no longer stands: all of its revenue is taken back,
 * whatever `refunds[]` says (a cancelled order usually has no refund record at all).
 */
export const REVERSED_STATUSES: ReadonlySet<string> = new Set(['refunded', 'cancelled', 'failed']);

/**
 * Ten-thousandths of the order's line totals for `productIds`: a line counts when its product
 * or its variation was offered. Line `total` is after discounts, so the coupon's own
 * discount is already out of it.
 */
export function attributedUnits(order: Pick<Order, 'items'>, productIds: readonly number[]): bigint {
  const offered = new Set(productIds);
  return order.items
    .filter((item) => offered.has(item.productId) || (item.variationId !== 0 && offered.has(item.variationId)))
    .reduce((sum, item) => sum + toUnits(item.total), 0n);
}

/**
 * Ten-thousandths of `revenueUnits` the order's refunds take back. Refunds name amounts, not
 * products, so they are spread over the whole order: share = refunded / total, capped at 1,
 * rounded half up to a ten-thousandth. A reversed order (see REVERSED_STATUSES) takes back all.
 */
export function refundedUnits(order: Pick<Order, 'status' | 'total' | 'refundedTotal'>, revenueUnits: bigint): bigint {
  if (revenueUnits <= 0n) return 0n;
  if (REVERSED_STATUSES.has(order.status)) return revenueUnits;
  const refunded = toUnits(order.refundedTotal);
  const total = toUnits(order.total);
  if (refunded <= 0n) return 0n;
  // A free order (total 0) with any refund, or refunds beyond the total, took back everything.
  if (total <= 0n || refunded >= total) return revenueUnits;
  return (2n * revenueUnits * refunded + total) / (2n * total);
}
