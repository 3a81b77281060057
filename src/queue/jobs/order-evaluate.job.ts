import { z } from 'zod';
import type { OfferService } from '../../domain/offer.service';
import type { Order } from '../../domain/order';
import type { OrderSnapshotStore } from '../../storage/order-snapshot-store';
import type { JobDefinition } from '../job-definition';

export interface OrderEvaluateDeps {
  offers: OfferService;
  snapshots: OrderSnapshotStore;
  /** The order as the store has it now (REST), or null when it has none. */
  fetchOrder: (orderId: number) => Promise<Order | null>;
}

/**
 * `order.evaluate`: applies the latest snapshot of an order (or its deletion) to its offers.
 * Without a snapshot (it expired, or a Redis failure lost the write that went out with the
 * job, whose delivery was then answered 503), the order is read from the store instead: the
 * job never fails for want of a snapshot, which would also block its job id for a week.
 */
export function orderEvaluateJob(deps: OrderEvaluateDeps): JobDefinition<'order.evaluate'> {
  return {
    name: 'order.evaluate',
    schema: z.object({ orderId: z.number().int().positive(), event: z.enum(['upserted', 'deleted']) }).strict(),
    async handle({ orderId, event }) {
      if (event === 'deleted') return deps.offers.applyDeleted(orderId);
      const order = (await deps.snapshots.get(orderId)) ?? (await deps.fetchOrder(orderId));
      if (!order) return 'not_in_store';
      return deps.offers.applyOrder(order);
    },
  };
}
