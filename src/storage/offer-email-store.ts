import type { RedisClient } from './redis';
import { emailHash } from '../domain/customer';
import type { Offer } from '../domain/offer';
import type { Keys } from './keys';
import { BEGIN_EMAIL, CLOSE_EMAIL, FAIL_EMAIL, MARK_EMAILED, TAKE_EMAIL_SLOT } from './offer-scripts';
import { runScript } from './lua';
import { isPendingEmailField, SET_FIELDS } from './customer-record';

/** An email offer waiting for its time, as the frequency cap compares them. */
export interface PendingEmail {
  offerId: string;
  email: string;
  priority: number;
  /** When the email is due, unix ms. */
  sendAtMs: number;
  /** After this (unix ms) the email is no longer worth sending, nor worth waiting for. */
  deadlineMs: number;
}

/** The customer's capped email slot: taken, held by another email for `waitMs`, or first owed to a better due email. */
export type SlotResult = { kind: 'taken' } | { kind: 'capped'; waitMs: number } | { kind: 'queued' };

type EmailOffer = Pick<Offer, 'id' | 'email'>;

/** Whether this attempt may hand the email to SMTP: `send`, or an earlier one did (`sent`) or may have (`uncertain`). */
export type BeginResult = 'send' | 'sent' | 'uncertain' | 'gone';

const day = (now: Date) => now.toISOString().slice(0, 10);

/**
 * The email side of offers in Redis: the per-customer list of pending emails (who goes first
 * under the cap), the slot itself, and the outcomes of sending — each outcome a Lua script that
 * changes the offer and counts it in the day's funnel at once.
 */
export function createOfferEmailStore(redis: RedisClient, keys: Keys) {
  const hash = (email: string) => emailHash(keys.namespace, email);
  /** Pending emails are fields of the customer record (see `customer-record.ts`). */
  const pendingKey = (offer: EmailOffer) => keys.customer(hash(offer.email ?? ''));
  const scriptKeys = (offer: EmailOffer, now: Date) => [keys.offer(offer.id), keys.statsDay(day(now)), pendingKey(offer)];
  const retentionMs = keys.ttls.retentionSeconds * 1000;

  return {
    /** Remembers emails as pending for their customers (idempotent). */
    async register(pending: PendingEmail[]): Promise<void> {
      if (pending.length === 0) return;
      await Promise.all(
        pending.map((p) => runScript(redis, SET_FIELDS, 1, keys.customer(hash(p.email)), String(retentionMs), p.offerId, `${p.priority}|${p.sendAtMs}|${p.deadlineMs}`)),
      );
    },

    /** Drops emails from their customers' pending lists (their offers were revoked). */
    async forget(offers: EmailOffer[]): Promise<void> {
      const withEmail = offers.filter((o) => o.email);
      if (withEmail.length === 0) return;
      const pipeline = redis.pipeline();
      withEmail.forEach((o) => pipeline.hdel(pendingKey(o), o.id));
      await pipeline.exec();
    },

    /**
     * Takes the customer's slot for `capMs` for `offer`, unless another email holds it or a
     * better (higher priority, then earlier, then smaller id) email of theirs is also due.
     */
    async takeSlot(offer: EmailOffer & Pick<Offer, 'priority' | 'sendAt'>, capMs: number, now: Date): Promise<SlotResult> {
      const pending = pendingKey(offer);
      const rivals = (await redis.hkeys(pending)).filter((field) => isPendingEmailField(field) && field !== offer.id);
      const keyList = [keys.emailCap(hash(offer.email ?? '')), pending, ...rivals.map((id) => keys.offer(id))];
      const sendAtMs = Date.parse(offer.sendAt ?? '') || now.getTime();
      const args = [offer.id, String(now.getTime()), String(capMs), String(offer.priority), String(sendAtMs), ...rivals];
      const [kind, ms] = (await runScript(redis, TAKE_EMAIL_SLOT, keyList.length, ...keyList, ...args)) as [number, number];
      if (kind === 1) return { kind: 'taken' };
      // PTTL is -1 for a key without expiry (never set so by Encore); wait a minute rather than forever.
      if (kind === 0) return { kind: 'capped', waitMs: ms > 0 ? ms : 60_000 };
      return { kind: 'queued' };
    },

    /**
     * The "sending" mark, written before the message goes to SMTP: a later attempt that finds
     * it without the memo does not send again (at most once; counted as `email_uncertain`).
     */
    async beginSend(offer: EmailOffer, now: Date): Promise<BeginResult> {
      const result = await runScript(redis, BEGIN_EMAIL, 3, ...scriptKeys(offer, now), now.toISOString(), offer.id);
      return result === 1 ? 'send' : result === 0 ? 'sent' : result === 2 ? 'uncertain' : 'gone';
    },

    /** Takes the "sending" mark back: the mail server provably did not accept the message, so a retry may send it. */
    async abortSend(offer: EmailOffer): Promise<void> {
      await redis.hdel(keys.offer(offer.id), 'emailSendingAt');
    },

    /**
     * The memo: true when this call recorded the send, false when an earlier attempt had or the
     * offer is gone. `emailedAt` and `shownAt` are stored in unix ms, like the decision's times.
     */
    async markEmailed(offer: EmailOffer, sent: { now: Date; messageId: string; expiresAt: Date }): Promise<boolean> {
      const keyExpiry = sent.expiresAt.getTime() + retentionMs;
      const result = await runScript(redis, MARK_EMAILED, 5, ...scriptKeys(offer, sent.now), keys.offerTotals, pendingKey(offer), String(sent.now.getTime()), sent.messageId, String(sent.expiresAt.getTime()), String(keyExpiry), offer.id);
      return result === 1;
    },

    /** Ends an unsent email offer: `revoked` (a re-check failed) or `expired` (too late), with its reason and counter. */
    async close(offer: EmailOffer, outcome: { state: 'revoked' | 'expired'; reason: string; metric: string; now: Date }): Promise<boolean> {
      const result = await runScript(redis, CLOSE_EMAIL, 4, ...scriptKeys(offer, outcome.now), keys.offerTotals, outcome.state, outcome.reason, outcome.now.toISOString(), outcome.metric, offer.id);
      return result === 1;
    },

    /** Records a permanent refusal by the mail server (`emailFailedAt`, counter `email_failed`). */
    async markFailed(offer: EmailOffer, failure: { now: Date; code: string }): Promise<boolean> {
      const result = await runScript(redis, FAIL_EMAIL, 3, ...scriptKeys(offer, failure.now), failure.now.toISOString(), failure.code, offer.id);
      return result === 1;
    },

    /** Counts a new unsubscribe in the funnel of the rule whose email carried the link. */
    async countUnsubscribe(ruleId: string, now: Date): Promise<void> {
      await redis.hincrby(keys.statsDay(day(now)), `${ruleId}|email|unsubscribes`, 1);
    },
  };
}

export type OfferEmailStore = ReturnType<typeof createOfferEmailStore>;
