import { z } from 'zod';
import type { CouponCleanup } from '../../domain/coupon-cleanup.service';
import type { JobDefinition } from '../job-definition';

/**
 * `coupon.cleanup` (repeatable, on the `maintenance` queue): deletes Encore's coupons that
 * expired unused. The payload is empty; every run looks at what is due at that moment.
 */
export function couponCleanupJob(deps: { cleanup: CouponCleanup }): JobDefinition<'coupon.cleanup'> {
  return {
    name: 'coupon.cleanup',
    schema: z.record(z.string(), z.never()),
    async handle() {
      const r = await deps.cleanup.run();
      return `deleted ${r.deleted}, kept ${r.kept}, gone ${r.gone}, failed ${r.failed}`;
    },
  };
}
