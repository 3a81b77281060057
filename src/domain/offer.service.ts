import { isConsent } from './customer';
import { decideOffersAndExposures } from './offer-decision';
import { newId } from './ids';
import { isPaid, productIdsInOrder, type Order } from './order';
import type { Offer } from './offer';
import type { CobuyService } from './cobuy.service';
import type { CustomerStore } from '../storage/customer-store';
import type { LiftStore } from '../storage/lift-store';
import type { OfferStore } from '../storage/offer-store';
import type { RuleStore } from '../storage/rule-store';

/** Statuses (and the trash) that withdraw an order's offers. */
export const REVOKING_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'refunded', 'failed', 'trash']);

export interface OfferServiceDeps {
  rules: RuleStore;
  offers: OfferStore;
  customers: Pick<CustomerStore, 'recordPurchases' | 'setConsent' | 'indexOffers'>;
  paidStatuses: readonly string[];
  maxOffers: number;
  clock: () => Date;
  /** The order meta key of the store's consent extension, when emails need consent. */
  consentMetaKey?: string;
  /** Schedules the pending emails among an order's offers. Idempotent: called on every paid delivery. */
  scheduleEmails?: (offers: Offer[]) => Promise<void>;
  /** Sees every delivered order first, whatever its status (redemptions, refunds). */
  onOrder?: (order: Order) => Promise<void>;
  /** Learns which offers an order's cancellation revoked (to cancel their pending emails). */
  onRevoked?: (orderId: number) => Promise<void>;
  /** "Bought together" counts: fed by paid and withdrawn orders, read by `bought_together` rules. */
  cobuy?: Pick<CobuyService, 'record' | 'withdraw' | 'learnedProducts'>;
  /** The store's URL, which seeds the holdout split of every rule. */
  storeUrl?: string;
  /** Records holdout exposures with the decision. */
  lift?: Pick<LiftStore, 'writes'>;
  /** Sees every paid order delivered by a webhook or a sweep, before its offers (holdout conversions). */
  onPaid?: (order: Order) => Promise<unknown>;
}

export type OrderOutcome = 'offered' | 'already_decided' | 'revoked' | 'not_paid';

export type OfferService = ReturnType<typeof createOfferService>;

/**
 * "Ensure offers for this order": the one function behind both the webhook worker and the
 * thank-you page. Whichever runs first decides; the other reads the same offers.
 */
export function createOfferService(deps: OfferServiceDeps) {
  /** What the buyer owns now, for "already owns" checks, replenishment and bought-together exclusions. */
  async function recordPurchases(order: Order, now: Date): Promise<void> {
    if (order.email) await deps.customers.recordPurchases(order.email, [...productIdsInOrder(order)], order.paidAt ?? now.toISOString());
  }

  /**
   * Reads a paid order's decision, or makes it. `purchasesRecorded`: the caller stored the
   * order's purchases already (a webhook always does; the thank-you page only when it decides).
   */
  async function readOrDecide(order: Order, purchasesRecorded: boolean): Promise<{ created: boolean; offers: Offer[] }> {
    const decided = await deps.offers.forOrder(order.id);
    if (decided) {
      if (order.locale) await deps.offers.fillLocale(decided, order.locale);
      return { created: false, offers: decided };
    }
    const now = deps.clock();
    if (!purchasesRecorded) await recordPurchases(order, now);
    const rules = await deps.rules.forProducts(productIdsInOrder(order));
    const learned = await deps.cobuy?.learnedProducts(order, rules);
    const decision = decideOffersAndExposures({
      order,
      rules,
      maxOffers: deps.maxOffers,
      now,
      newOfferId: () => newId('of'),
      learned,
      storeUrl: deps.storeUrl,
    });
    const exposures = order.email && deps.lift ? deps.lift.writes(order, order.email, decision.exposures, now) : undefined;
    const result = await deps.offers.ensureForOrder(order.id, decision.offers, now, exposures);
    if (result.created && order.email) await deps.customers.indexOffers(order.email, result.offers);
    if (result.created) await deps.scheduleEmails?.(result.offers);
    return result;
  }

  async function ensureOffers(order: Order): Promise<{ created: boolean; offers: Offer[] }> {
    if (!isPaid(order, deps.paidStatuses)) return { created: false, offers: [] };
    return readOrDecide(order, false);
  }

  async function revoke(orderId: number): Promise<OrderOutcome> {
    await deps.offers.revokeOrder(orderId, deps.clock());
    await deps.onRevoked?.(orderId);
    await deps.cobuy?.withdraw(orderId);
    return 'revoked';
  }

  return {
    ensureOffers,

    /** Applies one order event (a webhook or a reconciliation sweep) to its offers. */
    async applyOrder(order: Order): Promise<OrderOutcome> {
      await deps.onOrder?.(order);
      if (deps.consentMetaKey) await deps.customers.setConsent(order.id, isConsent(order.meta[deps.consentMetaKey]));
      if (REVOKING_STATUSES.has(order.status)) return revoke(order.id);
      if (!isPaid(order, deps.paidStatuses)) return 'not_paid';
      await recordPurchases(order, deps.clock());
      await deps.cobuy?.record(order);
      await deps.onPaid?.(order);
      const { created, offers } = await readOrDecide(order, true);
      // Re-scheduling is idempotent (one job id per offer; a memo stops a second send), and
      // repairs an email whose scheduling was lost after its decision was stored.
      if (!created) await deps.scheduleEmails?.(offers);
      return created ? 'offered' : 'already_decided';
    },

    /** An order moved to the trash (`order.deleted`). */
    applyDeleted: revoke,
  };
}
