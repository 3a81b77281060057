import { decideOffers } from './offer-decision';
import { newId } from './ids';
import { isPaid, productIdsInOrder, type Order } from './order';
import type { Offer } from './offer';
import type { OfferStore } from '../storage/offer-store';
import type { RuleStore } from '../storage/rule-store';

/** Statuses (and the trash) that withdraw an order's offers. */
export const REVOKING_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'refunded', 'failed', 'trash']);

export interface OfferServiceDeps {
  rules: RuleStore;
  offers: OfferStore;
  paidStatuses: readonly string[];
  maxOffers: number;
  clock: () => Date;
}

export type OrderOutcome = 'offered' | 'already_decided' | 'revoked' | 'not_paid';

export type OfferService = ReturnType<typeof createOfferService>;

/**
 * "Ensure offers for this order": the one function behind both the webhook worker and the
 * thank-you page. Whichever runs first decides; the other reads the same offers.
 */
export function createOfferService(deps: OfferServiceDeps) {
  async function ensureOffers(order: Order): Promise<{ created: boolean; offers: Offer[] }> {
    if (!isPaid(order, deps.paidStatuses)) return { created: false, offers: [] };
    const decided = await deps.offers.forOrder(order.id);
    if (decided) return { created: false, offers: decided };
    const now = deps.clock();
    const rules = await deps.rules.forProducts(productIdsInOrder(order));
    const drafts = decideOffers({ order, rules, maxOffers: deps.maxOffers, now, newOfferId: () => newId('of') });
    return deps.offers.ensureForOrder(order.id, drafts, now);
  }

  return {
    ensureOffers,

    /** Applies one order event (a webhook or a reconciliation sweep) to its offers. */
    async applyOrder(order: Order): Promise<OrderOutcome> {
      if (REVOKING_STATUSES.has(order.status)) {
        await deps.offers.revokeOrder(order.id, deps.clock());
        return 'revoked';
      }
      if (!isPaid(order, deps.paidStatuses)) return 'not_paid';
      const { created } = await ensureOffers(order);
      return created ? 'offered' : 'already_decided';
    },

    /** An order moved to the trash (`order.deleted`). */
    async applyDeleted(orderId: number): Promise<OrderOutcome> {
      await deps.offers.revokeOrder(orderId, deps.clock());
      return 'revoked';
    },
  };
}
