import type { RedisClient } from './redis';
import type { Offer } from '../domain/offer';
import type { Keys } from './keys';

/**
 * Deletes what Encore holds about given offers: the offers themselves, their coupon index
 * entries and the snapshots and consent of their orders (which carry the email). Funnel
 * counters are aggregates without personal data and stay.
 */
export function createPrivacyStore(redis: RedisClient, keys: Keys) {
  return {
    async eraseOffers(offers: Offer[]): Promise<number> {
      if (offers.length === 0) return 0;
      const tx = redis.multi();
      for (const offer of offers) {
        tx.del(keys.offer(offer.id), keys.orderSnapshot(offer.orderId), keys.orderConsent(offer.orderId));
        if (offer.couponCode) tx.del(keys.couponOffer(offer.couponCode));
        tx.zrem(keys.couponsByExpiry, offer.id);
      }
      await tx.exec();
      return offers.length;
    },
  };
}

export type PrivacyStore = ReturnType<typeof createPrivacyStore>;
