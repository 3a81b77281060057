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

export type Keys = ReturnType<typeof createKeys>;

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
    orderOffers: (orderId: number) => `${p}order:${orderId}:offers`,
    orderClaim: (orderId: number, ruleId: string) => `${p}order:${orderId}:claim:${ruleId}`,
    offer: (offerId: string) => `${p}offer:${offerId}`,
    couponLock: (offerId: string) => `${p}offer:${offerId}:coupon-lock`,
    signedRequestId: (id: string) => `${p}seen:${id}`,
    clickRate: (ip: string, window: number) => `${p}rate:click:${ip}:${window}`,
    product: (productId: number) => `${p}product:${productId}`,
    /** Funnel counters of one UTC day; fields are `<ruleId>|<channel>|<metric>`. No TTL. */
    statsDay: (day: string) => `${p}stats:${day}`,
  };
}
