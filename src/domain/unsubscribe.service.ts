import { AppError } from '../errors';
import type { OfferTokenClaims } from '../security/offer-token';
import type { CustomerStore } from '../storage/customer-store';
import type { OfferEmailStore } from '../storage/offer-email-store';
import type { OfferStore } from '../storage/offer-store';

/** `aud` of unsubscribe tokens: an offer link never passes as one, nor the other way round. */
export const UNSUBSCRIBE_AUDIENCE = 'encore-unsubscribe';

/** Unsubscribe links outlive offers by far: people unsubscribe from old emails (days). */
export const UNSUBSCRIBE_TOKEN_DAYS = 730;

/** The claim holding the customer's email hash (never the address). */
export const EMAIL_HASH_CLAIM = 'eh';

const EMAIL_HASH = /^[0-9a-f]{32}$/;

export interface UnsubscribeDeps {
  /** Verifies an unsubscribe token (audience `encore-unsubscribe`). */
  verifyToken: (token: string) => OfferTokenClaims;
  customers: Pick<CustomerStore, 'unsubscribe'>;
  offers: Pick<OfferStore, 'get'>;
  store: Pick<OfferEmailStore, 'countUnsubscribe'>;
  clock: () => Date;
}

/**
 * Unsubscribing from offer emails through the link in every email. The token names the
 * offer whose email carried it and the customer's email hash; the hash is all that is
 * stored. Thank-you page offers are not affected.
 */
export function createUnsubscribeService(deps: UnsubscribeDeps) {
  function read(token: string): { offerId: string; emailHash: string } {
    const claims = deps.verifyToken(token);
    const emailHash = claims.extra?.[EMAIL_HASH_CLAIM];
    if (!emailHash || !EMAIL_HASH.test(emailHash)) throw new AppError('not_found', 'This unsubscribe link is not valid.');
    return { offerId: claims.offerId, emailHash };
  }

  /** The locale of the email that carried the link, when its offer is still kept. */
  const localeOf = async (offerId: string): Promise<string | null> => (await deps.offers.get(offerId))?.locale ?? null;

  return {
    /**
     * Checks a link without changing anything (the confirmation page).
     * @throws AppError `not_found` (or `gone`) when the token is not a valid unsubscribe token
     */
    async check(token: string): Promise<{ locale: string | null }> {
      const { offerId } = read(token);
      return { locale: await localeOf(offerId) };
    },

    /**
     * Unsubscribes the customer at once. Counts `<rule>|email|unsubscribes` only when they
     * were not unsubscribed yet, so repeated clicks and mail clients' one-click POSTs count once.
     */
    async unsubscribe(token: string): Promise<{ locale: string | null; newly: boolean }> {
      const { offerId, emailHash } = read(token);
      const newly = await deps.customers.unsubscribe(emailHash);
      const offer = await deps.offers.get(offerId);
      if (newly && offer) await deps.store.countUnsubscribe(offer.ruleId, deps.clock());
      return { locale: offer?.locale ?? null, newly };
    },
  };
}

export type UnsubscribeService = ReturnType<typeof createUnsubscribeService>;
