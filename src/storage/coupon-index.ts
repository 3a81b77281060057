import type { RedisClient } from './redis';
import type { Keys } from './keys';

/**
 * Encore's index of the coupons it created in WooCommerce, written with the coupon itself
 * (`SET_COUPON`): code → offer id, to attribute an order that used one, and offer ids by
 * coupon expiry, to delete the ones that expired unused.
 */
export interface CouponIndex {
  /** The offer a coupon code was made for, or null when Encore does not know the code. */
  offerFor(code: string): Promise<string | null>;
  /** Up to `limit` offer ids whose coupon expired at or before `beforeMs` (unix ms), oldest first. */
  due(beforeMs: number, limit: number): Promise<string[]>;
  /** Drops an offer whose coupon needs no more attention. */
  forget(offerId: string): Promise<void>;
  /**
   * Moves an entry that failed behind the others, still due at `dueMs`: a few coupons that keep
   * failing never fill the whole batch of a run. No-op when the entry is gone.
   */
  postpone(offerId: string, dueMs: number): Promise<void>;
}

export function createCouponIndex(redis: RedisClient, keys: Keys): CouponIndex {
  return {
    async offerFor(code) {
      return redis.get(keys.couponOffer(code.toLowerCase()));
    },
    async due(beforeMs, limit) {
      return redis.zrangebyscore(keys.couponsByExpiry, '-inf', beforeMs, 'LIMIT', 0, limit);
    },
    async forget(offerId) {
      await redis.zrem(keys.couponsByExpiry, offerId);
    },
    async postpone(offerId, dueMs) {
      await redis.zadd(keys.couponsByExpiry, 'XX', dueMs, offerId);
    },
  };
}
