import type { LiftStore } from '../storage/lift-store';
import { matchConversions } from './exposure';
import type { Order } from './order';

/**
 * Holdout conversions: a buyer's later paid order, delivered by a webhook or a sweep, converts
 * the pending exposures whose products it holds. The thank-you summary does not come here: the
 * same order's webhook follows it, and one path per order keeps the count honest.
 */
export function createLiftService(deps: { lift: Pick<LiftStore, 'pending' | 'convert'>; clock: () => Date }) {
  return {
    /** Counts what `order` converts (each exposure once); returns how many it counted. */
    async recordConversions(order: Order): Promise<number> {
      if (!order.email) return 0;
      const pending = await deps.lift.pending(order.email);
      if (Object.keys(pending).length === 0) return 0;
      const { conversions, dropped } = matchConversions(order, pending, deps.clock());
      return deps.lift.convert(order.email, conversions, dropped);
    },
  };
}

export type LiftService = ReturnType<typeof createLiftService>;
