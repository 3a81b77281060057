import type { OfferDraft } from '../../src/domain/offer';
import { newId } from '../../src/domain/ids';
import { createOfferStore } from '../../src/storage/offer-store';
import { claimField, DECISION_FIELD } from '../../src/storage/keys';
import { connectTestRedis, type TestRedis } from '../support/redis';
import { DAY, dayOf, isoAt, NOW } from '../support/clock';

/** The order's decision against a real Redis: made once, with a claim per rule and channel in the order's hash. */
describe('offer store: ensureForOrder', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(async () => t.cleanup());

  // Redis expires the offers by its own clock: the times are relative to the real now.
  const now = NOW;
  const draft = (orderId: number, ruleId: string, channel: 'thank_you' | 'email'): OfferDraft => ({
    id: newId('of'),
    orderId,
    ruleId,
    kind: 'complement',
    productIds: [202],
    discount: { type: 'percent', amount: '15.00' },
    channel,
    priority: 10,
    issuedAt: now.toISOString(),
    expiresAt: isoAt(3 * DAY),
    sendAt: channel === 'email' ? isoAt(2 * DAY) : null,
    email: 'buyer@example.com',
    customerId: 0,
    currency: 'PLN',
    locale: 'pl_PL',
  });
  const orderKeys = async (orderId: number) => (await t.redis.keys(`${t.keys.prefix}order:${orderId}:*`)).sort();

  it('stores the decision and a claim per rule and channel in one small hash, and one hash per offer', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const drafts = [draft(41, 'r_aaaaaaaaaaaa', 'thank_you'), draft(41, 'r_aaaaaaaaaaaa', 'email')];
    const result = await store.ensureForOrder(41, drafts, now);
    expect(result.created).toBe(true);
    expect(result.offers.map((o) => o.id)).toEqual(drafts.map((d) => d.id));
    expect(await orderKeys(41)).toEqual([t.keys.orderOffers(41)]);
    expect(await t.redis.hgetall(t.keys.orderOffers(41))).toEqual({
      [DECISION_FIELD]: JSON.stringify(drafts.map((d) => d.id)),
      [claimField('r_aaaaaaaaaaaa', 'thank_you')]: drafts[0]!.id,
      [claimField('r_aaaaaaaaaaaa', 'email')]: drafts[1]!.id,
    });
    // A listpack, not a hashtable: the bytes per offer depend on it.
    expect(await t.redis.object('ENCODING', t.keys.orderOffers(41))).toBe('listpack');
    expect(await t.redis.exists(...drafts.map((d) => t.keys.offer(d.id)))).toBe(2);
    // The decision outlives its offers, which is what keeps a second decision out.
    const decisionTtl = await t.redis.pttl(t.keys.orderOffers(41));
    for (const d of drafts) expect(decisionTtl).toBeGreaterThanOrEqual(await t.redis.pttl(t.keys.offer(d.id)));
  });

  it('decides once: a later call with other drafts gets the first offers and stores nothing', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const first = [draft(42, 'r_aaaaaaaaaaaa', 'thank_you')];
    await store.ensureForOrder(42, first, now);
    const again = await store.ensureForOrder(42, [draft(42, 'r_bbbbbbbbbbbb', 'thank_you')], now);
    expect(again.created).toBe(false);
    expect(again.offers.map((o) => o.id)).toEqual([first[0]!.id]);
    expect(await t.redis.keys(`${t.keys.prefix}offer:*`)).toHaveLength(1);
    expect(await t.redis.hexists(t.keys.orderOffers(42), claimField('r_bbbbbbbbbbbb', 'thank_you'))).toBe(0);
  });

  it('refuses an offer for a rule and channel already claimed, even when the decision is gone', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const first = draft(44, 'r_aaaaaaaaaaaa', 'thank_you');
    await store.ensureForOrder(44, [first], now);
    // Only the decision field removed: the claim alone must keep a second offer out.
    await t.redis.hdel(t.keys.orderOffers(44), DECISION_FIELD);
    const second = draft(44, 'r_aaaaaaaaaaaa', 'thank_you');
    const other = draft(44, 'r_aaaaaaaaaaaa', 'email');
    const again = await store.ensureForOrder(44, [second, other], now);
    expect(again.created).toBe(true);
    expect(again.offers.map((o) => o.id)).toEqual([other.id]);
    expect(await t.redis.exists(t.keys.offer(second.id))).toBe(0);
    expect(await t.redis.hget(t.keys.orderOffers(44), claimField('r_aaaaaaaaaaaa', 'thank_you'))).toBe(first.id);
  });

  it('leaves the id, empty and zero fields out of the offer hash, and reads them back', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const d = { ...draft(45, 'r_aaaaaaaaaaaa', 'thank_you'), email: null };
    await store.ensureForOrder(45, [d], now);
    const stored = await t.redis.hgetall(t.keys.offer(d.id));
    for (const field of ['id', 'sendAt', 'email', 'customerId', 'clicks']) expect(stored).not.toHaveProperty(field);
    expect(stored).toMatchObject({ issuedAt: String(now.getTime()), expiresAt: String(Date.parse(d.expiresAt)) });
    const offer = await store.get(d.id);
    expect(offer).toMatchObject({ id: d.id, sendAt: null, email: null, customerId: 0, clicks: 0, state: 'issued', issuedAt: d.issuedAt, expiresAt: d.expiresAt });
    expect(await store.recordClick(d.id, now)).toBe('clicked');
    expect((await store.get(d.id))?.clicks).toBe(1);
  });

  it('stores an email offer’s times as unix ms and reads them back as ISO 8601', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const d = draft(46, 'r_aaaaaaaaaaaa', 'email');
    await store.ensureForOrder(46, [d], now);
    expect(await t.redis.hget(t.keys.offer(d.id), 'sendAt')).toBe(String(Date.parse(d.sendAt!)));
    expect(await store.forOrder(46)).toEqual([
      expect.objectContaining({ id: d.id, issuedAt: d.issuedAt, expiresAt: d.expiresAt, sendAt: d.sendAt, email: d.email, channel: 'email' }),
    ]);
    // Small enough for a listpack, which is what keeps an offer near 400 bytes.
    expect(await t.redis.object('ENCODING', t.keys.offer(d.id))).toBe('listpack');
  });

  it('stores product ids, discount and the shown stamp compactly, without the default channel, and reads them back', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const d = { ...draft(47, 'r_aaaaaaaaaaaa', 'thank_you'), productIds: [202, 203], discount: { type: 'fixed_cart' as const, amount: '7.50' } };
    await store.ensureForOrder(47, [d], now);
    expect(await store.markShown([{ ...d, state: 'issued', couponCode: null, couponId: null, clicks: 0, emailedAt: null }], now)).toBe(1);
    const stored = await t.redis.hgetall(t.keys.offer(d.id));
    expect(stored).toMatchObject({ productIds: '202,203', discount: 'fixed_cart|7.50', state: 'shown', shownAt: String(now.getTime()) });
    expect(stored).not.toHaveProperty('channel');
    expect(await store.get(d.id)).toMatchObject({ productIds: [202, 203], discount: { type: 'fixed_cart', amount: '7.50' }, channel: 'thank_you' });
    // The scripts' funnel counters read a missing channel as the thank-you page too.
    expect(await t.redis.hgetall(t.keys.statsDay(dayOf(now)))).toMatchObject({ 'r_aaaaaaaaaaaa|thank_you|issued': '1', 'r_aaaaaaaaaaaa|thank_you|shown': '1' });
  });

  it('gives one rule at most one offer per channel within a decision', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const drafts = [draft(43, 'r_aaaaaaaaaaaa', 'thank_you'), draft(43, 'r_aaaaaaaaaaaa', 'thank_you'), draft(43, 'r_bbbbbbbbbbbb', 'thank_you')];
    const result = await store.ensureForOrder(43, drafts, now);
    expect(result.offers.map((o) => o.id)).toEqual([drafts[0]!.id, drafts[2]!.id]);
    expect(await t.redis.exists(t.keys.offer(drafts[1]!.id))).toBe(0);
    const day = await t.redis.hgetall(t.keys.statsDay(dayOf(now)));
    expect(day).toEqual({ 'r_aaaaaaaaaaaa|thank_you|issued': '1', 'r_bbbbbbbbbbbb|thank_you|issued': '1' });
  });
});
