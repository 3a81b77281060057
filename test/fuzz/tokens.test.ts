import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { shownOffer } from '../support/offers';
import { printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { answerOf, expectCleanAnswer, expectCleanLogs, nastyJson, nastyNumber, nastyString, newKeys, pct, statusTally, storedKeys } from './support';

const RUNS = 150;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const ISSUER = 'https://encore.example.com';
const [KID, KEY] = TEST_SECRETS.ENCORE_TOKEN_KEYS.split(/:(.*)/s) as [string, string];

const b64url = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');

/** A JWT of any header and payload, HMAC-SHA256-signed with `key`, or unsigned when `key` is null. */
function jwtOf(header: unknown, payload: unknown, key: string | null): string {
  const signingInput = `${b64url(JSON.stringify(header) ?? 'null')}.${b64url(JSON.stringify(payload) ?? 'null')}`;
  const signature = key === null ? '' : createHmac('sha256', key).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/** Mostly a plausible value, sometimes anything. */
const field = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 6, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: nastyJson(2) }, { weight: 1, arbitrary: nastyNumber() });

describe('fuzzing offer and unsubscribe links', () => {
  let woo: WooFake;
  let encore: TestEncore;
  const offerIds: string[] = [];
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    // A budget no fuzz run reaches: the limiter's own 429 is allowed but would hide the routes.
    encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'api', ENCORE_CLICK_RATE_LIMIT: '100000' } });
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
    for (const orderId of [8001, 8002, 8003]) offerIds.push((await shownOffer(encore, orderId)).offerId);
  });
  afterAll(async () => {
    await encore.stop();
    await woo.close();
  });

  const headerArb = fc.record(
    { alg: field(fc.constantFrom('HS256', 'HS256', 'none', 'HS512', 'RS256', 'hs256')), typ: field(fc.constant('JWT')), kid: field(fc.constantFrom(KID, KID, 'k2', '', '__proto__', 'constructor')) },
    { requiredKeys: [] },
  );
  const claimsArb = fc.record(
    {
      sub: field(fc.oneof(fc.constantFrom('of_missing', 'of_', ''), nastyString(), fc.constant(null).map(() => offerIds[0]!))),
      aud: field(fc.constantFrom('encore-offer', 'encore-unsubscribe', 'encore', ['encore-offer'], ['encore-unsubscribe', 'x'])),
      iss: field(fc.constantFrom(ISSUER, `${ISSUER}/`, 'https://evil.example')),
      exp: field(fc.oneof(fc.integer({ min: -3600, max: 7200 }).map((d) => now() + d), fc.constantFrom(1e300, 2 ** 53, -1, 0, 1.5))),
      iat: field(fc.integer({ min: -3600, max: 3600 }).map((d) => now() + d)),
      nbf: field(fc.integer({ min: -3600, max: 3600 }).map((d) => now() + d)),
      eh: field(fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), nastyString())),
    },
    { requiredKeys: [] },
  );
  const signedJwt = fc.tuple(headerArb, claimsArb, fc.constantFrom<string | null>(KEY, KEY, KEY, null, 'wrong-key', `${KEY} `)).map(([h, c, k]) => jwtOf(h, c, k));
  /** Tokens the service itself could have issued, with at most one claim or header field changed. */
  const nearlyGenuine = fc
    .tuple(
      fc.constantFrom('encore-offer', 'encore-unsubscribe'),
      fc.constantFrom(0, 1, 2),
      fc.stringMatching(/^[0-9a-f]{32}$/),
      fc.option(fc.tuple(fc.constantFrom('sub', 'aud', 'iss', 'exp', 'iat', 'nbf', 'eh', 'jti', 'kid', 'alg'), nastyJson(1)), { freq: 2 }),
    )
    .map(([aud, which, eh, change]) => {
      const header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT', kid: KID };
      const claims: Record<string, unknown> = { sub: offerIds[which], aud, iss: ISSUER, iat: now(), exp: now() + 3600, eh };
      if (change && (change[0] === 'kid' || change[0] === 'alg')) header[change[0]] = change[1];
      else if (change) claims[change[0]] = change[1];
      return jwtOf(header, claims, KEY);
    });
  const tokenArb = fc.oneof(
    nearlyGenuine,
    nastyString().map(pct),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,80}\.[A-Za-z0-9_-]{0,43}$/),
    signedJwt,
    fc.constantFrom('a.b.c', '..', '.', 'x'.repeat(3000), '%2e%2e', 'a%2Fb', ';', '%00'),
  );

  /** The buyer's language as browsers and odd clients send it; it picks the page's messages. */
  const languageArb = fc.oneof(
    fc.constantFrom('pl-PL,pl;q=0.9', 'ja', 'en-US', '*', '', 'constructor', '__proto__', 'toString', '"><script>alert(1)</script>', 'pl'.repeat(500)),
    fc.stringMatching(/^[\x20-\x7e]{0,60}$/),
  );

  /** Everything under the namespace but the click-rate counters and the `unsubscribed` set. */
  const stateKeys = async () => (await storedKeys(encore)).filter((k) => !k.startsWith('rate:click:'));
  const offerHashes = async () => Promise.all(offerIds.map((id) => encore.redis.hgetall(encore.keys.offer(id))));

  it('answers GET, HEAD and POST /o/<anything> with a page (200, 302, 404, 410), changing no offer unless it redirected', async () => {
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'HEAD', 'POST'), tokenArb, fc.constantFrom(BROWSER, 'curl/8.0', ''), languageArb, async (method, token, agent, language) => {
        const [keysBefore, offersBefore] = [await stateKeys(), await offerHashes()];
        const res = await fetch(`${encore.url}/o/${token}`, { method, redirect: 'manual', headers: { 'User-Agent': agent, 'Accept-Language': language } });
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 302, 303, 404, 410], `${method} /o/${token.slice(0, 200)}`);
        tally.count(answer.status);
        expect(answer.text).not.toContain('<script');
        if (method !== 'HEAD' && answer.status !== 302 && answer.status !== 303) {
          // A page for people: never JSON, never an error object.
          if (answer.status !== 404 || answer.contentType.startsWith('text/html')) expect(answer.contentType).toMatch(/^text\/html/);
        }
        if (answer.status >= 400) {
          expect(await offerHashes()).toEqual(offersBefore);
          expect(newKeys(keysBefore, await stateKeys())).toEqual([]);
        }
      }),
      { numRuns: RUNS * 2 },
    );
    expect([tally.of(404) > 0, tally.of(302) + tally.of(303) + tally.of(200) > 0]).toEqual([true, true]);
  });

  it('answers GET, HEAD and POST /u/<anything> with 200 or 404, unsubscribing only for a genuine unsubscribe token', async () => {
    const tally = statusTally();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'HEAD', 'POST'), tokenArb, languageArb, async (method, token, language) => {
        const [keysBefore, unsubscribedBefore] = [await stateKeys(), await encore.redis.smembers(encore.keys.unsubscribed)];
        const res = await fetch(`${encore.url}/u/${token}`, { method, redirect: 'manual', headers: { 'User-Agent': BROWSER, 'Accept-Language': language } });
        const answer = await answerOf(res);
        expectCleanAnswer(answer, [200, 404], `${method} /u/${token.slice(0, 200)}`);
        tally.count(answer.status);
        if (answer.status === 404 || method !== 'POST') {
          expect(newKeys(keysBefore, await stateKeys())).toEqual([]);
          expect((await encore.redis.smembers(encore.keys.unsubscribed)).sort()).toEqual(unsubscribedBefore.sort());
        }
      }),
      { numRuns: RUNS * 2 },
    );
    expect([tally.of(404) > 0, tally.of(200) > 0]).toEqual([true, true]);
  });

  it('logs no stack, source path, secret or email address, whatever came in', () => {
    expectCleanLogs(encore);
  });

  it('holds only email hashes in the unsubscribed set and offers in their stored shape', async () => {
    for (const hash of await encore.redis.smembers(encore.keys.unsubscribed)) expect(hash).toMatch(/^[0-9a-f]{32}$/);
    for (const offer of await offerHashes()) {
      // Stored without the id (the key's), with the decision's times as unix ms.
      expect(offer).not.toHaveProperty('id');
      expect(offer.expiresAt).toMatch(/^\d{13}$/);
      expect(['issued', 'shown', 'clicked']).toContain(offer.state);
      // `clicks` is absent until the first click.
      expect(Number(offer.clicks ?? 0)).toBeGreaterThanOrEqual(0);
    }
    for (const key of await storedKeys(encore)) {
      expect(key).toMatch(/^(rules|rules:trigger:\d+|seen:[A-Za-z0-9_-]+|order:\d+:offers|offer:of_[0-9a-z]+(:coupon-lock)?|product:\d+|customer:[0-9a-f]{32}(:(offers|exposures))?|coupons?:.+|stats:\d{4}-\d{2}-\d{2}|totals:offers|unsubscribed|rate:click:.+|q:[a-z]+:.+)$/);
    }
  });
});
