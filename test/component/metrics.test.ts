import { delivery, postWebhook, signedDelivery } from '../support/fixtures';
import { orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { scrape } from '../support/metrics';
import { startWooFake, type WooFake } from '../support/woo-fake';

const TOKEN = 'metrics-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `/metrics` through HTTP: the format, the token, and the families the API records. */
describe('GET /metrics', () => {
  let encore: TestEncore;
  afterEach(() => encore.stop());

  describe('on an api process without a token', () => {
    beforeEach(async () => {
      // Nothing listens on port 9: these scenarios never need the store.
      encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
    });

    it('answers Prometheus text, never cached, with the role, the version and the process metrics', async () => {
      const m = await scrape(encore.url);
      expect(m.res.status).toBe(200);
      expect(m.res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(m.res.headers.get('cache-control')).toBe('no-store');
      expect(m.value('encore_info', { role: 'api', version: '0.1.0' })).toBe(1);
      expect(m.value('encore_process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(m.value('encore_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
      expect(m.value('encore_queue_jobs', { queue: 'orders', state: 'waiting' })).toBe(0);
      expect(m.value('encore_queue_oldest_waiting_seconds', { queue: 'emails' })).toBe(0);
      for (const state of ['issued', 'shown', 'clicked', 'redeemed', 'revoked', 'expired']) expect(m.value('encore_offers', { state })).toBe(0);
    });

    it('counts accepted deliveries, the ping, and each rejection by its reason', async () => {
      const d = delivery('order-updated-processing');
      const ping = delivery('ping');
      expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(202);
      expect((await postWebhook(encore.url, ping.body, ping.headers)).status).toBe(200);
      const wrong = { ...d.headers, 'X-WC-Webhook-Signature': 'bm90IHRoZSBzaWduYXR1cmU=' };
      expect((await postWebhook(encore.url, d.body, wrong)).status).toBe(401);
      expect((await postWebhook(encore.url, d.body, wrong)).status).toBe(401);
      const { 'X-WC-Webhook-Signature': _dropped, ...unsigned } = d.headers;
      expect((await postWebhook(encore.url, d.body, unsigned)).status).toBe(401);
      const notJson = signedDelivery(d, '{"id":', d.secret!);
      expect((await postWebhook(encore.url, notJson.body, notJson.headers)).status).toBe(400);
      const notOrder = signedDelivery(d, { id: 'x' }, d.secret!);
      expect((await postWebhook(encore.url, notOrder.body, notOrder.headers)).status).toBe(400);
      const product = signedDelivery(d, { id: 5 }, d.secret!, 'product.updated');
      expect((await postWebhook(encore.url, product.body, product.headers)).status).toBe(400);
      expect((await postWebhook(encore.url, Buffer.alloc(1024 * 1024 + 10, 0x20), d.headers)).status).toBe(413);

      const m = await scrape(encore.url);
      expect(m.value('encore_webhooks_total', { outcome: 'accepted' })).toBe(1);
      expect(m.value('encore_webhooks_total', { outcome: 'ping' })).toBe(1);
      const rejected = Object.fromEntries(
        m.samples.filter((s) => s.name === 'encore_webhooks_total' && s.labels.outcome === 'rejected').map((s) => [s.labels.reason, s.value]),
      );
      expect(rejected).toEqual({ bad_signature: 2, missing_signature: 1, invalid_json: 1, invalid_order: 1, not_order_topic: 1, too_large: 1 });
    });

    it('reads the queues at scrape time: a waiting job and how long it has waited', async () => {
      const d = delivery('order-updated-processing');
      expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(202);
      await sleep(400);
      const m = await scrape(encore.url);
      expect(m.value('encore_queue_jobs', { queue: 'orders', state: 'waiting' })).toBe(1);
      const waited = m.value('encore_queue_oldest_waiting_seconds', { queue: 'orders' })!;
      expect(waited).toBeGreaterThanOrEqual(0.35);
      expect(waited).toBeLessThan(10);
      await sleep(300);
      expect((await scrape(encore.url)).value('encore_queue_oldest_waiting_seconds', { queue: 'orders' })).toBeGreaterThan(waited);
    });

    it('never names an order, an address, a token or a URL', async () => {
      const d = delivery('order-updated-processing');
      expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(202);
      const m = await scrape(encore.url);
      const values = m.samples.flatMap((s) => Object.values(s.labels));
      expect(values.length).toBeGreaterThan(0);
      // Words, versions and histogram bounds (`+Inf`) only: no `@`, `/`, `:` or space.
      for (const value of values) expect(value).toMatch(/^(?:\+Inf|[A-Za-z0-9_.-]*)$/);
      expect(values).not.toContain('4711');
      expect(m.text).not.toMatch(/@|example\.com|zofia|wc_order_|https?:/i);
    });
  });

  describe('with ENCORE_METRICS_TOKEN', () => {
    beforeEach(async () => {
      encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api', ENCORE_METRICS_TOKEN: TOKEN } });
    });

    it('refuses a request without the token, or with a wrong one, with 401 and WWW-Authenticate', async () => {
      const attempts: (string | undefined)[] = [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, TOKEN, 'Bearer '];
      for (const authorization of attempts) {
        const res = await fetch(`${encore.url}/metrics`, authorization ? { headers: { Authorization: authorization } } : {});
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
        expect(res.headers.get('cache-control')).toBe('no-store');
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('unauthorized');
        expect(JSON.stringify(body)).not.toContain('encore_');
      }
    });

    it('answers 200 with the right token', async () => {
      const m = await scrape(encore.url, TOKEN);
      expect(m.res.status).toBe(200);
      expect(m.value('encore_info', { role: 'api' })).toBe(1);
      expect(encore.logs.join('')).not.toContain(TOKEN);
    });
  });

  describe('a worker-role process', () => {
    beforeEach(async () => {
      encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'worker' } });
    });

    it('answers /healthz, /readyz and /metrics, and nothing of the API', async () => {
      expect((await fetch(`${encore.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${encore.url}/readyz`)).status).toBe(200);
      const m = await scrape(encore.url);
      expect(m.res.status).toBe(200);
      expect(m.value('encore_info', { role: 'worker' })).toBe(1);
      expect(m.value('encore_queue_jobs', { queue: 'maintenance', state: 'delayed' })).toBeGreaterThanOrEqual(1);
      const d = delivery('order-updated-processing');
      expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(404);
      expect((await encore.signed('POST', '/v1/thank-you', orderSummary())).status).toBe(404);
    });
  });

  describe('with the store', () => {
    let woo: WooFake;
    beforeEach(async () => {
      woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
      encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api', WC_TIMEOUT_MS: '400' } });
    });
    afterEach(() => woo.close());

    it('counts offers shown and clicked store-wide, and the coupon call by operation', async () => {
      expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
      const html = await (await encore.signed('POST', '/v1/thank-you', orderSummary())).text();
      const path = /href="https:\/\/encore\.example\.com(\/o\/[^"]+)"/.exec(html)![1]!;
      expect((await fetch(`${encore.url}${path}`, { redirect: 'manual' })).status).toBe(302);
      expect((await fetch(`${encore.url}${path}`, { redirect: 'manual' })).status).toBe(302);

      const m = await scrape(encore.url);
      expect(m.value('encore_offers', { state: 'issued' })).toBe(1);
      expect(m.value('encore_offers', { state: 'shown' })).toBe(1);
      expect(m.value('encore_offers', { state: 'clicked' })).toBe(1);
      expect(m.value('encore_offers', { state: 'redeemed' })).toBe(0);
      expect(m.value('encore_woocommerce_request_duration_seconds_count', { operation: 'create_coupon', status: '2xx' })).toBe(1);
      expect(m.sum('encore_woocommerce_errors_total')).toBe(0);
      // Read from Redis: a second process on the same namespace reports the same totals.
      const other = await startTestEncore({
        storeUrl: woo.url,
        env: { ENCORE_ROLE: 'worker', ENCORE_REDIS_NAMESPACE: encore.keys.namespace },
      });
      try {
        const seen = await scrape(other.url);
        expect(seen.value('encore_offers', { state: 'clicked' })).toBe(1);
        expect(seen.value('encore_offers', { state: 'shown' })).toBe(1);
      } finally {
        await other.stop();
      }
    });

    it('counts a WooCommerce call that timed out, with its operation and reason', async () => {
      woo.failNext(1, { hangMs: 1_500 });
      const res = await encore.signed('GET', '/v1/admin/health');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { woocommerce: unknown }).woocommerce).toEqual({ reachable: false, status: 'timeout' });
      const m = await scrape(encore.url);
      expect(m.value('encore_woocommerce_errors_total', { operation: 'ping', reason: 'timeout' })).toBe(1);
      expect(m.value('encore_woocommerce_request_duration_seconds_count', { operation: 'ping', status: 'timeout' })).toBe(1);
      expect(m.value('encore_woocommerce_request_duration_seconds_sum', { operation: 'ping', status: 'timeout' })).toBeGreaterThanOrEqual(0.35);
    });
  });
});
