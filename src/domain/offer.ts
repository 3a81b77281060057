import type { Channel, Discount, RuleKind } from './rule';

export const OFFER_STATES = ['issued', 'shown', 'clicked', 'redeemed', 'expired', 'revoked'] as const;
export type OfferState = (typeof OFFER_STATES)[number];

/** States in which an offer can still be opened and used. */
export const LIVE_STATES: ReadonlySet<OfferState> = new Set(['issued', 'shown', 'clicked']);

/**
 * One rule applied to one paid order on one channel. Holds the buyer's email: stored with a
 * TTL only. An email offer's expiry counts from its sending; until then it is provisional.
 */
export interface Offer {
  id: string;
  orderId: number;
  ruleId: string;
  kind: RuleKind;
  productIds: number[];
  discount: Discount;
  channel: Channel;
  /** The rule's priority when the offer was made: orders competing emails. */
  priority: number;
  state: OfferState;
  /** ISO 8601 UTC. */
  issuedAt: string;
  expiresAt: string;
  /** Email offers: when the email is due, ISO 8601 UTC; null on the thank-you page. */
  sendAt: string | null;
  /** Email offers: when the email was accepted by the mail server. */
  emailedAt: string | null;
  /** Email offers: when the mail server refused the email for good (5xx); it is never retried. */
  emailFailedAt?: string | null;
  email: string | null;
  customerId: number;
  currency: string;
  locale: string | null;
  couponCode: string | null;
  couponId: number | null;
  clicks: number;
}

export type OfferDraft = Omit<Offer, 'state' | 'couponCode' | 'couponId' | 'clicks' | 'emailedAt' | 'emailFailedAt'>;

/** What a buyer may do with an offer link at `now`: its state and expiry decide. */
export function offerAvailability(offer: Pick<Offer, 'state' | 'expiresAt'>, now: Date): 'live' | 'expired' | 'revoked' | 'used' {
  if (offer.state === 'revoked') return 'revoked';
  if (offer.state === 'redeemed') return 'used';
  if (offer.state === 'expired' || Date.parse(offer.expiresAt) <= now.getTime()) return 'expired';
  return 'live';
}
