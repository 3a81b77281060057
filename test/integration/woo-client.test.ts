import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { AppError } from '../../src/errors';
import { createWooClient, type CouponInput, type WooClient } from '../../src/integrations/woocommerce/woo-client';
import { startWooFake, type WooFake } from '../support/woo-fake';

const KEY = 'ck_4f1c0a7d2e9b8c6a5f4e3d2c1b0a9f8e7d6c5b4a';
const SECRET = 'cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
const TIMEOUT_MS = 800;
const restFixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/woocommerce/rest', name), 'utf8'));

const couponInput = (overrides: Partial<CouponInput> = {}): CouponInput => ({
  code: 'ENCORE-7F3K2M9Q',
  discountType: 'percent',
  amount: '15.00',
  productIds: [202],
  emailRestrictions: ['zofia.wasik@example.com'],
  usageLimit: 1,
  usageLimitPerUser: 1,
  individualUse: true,
  expiresAt: new Date('2026-12-01T10:00:00.000Z'),
  offerId: 'of_01JD8Y2',
  ...overrides,
});

/** Awaits a promise that must fail and returns its AppError. */
async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('WooCommerce client over plain HTTP (OAuth 1.0a)', () => {
  let fake: WooFake;
  let client: WooClient;
  const seen: AppError[] = [];

  beforeAll(async () => {
    fake = await startWooFake({ consumerKey: KEY, consumerSecret: SECRET });
    client = createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: SECRET, timeoutMs: TIMEOUT_MS });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.coupons.clear();
    fake.requests.length = 0;
  });
  const failing = async (promise: Promise<unknown>) => {
    const err = await appErrorOf(promise);
    seen.push(err);
    return err;
  };

  it('signs requests the way WooCommerce verifies them, query parameters included', async () => {
    const product = await client.getProduct(202);
    expect(product).toEqual({
      id: 202,
      name: 'Toner TN-200 (3 000 stron)',
      permalink: 'https://sklep.example.com/produkt/toner-tn-200/',
      price: '89.00',
      imageUrl: 'https://sklep.example.com/wp-content/uploads/2026/10/tn200.jpg',
      purchasable: true,
      status: 'publish',
    });
    // A signed `code=` query and a signed `force=true` both pass verification too.
    const created = await client.createCoupon(couponInput());
    await expect(client.findCouponByCode('Encore-7f3k2m9q')).resolves.toMatchObject({ id: created.id });
    await client.deleteCoupon(created.id);
    expect(fake.coupons.has(created.id)).toBe(false);
    expect(fake.requests.map((r) => `${r.method} ${r.route} ${JSON.stringify(r.query)}`)).toEqual([
      'GET /products/202 {}',
      'POST /coupons {}',
      'GET /coupons {"code":"encore-7f3k2m9q"}',
      `DELETE /coupons/${created.id} {"force":"true"}`,
    ]);
  });

  it('creates the coupon with exactly the fields WooCommerce honours', async () => {
    const coupon = await client.createCoupon(couponInput());

    expect(fake.requests[0]!.body).toEqual({
      code: 'encore-7f3k2m9q',
      discount_type: 'percent',
      amount: '15.00',
      product_ids: [202],
      email_restrictions: ['zofia.wasik@example.com'],
      usage_limit: 1,
      usage_limit_per_user: 1,
      individual_use: true,
      date_expires: '2026-12-01T10:00:00Z',
      meta_data: [{ key: '_encore_offer_id', value: 'of_01JD8Y2' }],
    });
    expect(coupon).toEqual({
      id: expect.any(Number),
      code: 'encore-7f3k2m9q',
      usageCount: 0,
      dateExpiresGmt: '2026-12-01T10:00:00.000Z',
      offerId: 'of_01JD8Y2',
    });
    // The store (UTC+1) shows the expiry at 11:00 local: the explicit Z was honoured.
    expect(fake.coupons.get(coupon.id)).toMatchObject({ date_expires: '2026-12-01T11:00:00', date_expires_gmt: '2026-12-01T10:00:00' });
  });

  it('when the code already exists, creation is a conflict and the lookup finds the existing coupon', async () => {
    const first = await client.createCoupon(couponInput());
    const err = await failing(client.createCoupon(couponInput({ offerId: 'of_other' })));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('woocommerce_rest_coupon_code_already_exists');
    expect(fake.coupons.size).toBe(1);
    await expect(client.findCouponByCode('ENCORE-7F3K2M9Q')).resolves.toEqual(first);
    await expect(client.findCouponByCode('encore-unknown')).resolves.toBeNull();
  });

  it('deleting a coupon that is already gone succeeds', async () => {
    await expect(client.deleteCoupon(424242)).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(1);
  });

  it('a missing product is null, an added one maps without an image', async () => {
    await expect(client.getProduct(999)).resolves.toBeNull();
    fake.addProduct({ id: 205, name: 'Toner starter', price: '40.16' });
    await expect(client.getProduct(205)).resolves.toEqual({
      id: 205,
      name: 'Toner starter',
      permalink: `${fake.url}/produkt/toner-starter/`,
      price: '40.16',
      imageUrl: null,
      purchasable: true,
      status: 'publish',
    });
  });

  it('a 2xx body of the wrong shape is rejected, not trusted', async () => {
    fake.addProduct({ id: 301, name: 'Broken', price: 12 as unknown as string });
    const err = await failing(client.getProduct(301));
    expect(err.code).toBe('upstream_rejected');
    expect(err.message).toContain('price');
  });

  it('a wrong secret is rejected with 401 and nothing is created', async () => {
    const wrong = createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: `${SECRET}x`, timeoutMs: TIMEOUT_MS });
    const err = await failing(wrong.createCoupon(couponInput()));
    expect(err.code).toBe('upstream_rejected');
    expect(err.message).toContain('HTTP 401 woocommerce_rest_authentication_error');
    expect(err.permanent).toBe(true);
    expect(fake.coupons.size).toBe(0);
  });

  it('an unknown consumer key is rejected with 401', async () => {
    const stranger = createWooClient({ storeUrl: fake.url, consumerKey: 'ck_unknown', consumerSecret: SECRET, timeoutMs: TIMEOUT_MS });
    const err = await failing(stranger.getProduct(202));
    expect(err.code).toBe('upstream_rejected');
    expect(err.message).toContain('401');
  });

  it.each([
    [500, undefined],
    [502, undefined],
    [429, 30],
  ])('a %i answer is upstream_unavailable and retryable', async (status, retryAfter) => {
    fake.failNext(1, { status, retryAfter });
    const err = await failing(client.getProduct(202));
    expect(err.code).toBe('upstream_unavailable');
    expect(err.permanent).toBe(false);
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.retryAfterSeconds).toBe(retryAfter);
    await expect(client.getProduct(202)).resolves.toMatchObject({ id: 202 });
  });

  it('a store that hangs longer than the timeout is upstream_unavailable within about the timeout', async () => {
    fake.failNext(1, { hangMs: 5_000 });
    const started = Date.now();
    const err = await failing(client.getProduct(202));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('upstream_unavailable');
    expect(err.message).toContain('timed out');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 700);
  });

  it('a store that sends headers and then drips bytes is still cut off at the timeout', async () => {
    // axios' own `timeout` is a socket-idle timer: a trickle of bytes keeps resetting it.
    const drip = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"id":202,');
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    const { port } = drip.address() as AddressInfo;
    const slow = createWooClient({ storeUrl: `http://127.0.0.1:${port}`, consumerKey: KEY, consumerSecret: SECRET, timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    const err = await failing(slow.getProduct(202));
    drip.closeAllConnections();
    drip.close();
    expect(err.code).toBe('upstream_unavailable');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 700);
  });

  it('an unreachable store is upstream_unavailable', async () => {
    const gone = createWooClient({ storeUrl: 'http://127.0.0.1:9', consumerKey: KEY, consumerSecret: SECRET, timeoutMs: TIMEOUT_MS });
    const err = await failing(gone.getProduct(202));
    expect(err.code).toBe('upstream_unavailable');
  });

  it('no error carries the key, the secret, the signature or the URL', () => {
    expect(seen.length).toBeGreaterThanOrEqual(8);
    for (const err of seen) {
      const text = `${err.message} ${JSON.stringify(err)} ${String(err.stack)}`;
      for (const leak of [KEY, SECRET, 'oauth_signature', 'oauth_consumer_key', '127.0.0.1', '/wp-json']) {
        expect(text).not.toContain(leak);
      }
      expect(err.cause).toBeUndefined();
    }
  });
});

