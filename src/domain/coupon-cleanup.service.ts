import { AppError } from '../errors';
import type { WooClient } from '../integrations/woocommerce/woo-client';
import type { Logger } from '../logger';
import type { CouponIndex } from '../storage/coupon-index';
import type { OfferStore } from '../storage/offer-store';
import { couponCodeFor } from './coupon';

export interface CouponCleanupDeps {
  coupons: Pick<CouponIndex, 'due' | 'forget' | 'postpone'>;
  offers: Pick<OfferStore, 'get'>;
  woo: Pick<WooClient, 'findCouponByCode' | 'deleteCoupon'>;
  clock: () => Date;
  logger: Logger;
  /** Milliseconds after a coupon's expiry before it is deleted. Default 1 h. */
  graceMs?: number;
  /** Coupons looked at per run, count. Default 100. */
  batchSize?: number;
}

/** How many coupons a run deleted, left in place (used, redeemed), found gone, or failed on. */
export interface CleanupReport {
  deleted: number;
  kept: number;
  gone: number;
  failed: number;
}

/**
 * The grace covers clocks that disagree and a checkout that applied the coupon just before
 * its expiry and is still being paid: WooCommerce counts a use only once the order is placed.
 */
export const CLEANUP_GRACE_MS = 3_600_000;
export const CLEANUP_BATCH = 100;
/** Failures in a row after which the store counts as down and the run stops (and is retried). */
const MAX_FAILURES_IN_A_ROW = 3;

type Handled = Exclude<keyof CleanupReport, 'failed'>;

/**
 * Coupon hygiene: deletes Encore's coupons that expired unused, so the store's coupon list
 * does not fill with dead codes. A coupon that was used is left alone (it belongs to an order).
 * One failing coupon is retried on the next run without holding up the others; a store that
 * does not answer fails the run with its (retryable) error.
 */
export function createCouponCleanup(deps: CouponCleanupDeps) {
  const graceMs = deps.graceMs ?? CLEANUP_GRACE_MS;
  const batchSize = deps.batchSize ?? CLEANUP_BATCH;

  async function handle(offerId: string): Promise<Handled> {
    const offer = await deps.offers.get(offerId);
    if (offer?.state === 'redeemed') {
      await deps.coupons.forget(offerId);
      return 'kept';
    }
    // Codes are deterministic per offer: an offer erased since still names its coupon.
    const coupon = await deps.woo.findCouponByCode(offer?.couponCode ?? couponCodeFor(offerId));
    if (!coupon || (coupon.offerId !== null && coupon.offerId !== offerId)) {
      await deps.coupons.forget(offerId);
      return 'gone';
    }
    if (coupon.usageCount > 0) {
      // Used by an order Encore may not have seen (yet): deleting it would break that order's records.
      deps.logger.info({ offerId, couponId: coupon.id }, 'used coupon kept');
      await deps.coupons.forget(offerId);
      return 'kept';
    }
    await deps.woo.deleteCoupon(coupon.id);
    await deps.coupons.forget(offerId);
    return 'deleted';
  }

  return {
    /** One bounded pass over the coupons that expired more than the grace ago. */
    async run(): Promise<CleanupReport> {
      const cutoff = deps.clock().getTime() - graceMs;
      const report: CleanupReport = { deleted: 0, kept: 0, gone: 0, failed: 0 };
      let lastError: AppError | null = null;
      let inARow = 0;
      for (const offerId of await deps.coupons.due(cutoff, batchSize)) {
        try {
          report[await handle(offerId)] += 1;
          inARow = 0;
        } catch (err) {
          // Anything but a WooCommerce answer (a Redis failure, a bug) fails the run as it is.
          if (!(err instanceof AppError)) throw err;
          report.failed += 1;
          lastError = err;
          inARow += 1;
          deps.logger.warn({ offerId, error: err.code, reason: err.message }, 'coupon cleanup failed; retried next run');
          await deps.coupons.postpone(offerId, cutoff);
          if (inARow >= MAX_FAILURES_IN_A_ROW) throw err;
        }
      }
      // Nothing succeeded: the store is down or refuses us; let the queue retry with backoff.
      if (lastError && report.deleted + report.kept + report.gone === 0) throw lastError;
      return report;
    },
  };
}

export type CouponCleanup = ReturnType<typeof createCouponCleanup>;
