import type { RedisClient } from './redis';
import type { OfferState } from '../domain/offer';
import type { Redemption } from '../domain/redemption';
import type { Keys } from './keys';
import { COUNTER_FN } from './offer-scripts';
import { parseProductIds } from './offer-store';
import { runScript } from './lua';

/**
 * KEYS: offer, stats day of the redemption, totals; ARGV: order id, redeemed at ISO, revenue, refunded
 * (decimals), currency, net units (revenue − refunded, ten-thousandths). Only an open offer
 * becomes redeemed, once; the redemption and the net revenue count on that day. Returns 1, or
 * 0 when the offer is not open.
 */
const REDEEM_OFFER = COUNTER_FN + `
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'issued' and state ~= 'shown' and state ~= 'clicked' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'redeemed', 'redeemedAt', ARGV[2], 'redeemedOrderId', ARGV[1],
  'revenue', ARGV[3], 'revenueRefunded', ARGV[4], 'revenueCurrency', ARGV[5])
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'redeemed'), 1)
redis.call('HINCRBY', KEYS[3], 'redeemed', 1)
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'revenue:' .. ARGV[5]), ARGV[6])
return 1
`;

/**
 * KEYS: offer, stats day; ARGV: redeeming order id, `revenueRefunded` as the caller read it,
 * the new value, the units to add (negative takes revenue back). Compare-and-set, so that a
 * repeated or concurrent delivery never applies the same refund twice; the arithmetic is
 * done exactly by the caller (BigInt), none here. Returns 1, or 0 when the offer changed
 * since it was read (the caller re-reads).
 */
const ADJUST_REFUND = COUNTER_FN + `
local f = redis.call('HMGET', KEYS[1], 'redeemedOrderId', 'revenueRefunded', 'revenueCurrency')
if f[1] ~= ARGV[1] or f[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'revenueRefunded', ARGV[3])
redis.call('HINCRBY', KEYS[2], counter(KEYS[1], 'revenue:' .. f[3]), ARGV[4])
return 1
`;

/** An offer as attribution sees it. */
export interface RedemptionTarget {
  state: OfferState;
  productIds: number[];
  redemption: Redemption | null;
}

export interface RedemptionStore {
  load(offerId: string): Promise<RedemptionTarget | null>;
  /** Marks an open offer redeemed by `r.orderId`, counted on the UTC day of `r.redeemedAt`; false when it was not open any more. */
  redeem(offerId: string, r: Redemption & { netUnits: bigint }): Promise<boolean>;
  /** Moves `revenueRefunded` from `from` to `to`, adding `deltaUnits` to the day's revenue; false on a race. */
  adjustRefund(offerId: string, a: { orderId: number; from: string; to: string; deltaUnits: bigint }, now: Date): Promise<boolean>;
}

const day = (now: Date) => now.toISOString().slice(0, 10);

/** Redemptions and refunds of offers: each state change and its counters in one script. */
export function createRedemptionStore(redis: RedisClient, keys: Keys): RedemptionStore {
  return {
    async load(offerId) {
      const [state, productIds, orderId, redeemedAt, revenue, refunded, currency] = await redis.hmget(
        keys.offer(offerId),
        'state', 'productIds', 'redeemedOrderId', 'redeemedAt', 'revenue', 'revenueRefunded', 'revenueCurrency',
      );
      if (!state) return null;
      const redemption: Redemption | null = orderId
        ? { orderId: Number(orderId), redeemedAt: redeemedAt ?? '', revenue: revenue ?? '0.00', revenueRefunded: refunded ?? '0.00', currency: currency ?? '' }
        : null;
      return { state: state as OfferState, productIds: parseProductIds(productIds), redemption };
    },

    async redeem(offerId, r) {
      const args = [String(r.orderId), r.redeemedAt, r.revenue, r.revenueRefunded, r.currency, r.netUnits.toString()];
      return (await runScript(redis, REDEEM_OFFER, 3, keys.offer(offerId), keys.statsDay(day(new Date(r.redeemedAt))), keys.offerTotals, ...args)) === 1;
    },

    async adjustRefund(offerId, a, now) {
      const args = [String(a.orderId), a.from, a.to, a.deltaUnits.toString()];
      return (await runScript(redis, ADJUST_REFUND, 2, keys.offer(offerId), keys.statsDay(day(now)), ...args)) === 1;
    },
  };
}
