import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../src/errors';
import { createWooClient, isAuthRefusal, type WooClient } from '../../src/integrations/woocommerce/woo-client';
import { startWooFake, type WooFake } from '../support/woo-fake';

const KEY = 'ck_7a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const SECRET = 'cs_0f1e2d3c4b5a69788796a5b4c3d2e1f012345678';
const TIMEOUT_MS = 800;
const DELIVERY_URL = 'https://encore.example.com/webhooks/woocommerce';
const ordersPage = (): Record<string, unknown>[] =>
  JSON.parse(readFileSync(join(__dirname, '../fixtures/woocommerce/rest/orders-page.json'), 'utf8')) as Record<string, unknown>[];

/** An order of `orders-page.json` modified at `gmt` (zone-less UTC); the store runs at UTC+1. */
function orderModifiedAt(id: number, gmt: string): Record<string, unknown> {
  const local = new Date(Date.parse(`${gmt}Z`) + 3_600_000).toISOString().slice(0, 19);
  return { ...ordersPage()[0]!, id, date_modified_gmt: gmt, date_modified: local };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => new Error('expected the call to fail'), (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** The webhook, order-sweep and health calls of the client, against the WooCommerce fake over OAuth. */
describe('WooCommerce client: webhooks, order sweep and ping', () => {
  let fake: WooFake;
  let client: WooClient;

  beforeAll(async () => {
    fake = await startWooFake({ consumerKey: KEY, consumerSecret: SECRET });
    client = createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: SECRET, timeoutMs: TIMEOUT_MS });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.webhooks.clear();
    fake.orders.length = 0;
    fake.requests.length = 0;
  });

  it('creates a webhook with its secret, which the store keeps and never sends back', async () => {
    const made = await client.createWebhook({
      name: 'Encore: order updated',
      topic: 'order.updated',
      deliveryUrl: DELIVERY_URL,
      secret: 'k3Xq9vLmP2wR7tYz',
      status: 'active',
    });
    expect(made).toEqual({ id: expect.any(Number), name: 'Encore: order updated', status: 'active', topic: 'order.updated', deliveryUrl: DELIVERY_URL });
    expect(fake.requests[0]!.body).toEqual({
      name: 'Encore: order updated',
      topic: 'order.updated',
      delivery_url: DELIVERY_URL,
      secret: 'k3Xq9vLmP2wR7tYz',
      status: 'active',
    });
    expect(fake.webhooks.get(made.id)).toMatchObject({ secret: 'k3Xq9vLmP2wR7tYz', topic: 'order.updated' });
  });

  it('re-activates a disabled webhook and re-sets its secret with PUT', async () => {
    const made = await client.createWebhook({ name: 'x', topic: 'order.created', deliveryUrl: DELIVERY_URL, secret: 'oldSecret1', status: 'active' });
    fake.webhooks.get(made.id)!.status = 'disabled';
    const fixed = await client.updateWebhook(made.id, { status: 'active', secret: 'newSecret2' });
    expect(fixed.status).toBe('active');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', route: `/webhooks/${made.id}`, body: { status: 'active', secret: 'newSecret2' } });
    expect(fake.webhooks.get(made.id)).toMatchObject({ status: 'active', secret: 'newSecret2' });
    expect((await failure(client.updateWebhook(999_999, { status: 'active' }))).code).toBe('not_found');
  });

  it('lists every webhook, reading pages of 100', async () => {
    for (let i = 0; i < 130; i++) {
      await client.createWebhook({ name: `w${i}`, topic: 'order.updated', deliveryUrl: `${DELIVERY_URL}?n=${i}`, secret: 'abc12345', status: 'paused' });
    }
    fake.requests.length = 0;
    const all = await client.listWebhooks();
    expect(all).toHaveLength(130);
    expect(new Set(all.map((w) => w.id)).size).toBe(130);
    expect(all.every((w) => w.status === 'paused' && w.deliveryUrl.startsWith(DELIVERY_URL))).toBe(true);
    expect(fake.requests.map((r) => r.query)).toEqual([
      { per_page: '100', page: '1' },
      { per_page: '100', page: '2' },
    ]);
  });

  it('sweeps orders modified after a UTC time, sent zone-less with dates_are_gmt, oldest first', async () => {
    // The store runs at UTC+1: a `Z` time, or a zone-less one without dates_are_gmt, would
    // shift the filter by an hour and miss 4801 or include 4800.
    fake.orders.push(orderModifiedAt(4800, '2026-11-20T12:59:59'), orderModifiedAt(4802, '2026-11-20T13:40:00'), orderModifiedAt(4801, '2026-11-20T13:00:01'));
    const page = await client.listOrdersModifiedAfter('2026-11-20T13:00:00.000Z', 1);
    expect(page.totalPages).toBe(1);
    expect(page.orders.map((o) => (o as { id: number }).id)).toEqual([4801, 4802]);
    expect(fake.requests[0]!.query).toEqual({
      modified_after: '2026-11-20T13:00:00',
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: '100',
      page: '1',
    });
  });

  it('reports the page count of a long sweep and an empty one', async () => {
    for (let i = 0; i < 150; i++) fake.orders.push(orderModifiedAt(5000 + i, `2026-11-20T14:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`));
    const second = await client.listOrdersModifiedAfter('2026-11-20T13:00:00Z', 2);
    expect(second).toMatchObject({ totalPages: 2 });
    expect(second.orders).toHaveLength(50);
    await expect(client.listOrdersModifiedAfter('2026-11-21T00:00:00Z', 1)).resolves.toEqual({ orders: [], totalPages: 0 });
  });

  it('ping says whether the store answered, and with what', async () => {
    await expect(client.ping()).resolves.toEqual({ reachable: true, status: 200 });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', route: '/webhooks', query: { per_page: '1' } });
    fake.failNext(1, { status: 503 });
    await expect(client.ping()).resolves.toEqual({ reachable: true, status: 503 });
    const refused = createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: `${SECRET}x`, timeoutMs: TIMEOUT_MS });
    await expect(refused.ping()).resolves.toEqual({ reachable: true, status: 401 });
    fake.failNext(1, { hangMs: 3_000 });
    await expect(client.ping()).resolves.toEqual({ reachable: false, status: 'timeout' });
    const gone = createWooClient({ storeUrl: 'http://127.0.0.1:9', consumerKey: KEY, consumerSecret: SECRET, timeoutMs: TIMEOUT_MS });
    await expect(gone.ping()).resolves.toEqual({ reachable: false, status: 'unreachable' });
  });

  it('a refused key pair is recognisable; a store that is down is retryable', async () => {
    const refused = createWooClient({ storeUrl: fake.url, consumerKey: KEY, consumerSecret: `${SECRET}x`, timeoutMs: TIMEOUT_MS });
    const err = await failure(refused.listWebhooks());
    expect(err).toMatchObject({ code: 'upstream_rejected', reason: 'http_401' });
    expect(isAuthRefusal(err)).toBe(true);
    fake.failNext(1, { status: 502 });
    const down = await failure(client.listOrdersModifiedAfter('2026-11-20T13:00:00Z', 1));
    expect(down).toMatchObject({ code: 'upstream_unavailable', permanent: false });
    expect(isAuthRefusal(down)).toBe(false);
  });
});
