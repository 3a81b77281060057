import { AppError } from '../errors';
import { couponCodeFor, landingUrl } from './coupon';
import { offerAvailability, type Offer } from './offer';
import { looksLikeScanner, type Visitor } from './scanner';
import type { OfferStore } from '../storage/offer-store';
import type { WooClient } from '../integrations/woocommerce/woo-client';

export interface OfferLinkDeps {
  offers: OfferStore;
  woo: Pick<WooClient, 'createCoupon' | 'findCouponByCode'>;
  verifyToken: (token: string) => { offerId: string };
  /** Serialises coupon creation per offer across requests and processes; `waited` when another went first. */
  lockCoupon: <T>(offerId: string, fn: (waited: boolean) => Promise<T>) => Promise<T>;
  storeUrl: string;
  clock: () => Date;
  /** Opens of an emailed link this soon after sending, without Encore's cookie, count as scanners. */
  scannerWindowSeconds: number;
}

/** Where an open leads: the store, or a "continue" page when it looked automated. */
export type OpenResult = { kind: 'redirect'; url: string } | { kind: 'confirm' };

const GONE_MESSAGES = {
  expired: 'This offer has expired.',
  revoked: 'This offer has been withdrawn.',
  used: 'This offer has already been used.',
} as const;

/**
 * What happens when a buyer opens an offer link. Opening is repeatable and never burns the
 * link (mail scanners open links before people do); the coupon is created in WooCommerce
 * on the first open only, and never before.
 */
export function createOfferLinkService(deps: OfferLinkDeps) {
  async function liveOffer(token: string): Promise<Offer> {
    const { offerId } = deps.verifyToken(token);
    const offer = await deps.offers.get(offerId);
    if (!offer) throw new AppError('not_found', 'This offer link is not valid.');
    const availability = offerAvailability(offer, deps.clock());
    if (availability !== 'live') throw new AppError('gone', GONE_MESSAGES[availability], { reason: availability });
    return offer;
  }

  async function ensureCoupon(offer: Offer): Promise<string> {
    if (offer.couponCode) return offer.couponCode;
    return deps.lockCoupon(offer.id, async (waited) => {
      const current = await deps.offers.get(offer.id);
      if (!current) throw new AppError('not_found', 'This offer link is not valid.');
      if (current.couponCode) return current.couponCode;
      // The request that went first failed against WooCommerce: answer "try again" now rather
      // than make this buyer wait a second full timeout (the page promises an answer in 10 s).
      if (waited) throw new AppError('upstream_unavailable', 'The shop did not answer; try again.', { retryAfterSeconds: 5 });
      const code = couponCodeFor(offer.id);
      const coupon = await createOrFind(current, code);
      await deps.offers.setCoupon(offer.id, coupon.code, coupon.id, current.expiresAt);
      return coupon.code;
    });
  }

  /** WooCommerce's duplicate check is not atomic, and a timed-out create may have landed: look before creating twice. */
  async function createOrFind(offer: Offer, code: string): Promise<{ id: number; code: string }> {
    try {
      return await deps.woo.createCoupon({
        code,
        discountType: offer.discount.type,
        amount: offer.discount.amount,
        productIds: offer.productIds,
        emailRestrictions: offer.email ? [offer.email] : [],
        usageLimit: 1,
        usageLimitPerUser: 1,
        individualUse: true,
        expiresAt: new Date(offer.expiresAt),
        offerId: offer.id,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
      const existing = await deps.woo.findCouponByCode(code);
      if (!existing) throw new AppError('upstream_unavailable', 'The store reported the coupon but could not find it.');
      return existing;
    }
  }

  return {
    /** Checks a link without side effects (HEAD requests, previews). */
    check: liveOffer,

    /**
     * Records the open, makes sure the coupon exists, and returns where to send the buyer. An
     * open that looks automated (and was not `confirmed` by a person pressing the button on
     * the "continue" page) is counted as `scanned` and uses nothing up.
     */
    async open(token: string, visitor: Visitor, confirmed: boolean): Promise<OpenResult> {
      const offer = await liveOffer(token);
      const now = deps.clock();
      if (!confirmed && looksLikeScanner(offer, visitor, now, deps.scannerWindowSeconds)) {
        await deps.offers.recordScan(offer.id, now);
        return { kind: 'confirm' };
      }
      await deps.offers.recordClick(offer.id, now);
      const code = await ensureCoupon(offer);
      return { kind: 'redirect', url: landingUrl(deps.storeUrl, offer, code) };
    },
  };
}

export type OfferLinkService = ReturnType<typeof createOfferLinkService>;
