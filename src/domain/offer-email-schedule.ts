import type { Offer } from './offer';
import type { Queues } from '../queue/queues';
import type { OfferEmailStore } from '../storage/offer-email-store';
import type { OfferStore } from '../storage/offer-store';

const DAY_MS = 86_400_000;

/** An email waits for the frequency cap at most this many caps past its due time. */
export const CAP_WAITS = 3;

/**
 * The BullMQ job id of an offer's email: one per offer, so scheduling again adds nothing. The
 * offer id itself (`of_…`: no `:`, never an integer, which BullMQ refuses): the `emails` queue
 * holds nothing else, and the id is stored three times per waiting email (the job's key, its
 * `opts`, the delayed set). Was `offer-email-<offer id>`; no migration, the service had not shipped.
 */
export const emailJobId = (offerId: string): string => offerId;

/**
 * BullMQ priority of an offer's email: lower runs first, 1 … 2^21. Rule priorities run
 * −1000 … 1000, so 1001 − priority keeps their order (1000 → 1, −1000 → 2001).
 */
export const emailJobPriority = (rulePriority: number): number =>
  Math.min(2 ** 21, Math.max(1, 1001 - Math.round(rulePriority)));

/**
 * Until when (unix ms) an unsent email is still worth sending: its provisional expiry, or —
 * when the frequency cap makes it wait — up to `CAP_WAITS` caps after it was due.
 */
export function emailDeadline(offer: Pick<Offer, 'sendAt' | 'expiresAt'>, capDays: number): number {
  const expiry = Date.parse(offer.expiresAt);
  const due = offer.sendAt ? Date.parse(offer.sendAt) : expiry;
  return Math.max(expiry, due + CAP_WAITS * capDays * DAY_MS);
}

/** An email offer whose email has yet to go: issued, never emailed nor refused, with an address. */
export const isPendingEmail = (offer: Offer): boolean =>
  offer.channel === 'email' && offer.state === 'issued' && !offer.emailedAt && !offer.emailFailedAt && Boolean(offer.email);

export interface EmailSchedulerDeps {
  queues: Pick<Queues, 'add' | 'remove'>;
  store: Pick<OfferEmailStore, 'register' | 'forget'>;
  offers: Pick<OfferStore, 'forOrder'>;
  clock: () => Date;
  capDays: number;
}

/**
 * Puts offer emails on the `emails` queue as delayed jobs due at their `sendAt`, and takes
 * them off when their order is cancelled or refunded. Both are safe to repeat.
 */
export function createEmailScheduler(deps: EmailSchedulerDeps) {
  return {
    /**
     * The offer service's `scheduleEmails` hook: called with an order's offers when they are
     * made and on every later paid delivery. One job id per offer makes a repeat a no-op while
     * the job exists; once it is gone the offer is no longer pending (emailed, skipped, failed)
     * and is filtered out here.
     */
    async schedule(offers: Offer[]): Promise<void> {
      const pending = offers.filter(isPendingEmail);
      if (pending.length === 0) return;
      const now = deps.clock().getTime();
      await deps.store.register(
        pending.map((o) => ({
          offerId: o.id,
          email: o.email!,
          priority: o.priority,
          sendAtMs: Date.parse(o.sendAt ?? '') || now,
          deadlineMs: emailDeadline(o, deps.capDays),
        })),
      );
      for (const offer of pending) {
        const delay = Math.max(0, (Date.parse(offer.sendAt ?? '') || now) - now);
        await deps.queues.add('offer.email', { offerId: offer.id }, emailJobId(offer.id), {
          delay,
          priority: emailJobPriority(offer.priority),
        });
      }
    },

    /**
     * The offer service's `onRevoked` hook: removes the order's pending email jobs. A job
     * already running is not removed; it re-reads the offer, finds it revoked, and sends nothing.
     */
    async cancelForOrder(orderId: number): Promise<void> {
      const emails = ((await deps.offers.forOrder(orderId)) ?? []).filter((o) => o.channel === 'email' && !o.emailedAt);
      if (emails.length === 0) return;
      await Promise.all(emails.map((o) => deps.queues.remove('offer.email', emailJobId(o.id))));
      await deps.store.forget(emails);
    },
  };
}

export type EmailScheduler = ReturnType<typeof createEmailScheduler>;
