import { z } from 'zod';
import type { Reconciler } from '../../domain/reconcile.service';
import type { JobDefinition } from '../job-definition';

/**
 * `orders.reconcile` (queue `maintenance`, repeated every ENCORE_RECONCILE_MINUTES): sweeps the
 * store for orders whose webhook never arrived and re-activates disabled Encore webhooks. A
 * store that is down fails the attempt with a retryable error and leaves the cursor where it was.
 */
export function ordersReconcileJob(deps: { reconciler: Pick<Reconciler, 'run'> }): JobDefinition<'orders.reconcile'> {
  return {
    name: 'orders.reconcile',
    // No payload: the cursor in Redis says where to continue.
    schema: z.record(z.string(), z.never()),
    handle: () => deps.reconciler.run(),
  };
}
