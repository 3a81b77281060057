import { AppError } from '../errors';
import type { Catalog } from './catalog.service';
import type { Offer } from './offer';
import { emailDeadline } from './offer-email-schedule';
import { neverAccepted, type Mailer } from '../integrations/mail/mailer';
import type { CustomerStore } from '../storage/customer-store';
import type { OfferEmailStore } from '../storage/offer-email-store';
import type { OfferStore } from '../storage/offer-store';
import type { RuleStore } from '../storage/rule-store';
import { renderOfferEmail } from '../views/offer-email';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long an email waits when a better email of the same customer is due first (ms). */
export const QUEUED_WAIT_MS = 15_000;

export interface OfferEmailSettings {
  from: string;
  unsubscribeMailto: string;
  /** At most one offer email per customer per this many days; 0 = no cap. */
  capDays: number;
  /** Emails go only to orders whose consent meta said yes (the store set a consent meta key). */
  consentRequired: boolean;
  defaultLocale: string;
  /** Host of the service's public URL, the right-hand side of Message-IDs. */
  messageIdHost: string;
  /** The shop as buyers know it, for the "why you get this" line. */
  storeName: string;
}

export interface OfferEmailDeps {
  offers: Pick<OfferStore, 'get'>;
  rules: Pick<RuleStore, 'get'>;
  customers: Pick<CustomerStore, 'hash' | 'isUnsubscribed' | 'consent' | 'boughtSince' | 'releaseEmailSlot'>;
  store: Pick<OfferEmailStore, 'takeSlot' | 'markEmailed' | 'close' | 'markFailed' | 'beginSend' | 'abortSend'>;
  catalog: Pick<Catalog, 'products'>;
  mailer: Pick<Mailer, 'send'>;
  /** Absolute links: the offer link signed until `expiresAt`, and the unsubscribe page. */
  links: { offer(offerId: string, expiresAt: Date): string; unsubscribe(offerId: string, emailHash: string): string };
  clock: () => Date;
  settings: OfferEmailSettings;
  /** Milliseconds the email may wait for product names missing from the cache. */
  productBudgetMs: number;
  /** Told how every run ended: its outcome, or the error it failed with (metrics). */
  observe?: (result: { outcome: EmailOutcome } | { error: unknown }) => void;
  /** Tests only: runs right after the memo is written, to play a worker that dies before acknowledging its job. */
  afterAccepted?: (offerId: string) => Promise<void> | void;
}

/** What one run of `offer.email` did; `deferred` asks the job to run again in `ms`. */
export type EmailOutcome =
  | { kind: 'sent' | 'already_sent' | 'uncertain' }
  | { kind: 'not_pending' | 'skipped' | 'dropped'; reason: string }
  | { kind: 'deferred'; reason: 'capped' | 'queued'; ms: number };

/**
 * Sends one offer email at its time, at most once. Before sending it re-checks everything that
 * may have changed since the offer was made; after the mail server accepted the message it
 * writes the memo (`emailedAt`) in the same script as the state change and the counter.
 *
 * Between handing the message to SMTP and writing the memo a worker may die (SIGKILL, OOM,
 * lost Redis): the message may or may not have been accepted. A "sending" mark written before
 * the SMTP conversation closes that window: a retry that finds the mark without the memo does
 * not send again and counts the email as `email_uncertain`. The trade-off is deliberate: a
 * buyer never gets the same offer twice, and an email lost in that narrow window (rare: the
 * worker died during one SMTP exchange) stays visible in the funnel rather than silent. SMTP
 * cannot do better: a server gives no way to ask whether it already accepted a message.
 *
 * A send that fails without the worker dying takes the mark back whenever the failure proves
 * the server did not accept the message (`neverAccepted`): a refusal code, or a conversation
 * that broke before the message's final `.` was written (no connection, greeting timeout, TLS,
 * EHLO, login, envelope, halfway through the content). The job's retry then sends it. Only a
 * break between writing that final `.` and reading its reply keeps the mark: that email is
 * counted uncertain, never sent twice.
 */
