import type { Offer } from './offer';
import type { CustomerStore } from '../storage/customer-store';
import type { LiftStore } from '../storage/lift-store';
import { decodePending } from './exposure';
import type { OfferStore } from '../storage/offer-store';
import type { PrivacyStore } from '../storage/privacy-store';

/** One group of exported data, in the shape WordPress's personal-data exporter expects. */
export interface ExportGroup {
  group: string;
  id: string;
  items: { name: string; value: string }[];
}

export interface PrivacyDeps {
  customers: Pick<CustomerStore, 'offerIds' | 'profile' | 'erase'>;
  offers: Pick<OfferStore, 'get'>;
  erasure: PrivacyStore;
  /** Cancels an offer's pending email, if any. */
  cancelEmail: (offerId: string) => Promise<void>;
  /** The customer's pending holdout exposures (which rule's experiment an order was in). */
  exposures?: Pick<LiftStore, 'pending' | 'erase'>;
}

const offerItems = (o: Offer): ExportGroup['items'] => [
  { name: 'Order', value: String(o.orderId) },
  { name: 'Channel', value: o.channel },
  { name: 'State', value: o.state },
  { name: 'Products', value: o.productIds.join(', ') },
  { name: 'Discount', value: `${o.discount.amount} (${o.discount.type})` },
  { name: 'Issued', value: o.issuedAt },
  { name: 'Expires', value: o.expiresAt },
  { name: 'Emailed', value: o.emailedAt ?? '' },
  { name: 'Link opens', value: String(o.clicks) },
  { name: 'Coupon', value: o.couponCode ?? '' },
];

/** WordPress's privacy tools, for one email address: export what is held, or erase it. */
export function createPrivacyService(deps: PrivacyDeps) {
  async function offersOf(email: string): Promise<Offer[]> {
    const ids = await deps.customers.offerIds(email);
    const offers = await Promise.all(ids.map((id) => deps.offers.get(id)));
    return offers.filter((o): o is Offer => o !== null && o.email?.toLowerCase() === email.toLowerCase());
  }

  async function exposureGroups(email: string): Promise<ExportGroup[]> {
    const pending = (await deps.exposures?.pending(email)) ?? {};
    return Object.entries(pending).flatMap(([field, value]) => {
      const e = decodePending(field, value);
      if (!e) return [];
      const items = [
        { name: 'Order', value: String(e.orderId) },
        { name: 'Rule', value: e.ruleId },
        { name: 'Group', value: e.group === 'control' ? 'control (no offer shown)' : 'treated (offer shown)' },
        { name: 'Products', value: e.productIds.join(', ') },
        { name: 'Measured until', value: new Date(e.windowEndsMs).toISOString() },
      ];
      return [{ group: 'encore-holdout', id: field, items }];
    });
  }

  return {
    async exportData(email: string): Promise<ExportGroup[]> {
      const [offers, profile] = await Promise.all([offersOf(email), deps.customers.profile(email)]);
      const groups: ExportGroup[] = offers.map((o) => ({ group: 'encore-offers', id: o.id, items: offerItems(o) }));
      const purchases = Object.entries(profile.purchases).map(([productId, at]) => ({ name: `Product ${productId}`, value: at }));
      if (purchases.length > 0) groups.push({ group: 'encore-purchases', id: 'purchases', items: purchases });
      groups.push(...(await exposureGroups(email)));
      if (profile.unsubscribed) {
        groups.push({ group: 'encore-preferences', id: 'email', items: [{ name: 'Offer emails', value: 'unsubscribed' }] });
      }
      return groups;
    },

    /** Removes the offers (pending emails first) and every trace of the address; returns how many items went. */
    async erase(email: string): Promise<number> {
      const offers = await offersOf(email);
      for (const offer of offers) if (offer.channel === 'email') await deps.cancelEmail(offer.id);
      const removed = await deps.erasure.eraseOffers(offers);
      const profile = await deps.customers.profile(email);
      await deps.customers.erase(email);
      const exposures = (await deps.exposures?.erase(email)) ?? 0;
      return removed + exposures + Object.keys(profile.purchases).length + (profile.unsubscribed ? 1 : 0);
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
