import type { OfferDraft } from '../../src/domain/offer';
import { newId } from '../../src/domain/ids';
import { createCustomerStore } from '../../src/storage/customer-store';
import { createOfferEmailStore } from '../../src/storage/offer-email-store';
import { createOfferStore } from '../../src/storage/offer-store';
import { connectTestRedis, type TestRedis } from '../support/redis';

const HOUR_MS = 3_600_000;
/** The tests' retention: 3600 s (see `connectTestRedis`). */
const RETENTION_MS = 3_600_000;

/** A customer's offer index on real Redis: what privacy export and erasure rely on. */
describe('customer store: offer index', () => {
  const email = 'ann@example.com';
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(() => t.cleanup());

  const indexKey = (customers: ReturnType<typeof createCustomerStore>) => t.keys.customer(customers.hash(email));
  /** An offer's entry in the record's offer index: its offer key's expiry (unix ms). */
  const indexed = async (key: string, offerId: string) => Number(await t.redis.hget(key, `o:${offerId}`));
  const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

  it('keeps each id until its offer key expires, in a listpack, and expires with the latest', async () => {
    const customers = createCustomerStore(t.redis, t.keys);
    const offers = [
      { id: newId('of'), expiresAt: inHours(72) },
      { id: newId('of'), expiresAt: inHours(24) },
    ];
    await customers.indexOffers(email, offers);
    expect((await customers.offerIds(email)).sort()).toEqual(offers.map((o) => o.id).sort());
    const key = indexKey(customers);
    expect(await t.redis.object('ENCODING', key)).toBe('listpack');
    for (const o of offers) expect(await indexed(key, o.id)).toBe(Date.parse(o.expiresAt) + RETENTION_MS);
    expect(await t.redis.pexpiretime(key)).toBe(Date.parse(offers[0]!.expiresAt) + RETENTION_MS);
  });

  it('trims the ids whose offer keys have expired when it indexes new ones', async () => {
    const customers = createCustomerStore(t.redis, t.keys);
    const gone = { id: newId('of'), expiresAt: inHours(-2) };
    const live = { id: newId('of'), expiresAt: inHours(-0.5) };
    await customers.indexOffers(email, [gone, live]);
    const fresh = { id: newId('of'), expiresAt: inHours(48) };
    await customers.indexOffers(email, [fresh]);
    // `gone` ended 2 h ago: its key went 1 h ago (retention 1 h). `live` still has 30 minutes.
    expect((await customers.offerIds(email)).sort()).toEqual([live.id, fresh.id].sort());
  });

  it('follows an emailed offer whose key lives longer than first decided', async () => {
    const customers = createCustomerStore(t.redis, t.keys);
    const offers = createOfferStore(t.redis, t.keys);
    const now = new Date();
    const draft: OfferDraft = {
      id: newId('of'),
      orderId: 51,
      ruleId: 'r_aaaaaaaaaaaa',
      kind: 'complement',
      productIds: [202],
      discount: { type: 'percent', amount: '15.00' },
      channel: 'email',
      priority: 10,
      issuedAt: now.toISOString(),
      expiresAt: inHours(24),
      sendAt: inHours(1),
      email,
      customerId: 0,
      currency: 'PLN',
      locale: 'pl_PL',
    };
    const { offers: made } = await offers.ensureForOrder(51, [draft], now);
    await customers.indexOffers(email, made);
    const later = new Date(Date.now() + 200 * HOUR_MS);
    expect(await createOfferEmailStore(t.redis, t.keys).markEmailed(draft, { now, messageId: '<m@x>', expiresAt: later })).toBe(true);
    const key = indexKey(customers);
    const offerExpiry = await t.redis.pexpiretime(t.keys.offer(draft.id));
    expect(offerExpiry).toBe(later.getTime() + RETENTION_MS);
    expect(await indexed(key, draft.id)).toBe(offerExpiry);
    expect(await t.redis.pexpiretime(key)).toBe(offerExpiry);
    // The memo's stamps are unix ms in the hash, ISO 8601 when read.
    expect(await t.redis.hget(t.keys.offer(draft.id), 'emailedAt')).toBe(String(now.getTime()));
    expect((await offers.get(draft.id))?.emailedAt).toBe(now.toISOString());
  });
});

