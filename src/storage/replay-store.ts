import type { RedisClient } from './redis';
import { TTL, type Keys } from './keys';

/** Remembers the `Encore-Id`s of signed requests for the replay window. */
export interface ReplayStore {
  /** Records `id`; resolves true the first time, false when it was seen within the window. */
  markSeen(id: string): Promise<boolean>;
}

/**
 * A replay store on Redis: one `SET key 1 NX EX` per id, atomic across any number of API
 * processes. The key lives `TTL.signedRequestIdSeconds` (twice the timestamp tolerance), so
 * an id outlives every timestamp that could still pass the clock check.
 */
export function createReplayStore(redis: RedisClient, keys: Keys): ReplayStore {
  return {
    async markSeen(id) {
      const result = await redis.set(keys.signedRequestId(id), '1', 'EX', TTL.signedRequestIdSeconds, 'NX');
      return result === 'OK';
    },
  };
}
