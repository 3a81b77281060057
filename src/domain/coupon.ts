import type { Offer } from './offer';

/**
 * The coupon code of an offer: deterministic (so a retry or a second process looks up the
 * same code instead of creating another) and lower case (WooCommerce stores codes lower
 * case). The offer id's random part makes it unguessable.
 */
export const couponCodeFor = (offerId: string): string => `encore-${offerId.replace(/^of_/, '')}`.toLowerCase();

/** Whether a (lower-case) code has the shape of Encore's coupon codes: a cheap filter before any lookup. */
export const isEncoreCouponCode = (code: string): boolean => code.startsWith('encore-');

/** The store URL the shim turns into a cart: products to add and the coupon to apply. */
export function landingUrl(storeUrl: string, offer: Pick<Offer, 'productIds'>, couponCode: string): string {
  const url = new URL(`${storeUrl}/`);
  url.searchParams.set('encore_add', offer.productIds.join(','));
  url.searchParams.set('encore_coupon', couponCode);
  return url.toString();
}
