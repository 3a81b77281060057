import { startWooFake, type WooFake } from '../support/woo-fake';
import { orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';

type Json = Record<string, any>;

const summary = (overrides: Json = {}) =>
  orderSummary({ orderId: 1234, orderKey: 'wc_order_Ab12Cd34', email: 'ann@example.com', ...overrides });

/** `POST /v1/thank-you`: the fragment the WordPress plugin prints on the order-received page. */
describe('POST /v1/thank-you', () => {
  let woo: WooFake;
  let encore: TestEncore;

  beforeEach(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api' } });
  });
  afterEach(async () => {
    await encore.stop();
    await woo.close();
  });
  const addRule = async (overrides: Json = {}) => {
    const res = await encore.signed('POST', '/v1/admin/rules', printerTonerRule(overrides));
    expect(res.status).toBe(201);
    return (await res.json()) as Json;
  };

  it('answers one noindex, uncached section with an element per offer, and marks them shown', async () => {
    const rule = await addRule();
    const res = await encore.signed('POST', '/v1/thank-you', summary());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html.match(/<section class="encore-offers"/g)).toHaveLength(1);
    expect(html.match(/data-offer-id="of_[0-9a-z]+"/g)).toHaveLength(1);
    expect(html).toContain('Toner TN-200 (3 000 stron)');
    expect(html).toContain('15% taniej');
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+Z">/);
    expect(html).toMatch(/href="https:\/\/encore\.example\.com\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/);

    const offers = ((await (await encore.signed('GET', '/v1/admin/orders/1234/offers')).json()) as Json).offers;
    expect(offers).toEqual([
      expect.objectContaining({ ruleId: rule.id, kind: 'complement', state: 'shown', productIds: [202], couponCode: null }),
    ]);
    expect(offers[0].discount).toEqual({ type: 'percent', amount: '15.00' });
  });

  it('a reload shows the same offers, not new ones', async () => {
    await addRule();
    const first = await (await encore.signed('POST', '/v1/thank-you', summary())).text();
    const second = await (await encore.signed('POST', '/v1/thank-you', summary())).text();
    const ids = (html: string) => [...html.matchAll(/data-offer-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(second)).toEqual(ids(first));
  });

  it('escapes every value that reaches the page', async () => {
    await addRule();
    woo.addProduct({ id: 202, name: '<script>alert("x")</script> & "toner"', price: '89.00' });
    const html = await (await encore.signed('POST', '/v1/thank-you', summary())).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#34;toner&#34;');
  });

  it('answers 204 when the order is not paid, or when no rule matches', async () => {
    await addRule();
    for (const status of ['pending', 'on-hold', 'failed', 'cancelled']) {
      const res = await encore.signed('POST', '/v1/thank-you', summary({ orderId: 2000, status }));
      expect(res.status).toBe(204);
    }
    expect(await encore.redis.exists(encore.keys.orderOffers(2000))).toBe(0);
    const res = await encore.signed('POST', '/v1/thank-you', summary({ orderId: 2001, items: [{ productId: 999, quantity: 1, total: '5.00' }] }));
    expect(res.status).toBe(204);
  });

  it('does not offer what the order already holds, and respects the minimum order total', async () => {
    await addRule({ trigger: { productIds: [101], minOrderTotal: '500' } });
    expect((await encore.signed('POST', '/v1/thank-you', summary())).status).toBe(204);
    await addRule({ name: 'Toner again', trigger: { productIds: [101] }, offer: { productIds: [202], discount: { type: 'percent', amount: 5 } } });
    const res = await encore.signed('POST', '/v1/thank-you', summary({ orderId: 1300, items: [
      { productId: 101, variationId: 0, quantity: 1, total: '199.00' },
      { productId: 202, variationId: 0, quantity: 1, total: '89.00' },
    ] }));
    expect(res.status).toBe(204);
  });

  it('when several rules offer one product, the highest priority wins', async () => {
    await addRule({ name: 'Low', priority: 1, offer: { productIds: [202], discount: { type: 'percent', amount: 5 } } });
    const high = await addRule({ name: 'High', priority: 50, offer: { productIds: [202], discount: { type: 'percent', amount: 20 } } });
    await encore.signed('POST', '/v1/thank-you', summary());
    const offers = ((await (await encore.signed('GET', '/v1/admin/orders/1234/offers')).json()) as Json).offers;
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ ruleId: high.id, discount: { amount: '20.00' } });
  });

  it('matches a variation id, and renders in English for an unknown locale', async () => {
    await addRule({ trigger: { productIds: [1011] } });
    const res = await encore.signed('POST', '/v1/thank-you', summary({
      locale: 'xx_YY',
      items: [{ productId: 101, variationId: 1011, quantity: 1, total: '199.00' }],
    }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('15% off');
  });

  it('answers 400 naming the bad fields of a malformed summary', async () => {
    const res = await encore.signed('POST', '/v1/thank-you', summary({ orderId: -1, currency: 'złoty', items: 'none', extra: 1 }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(Object.keys(body.error.fields)).toEqual(expect.arrayContaining(['orderId', 'currency', 'items']));
  });

  it('still renders, with product ids, when WooCommerce does not answer in time', async () => {
    await addRule();
    woo.products.clear();
    woo.failNext(5, { hangMs: 3000 });
    const started = Date.now();
    const res = await encore.signed('POST', '/v1/thank-you', summary());
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await res.text()).toContain('data-product-id="202"');
  });
});
