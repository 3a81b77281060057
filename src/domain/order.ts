/**
 * The domain's view of a WooCommerce order: only what deciding, rendering and attributing
 * offers needs. Raw WooCommerce JSON never goes past the integration edge.
 */
export interface OrderItem {
  productId: number;
  /** 0 when the line is not a variation (WooCommerce's own convention). */
  variationId: number;
  quantity: number;
  /** Line total after discounts, a decimal string as WooCommerce sends it. */
  total: string;
}

export interface Order {
  id: number;
  /** Status without the `wc-` prefix. */
  status: string;
  /** Billing email; WooCommerce allows it to be null. */
  email: string | null;
  /** 0 for guests. */
  customerId: number;
  items: OrderItem[];
  /** Decimal string. */
  total: string;
  /** ISO 4217 code. */
  currency: string;
  /** WordPress locale such as `pl_PL`, when known (the shim sends it; webhooks do not). */
  locale?: string;
  /** When the order was paid, ISO 8601 UTC, or null until paid. */
  paidAt: string | null;
  /** Last modification, ISO 8601 UTC; orders deliveries so a late one never wins. */
  modifiedAt: string | null;
  /** Sum of the order's refunds, a positive decimal string ("0.00" when none). */
  refundedTotal: string;
  /** Lower-case codes of the coupons applied to the order. */
  couponCodes: string[];
  /** Scalar order meta values by key (consent extensions write here). */
  meta: Record<string, string>;
}

/** Product and variation ids of everything in the order: what must never be offered again. */
export function productIdsInOrder(order: Pick<Order, 'items'>): Set<number> {
  const ids = new Set<number>();
  for (const item of order.items) {
    ids.add(item.productId);
    if (item.variationId) ids.add(item.variationId);
  }
  return ids;
}

export const isPaid = (order: Pick<Order, 'status'>, paidStatuses: readonly string[]): boolean =>
  paidStatuses.includes(order.status);
