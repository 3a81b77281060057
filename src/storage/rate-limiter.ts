import type { RedisClient } from './redis';
import { TTL, type Keys } from './keys';

/** Fixed one-minute windows per client IP: one INCR, and an expiry on the first hit. */
export function createClickRateLimiter(redis: RedisClient, keys: Keys, limitPerWindow: number) {
  return {
    /** Counts a hit; resolves false once `ip` has used up the current window. */
    async allow(ip: string, now: Date): Promise<boolean> {
      const window = Math.floor(now.getTime() / 1000 / TTL.rateWindowSeconds);
      const key = keys.clickRate(ip.slice(0, 64), window);
      const [[, count]] = (await redis.multi().incr(key).expire(key, TTL.rateWindowSeconds, 'NX').exec()) as [[null, number], unknown];
      return count <= limitPerWindow;
    },
  };
}

export type ClickRateLimiter = ReturnType<typeof createClickRateLimiter>;
