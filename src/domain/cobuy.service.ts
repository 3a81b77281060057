import { COBUY_EPOCH_MS, cobuyProducts, cobuyWeight, decayedSupport, rankCandidates, remainingShare, type Support } from './cobuy';
import { ruleMatches } from './offer-decision';
import { productIdsInOrder, type Order } from './order';
import type { Rule } from './rule';
import type { CobuyStore } from '../storage/cobuy-store';
import type { CustomerStore } from '../storage/customer-store';

/**
 * Most co-purchased products read per trigger. A product outside a trigger's top list can
 * still matter only by summing over several triggers; it is not considered.
 */
export const COBUY_READ_LIMIT = 100;

export interface CobuyServiceDeps {
  store: CobuyStore;
  /** Past purchases of the buyer, by email, to leave out what they already have. */
  customers: Pick<CustomerStore, 'purchasedAmong'>;
  /** `ENCORE_COBUY_HALF_LIFE_DAYS`, days. */
  halfLifeDays: number;
  clock: () => Date;
}

export type CobuyService = ReturnType<typeof createCobuyService>;

/** Learning "bought together" from paid orders, and reading it back for `bought_together` rules. */
export function createCobuyService(deps: CobuyServiceDeps) {
  return {
    /** Counts a paid order's pairs, scaled by the share not refunded. Idempotent. */
    async record(order: Order): Promise<void> {
      const now = deps.clock().getTime();
      // A payment time the store got wrong (a year 9999 would overflow the weight, 1970 underflow
      // it) counts as paid now, or at EPOCH: the weight stays finite and positive.
      const paid = order.paidAt ? Date.parse(order.paidAt) : now;
      const paidAt = new Date(Math.min(Math.max(paid, COBUY_EPOCH_MS), now));
      await deps.store.apply(order.id, {
        products: cobuyProducts(order),
        weight: cobuyWeight(paidAt, deps.halfLifeDays),
        share: remainingShare(order),
      });
    },

    /** Takes back everything a cancelled, refunded, failed or trashed order added. Idempotent. */
    async withdraw(orderId: number): Promise<void> {
      await deps.store.withdraw(orderId);
    },

    /**
     * For each enabled `bought_together` rule the order triggers: the products most bought with
     * the order's trigger products (supports summed over them), at least `minSupport`, never one
     * the buyer has in this order or bought before, best `top` first. Rules without a candidate
     * are left out.
     */
    async learnedProducts(order: Order, rules: Rule[]): Promise<Map<string, number[]>> {
      const owned = productIdsInOrder(order);
      const learning = rules.filter((r) => r.kind === 'bought_together' && r.offer.fromHistory && ruleMatches(r, order, owned));
      const out = new Map<string, number[]>();
      if (learning.length === 0) return out;

      const triggersOf = new Map(learning.map((rule) => [rule.id, presentTriggers(rule, order)]));
      const scored = await deps.store.topWith([...triggersOf.values()].flat(), COBUY_READ_LIMIT);
      const now = deps.clock();
      const supports = new Map<number, Support[]>();
      for (const [productId, list] of scored) {
        supports.set(
          productId,
          list.map(({ productId: id, score }) => ({ productId: id, support: decayedSupport(score, now, deps.halfLifeDays) })),
        );
      }
      const candidates = [...new Set([...supports.values()].flat().map((s) => s.productId))].filter((id) => !owned.has(id));
      const bought = order.email ? await deps.customers.purchasedAmong(order.email, candidates) : new Set<number>();
      const exclude = new Set([...owned, ...bought]);

      for (const rule of learning) {
        const { top, minSupport } = rule.offer.fromHistory!;
        const perTrigger = triggersOf.get(rule.id)!.map((id) => supports.get(id) ?? []);
        const ranked = rankCandidates(perTrigger, { exclude, minSupport, top });
        if (ranked.length > 0) out.set(rule.id, ranked);
      }
      return out;
    },
  };
}

/** The parent products of the order's lines that hold one of the rule's triggers (by product or variation). */
function presentTriggers(rule: Rule, order: Order): number[] {
  const triggers = new Set(rule.trigger.productIds);
  const present = order.items
    .filter((item) => item.productId > 0 && (triggers.has(item.productId) || (item.variationId > 0 && triggers.has(item.variationId))))
    .map((item) => item.productId);
  return [...new Set(present)];
}