describe('WooCommerce client over HTTPS (Basic)', () => {
  let fake: WooFake;
  const insecureAgent = { httpsAgent: new https.Agent({ rejectUnauthorized: false }) };
  const clientWith = (secret: string) =>
    createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: secret, timeoutMs: 2_000, axiosConfig: insecureAgent });

  beforeAll(async () => {
    fake = await startWooFake({ consumerKey: KEY, consumerSecret: SECRET, https: true });
  });
  afterAll(() => fake.close());

  it('authenticates with the key pair and creates the coupon', async () => {
    expect(fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const coupon = await clientWith(SECRET).createCoupon(couponInput({ code: 'encore-tls00001' }));
    expect(coupon.code).toBe('encore-tls00001');
    await expect(clientWith(SECRET).getProduct(202)).resolves.toMatchObject({ id: 202 });
  });

  it('a wrong secret is rejected with 401 and the message carries no credentials', async () => {
    const err = await appErrorOf(clientWith('cs_wrong').getProduct(202));
    expect(err.code).toBe('upstream_rejected');
    expect(err.message).toContain('HTTP 401 woocommerce_rest_authentication_error');
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain('cs_wrong');
  });

  it('a client that verifies certificates refuses the self-signed store', async () => {
    const strict = createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: SECRET, timeoutMs: 2_000 });
    const err = await appErrorOf(strict.getProduct(202));
    expect(err.code).toBe('upstream_unavailable');
  });
});

