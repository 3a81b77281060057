import fc from 'fast-check';
import { signRequest } from '../../src/security/signed-request';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { mutatedArb } from './mutate';
import { sendSigned } from './signed';
import { answerOf, expectCleanAnswer, expectCleanLogs, nastyJson, nastyString, newKeys, pct, statusTally, storedKeys } from './support';

const RUNS = 150;

/** Shim routes with a body that parses, and their method. */
const ROUTES: [string, string][] = [
  ['POST', '/v1/thank-you'],
  ['GET', '/v1/admin/rules'],
  ['POST', '/v1/admin/rules'],
  ['PUT', '/v1/admin/rules/r_abc'],
  ['DELETE', '/v1/admin/rules/r_abc'],
  ['GET', '/v1/admin/stats?from=2026-11-01&to=2026-11-23'],
  ['GET', '/v1/admin/health'],
  ['POST', '/v1/admin/privacy/export'],
  ['POST', '/v1/admin/privacy/erase'],
  ['GET', '/v1/admin/orders/4711/offers'],
];

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const idArb = fc.oneof(headerValue, fc.stringMatching(/^[A-Za-z0-9_-]{1,140}$/), fc.constantFrom('a.b', 'a:b', 'x'.repeat(129), '-', '_'));
const timestampArb = fc.oneof(
  headerValue,
  fc.integer({ min: -1e12, max: 1e13 }).map(String),
  fc.constantFrom('', '0', '-1', '1e9', '0x10', ' 1767225600', '1767225600.5', '9'.repeat(13), String(Math.floor(Date.now() / 1000))),
);
const signatureArb = fc.oneof(
  headerValue,
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `v1,${Buffer.from(b).toString('base64')}`),
  fc.array(fc.constantFrom('v1,', 'v2,abc', 'v1,=', ' '), { maxLength: 12 }).map((parts) => parts.join(' ')),
  fc.constant(`v1,${'A'.repeat(1100)}`),
);

/** Rejected requests must leave nothing; a verified request may leave its own `seen:` id only. */
async function expectNothingNew(encore: TestEncore, before: string[], allowedId?: string): Promise<void> {
  const added = newKeys(before, await storedKeys(encore)).filter((key) => allowedId === undefined || key !== `seen:${allowedId}`);
  expect(added).toEqual([]);
}

