import { z } from 'zod';
import { AppError } from '../../errors';
import type { OfferService } from '../../domain/offer.service';
import type { OrderSnapshotStore } from '../../storage/order-snapshot-store';
import type { JobDefinition } from '../job-definition';

/** `order.evaluate`: applies the latest snapshot of an order (or its deletion) to its offers. */
export function orderEvaluateJob(deps: { offers: OfferService; snapshots: OrderSnapshotStore }): JobDefinition<'order.evaluate'> {
  return {
    name: 'order.evaluate',
    schema: z.object({ orderId: z.number().int().positive(), event: z.enum(['upserted', 'deleted']) }).strict(),
    async handle({ orderId, event }) {
      if (event === 'deleted') return deps.offers.applyDeleted(orderId);
      const order = await deps.snapshots.get(orderId);
      if (!order) throw new AppError('not_found', `No stored snapshot of order ${orderId}; it expired before evaluation.`);
      return deps.offers.applyOrder(order);
    },
  };
}
