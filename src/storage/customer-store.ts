import type { RedisClient } from './redis';
import { emailHash } from '../domain/customer';
import type { Offer } from '../domain/offer';
import type { Keys } from './keys';
import { runScript } from './lua';
import { INDEX_OFFERS, isPurchaseField, OFFER_INDEX_PREFIX, paidSeconds, RECORD_PURCHASES } from './customer-record';

/**
 * What Encore remembers about a customer, keyed by the hash of their email: what they
 * bought (for "already owns" checks), whether they unsubscribed, and when they last got an
 * offer email (the frequency cap). Also each order's consent as last delivered.
 */
export function createCustomerStore(redis: RedisClient, keys: Keys) {
  const hash = (email: string) => emailHash(keys.namespace, email);
  const retention = keys.ttls.retentionSeconds;

  return {
    hash,

    /**
     * Records that `email` bought `productIds` at `paidAt` (ISO); keeps the latest time per product,
     * stored in unix seconds (see `paidSeconds`).
     */
    async recordPurchases(email: string, productIds: number[], paidAt: string): Promise<void> {
      if (productIds.length === 0) return;
      const paid = String(paidSeconds(paidAt));
      const args = productIds.flatMap((id) => [String(id), paid]);
      await runScript(redis, RECORD_PURCHASES, 1, keys.customer(hash(email)), String(retention * 1000), ...args);
    },

    /** True when `email` bought any of `productIds` after `since` (ISO). */
    async boughtSince(email: string, productIds: number[], since: string): Promise<boolean> {
      if (productIds.length === 0) return false;
      const sinceMs = Date.parse(since);
      const times = await redis.hmget(keys.customer(hash(email)), ...productIds.map(String));
      return times.some((t) => t !== null && Number(t) * 1000 > sinceMs);
    },

    /** Those of `productIds` that `email` ever bought (as far as the purchase record goes back). */
    async purchasedAmong(email: string, productIds: number[]): Promise<Set<number>> {
      if (productIds.length === 0) return new Set();
      const times = await redis.hmget(keys.customer(hash(email)), ...productIds.map(String));
      return new Set(productIds.filter((_, i) => times[i] !== null));
    },

    /**
     * Remembers which offers were made for `email` (privacy export and erasure find them here),
     * each until its offer key expires (`expiresAt` plus retention).
     */
    async indexOffers(email: string, offers: Pick<Offer, 'id' | 'expiresAt'>[]): Promise<void> {
      if (offers.length === 0) return;
      const args = offers.flatMap((o) => [String(Date.parse(o.expiresAt) + retention * 1000), o.id]);
      await runScript(redis, INDEX_OFFERS, 1, keys.customer(hash(email)), ...args);
    },

    /** The offers made for `email` (the record's `o:<offerId>` fields), gone ones included until trimmed. */
    async offerIds(email: string): Promise<string[]> {
      const fields = await redis.hkeys(keys.customer(hash(email)));
      return fields.filter((f) => f.startsWith(OFFER_INDEX_PREFIX)).map((f) => f.slice(OFFER_INDEX_PREFIX.length));
    },

    /**
     * Everything kept about the customer apart from their offers: purchases (product id → last
     * paid, ISO 8601) and unsubscription. Pending emails belong to the offers (see `offerIds`).
     */
    async profile(email: string): Promise<{ purchases: Record<string, string>; unsubscribed: boolean }> {
      const h = hash(email);
      const [record, unsubscribed] = await Promise.all([redis.hgetall(keys.customer(h)), redis.sismember(keys.unsubscribed, h)]);
      const purchases = Object.entries(record)
        .filter(([field]) => isPurchaseField(field))
        .map(([productId, paid]) => [productId, new Date(Number(paid) * 1000).toISOString()]);
      return { purchases: Object.fromEntries(purchases), unsubscribed: unsubscribed === 1 };
    },

    /** Forgets the customer: the record (purchases, pending emails, offer index), email cap and unsubscription. Counters stay. */
    async erase(email: string): Promise<void> {
      const h = hash(email);
      await redis
        .multi()
        .del(keys.customer(h), keys.emailCap(h))
        .srem(keys.unsubscribed, h)
        .exec();
    },

    /** Adds the customer to the unsubscribed set; true when they were not in it yet. */
    async unsubscribe(emailHashValue: string): Promise<boolean> {
      return (await redis.sadd(keys.unsubscribed, emailHashValue)) === 1;
    },

    async isUnsubscribed(email: string): Promise<boolean> {
      return (await redis.sismember(keys.unsubscribed, hash(email))) === 1;
    },

    /** Gives the slot back when the email it was taken for was not sent after all. */
    async releaseEmailSlot(email: string, offerId: string): Promise<void> {
      const key = keys.emailCap(hash(email));
      if ((await redis.get(key)) === offerId) await redis.del(key);
    },

    async setConsent(orderId: number, consent: boolean): Promise<void> {
      await redis.set(keys.orderConsent(orderId), consent ? '1' : '0', 'EX', retention);
    },

    /** The order's consent as last delivered by a webhook; null when never delivered. */
    async consent(orderId: number): Promise<boolean | null> {
      const value = await redis.get(keys.orderConsent(orderId));
      return value === null ? null : value === '1';
    },
  };
}

export type CustomerStore = ReturnType<typeof createCustomerStore>;
