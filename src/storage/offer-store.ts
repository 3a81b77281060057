import type { RedisClient } from './redis';
import type { Offer, OfferDraft, OfferState } from '../domain/offer';
import { claimField, DECISION_FIELD, type Keys } from './keys';
import { ENSURE_OFFERS, MARK_SHOWN, RECORD_CLICK, RECORD_SCAN, REVOKE_ORDER, SET_COUPON } from './offer-scripts';
import { runScript } from './lua';

export interface EnsureResult {
  /** True when this call made the decision; false when an earlier one had. */
  created: boolean;
  offers: Offer[];
}

export interface OfferStore {
  /**
   * Stores `drafts` as the order's offers unless the order already has a decision; `exposures`
   * (from `LiftStore.writes`) are recorded in the same step, only by the call that decides.
   */
  ensureForOrder(orderId: number, drafts: OfferDraft[], now: Date, exposures?: { keys: string[]; args: string[] }): Promise<EnsureResult>;
  /** The order's offers, or null when no decision was made for it yet. */
  forOrder(orderId: number): Promise<Offer[] | null>;
  get(offerId: string): Promise<Offer | null>;
  markShown(offers: Offer[], now: Date): Promise<number>;
  /** Returns the state after the click, or null when the offer is unknown. */
  recordClick(offerId: string, now: Date): Promise<OfferState | null>;
  /** Counts an open by a mail scanner or link previewer; nothing about the offer changes. */
  recordScan(offerId: string, now: Date): Promise<void>;
  /** Records the offer's coupon and indexes it (code → offer; by `expiresAt`, ISO, for cleanup). */
  setCoupon(offerId: string, code: string, couponId: number, expiresAt: string): Promise<boolean>;
  revokeOrder(orderId: number, now: Date): Promise<number>;
  /** Sets the buyer's locale on offers decided before it was known (webhooks carry none). */
  fillLocale(offers: Offer[], locale: string): Promise<void>;
}

const day = (now: Date) => now.toISOString().slice(0, 10);

/** An ISO 8601 time as stored in an offer hash: unix ms, which a listpack keeps as an integer. */
const storedTime = (iso: string): string => String(Date.parse(iso));
/** A stored time back to ISO 8601; some of the scripts' event stamps (`clickedAt`, …) are ISO already. */
const isoTime = (stored: string): string => (/^\d+$/.test(stored) ? new Date(Number(stored)).toISOString() : stored);

/** An offer's product ids as stored: comma-separated (`202,203`). */
const storedProductIds = (ids: number[]): string => ids.join(',');
/** Stored product ids back (none when the field is absent). */
export const parseProductIds = (stored: string | null | undefined): number[] => (stored ? stored.split(',').map(Number) : []);

/** A discount as stored: `<type>|<amount>` (`percent|15.00`), not JSON (`{"type":…}` is 22 bytes more). */
const storedDiscount = (d: Offer['discount']): string => `${d.type}|${d.amount}`;
/** A stored discount back. */
const parseDiscount = (stored: string | undefined): Offer['discount'] => {
  const [type, amount] = (stored ?? '').split('|');
  return { type, amount } as Offer['discount'];
};

/**
 * The stored fields of a new offer (the id is the key's). Empty and zero values are left out
 * (`fromHash` reads them back as null or 0, `clicks` is created by its first HINCRBY), and so is
 * `channel` when it is `thank_you` (which the scripts' counters assume too); the decision's
 * times are unix ms: every byte counts in every offer hash, and a listpack is allocated in
 * steps (…, 256, 320 bytes), so a few bytes decide a step.
 */
function toHash(offer: Offer): Record<string, string> {
  return {
    orderId: String(offer.orderId),
    ruleId: offer.ruleId,
    kind: offer.kind,
    productIds: storedProductIds(offer.productIds),
    discount: storedDiscount(offer.discount),
    ...(offer.channel === 'thank_you' ? {} : { channel: offer.channel }),
    priority: String(offer.priority),
    state: offer.state,
    issuedAt: storedTime(offer.issuedAt),
    expiresAt: storedTime(offer.expiresAt),
    ...(offer.sendAt ? { sendAt: storedTime(offer.sendAt) } : {}),
    ...(offer.email ? { email: offer.email } : {}),
    ...(offer.customerId ? { customerId: String(offer.customerId) } : {}),
    currency: offer.currency,
    // Absent rather than empty, so that a later request that knows the locale can fill it (HSETNX).
    ...(offer.locale ? { locale: offer.locale } : {}),
  };
}

function fromHash(id: string, h: Record<string, string>): Offer | null {
  if (!h.state) return null;
  return {
    id,
    orderId: Number(h.orderId),
    ruleId: h.ruleId ?? '',
    kind: h.kind as Offer['kind'],
    productIds: parseProductIds(h.productIds),
    discount: parseDiscount(h.discount),
    channel: (h.channel ?? 'thank_you') as Offer['channel'],
    priority: Number(h.priority ?? 0),
    state: h.state as OfferState,
    issuedAt: isoTime(h.issuedAt ?? ''),
    expiresAt: isoTime(h.expiresAt ?? ''),
    sendAt: h.sendAt ? isoTime(h.sendAt) : null,
    emailedAt: h.emailedAt ? isoTime(h.emailedAt) : null,
    emailFailedAt: h.emailFailedAt || null,
    email: h.email || null,
    customerId: Number(h.customerId ?? 0),
    currency: h.currency ?? '',
    locale: h.locale || null,
    couponCode: h.couponCode || null,
    couponId: h.couponId ? Number(h.couponId) : null,
    clicks: Number(h.clicks ?? 0),
  };
}

