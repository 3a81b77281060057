import type { Order } from './order';
import type { OrderSnapshotStore } from '../storage/order-snapshot-store';
import type { Queues } from '../queue/queues';

/**
 * Accepting an order event: keep the newest snapshot, then queue `order.evaluate` with the
 * order id only. Resolves once both are in Redis, which is when the webhook may answer 202.
 */
export function createOrderIngest(deps: {
  snapshots: OrderSnapshotStore;
  queues: Pick<Queues, 'add'>;
  /** Lets the commands this delivery sends leave in one write (`coalesceWrites`); optional. */
  coalesce?: () => void;
}) {
  return {
    async accept(order: Order): Promise<void> {
      // One job per order version: a repeated delivery of the same version is a no-op while the
      // job exists, and the order's stored decision makes it a no-op after BullMQ has removed it too.
      const version = `${order.modifiedAt ? Date.parse(order.modifiedAt) : 0}-${order.status}`;
      // Both writes go out together (one round trip instead of two): the snapshot is sent first
      // on the same connection (as EVAL, which cannot bounce), so Redis stores it before the job
      // exists, and the caller still hears back only once both are in Redis.
      deps.coalesce?.();
      const saved = deps.snapshots.save(order);
      const queued = deps.queues.add('order.evaluate', { orderId: order.id, event: 'upserted' }, `order-${order.id}-${version}`);
      await Promise.all([saved, queued]);
    },

    async acceptDeleted(orderId: number): Promise<void> {
      deps.coalesce?.();
      await deps.queues.add('order.evaluate', { orderId, event: 'deleted' }, `order-${orderId}-deleted-${Date.now()}`);
    },
  };
}

export type OrderIngest = ReturnType<typeof createOrderIngest>;
