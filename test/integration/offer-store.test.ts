import type { OfferDraft } from '../../src/domain/offer';
import { newId } from '../../src/domain/ids';
import { createOfferStore } from '../../src/storage/offer-store';
import { connectTestRedis, type TestRedis } from '../support/redis';

/** The order's decision against a real Redis: made once, with a claim per rule and channel beside the offers. */
describe('offer store: ensureForOrder', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(async () => t.cleanup());

  const now = new Date('2026-11-23T10:00:00Z');
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
    expiresAt: '2026-11-26T10:00:00.000Z',
    sendAt: channel === 'email' ? '2026-11-25T10:00:00.000Z' : null,
    email: 'buyer@example.com',
    customerId: 0,
    currency: 'PLN',
    locale: 'pl_PL',
  });
  const orderKeys = async (orderId: number) => (await t.redis.keys(`${t.keys.prefix}order:${orderId}:*`)).sort();

  it('stores the decision, a claim per rule and channel, and one hash per offer', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const drafts = [draft(41, 'r_aaaaaaaaaaaa', 'thank_you'), draft(41, 'r_aaaaaaaaaaaa', 'email')];
    const result = await store.ensureForOrder(41, drafts, now);
    expect(result.created).toBe(true);
    expect(result.offers.map((o) => o.id)).toEqual(drafts.map((d) => d.id));
    expect(await orderKeys(41)).toEqual(
      [t.keys.orderClaim(41, 'r_aaaaaaaaaaaa', 'email'), t.keys.orderClaim(41, 'r_aaaaaaaaaaaa', 'thank_you'), t.keys.orderOffers(41)].sort(),
    );
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
  });

  it('gives one rule at most one offer per channel within a decision', async () => {
    const store = createOfferStore(t.redis, t.keys);
    const drafts = [draft(43, 'r_aaaaaaaaaaaa', 'thank_you'), draft(43, 'r_aaaaaaaaaaaa', 'thank_you'), draft(43, 'r_bbbbbbbbbbbb', 'thank_you')];
    const result = await store.ensureForOrder(43, drafts, now);
    expect(result.offers.map((o) => o.id)).toEqual([drafts[0]!.id, drafts[2]!.id]);
    expect(await t.redis.exists(t.keys.offer(drafts[1]!.id))).toBe(0);
    const day = await t.redis.hgetall(t.keys.statsDay('2026-11-23'));
    expect(day).toEqual({ 'r_aaaaaaaaaaaa|thank_you|issued': '1', 'r_bbbbbbbbbbbb|thank_you|issued': '1' });
  });
});
