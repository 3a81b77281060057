import type { FragmentOffer } from '../views/offer-fragment';
import type { Catalog } from './catalog.service';
import { offerAvailability } from './offer';
import type { OfferService } from './offer.service';
import type { Order } from './order';
import type { OfferStore } from '../storage/offer-store';

export interface ThankYouDeps {
  offerService: OfferService;
  offers: Pick<OfferStore, 'markShown'>;
  catalog: Catalog;
  /** Absolute link for an offer: `<public url>/o/<token>`. */
  linkFor: (offerId: string, expiresAt: Date) => string;
  clock: () => Date;
  /** Milliseconds the page may wait for product details missing from the cache. */
  productBudgetMs: number;
}

/**
 * The thank-you page's offers: ensures the order's offers (the same idempotent step the
 * webhook worker runs), keeps the live thank-you ones, and marks them shown.
 */
export function createThankYouService(deps: ThankYouDeps) {
  return {
    async offersFor(order: Order): Promise<FragmentOffer[]> {
      const { offers } = await deps.offerService.ensureOffers(order);
      const now = deps.clock();
      const visible = offers.filter((o) => o.channel === 'thank_you' && offerAvailability(o, now) === 'live');
      if (visible.length === 0) return [];
      const products = await deps.catalog.products(visible.flatMap((o) => o.productIds), deps.productBudgetMs);
      await deps.offers.markShown(visible, now);
      return visible.map((offer) => ({
        offer,
        link: deps.linkFor(offer.id, new Date(offer.expiresAt)),
        products: products.filter((p) => offer.productIds.includes(p.id)),
      }));
    },
  };
}

export type ThankYouService = ReturnType<typeof createThankYouService>;
