import jwt from 'jsonwebtoken';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';

type Json = Record<string, any>;

/** Opening an offer link: verification, the coupon in WooCommerce, and the redirect. */
describe('GET /o/:token', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { WC_TIMEOUT_MS: '1500', ENCORE_CLICK_RATE_LIMIT: '20' }, clock: () => now });
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
  });
  afterEach(async () => {
    await encore.stop();
    await woo.close();
  });

  /** Shows the thank-you fragment and returns the offer link's path and the offer id. */
  async function offerLink(): Promise<{ path: string; offerId: string }> {
    const res = await encore.signed('POST', '/v1/thank-you', orderSummary());
    expect(res.status).toBe(200);
    const html = await res.text();
    const href = /href="https:\/\/encore\.example\.com(\/o\/[^"]+)"/.exec(html)?.[1];
    const offerId = /data-offer-id="([^"]+)"/.exec(html)?.[1];
    expect(href && offerId).toBeTruthy();
    return { path: href!, offerId: offerId! };
  }
  const open = (path: string, init: RequestInit = {}) => fetch(`${encore.url}${path}`, { redirect: 'manual', ...init });
  const couponPosts = () => woo.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/coupons'));

  it('creates the coupon on the first open and redirects to the store cart arguments', async () => {
    const { path, offerId } = await offerLink();
    expect(woo.coupons.size).toBe(0);
    const res = await open(path);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}/`).toBe(`${woo.url}/`);
    expect(location.searchParams.get('encore_add')).toBe('202');
    const code = location.searchParams.get('encore_coupon')!;
    expect(code).toMatch(/^encore-[0-9a-z]+$/);

    const [coupon] = [...woo.coupons.values()] as Json[];
    expect(coupon).toMatchObject({
      code,
      discount_type: 'percent',
      amount: '15.00',
      product_ids: [202],
      email_restrictions: ['zofia.wasik@example.com'],
      usage_limit: 1,
      individual_use: true,
    });
    expect(coupon!.meta_data).toEqual(expect.arrayContaining([expect.objectContaining({ key: '_encore_offer_id', value: offerId })]));
    expect((couponPosts()[0]!.body as Json).date_expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const [offer] = ((await (await encore.signed('GET', '/v1/admin/orders/4711/offers')).json()) as Json).offers;
    expect(offer).toMatchObject({ id: offerId, state: 'clicked', couponCode: code });
  });

  it('opening again (a mail scanner, a second tab) redirects again and never creates a second coupon', async () => {
    const { path } = await offerLink();
    const first = await open(path);
    const second = await open(path);
    expect(second.status).toBe(302);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(couponPosts()).toHaveLength(1);
  });

  it('two concurrent first opens create one coupon', async () => {
    const { path } = await offerLink();
    woo.failNext(1, { hangMs: 300 });
    const [a, b] = await Promise.all([open(path), open(path)]);
    expect([a.status, b.status]).toEqual([302, 302]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    expect(woo.coupons.size).toBe(1);
  });

  it('when WooCommerce says the code already exists, looks it up instead of duplicating', async () => {
    const { path, offerId } = await offerLink();
    const code = `encore-${offerId.slice(3)}`;
    woo.coupons.set(9001, { id: 9001, code, status: 'publish', amount: '15.00', discount_type: 'percent', usage_count: 0, date_expires_gmt: null, meta_data: [] });
    const res = await open(path);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('encore_coupon')).toBe(code);
    expect(woo.coupons.size).toBe(1);
  });

  it('HEAD checks the link and creates nothing', async () => {
    const { path } = await offerLink();
    const res = await open(path, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(couponPosts()).toHaveLength(0);
    const [offer] = ((await (await encore.signed('GET', '/v1/admin/orders/4711/offers')).json()) as Json).offers;
    expect(offer).toMatchObject({ state: 'shown', clicks: 0 });
  });

  it('an expired link gets a 410 noindex page that links to the shop', async () => {
    const { path } = await offerLink();
    now = new Date(now.getTime() + 73 * 3600_000);
    const res = await open(path, { headers: { 'Accept-Language': 'pl-PL,pl;q=0.9' } });
    expect(res.status).toBe(410);
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    const page = await res.text();
    expect(page).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(page).toContain('Ta oferta wygasła.');
    expect(page).toContain(`href="${woo.url}/"`);
    expect(couponPosts()).toHaveLength(0);
  });

  it('a revoked offer gets 410', async () => {
    const { path } = await offerLink();
    const { createOfferStore } = await import('../../src/storage/offer-store');
    await createOfferStore(encore.redis, encore.keys).revokeOrder(4711, now);
    const res = await open(path);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('withdrawn');
  });

  it('tampered, foreign and unknown tokens get 404 pages', async () => {
    const { path } = await offerLink();
    const tampered = path.slice(0, -3) + (path.endsWith('AAA') ? 'BBB' : 'AAA');
    const foreign = jwt.sign({ sub: 'of_whatever' }, 'another-secret-another-secret-1234', { header: { alg: 'HS256', kid: 'k1' } });
    const unknownOffer = jwt.sign(
      { sub: 'of_doesnotexist', aud: 'encore-offer', iss: 'https://encore.example.com' },
      TEST_SECRETS.ENCORE_TOKEN_KEYS.split(':').slice(1).join(':'),
      { header: { alg: 'HS256', kid: 'k1' }, expiresIn: 3600 },
    );
    for (const p of [tampered, `/o/${foreign}`, `/o/${unknownOffer}`, '/o/not-a-token']) {
      const res = await open(p);
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(page).toContain('not valid');
      expect(page).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('when WooCommerce fails or hangs, answers a 503 "try again" page within 10 s, and a later open works', async () => {
    const { path } = await offerLink();
    woo.failNext(1, { status: 500 });
    const down = await open(path);
    expect(down.status).toBe(503);
    expect(await down.text()).toContain('try again');

    woo.failNext(1, { hangMs: 5_000 });
    const started = Date.now();
    const slow = await open(path);
    expect(slow.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(10_000);

    const ok = await open(path);
    expect(ok.status).toBe(302);
  });

  it('two concurrent first opens while WooCommerce hangs both get "try again" within 10 s', async () => {
    const { path } = await offerLink();
    woo.failNext(1, { hangMs: 5_000 });
    const started = Date.now();
    const [a, b] = await Promise.all([open(path), open(path)]);
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(couponPosts()).toHaveLength(1);
  });

  it('limits opens per IP address', async () => {
    const { path } = await offerLink();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await open(path)).status);
    expect(statuses.slice(0, 20).every((s) => s === 302)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  describe('mail scanners and link previewers', () => {
    const statsOf = async () => encore.redis.hgetall(encore.keys.statsDay(now.toISOString().slice(0, 10)));

    it('a known scanner gets a "continue" page, is counted as scanned, and uses nothing up', async () => {
      const { path, offerId } = await offerLink();
      const res = await open(path, { headers: { 'User-Agent': 'Mozilla/5.0 (compatible; Barracuda Sentinel)' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
      const page = await res.text();
      expect(page).toContain(`<form method="post" action="${path}">`);
      expect(couponPosts()).toHaveLength(0);
      const [offer] = ((await (await encore.signed('GET', '/v1/admin/orders/4711/offers')).json()) as Json).offers;
      expect(offer).toMatchObject({ id: offerId, state: 'shown', clicks: 0 });
      const stats = await statsOf();
      expect(Object.entries(stats).filter(([k]) => k.endsWith('|scanned'))).toEqual([[expect.stringMatching(/\|thank_you\|scanned$/), '1']]);
      expect(Object.keys(stats).some((k) => k.endsWith('|clicked'))).toBe(false);
    });

    it('the person who presses "continue" lands in the store with the coupon', async () => {
      const { path } = await offerLink();
      const res = await open(path, { method: 'POST', headers: { 'User-Agent': 'curl/8.0' } });
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location')!).searchParams.get('encore_add')).toBe('202');
      expect(res.headers.get('set-cookie')).toMatch(/encore_v=1;.*HttpOnly/);
      expect(couponPosts()).toHaveLength(1);
    });

    it('an emailed link opened seconds after sending without the cookie counts as scanned; with it, as a click', async () => {
      const { path, offerId } = await offerLink();
      await encore.redis.hset(encore.keys.offer(offerId), 'emailedAt', new Date(now.getTime() - 5_000).toISOString());
      const scanned = await open(path);
      expect(scanned.status).toBe(200);
      expect(couponPosts()).toHaveLength(0);
      const person = await open(path, { headers: { Cookie: 'encore_v=1' } });
      expect(person.status).toBe(302);
      expect(couponPosts()).toHaveLength(1);
    });

    it('an emailed link opened well after sending is a click', async () => {
      const { path, offerId } = await offerLink();
      await encore.redis.hset(encore.keys.offer(offerId), 'emailedAt', new Date(now.getTime() - 3_600_000).toISOString());
      expect((await open(path)).status).toBe(302);
    });
  });

  it('never logs the token, the email or the coupon code', async () => {
    const { path } = await offerLink();
    const res = await open(path);
    const code = new URL(res.headers.get('location')!).searchParams.get('encore_coupon')!;
    const logs = encore.logs.join('');
    expect(logs).toContain('/o/:token');
    expect(logs).not.toContain(path.slice(3));
    expect(logs).not.toContain('zofia.wasik@example.com');
    expect(logs).not.toContain(code);
  });
});
