import jwt from 'jsonwebtoken';
import { eventually, orderSummary } from '../support/encore';
import { BROWSER, headersOf, outcomeOf, startEmailHarness, type EmailHarness } from '../support/email-harness';
import { emailJobId } from '../../src/domain/offer-email-schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** From order webhook to the email in the customer's mailbox, and every reason not to send it. */
describe('offer emails', () => {
  let h: EmailHarness;

  beforeEach(async () => {
    h = await startEmailHarness();
  });
  afterEach(() => h.close());

  it('a rule with email.delayHours: the job waits the delay, then one Polish email arrives whose link works end to end', async () => {
    const ruleId = await h.createRule({ channels: { thankYou: false, email: { enabled: true, delayHours: 48 } } });
    const paidAt = new Date(h.now().getTime() - 60_000);
    await h.deliverOrder({ paidAt: new Date(Math.floor(paidAt.getTime() / 1000) * 1000) });
    const [offer] = await h.emailOffers();
    const job = await h.job(offer!.id);
    expect(await job.getState()).toBe('delayed');
    const paid = Math.floor(paidAt.getTime() / 1000) * 1000;
    expect(Date.parse(offer!.sendAt!)).toBe(paid + 48 * HOUR);
    expect(Math.abs(job.timestamp + job.delay - (paid + 48 * HOUR))).toBeLessThan(1_000);
    expect(job.opts.priority).toBe(1001 - 10);

    // Webhooks carry no locale; the thank-you page (pl_PL) fills it in before the email is due.
    expect((await h.encore.signed('POST', '/v1/thank-you', orderSummary())).status).toBe(204);
    h.moveClock(48 * HOUR);
    await h.promote(offer!.id);
    expect(await outcomeOf(h.queue, job.id!)).toBe('sent');

    expect(h.smtp.messages).toHaveLength(1);
    expect(h.smtp.messages[0]!.to).toEqual(['zofia.wasik@example.com']);
    const mail = await h.smtp.parsed(0);
    expect(mail.subject).toBe('Twoja osobista oferta: Toner TN-200 (3 000 stron) – 15% taniej');
    expect(mail.text).toContain('Oferta ważna do');
    expect(mail.html).toContain('Toner TN-200 (3 000 stron)');
    expect(mail.html).toContain('lang="pl"');
    expect(mail.messageId).toBe(`<${offer!.id}@encore.example.com>`);
    const headers = headersOf(h.smtp.messages[0]!.raw);
    expect(headers.get('list-unsubscribe')).toMatch(/^<https:\/\/encore\.example\.com\/u\/[\w-]+\.[\w-]+\.[\w-]+>, <mailto:no-reply@127\.0\.0\.1\?subject=unsubscribe>$/);
    expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toMatch(/\/u\/[\w-]+\.[\w-]+\.[\w-]+/);
    expect(mail.html).toMatch(/href="https:\/\/encore\.example\.com\/u\//);

    // The offer's own expiry counts from sending: now + the rule's 72 h, in the record and the link.
    const sent = await h.offer(offer!.id);
    expect(sent).toMatchObject({ state: 'shown', ruleId });
    const validFor = Date.parse(sent.expiresAt) - Date.parse(sent.emailedAt!);
    expect(validFor).toBeLessThanOrEqual(72 * HOUR);
    expect(validFor).toBeGreaterThan(72 * HOUR - 5_000);
    const link = /https:\/\/encore\.example\.com(\/o\/[\w-]+\.[\w-]+\.[\w-]+)/.exec(mail.text!)![1]!;
    expect((jwt.decode(link.slice(3)) as jwt.JwtPayload).exp).toBe(Math.floor(Date.parse(sent.expiresAt) / 1000));
    expect(await h.counters()).toMatchObject({ [`${ruleId}|email|emailed`]: 1, [`${ruleId}|email|shown`]: 1 });

    // A person opens it later (mail scanners open within the first minute): coupon and cart.
    h.moveClock(10 * 60_000);
    const res = await fetch(`${h.encore.url}${link}`, { redirect: 'manual', headers: { 'User-Agent': BROWSER } });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('encore_add')).toBe('202');
    expect(h.woo.coupons.size).toBe(1);
    expect(h.encore.logs.join('')).not.toMatch(/zofia|\/o\/ey|\/u\/ey/);
  });

  it('printer ×2 with toner replenish {60 days per unit, 7 lead}: the job is due paid + 2×60 − 7 days', async () => {
    await h.createRule({ channels: { thankYou: false, email: { enabled: true, replenish: { daysPerUnit: 60, leadDays: 7 } } } });
    const order = await h.deliverOrder({ printers: 2 });
    const [offer] = await h.emailOffers();
    const job = await h.job(offer!.id);
    const due = Date.parse(`${order.date_paid_gmt as string}Z`) + (2 * 60 - 7) * DAY;
    expect(await job.getState()).toBe('delayed');
    expect(Date.parse(offer!.sendAt!)).toBe(due);
    expect(Math.abs(job.timestamp + job.delay - due)).toBeLessThan(1_000);
    // Provisional expiry until it is sent: due time + the rule's hours.
    expect(Date.parse(offer!.expiresAt)).toBe(due + 72 * HOUR);
  });

  it('when the order is refunded before the email is due, the job is removed and nothing is sent', async () => {
    await h.createRule();
    const paidAt = new Date(h.now().getTime() - 60_000);
    await h.deliverOrder({ paidAt });
    const [offer] = await h.emailOffers();
    await h.job(offer!.id);
    await h.deliverOrder({ paidAt, status: 'refunded', modifiedAt: h.now() });
    await eventually(async () => ((await h.queue.getJob(emailJobId(offer!.id))) ? undefined : true));
    expect((await h.offer(offer!.id)).state).toBe('revoked');

    // A run that was already under way when the refund came re-reads the offer and stops.
    await h.queue.add('offer.email', { offerId: offer!.id }, { jobId: 'in-flight' });
    expect(await outcomeOf(h.queue, 'in-flight')).toBe('not_pending:revoked');
    expect(h.smtp.attempts).toBe(0);
  });

  it('when the store requires consent and the order says no, nothing is sent', async () => {
    await h.close();
    h = await startEmailHarness({ env: { ENCORE_CONSENT_META_KEY: '_marketing_consent' } });
    const ruleId = await h.createRule({ channels: { thankYou: false, email: { enabled: true, delayHours: 0 } } });
    await h.deliverOrder({ meta: [{ key: '_marketing_consent', value: 'no' }] });
    const [offer] = await h.emailOffers();
    expect(await outcomeOf(h.queue, emailJobId(offer!.id))).toBe('skipped:no_consent');
    expect(h.smtp.attempts).toBe(0);
    expect(await h.offer(offer!.id)).toMatchObject({ state: 'revoked' });
    expect((await h.counters())[`${ruleId}|email|email_skipped`]).toBe(1);
  });

  it('when the customer bought the offered product since, nothing is sent', async () => {
    await h.createRule();
    await h.deliverOrder({ paidAt: new Date(h.now().getTime() - 5 * 60_000) });
    const [offer] = await h.emailOffers();
    // A second order of the same customer: the toner 202 itself, paid after the offer was made.
    await h.deliverOrder({ id: 4790, paidAt: new Date(h.now().getTime() + 2_000), lines: [[202, 1]] });
    await eventually(async () => ((await h.encore.redis.exists(h.encore.keys.orderOffers(4790))) === 1 ? true : undefined));
    h.moveClock(48 * HOUR);
    await h.promote(offer!.id);
    expect(await outcomeOf(h.queue, emailJobId(offer!.id))).toBe('skipped:bought');
    expect(h.smtp.attempts).toBe(0);
  });
});
