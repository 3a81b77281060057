import type { RedisClient } from './redis';
import { emailHash } from '../domain/customer';
import type { Offer } from '../domain/offer';
import type { Keys } from './keys';
import { runScript } from './lua';

/**
 * Adds offer ids to a customer's offer index. KEYS: the index; ARGV: (offer key expiry ms, id)
 * pairs. First drops the ids whose offer keys have expired (by Redis' own clock, the one that
 * expires them); a score only ever grows (GT: an emailed offer lives longer). The index then
 * expires with its latest member.
 */
const INDEX_OFFERS = `
local t = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (t[1] * 1000 + math.floor(t[2] / 1000)))
for i = 1, #ARGV, 2 do redis.call('ZADD', KEYS[1], 'GT', ARGV[i], ARGV[i + 1]) end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then redis.call('PEXPIREAT', KEYS[1], last[2]) end
return 1
`;

/** A field of the customer record (`keys.customer`) that holds a purchase: a product id. */
export const isPurchaseField = (field: string): boolean => /^\d+$/.test(field);

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
     * stored as unix ms (a listpack keeps it as an integer: 10 bytes rather than 26).
     */
    async recordPurchases(email: string, productIds: number[], paidAt: string): Promise<void> {
      if (productIds.length === 0) return;
      const key = keys.customer(hash(email));
      const paidMs = Date.parse(paidAt);
      const current = await redis.hmget(key, ...productIds.map(String));
      const newer = productIds.filter((_, i) => !current[i] || Number(current[i]) < paidMs);
      const tx = redis.multi();
      if (newer.length > 0) tx.hset(key, Object.fromEntries(newer.map((id) => [String(id), String(paidMs)])));
      await tx.expire(key, retention).exec();
    },

    /** True when `email` bought any of `productIds` after `since` (ISO). */
    async boughtSince(email: string, productIds: number[], since: string): Promise<boolean> {
      if (productIds.length === 0) return false;
      const sinceMs = Date.parse(since);
      const times = await redis.hmget(keys.customer(hash(email)), ...productIds.map(String));
      return times.some((t) => t !== null && Number(t) > sinceMs);
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
      await runScript(redis, INDEX_OFFERS, 1, keys.customerOffers(hash(email)), ...args);
    },

    async offerIds(email: string): Promise<string[]> {
      return redis.zrange(keys.customerOffers(hash(email)), 0, -1);
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
        .map(([productId, paidMs]) => [productId, new Date(Number(paidMs)).toISOString()]);
      return { purchases: Object.fromEntries(purchases), unsubscribed: unsubscribed === 1 };
    },

    /** Forgets the customer: purchases, email cap, pending emails, offer index and unsubscription. Counters stay. */
    async erase(email: string): Promise<void> {
      const h = hash(email);
      await redis
        .multi()
        .del(keys.customer(h), keys.emailCap(h), keys.customerOffers(h))
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
