import { createOfferTokens } from '../../src/security/offer-token';
import { delivery, postWebhook } from '../support/fixtures';
import { startTestEncore, type TestEncore } from '../support/encore';

type Json = Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The request log lines, parsed. */
const requestLines = (encore: TestEncore): Json[] =>
  encore.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json)
    .filter((line) => line.msg === 'request');

/** Operators' routes and what every answer carries, through HTTP. */
describe('ops routes', () => {
  let encore: TestEncore;

  beforeEach(async () => {
    // Nothing listens on port 9: these routes never need the store.
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
  });
  afterEach(async () => {
    await encore.stop();
  });

  it('/healthz says the process is up', async () => {
    const res = await fetch(`${encore.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers with Redis and the queue counts', async () => {
    const res = await fetch(`${encore.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ status: 'ready', redis: 'PONG' });
    expect(Object.keys(body.queues)).toContain('orders');
    for (const counts of Object.values(body.queues)) {
      expect(counts).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    }
  });

  it('/readyz counts a job the webhook queued (no worker runs in the api role)', async () => {
    const d = delivery('order-updated-processing');
    expect((await postWebhook(encore.url, d.body, d.headers)).status).toBe(202);
    const body = (await (await fetch(`${encore.url}/readyz`)).json()) as Json;
    expect(body.queues.orders).toMatchObject({ waiting: 1, active: 0, failed: 0 });
  });

  it('/robots.txt disallows everything', async () => {
    const res = await fetch(`${encore.url}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('User-agent: *\nDisallow: /\n');
  });

  it('an unknown route is a JSON 404 with code not_found', async () => {
    const res = await fetch(`${encore.url}/wp-admin/install.php?step=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as Json).error.code).toBe('not_found');
  });

  it('every answer carries X-Robots-Tag: noindex, nofollow and a request id', async () => {
    const answers = await Promise.all([
      fetch(`${encore.url}/healthz`),
      fetch(`${encore.url}/readyz`),
      fetch(`${encore.url}/robots.txt`),
      fetch(`${encore.url}/nowhere`),
      fetch(`${encore.url}/healthz`, { method: 'POST' }),
      fetch(`${encore.url}/o/not-a-token`),
    ]);
    for (const res of answers) {
      expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
      expect(res.headers.get('x-request-id')).toMatch(UUID);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    expect(new Set(answers.map((res) => res.headers.get('x-request-id'))).size).toBe(answers.length);
  });

  it('echoes a well-formed X-Request-Id and logs the request under it', async () => {
    const res = await fetch(`${encore.url}/healthz`, { headers: { 'X-Request-Id': 'lb-7f3a.91_B-2' } });
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.91_B-2');
    expect(requestLines(encore)).toContainEqual(expect.objectContaining({ reqId: 'lb-7f3a.91_B-2', method: 'GET', path: '/healthz', status: 200 }));
  });

  it.each([
    ['spaces and punctuation', 'id with <spaces>'],
    ['more than 64 characters', 'a'.repeat(65)],
    ['a slash', 'a/b'],
  ])('replaces a malformed X-Request-Id (%s) with a new one', async (_what, incoming) => {
    const res = await fetch(`${encore.url}/nowhere`, { headers: { 'X-Request-Id': incoming } });
    expect(res.status).toBe(404);
    const reqId = res.headers.get('x-request-id');
    expect(reqId).toMatch(UUID);
    expect(encore.logs.join('')).not.toContain(incoming);
  });

  it('logs an offer link open without its token', async () => {
    const token = createOfferTokens({ keys: encore.config.tokenKeys, issuer: encore.config.publicUrl }).issue(
      'of_000000000000',
      new Date(Date.now() + 3_600_000),
    );
    const res = await fetch(`${encore.url}/o/${token}?utm_source=email`, { redirect: 'manual' });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(requestLines(encore)).toContainEqual(expect.objectContaining({ path: '/o/:token' }));
    expect(encore.logs.join('')).not.toContain(token);
  });
});
