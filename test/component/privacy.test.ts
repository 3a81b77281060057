import { holdoutGroup } from '../../src/domain/holdout';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';

type Json = Record<string, any>;

/** WordPress's personal-data exporter and eraser, served by `/v1/admin/privacy/*`. */
describe('/v1/admin/privacy', () => {
  let woo: WooFake;
  let encore: TestEncore;

  beforeEach(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api' } });
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
    // Two orders of Zofia's with offers, one of somebody else's.
    for (const [orderId, email] of [[4711, 'zofia.wasik@example.com'], [4712, 'Zofia.Wasik@example.com'], [4800, 'ann@example.com']] as const) {
      expect((await encore.signed('POST', '/v1/thank-you', orderSummary({ orderId, email }))).status).toBe(200);
    }
  });
  afterEach(async () => {
    await encore.stop();
    await woo.close();
  });

  const offersOf = async (orderId: number) =>
    ((await (await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`)).json()) as Json).offers as Json[];

  it('exports the offers and purchases held for an address, and nobody else’s', async () => {
    const res = await encore.signed('POST', '/v1/admin/privacy/export', { email: 'zofia.wasik@example.com' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const { data } = (await res.json()) as Json;
    const offerGroups = data.filter((g: Json) => g.group === 'encore-offers');
    expect(offerGroups).toHaveLength(2);
    expect(offerGroups.map((g: Json) => g.items.find((i: Json) => i.name === 'Order').value).sort()).toEqual(['4711', '4712']);
    expect(data.find((g: Json) => g.group === 'encore-purchases').items).toEqual([{ name: 'Product 101', value: expect.any(String) }]);
  });

  it('exports and erases the holdout experiments an address is in', async () => {
    const [rule] = ((await (await encore.signed('GET', '/v1/admin/rules')).json()) as Json).rules as Json[];
    expect((await encore.signed('PUT', `/v1/admin/rules/${rule!.id}`, { holdoutPercent: 50 })).status).toBe(200);
    expect([200, 204]).toContain((await encore.signed('POST', '/v1/thank-you', orderSummary({ orderId: 4900 }))).status);

    const { data } = (await (await encore.signed('POST', '/v1/admin/privacy/export', { email: 'zofia.wasik@example.com' })).json()) as Json;
    const holdout = data.filter((g: Json) => g.group === 'encore-holdout');
    expect(holdout).toHaveLength(1);
    expect(holdout[0].items).toEqual(
      expect.arrayContaining([
        { name: 'Order', value: '4900' },
        { name: 'Rule', value: rule!.id },
        { name: 'Products', value: '202' },
      ]),
    );

    const erased = (await (await encore.signed('POST', '/v1/admin/privacy/erase', { email: 'zofia.wasik@example.com' })).json()) as Json;
    // Orders 4711 and 4712 have offers, 4900 one when it was not held out; then product 101 and the exposure.
    const treated = holdoutGroup(encore.config.storeUrl, 4900, { id: rule!.id, holdoutPercent: 50 }) === 'treated';
    expect(erased.removed).toBe((treated ? 3 : 2) + 1 + 1);
    expect(await encore.redis.keys(`${encore.keys.prefix}customer:*:exposures`)).toEqual([]);
  });

  it('erases the offers and the address, keeps the counters, and leaves other customers alone', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const countersBefore = await encore.redis.hgetall(encore.keys.statsDay(day));
    const res = await encore.signed('POST', '/v1/admin/privacy/erase', { email: 'zofia.wasik@example.com' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).removed).toBe(3);

    expect(await offersOf(4711)).toEqual([]);
    expect(await offersOf(4712)).toEqual([]);
    expect(await offersOf(4800)).toHaveLength(1);
    const after = (await (await encore.signed('POST', '/v1/admin/privacy/export', { email: 'zofia.wasik@example.com' })).json()) as Json;
    expect(after.data).toEqual([]);
    expect(await encore.redis.hgetall(encore.keys.statsDay(day))).toEqual(countersBefore);

    // No key anywhere still holds the address.
    const keys = await encore.redis.keys(`${encore.keys.prefix}*`);
    for (const key of keys) {
      const type = await encore.redis.type(key);
      const dump = type === 'hash' ? JSON.stringify(await encore.redis.hgetall(key)) : type === 'string' ? await encore.redis.get(key) : '';
      expect(dump ?? '').not.toMatch(/zofia\.wasik@example\.com/i);
    }
    // A reload of the thank-you page does not bring the offers back.
    expect((await encore.signed('POST', '/v1/thank-you', orderSummary({ orderId: 4711 }))).status).toBe(204);
  });

  it('answers 400 for a request that is not one email address', async () => {
    const res = await encore.signed('POST', '/v1/admin/privacy/erase', { email: 'not-an-email', extra: 1 });
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as Json).error.fields)).toEqual(expect.arrayContaining(['email']));
  });
});
