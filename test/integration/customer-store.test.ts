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
  });
});
