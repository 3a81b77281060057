import jwt from 'jsonwebtoken';
import { emailHash } from '../../src/domain/customer';
import { orderSummary } from '../support/encore';
import { headersOf, outcomeOf, startEmailHarness, type EmailHarness } from '../support/email-harness';
import { emailJobId } from '../../src/domain/offer-email-schedule';

const jobIdOf = (offerId: string) => emailJobId(offerId);

/** Unsubscribing through the link every offer email carries (RFC 8058 one-click included). */
describe('GET,POST /u/:token', () => {
  let h: EmailHarness;
  let ruleId: string;
  let unsubscribePath: string;

  beforeEach(async () => {
    h = await startEmailHarness({ env: { ENCORE_EMAIL_CAP_DAYS: '0' } });
    ruleId = await h.createRule({ channels: { thankYou: true, email: { enabled: true, delayHours: 0 } } });
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    expect(await outcomeOf(h.queue, jobIdOf(offer!.id))).toBe('sent');
    const header = headersOf(h.smtp.messages[0]!.raw).get('list-unsubscribe')!;
    unsubscribePath = new URL(/^<([^>]+)>/.exec(header)![1]!).pathname;
  });
  afterEach(() => h.close());

  const isUnsubscribed = async () =>
    (await h.encore.redis.sismember(h.encore.keys.unsubscribed, emailHash(h.encore.keys.namespace, 'zofia.wasik@example.com'))) === 1;
  const oneClick = (path = unsubscribePath) =>
    fetch(`${h.encore.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

  it('the token names the offer and the customer’s email hash, never the address', () => {
    const claims = jwt.decode(unsubscribePath.slice(3)) as jwt.JwtPayload;
    expect(claims).toMatchObject({ aud: 'encore-unsubscribe', eh: emailHash(h.encore.keys.namespace, 'zofia.wasik@example.com') });
    expect(JSON.stringify(claims)).not.toMatch(/@/);
    expect(claims.exp! - claims.iat!).toBeGreaterThan(700 * 86_400);
  });

  it('GET shows a noindex page whose button POSTs back, and unsubscribes nobody', async () => {
    const res = await fetch(`${h.encore.url}${unsubscribePath}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await res.text();
    expect(page).toContain('<meta name="robots" content="noindex,nofollow">');
    expect(page).toContain(`<form method="post" action="${unsubscribePath}"><button type="submit">Unsubscribe</button></form>`);
    expect(await isUnsubscribed()).toBe(false);
  });

  it('a one-click POST unsubscribes at once, counts once, and no offer email goes to them again; thank-you offers stay', async () => {
    const res = await oneClick();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(await res.text()).toContain('You are unsubscribed.');
    expect(await isUnsubscribed()).toBe(true);
    expect((await oneClick()).status).toBe(200);
    expect((await h.counters())[`${ruleId}|email|unsubscribes`]).toBe(1);

    await h.deliverOrder({ id: 4712 });
    const [next] = await h.emailOffers(4712);
    expect(await outcomeOf(h.queue, jobIdOf(next!.id))).toBe('skipped:unsubscribed');
    expect(h.smtp.messages).toHaveLength(1);
    expect(await h.offer(next!.id)).toMatchObject({ state: 'revoked' });

    const page = await h.encore.signed('POST', '/v1/thank-you', orderSummary({ orderId: 4712, orderKey: 'wc_order_k4712' }));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-offer-id=');
  });

  it('a tampered link, or an offer link used as one, gets a 404 page and unsubscribes nobody', async () => {
    const tampered = `${unsubscribePath.slice(0, -2)}${unsubscribePath.endsWith('AA') ? 'BB' : 'AA'}`;
    const offerLink = /\/o\/[\w-]+\.[\w-]+\.[\w-]+/.exec((await h.smtp.parsed(0)).text!)![0];
    for (const path of [tampered, offerLink.replace('/o/', '/u/')]) {
      const get = await fetch(`${h.encore.url}${path}`, { headers: { 'Accept-Language': 'pl-PL' } });
      expect(get.status).toBe(404);
      expect(await get.text()).toContain('Ten link do wypisania się jest nieprawidłowy.');
      expect((await oneClick(path)).status).toBe(404);
    }
    // Nor does an unsubscribe token open an offer.
    expect((await fetch(`${h.encore.url}${unsubscribePath.replace('/u/', '/o/')}`, { redirect: 'manual' })).status).toBe(404);
    expect(await isUnsubscribed()).toBe(false);
  });
});
