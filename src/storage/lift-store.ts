import type { RedisClient } from './redis';
import { emailHash } from '../domain/customer';
import { encodePending, pendingField, type Conversion } from '../domain/exposure';
import type { Exposure } from '../domain/offer-decision';
import type { Order } from '../domain/order';
import { exposureClaimField, type Keys } from './keys';
import { runScript } from './lua';

/** The stats-day field of a lift counter: `<ruleId>|lift|<metric>`. */
export const liftField = (ruleId: string, metric: string): string => `${ruleId}|lift|${metric}`;

/**
 * Counts conversions once. KEYS: the customer's pending exposures, then the stats day of each
 * conversion. ARGV: the number of conversions, then (field, value as read, converted counter,
 * revenue counter, revenue units) per conversion, then (field, value) pairs to drop. A
 * pending entry is removed and counted only while it still holds the value read, so two
 * deliveries racing on the same purchase count it once. Returns how many were counted.
 */
const CONVERT = `
local m = tonumber(ARGV[1])
local counted = 0
for i = 1, m do
  local b = 2 + 5 * (i - 1)
  if redis.call('HGET', KEYS[1], ARGV[b]) == ARGV[b + 1] then
    redis.call('HDEL', KEYS[1], ARGV[b])
    redis.call('HINCRBY', KEYS[1 + i], ARGV[b + 2], 1)
    redis.call('HINCRBY', KEYS[1 + i], ARGV[b + 3], ARGV[b + 4])
    counted = counted + 1
  end
end
for i = 2 + 5 * m, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return counted
`;

/**
 * Holdout exposures and their conversions. Exposures are written by the offer decision's own
 * script (see `writes`), so an order's exposures count exactly when its offers are decided;
 * conversions are counted here when the buyer's later paid orders arrive.
 */
export function createLiftStore(redis: RedisClient, keys: Keys) {
  const hash = (email: string) => emailHash(keys.namespace, email);
  const retentionMs = keys.ttls.retentionSeconds * 1000;

  return {
    /**
     * The extra KEYS and ARGV of `ENSURE_OFFERS` that record the `exposures` of `order`, counted
     * on the UTC day of `now` (the decision's stats day).
     */
    writes(order: Pick<Order, 'id' | 'paidAt'>, email: string, exposures: Exposure[], now: Date): { keys: string[]; args: string[] } {
      const orderId = order.id;
      const day = now.toISOString().slice(0, 10);
      const startsMs = order.paidAt ? Date.parse(order.paidAt) : now.getTime();
      const pendingKey = keys.customerExposures(hash(email));
      const out = { keys: [] as string[], args: [String(exposures.length)] };
      for (const exposure of exposures) {
        const keepUntil = Math.max(Date.parse(exposure.windowEndsAt), now.getTime()) + retentionMs;
        // The claim itself is a field of the order's hash, ENSURE_OFFERS' first key.
        out.keys.push(pendingKey);
        out.args.push(
          exposureClaimField(exposure.ruleId),
          String(keepUntil),
          liftField(exposure.ruleId, exposure.group),
          pendingField(exposure.ruleId, orderId),
          encodePending(exposure, day, startsMs),
          String(keepUntil - now.getTime()),
        );
      }
      return out;
    },

    /** The customer's pending exposures, field → value (see `keys.customerExposures`). */
    async pending(email: string): Promise<Record<string, string>> {
      return redis.hgetall(keys.customerExposures(hash(email)));
    },

    /** Counts `conversions` and removes them and `dropped` from the pending ones. Returns how many counted. */
    async convert(email: string, conversions: Conversion[], dropped: { field: string; value: string }[]): Promise<number> {
      if (conversions.length === 0 && dropped.length === 0) return 0;
      const keyList = [keys.customerExposures(hash(email)), ...conversions.map((c) => keys.statsDay(c.day))];
      const args: string[] = [String(conversions.length)];
      for (const c of conversions) {
        args.push(c.field, c.value, liftField(c.ruleId, `${c.group}_converted`), liftField(c.ruleId, `${c.group}_revenue:${c.currency}`), String(c.revenueUnits));
      }
      dropped.forEach((d) => args.push(d.field, d.value));
      return (await runScript(redis, CONVERT, keyList.length, ...keyList, ...args)) as number;
    },

    /** Forgets the customer's pending exposures (privacy erasure); counters stay. Returns how many went. */
    async erase(email: string): Promise<number> {
      const key = keys.customerExposures(hash(email));
      const [[, count]] = (await redis.multi().hlen(key).del(key).exec()) as [[null, number], [null, number]];
      return count;
    },
  };
}

export type LiftStore = ReturnType<typeof createLiftStore>;