/** RFC 5849 signing written independently of the JS client, to check the fake's verifier. */
function signedUrl(base: string, method: string, path: string, query: [string, string][], opts: { secret: string; alg: 'HMAC-SHA1' | 'HMAC-SHA256'; timestamp?: number; nonce?: string }): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const oauth: [string, string][] = [
    ['oauth_consumer_key', KEY],
    ['oauth_nonce', opts.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', opts.alg],
    ['oauth_timestamp', String(opts.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  const pairs = [...query, ...oauth].map(([k, v]) => [enc(k), enc(v)]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  const baseString = [method, enc(`${base}${path}`), enc(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  const signature = createHmac(opts.alg === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${opts.secret}&`).update(baseString).digest('base64');
  const qs = [...pairs, ['oauth_signature', enc(signature)]].map(([k, v]) => `${k}=${v}`).join('&');
  return `${base}${path}?${qs}`;
}

describe('the fake authenticates like WC_REST_Authentication', () => {
  let fake: WooFake;
  beforeAll(async () => {
    fake = await startWooFake({ consumerKey: KEY, consumerSecret: SECRET });
  });
  afterAll(() => fake.close());
  const path = '/wp-json/wc/v3/coupons';
  const query: [string, string][] = [['search', 'a b!'], ['filter[period]', 'week'], ['per_page', '5']];

  it('accepts HMAC-SHA1 and HMAC-SHA256 signatures, brackets and spaces included', async () => {
    for (const alg of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
      const res = await fetch(signedUrl(fake.url, 'GET', path, query, { secret: SECRET, alg }));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-wp-total')).toBe('0');
    }
  });

  it('a tampered parameter gets WooCommerce’s invalid-signature answer', async () => {
    const url = signedUrl(fake.url, 'GET', path, query, { secret: SECRET, alg: 'HMAC-SHA256' }).replace('per_page=5', 'per_page=6');
    const res = await fetch(url);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(restFixture('error-invalid-signature.json'));
  });

  it('a replayed nonce and a stale timestamp are refused', async () => {
    const url = signedUrl(fake.url, 'GET', path, [], { secret: SECRET, alg: 'HMAC-SHA256', nonce: 'n0nce-replayed' });
    expect((await fetch(url)).status).toBe(200);
    const replay = await fetch(url);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ message: 'Invalid nonce - nonce has already been used.' });
    const stale = await fetch(signedUrl(fake.url, 'GET', path, [], { secret: SECRET, alg: 'HMAC-SHA256', timestamp: Math.floor(Date.now() / 1000) - 16 * 60 }));
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ message: 'Invalid timestamp.' });
  });

  it('a request without credentials gets the route’s 401, and Basic is ignored over plain HTTP', async () => {
    const basic = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
    const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: '{"code":"x"}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(restFixture('error-unauthorized.json'));
    expect(fake.coupons.size).toBe(0);
  });
});

describe('the fake’s webhook and order routes, for the reconciliation sweep', () => {
  let fake: WooFake;
  let api: WooCommerceRestApi;
  beforeAll(async () => {
    fake = await startWooFake({ consumerKey: KEY, consumerSecret: SECRET });
    api = new WooCommerceRestApi({ url: fake.url, consumerKey: KEY, consumerSecret: SECRET, version: 'wc/v3', timeout: 2_000 });
    const [order] = restFixture('orders-page.json') as Record<string, unknown>[];
    // Modified at 13:05:42 UTC (14:05:42 in the store) and an hour later.
    fake.orders.push(order!, { ...order!, id: 4720, date_modified: '2026-11-20T15:05:42', date_modified_gmt: '2026-11-20T14:05:42' });
  });
  afterAll(() => fake.close());

  it('creates a webhook without echoing its secret, and re-activates it with PUT', async () => {
    const created = await api.post('webhooks', { name: 'Encore', topic: 'order.updated', delivery_url: 'https://encore.example.com/webhooks/woocommerce', secret: 'k3Xq9vLmP2wR7tYz' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: 'active', topic: 'order.updated', resource: 'order', event: 'updated' });
    expect(created.data).not.toHaveProperty('secret');
    expect(fake.webhooks.get(created.data.id)).toMatchObject({ secret: 'k3Xq9vLmP2wR7tYz' });
    fake.webhooks.get(created.data.id)!.status = 'disabled';
    const updated = await api.put(`webhooks/${created.data.id}`, { status: 'active' });
    expect(updated.data.status).toBe('active');
  });

  it('pages orders modified after a UTC time with dates_are_gmt and X-WP-Total headers', async () => {
    const page = await api.get('orders', { modified_after: '2026-11-20T13:30:00', dates_are_gmt: true, per_page: 1, page: 1 });
    expect(page.data.map((o: { id: number }) => o.id)).toEqual([4720]);
    expect(page.headers['x-wp-total']).toBe('1');
    expect(page.headers['x-wp-totalpages']).toBe('1');
    const all = await api.get('orders', { modified_after: '2026-11-20T12:00:00Z', per_page: 1, page: 2 });
    expect(all.headers['x-wp-total']).toBe('2');
    expect(all.data).toHaveLength(1);
  });
});