describe('fuzzing the signed shim ↔ service requests', () => {
  let woo: WooFake;
  let encore: TestEncore;
  /** Orders for which the thank-you route answered 200 or 204: only they may have keys. */
  const acceptedOrders = new Set<number>();

  beforeAll(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api' } });
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
    // Toner by email when the bought quantity runs out: the longest timing the schema allows.
    const replenish = { offer: { productIds: [303], discount: { type: 'percent', amount: '5' } }, channels: { thankYou: false, email: { enabled: true, replenish: { daysPerUnit: 3650 } } } };
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule(replenish))).status).toBe(201);
  });
  afterAll(async () => {
    await encore.stop();
    await woo.close();
  });

  it('refuses random, malformed or stale Encore-Id, Encore-Timestamp and Encore-Signature with 401, burning no id', async () => {
    const headers = fc.record({ 'Encore-Id': idArb, 'Encore-Timestamp': timestampArb, 'Encore-Signature': signatureArb }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), headers, fc.option(nastyJson(2)), async ([method, path], h, json) => {
        const before = await storedKeys(encore);
        const body = json === null || method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(json);
        const res = await fetch(`${encore.url}${path}`, { method, headers: { ...h, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body });
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [401], `${method} ${path} with ${JSON.stringify(h).slice(0, 200)}`);
        await expectNothingNew(encore, before);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a genuine signature over other parts of the request (method, path, body, id, timestamp) with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const genuine = { id: 'fz_genuine', timestamp: now, method: 'POST', pathWithQuery: '/v1/admin/privacy/export', body: '{"email":"a@example.com"}' };
    const variant = fc.record({
      id: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)),
      timestamp: fc.option(fc.integer({ min: now - 200, max: now + 200 })),
      method: fc.option(fc.constantFrom('PUT', 'post', 'GET', 'DELETE')),
      path: fc.option(fc.constantFrom('/v1/admin/privacy/erase', '/v1/admin/privacy/export?x=1', '/v1/admin/privacy/export/', '/v1/admin/PRIVACY/export')),
      body: fc.option(fc.constantFrom('{"email":"b@example.com"}', '{"email":"a@example.com"} ', '')),
    });
    await fc.assert(
      fc.asyncProperty(variant, async (v) => {
        const sent = {
          id: v.id ?? genuine.id,
          timestamp: v.timestamp ?? genuine.timestamp,
          method: v.method ?? genuine.method,
          path: v.path ?? genuine.pathWithQuery,
          body: v.body ?? genuine.body,
        };
        fc.pre(sent.id !== genuine.id || sent.timestamp !== genuine.timestamp || sent.method !== 'POST' || sent.path !== genuine.pathWithQuery || sent.body !== genuine.body);
        // The request carries the genuine signature, the rest as varied.
        const headers = { ...signRequest(encore.config.shimSecret, genuine), 'Encore-Id': sent.id, 'Encore-Timestamp': String(sent.timestamp) };
        const before = await storedKeys(encore);
        const withBody = sent.method !== 'GET' && sent.method !== 'DELETE' && sent.body !== '';
        const res = await fetch(`${encore.url}${sent.path}`, { method: sent.method, headers: { ...headers, 'Content-Type': 'application/json' }, body: withBody ? sent.body : undefined });
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [401, 404], `variant ${JSON.stringify(v)}`);
        await expectNothingNew(encore, before);
      }),
      { numRuns: 80 },
    );
  });

  it('accepts a timestamp up to 300 s off and refuses one further off; an id is used once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -2000, max: 2000 }).filter((s) => Math.abs(Math.abs(s) - 300) > 3), async (skew) => {
        const { res, id } = await sendSigned(encore, 'GET', '/v1/admin/rules', '', { timestamp: Math.floor(Date.now() / 1000) + skew });
        expectCleanAnswer(await answerOf(res), [200, 401], `skew ${skew}`);
        expect(res.status).toBe(Math.abs(skew) > 300 ? 401 : 200);
        if (res.status === 200) {
          const again = await sendSigned(encore, 'GET', '/v1/admin/rules', '', { id, timestamp: Math.floor(Date.now() / 1000) + skew });
          expect(again.res.status).toBe(401);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers validly signed admin GETs with odd paths and query strings with 2xx or 4xx', async () => {
    const segment = fc.oneof(nastyString(), fc.constantFrom('r_abc', 'r_', 'R_ABC', '%', '%2F', '..', '.', '?', '#', ';', '%00', 'r_' + 'a'.repeat(40)));
    const query = fc.oneof(
      fc.constant(''),
      fc.array(fc.tuple(fc.constantFrom('from', 'to', 'from[]', 'to[a]', 'x', ''), fc.oneof(nastyString(), fc.constantFrom('2026-11-01', '2026-02-30', '0000-01-01', '9999-12-31', '2026-1-1'))), { maxLength: 4 }).map(
        (pairs) => `?${pairs.map(([k, v]) => `${k}=${pct(v)}`).join('&')}`,
      ),
      fc.stringMatching(/^\?[\x21-\x7e]{0,40}$/),
    );
    const target = fc.oneof(
      fc.tuple(fc.constantFrom('/v1/admin/rules/', '/v1/admin/orders/', '/v1/admin/'), segment).map(([base, s]) => `${base}${pct(s)}`),
      fc.constantFrom('/v1/admin/stats', '/v1/admin/rules', '/v1/admin/health', '/v1/admin/orders/4711/offers'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'DELETE'), target, query, async (method, path, q) => {
        const before = await storedKeys(encore);
        const { res, target: sent, id } = await sendSigned(encore, method, `${path}${q}`);
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 204, 400, 404], `${method} ${sent}`);
        await expectNothingNew(encore, before, id);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers GET /v1/admin/stats for any from/to with 200 or a 400 naming the field', async () => {
    const day = fc.oneof(
      fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      nastyString(),
    );
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(fc.option(day), fc.option(day), async (from, to) => {
        const q = [from !== null && `from=${pct(from)}`, to !== null && `to=${pct(to)}`].filter(Boolean).join('&');
        const { res, target } = await sendSigned(encore, 'GET', `/v1/admin/stats${q ? `?${q}` : ''}`);
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 400], target);
        tally.count(answer.status);
        if (answer.status === 200) {
          const body = JSON.parse(answer.text) as { from: string; to: string; rules: unknown[] };
          expect(body.from <= body.to).toBe(true);
          expect(body.rules).toHaveLength(2);
        } else {
          expect(Object.keys((JSON.parse(answer.text) as { error: { fields: object } }).error.fields).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
    expect([tally.of(200) > 0, tally.of(400) > 0]).toEqual([true, true]);
  });

  it('answers validly signed privacy requests with any body with 200 or 400, storing nothing for a 400', async () => {
    const body = fc.oneof(
      nastyJson(3).map((j) => JSON.stringify(j) ?? ''),
      fc.record({ email: fc.oneof(nastyString(), fc.emailAddress()) }, { requiredKeys: [] }).map((j) => JSON.stringify(j)),
      fc.stringMatching(/^[a-z0-9._+-]{1,20}@[a-z0-9-]{1,12}\.(pl|jp|com)$/).map((email) => JSON.stringify({ email })),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('export', 'erase'), body, async (what, text) => {
        const before = await storedKeys(encore);
        const { res, id } = await sendSigned(encore, 'POST', `/v1/admin/privacy/${what}`, text);
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 400], `${what} ${text.slice(0, 100)}`);
        tally.count(answer.status);
        if (answer.status === 400 || what === 'export') await expectNothingNew(encore, before, id);
      }),
      { numRuns: RUNS },
    );
    expect([tally.of(200) > 0, tally.of(400) > 0]).toEqual([true, true]);
  });

  it('answers validly signed thank-you summaries, random or mutated, with 200, 204 or 400', async () => {
    const body = fc.oneof(
      nastyJson(4).map((j) => JSON.stringify(j) ?? ''),
      fc.integer({ min: 5000, max: 5100 }).chain((orderId) => mutatedArb(orderSummary({ orderId, orderKey: `wc_order_k${orderId}` }), 2)).map((j) => JSON.stringify(j)),
      fc
        .record({
          orderId: fc.integer({ min: 6000, max: 6100 }),
          status: fc.constantFrom('processing', 'completed', 'pending', 'on-hold'),
          email: fc.option(fc.emailAddress()),
          quantity: fc.integer({ min: 1, max: 1_000_000 }),
          locale: fc.constantFrom('pl_PL', 'ja', 'en_US', 'de_DE_formal', undefined),
        })
        .map(({ orderId, quantity, ...rest }) =>
          JSON.stringify(orderSummary({ orderId, orderKey: `wc_order_k${orderId}`, items: [{ productId: 101, variationId: 0, quantity, total: '199.00' }], ...rest })),
        ),
      fc.constantFrom('', '[]', '{}', '{"orderId":1e400}', '{"__proto__":{"orderId":1}}'),
    );
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const before = await storedKeys(encore);
        const { res, id } = await sendSigned(encore, 'POST', '/v1/thank-you', text);
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 204, 400], `thank-you ${text.slice(0, 200)}`);
        tally.count(answer.status);
        if (answer.status === 400) await expectNothingNew(encore, before, id);
        else acceptedOrders.add((JSON.parse(text) as { orderId: number }).orderId);
      }),
      { numRuns: RUNS },
    );
    expect([tally.of(200) > 0, tally.of(400) > 0]).toEqual([true, true]);
  });

  it('logs no stack, source path, secret or email address, whatever came in', () => {
    expectCleanLogs(encore);
  });

  it('keeps keys only for orders a valid summary named, and only the kinds of keys the service makes', async () => {
    const keys = await storedKeys(encore);
    const known =
      /^(rules|rules:trigger:\d+|seen:[A-Za-z0-9_-]+|order:\d+:offers|offer:of_[0-9a-z]+|product:\d+|customer:[0-9a-f]{32}(:(offers|exposures))?|coupons:by-expiry|totals:offers|stats:\d{4}-\d{2}-\d{2}|q:[a-z]+:.+)$/;
    for (const key of keys) {
      expect(key).toMatch(known);
      const orderId = /^order:(\d+):/.exec(key)?.[1];
      if (orderId) expect(acceptedOrders.has(Number(orderId))).toBe(true);
    }
  });
});
