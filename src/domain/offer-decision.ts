import { holdoutGroup, type HoldoutGroup } from './holdout';
import { compareDecimal } from './money';
import type { OfferDraft } from './offer';
import { productIdsInOrder, type Order } from './order';
import { ruleChannels, type Channel, type Rule } from './rule';

export interface DecideInput {
  order: Order;
  /** Candidate rules, typically those indexed under the order's products. */
  rules: Rule[];
  /** Most offers per order and channel. */
  maxOffers: number;
  now: Date;
  newOfferId: () => string;
  /** Products learned for each `bought_together` rule (rule id → product ids, best first); none when absent. */
  learned?: ReadonlyMap<string, readonly number[]>;
  /** The store's URL: seeds the holdout split. Without it no order is held out. */
  storeUrl?: string;
}

/**
 * One order's place in one rule's holdout experiment: the products it was offered (treated)
 * or would have been (control), on any channel, and when the last of those offers ends.
 */
export interface Exposure {
  ruleId: string;
  group: HoldoutGroup;
  productIds: number[];
  /** ISO 8601 UTC: the latest expiry of the rule's offers for the order, made or withheld. */
  windowEndsAt: string;
}

export interface Decision {
  offers: OfferDraft[];
  /** Only rules with a holdout, only orders with an email (a buyer who can be followed). */
  exposures: Exposure[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Highest priority first; ties go to the older rule, then the id, so the order is total. */
export function byPriority(a: Rule, b: Rule): number {
  return b.priority - a.priority || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** True when `rule` is switched on and triggered by `order`. */
export function ruleMatches(rule: Rule, order: Order, owned: ReadonlySet<number>): boolean {
  return (
    rule.enabled &&
    rule.trigger.productIds.some((id) => owned.has(id)) &&
    compareDecimal(order.total, rule.trigger.minOrderTotal) >= 0
  );
}

/** Units of the rule's trigger products in the order (a line matches by product or variation). */
export function triggerQuantity(rule: Rule, order: Order): number {
  const triggers = new Set(rule.trigger.productIds);
  return order.items
    .filter((item) => triggers.has(item.productId) || (item.variationId > 0 && triggers.has(item.variationId)))
    .reduce((sum, item) => sum + item.quantity, 0);
}

/** Latest a replenishment email is due, days after payment (ten years). */
export const MAX_REPLENISH_DAYS = 3650;

/**
 * When a rule's email is due: after `delayHours`, or for consumables when the bought
 * quantity runs out — paid time + quantity × daysPerUnit − leadDays, at most
 * `MAX_REPLENISH_DAYS` after payment (never before `now`).
 */
export function emailSendAt(rule: Rule, order: Order, now: Date): Date {
  const email = rule.channels.email;
  const paid = order.paidAt ? Date.parse(order.paidAt) : now.getTime();
  let at = paid;
  if (email?.replenish) {
    const { daysPerUnit, leadDays } = email.replenish;
    // Capped: a large quantity times a long daysPerUnit would pass the largest Date (±8.64e15 ms).
    at = paid + Math.min(triggerQuantity(rule, order) * daysPerUnit - leadDays, MAX_REPLENISH_DAYS) * DAY_MS;
  } else if (email?.delayHours !== undefined) {
    at = paid + email.delayHours * HOUR_MS;
  }
  return new Date(Math.max(at, now.getTime()));
}

/** The products a rule offers: named by the merchant, or learned from paid orders for `bought_together`. */
export function offeredProducts(rule: Rule, learned: DecideInput['learned']): readonly number[] {
  return rule.kind === 'bought_together' ? (learned?.get(rule.id) ?? []) : (rule.offer.productIds ?? []);
}

function decideChannel(channel: Channel, input: DecideInput, owned: ReadonlySet<number>): OfferDraft[] {
  const { order, now, maxOffers, newOfferId } = input;
  const taken = new Set<number>();
  const drafts: OfferDraft[] = [];
  for (const rule of [...input.rules].sort(byPriority)) {
    if (drafts.length >= maxOffers) break;
    if (!ruleChannels(rule).includes(channel) || !ruleMatches(rule, order, owned)) continue;
    const productIds = offeredProducts(rule, input.learned).filter((id) => !owned.has(id) && !taken.has(id));
    if (productIds.length === 0) continue;
    productIds.forEach((id) => taken.add(id));
    const sendAt = channel === 'email' ? emailSendAt(rule, order, now) : null;
    const startsAt = sendAt ?? now;
    drafts.push({
      id: newOfferId(),
      orderId: order.id,
      ruleId: rule.id,
      kind: rule.kind,
      productIds,
      discount: rule.offer.discount,
      channel,
      priority: rule.priority,
      issuedAt: now.toISOString(),
      expiresAt: new Date(startsAt.getTime() + rule.expiresAfterHours * HOUR_MS).toISOString(),
      sendAt: sendAt?.toISOString() ?? null,
      email: order.email,
      customerId: order.customerId,
      currency: order.currency,
      locale: order.locale ?? null,
    });
  }
  return drafts;
}

/**
 * Decides the offers for one paid order. Pure: the same input gives the same offers.
 * Per channel: a product already in the order is never offered; when several rules offer
 * the same product the highest priority keeps it; at most `maxOffers` offers, one per rule.
 * Email offers need an email address.
 */
export function decideOffers(input: DecideInput): OfferDraft[] {
  return decideOffersAndExposures(input).offers;
}

/**
 * `decideOffers` with the rules' holdouts applied. A rule that holds the order out (see
 * `holdoutGroup`) makes no offer on any channel, yet its would-be offers stay in the decision
 * unseen: they keep their products and their place among `maxOffers`, so every other rule
 * offers exactly what it would have — the only difference between the groups is this rule.
 */
export function decideOffersAndExposures(input: DecideInput): Decision {
  const owned = productIdsInOrder(input.order);
  const channels: Channel[] = input.order.email ? ['thank_you', 'email'] : ['thank_you'];
  const drafts = channels.flatMap((channel) => decideChannel(channel, input, owned));
  const rules = new Map(input.rules.map((rule) => [rule.id, rule]));
  const groupOf = (ruleId: string): HoldoutGroup =>
    input.storeUrl ? holdoutGroup(input.storeUrl, input.order.id, rules.get(ruleId) ?? { id: ruleId }) : 'treated';
  const exposures = new Map<string, Exposure>();
  for (const draft of drafts) {
    if (!input.order.email || !(rules.get(draft.ruleId)?.holdoutPercent ?? 0)) continue;
    const seen = exposures.get(draft.ruleId);
    if (!seen) {
      exposures.set(draft.ruleId, { ruleId: draft.ruleId, group: groupOf(draft.ruleId), productIds: [...draft.productIds], windowEndsAt: draft.expiresAt });
      continue;
    }
    seen.productIds.push(...draft.productIds.filter((id) => !seen.productIds.includes(id)));
    if (draft.expiresAt > seen.windowEndsAt) seen.windowEndsAt = draft.expiresAt;
  }
  return { offers: drafts.filter((draft) => groupOf(draft.ruleId) === 'treated'), exposures: [...exposures.values()] };
}
