/**
 * The one place that builds Redis keys and owns their lifetimes. Every key starts with a hash
 * tag, `{namespace}:`, so that a Redis Cluster keeps all of Encore's keys in one slot and the
 * multi-key scripts stay legal there.
 */
export interface KeyTtls {
  /** Seconds an offer and the personal data around it outlive the offer's expiry. */
  retentionSeconds: number;
}

export const TTL = {
  /** Seconds an `Encore-Id` is remembered: twice the 300 s timestamp tolerance. */
  signedRequestIdSeconds: 600,
  /** Seconds a cached product summary (name, price, link) is reused. */
  productSeconds: 6 * 3600,
  /** Milliseconds one process may hold the coupon-creation lock of an offer. */
  couponLockMs: 15_000,
  /** Seconds of one click rate-limit window. */
  rateWindowSeconds: 60,
} as const;

/**
 * Seconds an order's co-purchase record (`orderCobuy`) is kept, refreshed on every change: ten
 * half-lives, after which the order counts less than 1/1000 of a fresh one, so a refund that
 * arrives later and no longer finds what to subtract leaves that little behind.
 */
export const cobuyOrderTtlSeconds = (halfLifeDays: number): number => Math.ceil(10 * halfLifeDays * 86_400);

export type Keys = ReturnType<typeof createKeys>;

/** Field of `orderOffers` holding the decision (JSON array of offer ids). */
export const DECISION_FIELD = 'ids';
/** Field of `orderOffers` claiming one rule and channel for one offer (value: the offer id). */
export const claimField = (ruleId: string, channel: string): string => `${ruleId}|${channel}`;
/** Field of `orderOffers` claiming the order's exposure to a rule's holdout (value: '1'). */
export const exposureClaimField = (ruleId: string): string => `${ruleId}|exposure`;

/** Builds the key set for one namespace (`encore` in production; a fresh one per test). */
export function createKeys(namespace: string, ttls: KeyTtls) {
  const p = `{${namespace}}:`;
  return {
    namespace,
    prefix: p,
    ttls,
    /** BullMQ's own prefix; BullMQ appends `:<queue>:…`, keeping the hash tag first. */
    bullPrefix: `${p}q`,
    rules: `${p}rules`,
    rulesByTrigger: (productId: number) => `${p}rules:trigger:${productId}`,
    orderSnapshot: (orderId: number) => `${p}order:${orderId}:snapshot`,
    /**
     * An order's decision and its claims, one small hash (listpack): field `ids` → the decision, a
     * JSON array of offer ids (absent until decided); `<ruleId>|<channel>` → the offer id that
     * claimed that rule and channel (HSETNX); `<ruleId>|exposure` → '1' once the order's exposure
     * to the rule's holdout is counted (HSETNX). TTL: the latest of the offers' expiry plus
     * retention and the exposure windows plus retention. A listpack while every value fits
     * Redis' `hash-max-listpack-value` (64 bytes by default: `ids` of up to 3 offers). Was a
     * string plus one key per claim; no migration, the service had not shipped.
     */
    orderOffers: (orderId: number) => `${p}order:${orderId}:offers`,
    /**
     * One offer: hash (listpack) of its fields without the id (the key's) and without empty or
     * zero values (and without `channel` when `thank_you`); `productIds` comma-separated,
     * `discount` `<type>|<amount>`; `issuedAt`, `expiresAt`, `sendAt`, `shownAt` and `emailedAt`
     * unix ms, the other stamps the scripts add (`clickedAt`, …) ISO 8601. TTL: the offer's
     * expiry plus retention.
     */
    offer: (offerId: string) => `${p}offer:${offerId}`,
    couponLock: (offerId: string) => `${p}offer:${offerId}:coupon-lock`,
    signedRequestId: (id: string) => `${p}seen:${id}`,
    clickRate: (ip: string, window: number) => `${p}rate:click:${ip}:${window}`,
    product: (productId: number) => `${p}product:${productId}`,
    /**
     * A customer's record (by email hash), one hash: what they bought (`<productId>` → last paid,
     * unix seconds), their offer emails still to send (`<offerId>` → `<priority>|<sendAt ms>|<deadline ms>`,
     * which decides which of several due emails takes the capped slot) and the offers made for
     * them (`o:<offerId>` → the offer key's expiry, unix ms; for privacy export and erasure).
     * See `customer-record.ts`. TTL: only grows; at least retention from the latest write and
     * until the latest indexed offer key expires. Were three keys (`…:purchases`,
     * `…:pending-emails`, `…:offers`); no migration, the service had not shipped.
     */
    customer: (emailHash: string) => `${p}customer:${emailHash}`,
    /** Set when an offer email went to this customer; lives for the frequency cap. */
    emailCap: (emailHash: string) => `${p}customer:${emailHash}:email-cap`,
    /**
     * A customer's holdout exposures still able to convert: hash `<ruleId>|<orderId>` →
     * `<group>|<window end ms>|<exposure day>|<product ids, comma-separated>|<exposing order paid ms>`.
     * TTL: the latest window plus retention.
     */
    customerExposures: (emailHash: string) => `${p}customer:${emailHash}:exposures`,
    /** Email hashes that unsubscribed from offer emails. No TTL: an unsubscribe is for good. */
    unsubscribed: `${p}unsubscribed`,
    /** The consent meta value of an order as last delivered ('1' or '0'). */
    orderConsent: (orderId: number) => `${p}order:${orderId}:consent`,
    /** Coupon code (lower case) → offer id, for attributing redemptions. TTL: the offer's. */
    couponOffer: (code: string) => `${p}coupon:${code}`,
    /** Offer ids with a coupon in WooCommerce, scored by coupon expiry (unix ms), for cleanup. */
    couponsByExpiry: `${p}coupons:by-expiry`,
    /** Where the reconciliation sweep continues: ISO 8601 UTC of the last order it saw. */
    reconcileCursor: `${p}reconcile:cursor`,
    /**
     * Funnel counters of one UTC day; fields are `<ruleId>|<channel>|<metric>`. No TTL. Every metric
     * (`issued`, `shown`, `clicked`, `redeemed`, `revoked`, …) is a count except `revenue:<CUR>`
     * (ISO 4217, e.g. `revenue:PLN`): an integer of ten-thousandths of CUR (`756500` = 75.65),
     * counted on the day the redeeming order was paid (`redeemed` too), minus refunds on the day
     * they arrive, so a day's value may be negative. Sum the days, then divide by 10,000.
     * Holdout experiments count under the `lift` pseudo-channel: `treated`, `control` (exposed
     * orders), `<group>_converted` and `<group>_revenue:<CUR>`, all on the exposure's day.
     */
    statsDay: (day: string) => `${p}stats:${day}`,
    /**
     * Products bought together with `productId`: sorted set, member = the other product id, score =
     * the sum of the time weights of the paid orders holding both (see `domain/cobuy.ts`). No TTL.
     */
    cobuy: (productId: number) => `${p}cobuy:${productId}`,
    /** What one order added to the co-purchase sets: `<time weight>|<weight applied>|<id,id,…>`. TTL: `cobuyOrderTtlSeconds`. */
    orderCobuy: (orderId: number) => `${p}order:${orderId}:cobuy`,
    /**
     * Offers that ever reached each state, store-wide: hash state → count. No TTL. Written by the
     * same scripts, in the same step, as the day counters; read by `/metrics`.
     */
    offerTotals: `${p}totals:offers`,
  };
}
