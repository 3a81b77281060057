import { printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { startWooFake, type WooFake } from '../support/woo-fake';

type Json = Record<string, any>;

const DELIVERY_URL = 'https://encore.example.com/webhooks/woocommerce';

/** `GET /v1/admin/health`: what the plugin's connection panel shows. */
describe('admin health', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let wooClosed = false;

  beforeEach(async () => {
    wooClosed = false;
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { WC_TIMEOUT_MS: '1000', ENCORE_ROLE: 'api' } });
  });
  afterEach(async () => {
    await encore.stop();
    if (!wooClosed) await woo.close();
  });

  const health = async () => {
    const res = await encore.signed('GET', '/v1/admin/health');
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  };

  it('shows Redis, the queue counts, a reachable store and the status of each Encore webhook', async () => {
    expect((await encore.signed('POST', '/v1/admin/webhooks/setup')).status).toBe(200);
    const [created, updated] = [...woo.webhooks.values()];
    updated!.status = 'disabled';

    const body = await health();
    expect(body.redis).toBe('ok');
    expect(Object.keys(body.queues).sort()).toEqual(['emails', 'maintenance', 'orders']);
    expect(body.queues.orders).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(body.woocommerce).toEqual({ reachable: true, status: 200 });
    expect(body.webhooks).toEqual([
      { topic: 'order.created', id: created!.id, status: 'active', deliveryUrl: DELIVERY_URL },
      { topic: 'order.updated', id: updated!.id, status: 'disabled', deliveryUrl: DELIVERY_URL },
      { topic: 'order.deleted', id: expect.any(Number), status: 'active', deliveryUrl: DELIVERY_URL },
    ]);
    expect(body.missingTopics).toEqual([]);
  });

  it('names the topics that have no webhook', async () => {
    const body = await health();
    expect(body.webhooks).toEqual([]);
    expect(body.missingTopics).toEqual(['order.created', 'order.updated', 'order.deleted']);
  });

  it('still answers 200 when the store is down, with reachable false', async () => {
    await woo.close();
    wooClosed = true;
    const started = Date.now();
    const body = await health();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(body).toMatchObject({ redis: 'ok', woocommerce: { reachable: false, status: 'unreachable' }, webhooks: null, missingTopics: null });
    expect(body.queues.orders).toMatchObject({ waiting: 0 });
  });

  it('answers within about one client timeout when the store hangs', async () => {
    woo.failNext(2, { hangMs: 5_000 });
    const started = Date.now();
    const body = await health();
    expect(Date.now() - started).toBeLessThan(1_800);
    expect(body).toMatchObject({ redis: 'ok', woocommerce: { reachable: false, status: 'timeout' }, webhooks: null });
  });

  it('reports the status WooCommerce answered with when it refuses the keys', async () => {
    await encore.stop();
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api', WC_CONSUMER_SECRET: 'cs_revoked_0000000000' } });
    expect((await health()).woocommerce).toEqual({ reachable: true, status: 401 });
  });
});

/** `GET /v1/admin/stats`: the funnel per rule and channel over UTC days. */
describe('admin stats', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  let encore: TestEncore;

  beforeEach(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' }, clock: () => now });
  });
  afterEach(() => encore.stop());

  const stats = async (query = '') => {
    const res = await encore.signed('GET', `/v1/admin/stats${query}`);
    return { status: res.status, body: (await res.json()) as Json };
  };
  const count = (day: string, fields: Record<string, number>) => encore.redis.hset(encore.keys.statsDay(day), fields);

  it('sums the days of the range per rule and channel, and leaves out a day outside it', async () => {
    const rule = (await (await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).json()) as Json;
    const r = rule.id as string;
    await count('2026-11-20', {
      [`${r}|thank_you|issued`]: 5,
      [`${r}|thank_you|shown`]: 4,
      [`${r}|thank_you|clicked`]: 2,
      [`${r}|email|issued`]: 3,
      [`${r}|email|emailed`]: 3,
      [`${r}|email|scanned`]: 1,
      'r_gone1|thank_you|issued': 7,
    });
    await count('2026-11-21', {
      [`${r}|thank_you|issued`]: 1,
      [`${r}|thank_you|redeemed`]: 1,
      [`${r}|thank_you|revenue:PLN`]: 756_500,
      [`${r}|email|unsubscribes`]: 1,
      [`${r}|email|revenue:PLN`]: -100_000,
      [`${r}|email|revenue:EUR`]: 123_456,
    });
    await count('2026-11-22', { [`${r}|thank_you|issued`]: 100, 'r_later|email|issued': 1 });

    const { status, body } = await stats('?from=2026-11-20&to=2026-11-21');
    expect(status).toBe(200);
    const zero = { issued: 0, shown: 0, emailed: 0, clicked: 0, redeemed: 0, revenue: {}, revoked: 0, unsubscribes: 0 };
    expect(body).toEqual({
      from: '2026-11-20',
      to: '2026-11-21',
      rules: [
        {
          ruleId: r,
          name: 'Printer → toner',
          channels: {
            thank_you: { ...zero, issued: 6, shown: 4, clicked: 2, redeemed: 1, revenue: { PLN: '75.65' } },
            email: { ...zero, issued: 3, emailed: 3, scanned: 1, unsubscribes: 1, revenue: { EUR: '12.3456', PLN: '-10.00' } },
          },
          lift: null,
        },
        { ruleId: 'r_gone1', name: null, channels: { thank_you: { ...zero, issued: 7 }, email: zero }, lift: null },
      ],
    });
  });

  it('defaults to the last 30 days, today included', async () => {
    await count('2026-10-25', { 'r_old|thank_you|issued': 1 });
    await count('2026-10-24', { 'r_older|thank_you|issued': 1 });
    const { status, body } = await stats();
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2026-10-25', to: '2026-11-23' });
    expect(body.rules.map((rule: Json) => rule.ruleId)).toEqual(['r_old']);
  });

  it.each([
    ['?from=2026-11-21&to=2026-11-20', 'from', 'must not be after to'],
    ['?from=2025-11-20&to=2026-11-21', 'to', 'the range is at most 366 days'],
    ['?from=2026-02-30', 'from', 'not a calendar day'],
    ['?to=21.11.2026', 'to', 'expected YYYY-MM-DD'],
    ['?from=2026-11-01&from=2026-11-02', 'from', expect.any(String)],
  ])('refuses %s with a 400 naming the field', async (query, field, message) => {
    const { status, body } = await stats(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.fields).toEqual({ [field]: message });
  });

  it('accepts a full leap year of 366 days', async () => {
    const { status, body } = await stats('?from=2028-01-01&to=2028-12-31');
    expect(status).toBe(200);
    expect(body).toEqual({ from: '2028-01-01', to: '2028-12-31', rules: [] });
  });
});
