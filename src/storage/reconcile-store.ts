import type { RedisClient } from './redis';
import type { Keys } from './keys';
import { runScript } from './lua';

/** Where the reconciliation sweep continues. No TTL: losing it only means a shorter look-back. */
export interface ReconcileStore {
  /** ISO 8601 UTC (`…Z`), or null before the first sweep stored one. */
  cursor(): Promise<string | null>;
  /** Moves the cursor to `iso` unless it is already there or later. Returns whether it moved. */
  advance(iso: string): Promise<boolean>;
}

/**
 * Forward only: two sweeps that overlap (a manual run beside the scheduled one) can finish in
 * any order, and the later finisher must not move the cursor back. ISO UTC compares as text.
 */
const ADVANCE = `
local current = redis.call('GET', KEYS[1])
if current and current >= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** The sweep cursor under `keys.reconcileCursor`. */
export function createReconcileStore(redis: RedisClient, keys: Keys): ReconcileStore {
  return {
    cursor: () => redis.get(keys.reconcileCursor),
    async advance(iso) {
      const moved = await runScript(redis, ADVANCE, 1, keys.reconcileCursor, new Date(iso).toISOString());
      return moved === 1;
    },
  };
}
