import { startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { startWooFake, type WooFake } from '../support/woo-fake';

type Json = Record<string, any>;

const DELIVERY_URL = 'https://encore.example.com/webhooks/woocommerce';
const TOPICS = ['order.created', 'order.updated', 'order.deleted'];

/** `POST /v1/admin/webhooks/setup`: the admin's button that creates or repairs the store's webhooks. */
describe('webhook setup', () => {
  let woo: WooFake;
  let encore: TestEncore;

  beforeEach(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { WC_TIMEOUT_MS: '1500', ENCORE_ROLE: 'api' } });
  });
  afterEach(async () => {
    await encore.stop();
    await woo.close();
  });

  const setup = async () => {
    const res = await encore.signed('POST', '/v1/admin/webhooks/setup');
    return { status: res.status, body: (await res.json()) as Json };
  };
  /** A webhook put straight into the store, as an admin (or an earlier setup) left it. */
  const existing = (id: number, topic: string, status: string, deliveryUrl = DELIVERY_URL) =>
    woo.webhooks.set(id, { id, name: `Encore: ${topic}`, status, topic, delivery_url: deliveryUrl, secret: 'stale-secret' });

  it('on an empty store creates the three order webhooks with Encore’s URL and secret', async () => {
    const { status, body } = await setup();
    expect(status).toBe(200);
    expect(body.webhooks).toEqual(TOPICS.map((topic) => ({ topic, id: expect.any(Number), status: 'active', action: 'created' })));
    expect(body.warnings).toEqual([]);
    const stored = [...woo.webhooks.values()];
    expect(stored.map((w) => w.topic)).toEqual(TOPICS);
    for (const w of stored) {
      expect(w).toMatchObject({ status: 'active', delivery_url: DELIVERY_URL, secret: TEST_SECRETS.WC_WEBHOOK_SECRET });
    }
    expect(stored.map((w) => w.name)).toEqual(['Encore: order created', 'Encore: order updated', 'Encore: order deleted']);

    // Pressing the button again changes nothing.
    const again = await setup();
    expect(again.body.webhooks.map((w: Json) => w.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(woo.webhooks.size).toBe(3);
  });

  it('re-activates a disabled or paused webhook with the secret, leaves the active one, reports a duplicate', async () => {
    existing(20, 'order.created', 'active');
    existing(21, 'order.updated', 'disabled');
    existing(22, 'order.deleted', 'paused');
    existing(23, 'order.created', 'disabled');
    existing(24, 'order.updated', 'active', 'https://elsewhere.example.com/hook');

    const { status, body } = await setup();
    expect(status).toBe(200);
    expect(body.webhooks).toEqual([
      { topic: 'order.created', id: 20, status: 'active', action: 'unchanged' },
      { topic: 'order.created', id: 23, status: 'disabled', action: 'unchanged', duplicate: true },
      { topic: 'order.updated', id: 21, status: 'active', action: 'reactivated' },
      { topic: 'order.deleted', id: 22, status: 'active', action: 'reactivated' },
    ]);
    expect(woo.webhooks.get(21)).toMatchObject({ status: 'active', secret: TEST_SECRETS.WC_WEBHOOK_SECRET });
    expect(woo.webhooks.get(22)).toMatchObject({ status: 'active', secret: TEST_SECRETS.WC_WEBHOOK_SECRET });
    expect(woo.webhooks.get(20)).toMatchObject({ status: 'active', secret: 'stale-secret' });
    expect(woo.webhooks.get(23)).toMatchObject({ status: 'disabled' });
    expect(woo.webhooks.get(24)).toMatchObject({ status: 'active', delivery_url: 'https://elsewhere.example.com/hook' });
    expect(woo.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('when WooCommerce is down, answers 503 JSON and creates nothing', async () => {
    woo.failNext(5, { status: 503 });
    const { status, body } = await setup();
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'upstream_unavailable' });
    expect(woo.webhooks.size).toBe(0);
  });

  it('when WooCommerce refuses the REST keys, answers 502 saying so', async () => {
    await encore.stop();
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api', WC_CONSUMER_SECRET: 'cs_revoked_0000000000' } });
    const { status, body } = await setup();
    expect(status).toBe(502);
    expect(body.error.code).toBe('upstream_rejected');
    expect(body.error.message).toMatch(/refused the REST API keys/);
    expect(JSON.stringify(body)).not.toContain('cs_revoked');
  });

  it('warns when WordPress would refuse to deliver to ENCORE_PUBLIC_URL', async () => {
    await encore.stop();
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api', ENCORE_PUBLIC_URL: 'http://127.0.0.1:3000' } });
    const { status, body } = await setup();
    expect(status).toBe(200);
    expect(body.warnings).toEqual([expect.stringContaining('ports 80, 443 and 8080'), expect.stringContaining('loopback')]);
    expect([...woo.webhooks.values()].map((w) => w.delivery_url)).toEqual(Array(3).fill('http://127.0.0.1:3000/webhooks/woocommerce'));
  });

  it('an unsigned request is refused and touches nothing', async () => {
    const res = await fetch(`${encore.url}/v1/admin/webhooks/setup`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(woo.requests).toEqual([]);
  });
});
