import { compareDecimal } from './money';
import type { OfferDraft } from './offer';
import { productIdsInOrder, type Order } from './order';
import { ruleChannels, type Rule } from './rule';

export interface DecideInput {
  order: Order;
  /** Candidate rules, typically those indexed under the order's products. */
  rules: Rule[];
  maxOffers: number;
  now: Date;
  newOfferId: () => string;
}

const HOUR_MS = 3_600_000;

/** Highest priority first; ties go to the older rule, then the id, so the order is total. */
export function byPriority(a: Rule, b: Rule): number {
  return b.priority - a.priority || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** True when `rule` is switched on, reaches a channel and is triggered by `order`. */
export function ruleMatches(rule: Rule, order: Order, owned: ReadonlySet<number>): boolean {
  return (
    rule.enabled &&
    ruleChannels(rule).length > 0 &&
    rule.trigger.productIds.some((id) => owned.has(id)) &&
    compareDecimal(order.total, rule.trigger.minOrderTotal) >= 0
  );
}

/**
 * Decides the offers for one paid order. Pure: the same input gives the same offers.
 * A product already in the order is never offered; when several rules offer the same
 * product the highest priority keeps it; at most `maxOffers` offers, one per rule.
 */
export function decideOffers({ order, rules, maxOffers, now, newOfferId }: DecideInput): OfferDraft[] {
  const owned = productIdsInOrder(order);
  const taken = new Set<number>();
  const drafts: OfferDraft[] = [];
  for (const rule of [...rules].sort(byPriority)) {
    if (drafts.length >= maxOffers) break;
    if (!ruleMatches(rule, order, owned)) continue;
    const productIds = rule.offer.productIds.filter((id) => !owned.has(id) && !taken.has(id));
    if (productIds.length === 0) continue;
    productIds.forEach((id) => taken.add(id));
    drafts.push({
      id: newOfferId(),
      orderId: order.id,
      ruleId: rule.id,
      kind: rule.kind,
      productIds,
      discount: rule.offer.discount,
      channels: ruleChannels(rule),
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + rule.expiresAfterHours * HOUR_MS).toISOString(),
      email: order.email,
      customerId: order.customerId,
      currency: order.currency,
      locale: order.locale ?? null,
    });
  }
  return drafts;
}
