import type { Logger } from '../logger';
import type { CouponIndex } from '../storage/coupon-index';
import type { RedemptionStore } from '../storage/redemption-store';
import { isEncoreCouponCode } from './coupon';
import { fromUnits, toUnits } from './money';
import { LIVE_STATES } from './offer';
import { isPaid, type Order } from './order';
import { attributedUnits, refundedUnits } from './redemption';

export interface RedemptionDeps {
  coupons: Pick<CouponIndex, 'offerFor'>;
  redemptions: RedemptionStore;
  paidStatuses: readonly string[];
  clock: () => Date;
  logger: Logger;
}

export type RedemptionOutcome = 'redeemed' | 'refund_applied' | 'unchanged' | 'not_paid' | 'not_open' | 'other_order' | 'unknown';

/**
 * Redemption attribution (flow 4). An order that used an Encore coupon redeems that coupon's
 * offer and attributes the order's lines for the offered products to the rule; later
 * deliveries of the same order move the attributed revenue with its refunds. Every delivery
 * may repeat: the store's scripts apply each change once.
 */
export function createRedemptionService(deps: RedemptionDeps) {
  async function attribute(order: Order, offerId: string): Promise<RedemptionOutcome> {
    // Loops only when another delivery changed the offer between reading and writing.
    for (;;) {
      const target = await deps.redemptions.load(offerId);
      if (!target) return 'unknown';
      const now = deps.clock();
      const done = target.redemption;
      if (!done) {
        // An unpaid order (on-hold, pending) may still fail; it redeems once it is paid.
        if (!isPaid(order, deps.paidStatuses)) return 'not_paid';
        if (!LIVE_STATES.has(target.state)) return 'not_open';
        const revenue = attributedUnits(order, target.productIds);
        const refunded = refundedUnits(order, revenue);
        const redemption = {
          orderId: order.id,
          // The sale happened when the order was paid, also when its delivery comes late.
          redeemedAt: order.paidAt ?? now.toISOString(),
          revenue: fromUnits(revenue),
          revenueRefunded: fromUnits(refunded),
          currency: order.currency,
        };
        if (await deps.redemptions.redeem(offerId, { ...redemption, netUnits: revenue - refunded })) return 'redeemed';
        continue;
      }
      // One use per coupon: an order other than the redeeming one changes nothing.
      if (done.orderId !== order.id) return 'other_order';
      const from = toUnits(done.revenueRefunded);
      const to = refundedUnits(order, toUnits(done.revenue));
      if (to === from) return 'unchanged';
      const adjustment = { orderId: order.id, from: done.revenueRefunded, to: fromUnits(to), deltaUnits: from - to };
      if (await deps.redemptions.adjustRefund(offerId, adjustment, now)) return 'refund_applied';
    }
  }

  return {
    /**
     * Attributes every Encore coupon among the order's coupons. Sees every delivered order,
     * whatever its status. A code Encore did not make (or no longer knows) is ignored.
     */
    async applyOrder(order: Order): Promise<void> {
      for (const code of order.couponCodes) {
        if (!isEncoreCouponCode(code)) continue;
        const offerId = await deps.coupons.offerFor(code);
        if (!offerId) continue;
        const outcome = await attribute(order, offerId);
        if (outcome === 'redeemed' || outcome === 'refund_applied') deps.logger.info({ offerId, orderId: order.id, outcome }, 'offer attribution');
      }
    },
  };
}

export type RedemptionService = ReturnType<typeof createRedemptionService>;