export function createOfferEmailService(deps: OfferEmailDeps) {
  const { settings } = deps;
  const capMs = settings.capDays * DAY_MS;

  /** Why the email must not go any more, or null. The reads are independent: one round trip. */
  async function recheck(offer: Offer & { email: string }): Promise<string | null> {
    const [unsubscribed, consent, bought] = await Promise.all([
      deps.customers.isUnsubscribed(offer.email),
      settings.consentRequired ? deps.customers.consent(offer.orderId) : Promise.resolve(true),
      deps.customers.boughtSince(offer.email, offer.productIds, offer.issuedAt),
    ]);
    if (unsubscribed) return 'unsubscribed';
    // No delivery told us about consent (null) is no consent.
    if (consent !== true) return 'no_consent';
    if (bought) return 'bought';
    return null;
  }

  async function close(offer: Offer, state: 'revoked' | 'expired', reason: string, now: Date): Promise<EmailOutcome> {
    const metric = state === 'revoked' ? 'email_skipped' : 'email_dropped';
    await deps.store.close(offer, { state, reason, metric, now });
    return { kind: state === 'revoked' ? 'skipped' : 'dropped', reason };
  }

  /** Renders and sends the email, then writes the memo; gives the capped slot back if it will not go. */
  async function deliver(offer: Offer & { email: string }, expiresAt: Date, lastAttempt: boolean): Promise<EmailOutcome> {
    const messageId = `<${offer.id}@${settings.messageIdHost}>`;
    try {
      const products = await deps.catalog.products(offer.productIds, deps.productBudgetMs);
      const unsubscribeUrl = deps.links.unsubscribe(offer.id, deps.customers.hash(offer.email));
      const rendered = renderOfferEmail({
        offer,
        expiresAt,
        locale: offer.locale ?? settings.defaultLocale,
        products,
        link: deps.links.offer(offer.id, expiresAt),
        unsubscribeUrl,
        storeName: settings.storeName,
      });
      const begun = await deps.store.beginSend(offer, deps.clock());
      if (begun === 'sent') return { kind: 'already_sent' };
      if (begun === 'uncertain') return { kind: 'uncertain' };
      if (begun === 'gone') return { kind: 'not_pending', reason: 'gone' };
      try {
        await deps.mailer.send({
          from: settings.from,
          to: offer.email,
          ...rendered,
          messageId,
          headers: {
            // RFC 2369 + RFC 8058: mail clients show "unsubscribe" and POST to the URL in one click.
            'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:${settings.unsubscribeMailto}?subject=unsubscribe>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
          tag: offer.id,
        });
      } catch (err) {
        // A refusal, or a break before the message's end was written, proves nothing went out:
        // a retry may send it. A break while its reply was awaited keeps the mark.
        if (neverAccepted(err)) await deps.store.abortSend(offer);
        throw err;
      }
    } catch (err) {
      const permanent = err instanceof AppError && err.permanent;
      // The slot was taken for an email that will not go: the next one may have it.
      if (permanent || lastAttempt) await deps.customers.releaseEmailSlot(offer.email, offer.id);
      if (permanent) await deps.store.markFailed(offer, { now: deps.clock(), code: (err as AppError).reason ?? err.code });
      throw err;
    }
    await deps.store.markEmailed(offer, { now: deps.clock(), messageId, expiresAt });
    await deps.afterAccepted?.(offer.id);
    return { kind: 'sent' };
  }

  /** One run of `send`, unobserved. */
  async function run(offerId: string, attempt: { lastAttempt: boolean }): Promise<EmailOutcome> {
    const offer = await deps.offers.get(offerId);
    if (!offer || offer.channel !== 'email' || !offer.email) return { kind: 'not_pending', reason: 'gone' };
    const target = offer as Offer & { email: string };
    if (offer.emailedAt) return { kind: 'already_sent' };
    if (offer.emailFailedAt) return { kind: 'not_pending', reason: 'failed' };
    // A cancelled, refunded or trashed order revoked its offers (REVOKE_ORDER), so this state
    // check is also the "order not refunded" check; expired and emailed offers stop here too.
    if (offer.state !== 'issued') return { kind: 'not_pending', reason: offer.state };

    const now = deps.clock();
    const deadline = emailDeadline(offer, settings.capDays);
    if (now.getTime() > deadline) return close(offer, 'expired', 'late', now);
    const [skip, rule] = await Promise.all([recheck(target), deps.rules.get(offer.ruleId)]);
    if (skip) return close(offer, 'revoked', skip, now);
    // The offer's own expiry counts from sending; a deleted rule leaves the provisional one.
    const expiresAt = rule ? new Date(now.getTime() + rule.expiresAfterHours * HOUR_MS) : new Date(offer.expiresAt);
    if (expiresAt.getTime() <= now.getTime()) return close(offer, 'expired', 'late', now);

    if (capMs > 0) {
      const slot = await deps.store.takeSlot(target, capMs, now);
      if (slot.kind === 'queued') return { kind: 'deferred', reason: 'queued', ms: QUEUED_WAIT_MS };
      if (slot.kind === 'capped') {
        if (now.getTime() + slot.waitMs > deadline) return close(offer, 'expired', 'capped', now);
        // A second past the cap's end, so the retry finds the slot free.
        return { kind: 'deferred', reason: 'capped', ms: slot.waitMs + 1_000 };
      }
    }
    return deliver(target, expiresAt, attempt.lastAttempt);
  }

  return {
    /**
     * Runs the email of `offerId`: sends it, or says why not, or asks to wait (the cap).
     * @throws AppError `upstream_unavailable` (retry) or `upstream_rejected` (recorded, no retry)
     */
    async send(offerId: string, attempt: { lastAttempt: boolean }): Promise<EmailOutcome> {
      try {
        const outcome = await run(offerId, attempt);
        deps.observe?.({ outcome });
        return outcome;
      } catch (error) {
        deps.observe?.({ error });
        throw error;
      }
    },
  };
}

export type OfferEmailService = ReturnType<typeof createOfferEmailService>;
