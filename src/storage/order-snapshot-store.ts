import type { RedisClient } from './redis';
import type { Order } from '../domain/order';
import type { Keys } from './keys';

/**
 * The latest accepted version of each order, between the webhook and the worker. Jobs carry
 * only the order id: the buyer's data stays here, under a TTL, and never in BullMQ.
 */
export interface OrderSnapshotStore {
  /** Keeps `order` unless a newer modification of it is already stored. Returns whether it was kept. */
  save(order: Order): Promise<boolean>;
  get(orderId: number): Promise<Order | null>;
  /**
   * For each order, whether a snapshot of this modification (or a newer one) is already
   * stored: the reconciliation sweep feeds only the others. One MGET for the whole page.
   */
  seen(orders: Pick<Order, 'id' | 'modifiedAt'>[]): Promise<boolean[]>;
}

/** Seconds a snapshot waits for its job: long enough for an outage of the workers. */
export const SNAPSHOT_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Deliveries arrive out of order: keep the newest `modifiedAt` (ISO UTC compares as text). A
 * stored snapshot Lua cannot decode never blocks a newer delivery: it is replaced.
 */
const SAVE_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current and ARGV[2] ~= '' then
  local ok, decoded = pcall(cjson.decode, current)
  local stored = ok and type(decoded) == 'table' and decoded.modifiedAt
  if type(stored) == 'string' and stored > ARGV[2] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
`;

export function createOrderSnapshotStore(redis: RedisClient, keys: Keys): OrderSnapshotStore {
  return {
    async save(order) {
      // EVAL, not EVALSHA: ingest sends this together with the job on the same connection and
      // relies on Redis running it first; a NOSCRIPT bounce and resend would reorder the two.
      // The script is a few hundred bytes next to a multi-KB order.
      const kept = await redis.eval(
        SAVE_IF_NEWER,
        1,
        keys.orderSnapshot(order.id),
        JSON.stringify(order),
        order.modifiedAt ?? '',
        String(SNAPSHOT_TTL_SECONDS),
      );
      return kept === 1;
    },
    async get(orderId) {
      const json = await redis.get(keys.orderSnapshot(orderId));
      return json ? (JSON.parse(json) as Order) : null;
    },
    async seen(orders) {
      if (orders.length === 0) return [];
      const stored = await redis.mget(...orders.map((o) => keys.orderSnapshot(o.id)));
      return orders.map((order, i) => {
        const json = stored[i];
        if (!json) return false;
        const at = (JSON.parse(json) as Order).modifiedAt;
        // ISO UTC strings compare as text; an order without a time counts as seen once stored.
        return order.modifiedAt === null || (typeof at === 'string' && at >= order.modifiedAt);
      });
    },
  };
}