/** Purchases, pending emails and the offer index in one hash per customer, each read on its own. */
describe('customer store: the customer record', () => {
  const email = 'bob@example.com';
  let t: TestRedis;
  beforeEach(async () => {
    t = await connectTestRedis();
  });
  afterEach(() => t.cleanup());

  const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

  it('holds all three in one listpack, and each reader sees only its own fields', async () => {
    const customers = createCustomerStore(t.redis, t.keys);
    const emails = createOfferEmailStore(t.redis, t.keys);
    const offer = { id: newId('of'), expiresAt: inHours(72) };
    await customers.recordPurchases(email, [101, 102], '2026-11-20T10:00:00.750Z');
    await customers.indexOffers(email, [offer]);
    await emails.register([{ offerId: offer.id, email, priority: 10, sendAtMs: Date.now() - 1_000, deadlineMs: Date.now() + HOUR_MS }]);

    const key = t.keys.customer(customers.hash(email));
    expect((await t.redis.keys(`${t.keys.prefix}customer:*`)).sort()).toEqual([key]);
    expect(await t.redis.object('ENCODING', key)).toBe('listpack');
    // Paid times in unix seconds, floored: never later than the purchase.
    expect(await t.redis.hget(key, '101')).toBe(String(Date.parse('2026-11-20T10:00:00Z') / 1000));

    expect(await customers.profile(email)).toEqual({
      purchases: { '101': '2026-11-20T10:00:00.000Z', '102': '2026-11-20T10:00:00.000Z' },
      unsubscribed: false,
    });
    expect(await customers.offerIds(email)).toEqual([offer.id]);
    expect(await customers.boughtSince(email, [101], '2026-11-20T09:59:59.000Z')).toBe(true);
    expect(await customers.boughtSince(email, [101], '2026-11-20T10:00:00.500Z')).toBe(false);
    expect([...(await customers.purchasedAmong(email, [101, 103]))]).toEqual([101]);
    // The only pending email takes the slot: purchases and index entries are no rivals.
    expect(await emails.takeSlot({ ...offer, email, priority: 10, sendAt: null }, HOUR_MS, new Date())).toEqual({ kind: 'taken' });
    expect(await t.redis.hlen(key)).toBe(4);
  });

  it('never shortens its lifetime: a purchase or a pending email after an offer keeps the offer’s', async () => {
    const customers = createCustomerStore(t.redis, t.keys);
    const emails = createOfferEmailStore(t.redis, t.keys);
    const offer = { id: newId('of'), expiresAt: inHours(72) };
    await customers.recordPurchases(email, [101], new Date().toISOString());
    const key = t.keys.customer(customers.hash(email));
    expect(await t.redis.pttl(key)).toBeGreaterThan(RETENTION_MS - 60_000);
    await customers.indexOffers(email, [offer]);
    const offerKeyExpiry = Date.parse(offer.expiresAt) + RETENTION_MS;
    expect(await t.redis.pexpiretime(key)).toBe(offerKeyExpiry);
    await customers.recordPurchases(email, [102], new Date().toISOString());
    await emails.register([{ offerId: offer.id, email, priority: 0, sendAtMs: Date.now(), deadlineMs: Date.now() + HOUR_MS }]);
    expect(await t.redis.pexpiretime(key)).toBe(offerKeyExpiry);
  });

  it('is gone with everything in it when the customer is erased', async () => {
    const customers = createCustomerStore(t.redis, t.keys);
    await customers.recordPurchases(email, [101], new Date().toISOString());
    await customers.indexOffers(email, [{ id: newId('of'), expiresAt: inHours(1) }]);
    await customers.erase(email);
    expect(await t.redis.exists(t.keys.customer(customers.hash(email)))).toBe(0);
    expect(await customers.offerIds(email)).toEqual([]);
    expect(await customers.profile(email)).toEqual({ purchases: {}, unsubscribed: false });
  });
});