/**
 * Offers are hashes that expire `retentionSeconds` after the offer does; an order's
 * decision (the list of its offer ids) lives as long as its longest offer, in one hash with
 * the order's claims per rule and channel (see `keys.orderOffers`). The decision and the
 * claims are written once, atomically, which is what makes "ensure offers" idempotent across
 * the webhook worker and the thank-you page, also after BullMQ has forgotten the job.
 */
export function createOfferStore(redis: RedisClient, keys: Keys): OfferStore {
  const retentionMs = keys.ttls.retentionSeconds * 1000;

  async function load(ids: string[]): Promise<Offer[]> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    ids.forEach((id) => pipeline.hgetall(keys.offer(id)));
    const rows = (await pipeline.exec()) ?? [];
    return rows
      .map(([err, row], i) => (err ? null : fromHash(ids[i]!, row as Record<string, string>)))
      .filter((offer): offer is Offer => offer !== null);
  }

  const readDecision = async (orderId: number): Promise<string | null> => redis.hget(keys.orderOffers(orderId), DECISION_FIELD);

  return {
    async ensureForOrder(orderId, drafts, now, exposures) {
      const offers: Offer[] = drafts.map((d) => ({ ...d, state: 'issued', couponCode: null, couponId: null, clicks: 0, emailedAt: null }));
      const expiries = offers.map((o) => Date.parse(o.expiresAt) + retentionMs);
      const decisionExpiry = Math.max(now.getTime() + retentionMs, ...expiries);
      const keyList = [keys.orderOffers(orderId), keys.statsDay(day(now))];
      const args: string[] = [String(decisionExpiry), String(offers.length)];
      offers.forEach((offer, i) => {
        keyList.push(keys.offer(offer.id));
        args.push(offer.id, JSON.stringify(toHash(offer)), String(expiries[i]), claimField(offer.ruleId, offer.channel));
      });
      if (exposures) {
        keyList.push(...exposures.keys);
        args.push(...exposures.args);
      }
      keyList.push(keys.offerTotals);
      const [created, idsJson] = (await runScript(redis, ENSURE_OFFERS, keyList.length, ...keyList, ...args)) as [number, string];
      return { created: created === 1, offers: await load(JSON.parse(idsJson) as string[]) };
    },

    async forOrder(orderId) {
      const ids = await readDecision(orderId);
      return ids === null ? null : load(JSON.parse(ids) as string[]);
    },

    async get(offerId) {
      return fromHash(offerId, await redis.hgetall(keys.offer(offerId)));
    },

    async markShown(offers, now) {
      if (offers.length === 0) return 0;
      const keyList = [keys.statsDay(day(now)), ...offers.map((o) => keys.offer(o.id)), keys.offerTotals];
      // `shownAt` in unix ms, like the decision's times: 16 bytes less than ISO in every shown offer.
      return (await runScript(redis, MARK_SHOWN, keyList.length, ...keyList, String(now.getTime()))) as number;
    },

    async recordClick(offerId, now) {
      const state = await runScript(redis, RECORD_CLICK, 3, keys.offer(offerId), keys.statsDay(day(now)), keys.offerTotals, now.toISOString());
      return (state as OfferState | null) ?? null;
    },

    async recordScan(offerId, now) {
      await runScript(redis, RECORD_SCAN, 2, keys.offer(offerId), keys.statsDay(day(now)));
    },

    async setCoupon(offerId, code, couponId, expiresAt) {
      const keyList = [keys.offer(offerId), keys.couponOffer(code.toLowerCase()), keys.couponsByExpiry];
      const args = [code, String(couponId), offerId, String(Date.parse(expiresAt))];
      return (await runScript(redis, SET_COUPON, keyList.length, ...keyList, ...args)) === 1;
    },

    async fillLocale(offers, locale) {
      const missing = offers.filter((o) => !o.locale);
      if (missing.length === 0) return;
      const pipeline = redis.pipeline();
      missing.forEach((o) => pipeline.hsetnx(keys.offer(o.id), 'locale', locale));
      await pipeline.exec();
      missing.forEach((o) => (o.locale = locale));
    },

    async revokeOrder(orderId, now) {
      for (;;) {
        const expected = await readDecision(orderId);
        const ids = expected ? (JSON.parse(expected) as string[]) : [];
        const keyList = [keys.orderOffers(orderId), keys.statsDay(day(now)), ...ids.map((id) => keys.offer(id)), keys.offerTotals];
        const revoked = (await runScript(redis, 
          REVOKE_ORDER,
          keyList.length,
          ...keyList,
          expected ?? '',
          now.toISOString(),
          String(now.getTime() + retentionMs),
        )) as number;
        if (revoked >= 0) return revoked;
      }
    },
  };
}
