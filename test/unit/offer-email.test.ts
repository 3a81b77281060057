import { AppError } from '../../src/errors';
import { emailDeadline, emailJobPriority, isPendingEmail } from '../../src/domain/offer-email-schedule';
import type { Offer } from '../../src/domain/offer';
import { ruleInputSchema } from '../../src/domain/rule';
import { classifySmtpError, neverAccepted } from '../../src/integrations/mail/mailer';
import { markUnsent } from '../../src/integrations/mail/smtp-stage';
import { createOfferTokens } from '../../src/security/offer-token';
import { renderOfferEmail, type OfferEmailInput } from '../../src/views/offer-email';
import { appErrorOf } from '../support/errors';

const DAY = 86_400_000;
const NBSP = '\u00a0';

const input = (overrides: Partial<OfferEmailInput> = {}): OfferEmailInput => ({
  offer: { kind: 'complement', productIds: [202], discount: { type: 'percent', amount: '15.00' }, currency: 'PLN' },
  expiresAt: new Date('2026-11-23T14:05:00Z'),
  locale: 'en_US',
  products: [{ id: 202, name: 'Toner TN-200', permalink: '', price: '49.00', imageUrl: null, purchasable: true, status: 'publish' }],
  link: 'https://encore.example.com/o/aaa.bbb.ccc',
  unsubscribeUrl: 'https://encore.example.com/u/ddd.eee.fff',
  storeName: 'sklep.example.com',
  ...overrides,
});

describe('the offer email', () => {
  it('speaks the buyer’s language, English for anything else', () => {
    expect(renderOfferEmail(input()).subject).toBe('Your personal offer: 15% off on Toner TN-200');
    expect(renderOfferEmail(input({ locale: 'de_DE' })).subject).toBe('Your personal offer: 15% off on Toner TN-200');
    expect(renderOfferEmail(input({ locale: 'pl_PL' })).subject).toBe('Twoja osobista oferta: Toner TN-200 – 15% taniej');
    expect(renderOfferEmail(input({ locale: 'ja' })).subject).toBe('お客様だけの特別オファー：Toner TN-200（15%オフ）');
    const pl = renderOfferEmail(input({ locale: 'pl_PL', offer: { ...input().offer, discount: { type: 'fixed_cart', amount: '20.00' } } }));
    expect(pl.text).toContain(`20,00${NBSP}zł taniej`);
  });

  it('has both parts with products, discount, expiry, the personal link and the unsubscribe link', () => {
    const { html, text } = renderOfferEmail(input());
    for (const part of [html, text]) {
      expect(part).toContain('Toner TN-200');
      expect(part).toContain('15% off');
      expect(part).toContain('Nov 23, 2026');
      expect(part).toContain('https://encore.example.com/o/aaa.bbb.ccc');
      expect(part).toContain('https://encore.example.com/u/ddd.eee.fff');
    }
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('names an unknown product by its id and escapes what the store wrote', () => {
    const products = [{ ...input().products[0]!, id: 203, name: '<script>x</script> & "Co"' }];
    const { html, subject } = renderOfferEmail(input({ offer: { ...input().offer, productIds: [202, 203] }, products }));
    expect(html).toContain('<strong>#202</strong>');
    expect(html).toContain('&#60;script&#62;x&#60;/script&#62; &#38; &#34;Co&#34;');
    expect(html).not.toContain('<script>');
    expect(subject).toContain('#202, <script>x</script> & "Co"');
  });

  it('keeps the subject on one line and short: two names, then an ellipsis', () => {
    const products = [1, 2, 3].map((id) => ({ ...input().products[0]!, id, name: `P${id}\r\nBcc: x@example.com` }));
    const { subject } = renderOfferEmail(input({ offer: { ...input().offer, productIds: [1, 2, 3] }, products }));
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(/P2 Bcc: x@example\.com…$/);
  });
});

describe('SMTP failures', () => {
  const failure = (code: string, responseCode?: number) => classifySmtpError(Object.assign(new Error('x'), { code, responseCode }));

  it.each<[string, string, number | undefined, 'upstream_unavailable' | 'upstream_rejected']>([
    ['4xx to the data', 'EMESSAGE', 451, 'upstream_unavailable'],
    ['4xx to a recipient', 'EENVELOPE', 452, 'upstream_unavailable'],
    ['5xx to a recipient', 'EENVELOPE', 550, 'upstream_rejected'],
    ['5xx to the data', 'EMESSAGE', 554, 'upstream_rejected'],
    ['no valid recipient at all', 'EENVELOPE', undefined, 'upstream_rejected'],
    ['5xx to the login (configuration, not this message)', 'EAUTH', 535, 'upstream_unavailable'],
    ['a refused connection', 'ECONNECTION', undefined, 'upstream_unavailable'],
    ['a timeout', 'ETIMEDOUT', undefined, 'upstream_unavailable'],
    ['a broken socket', 'ESOCKET', undefined, 'upstream_unavailable'],
  ])('%s → %s', (_what, code, responseCode, expected) => {
    const err = failure(code, responseCode);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(expected);
    expect(err.permanent).toBe(expected === 'upstream_rejected');
  });

  it.each<[string, boolean, AppError | Error]>([
    ['a refusal of the data (4xx)', true, failure('EMESSAGE', 451)],
    ['a refusal of a recipient (5xx)', true, failure('EENVELOPE', 550)],
    ['a refused login', true, failure('EAUTH', 535)],
    ['a break before the message’s end was written', true, markUnsent(failure('ECONNECTION'))],
    ['a timeout before the message’s end was written', true, markUnsent(failure('ETIMEDOUT'))],
    ['a break after the message’s end was written', false, failure('ECONNECTION')],
    ['a timeout after the message’s end was written', false, failure('ETIMEDOUT')],
    ['an error the mailer did not classify', false, Object.assign(new Error('x'), { responseCode: 550 })],
  ])('%s: never accepted is %s', (_what, expected, err) => {
    expect(neverAccepted(err)).toBe(expected);
  });
});

describe('email scheduling', () => {
  it('maps rule priority to BullMQ priority: higher rule priority, lower number, within 1…2^21', () => {
    expect(emailJobPriority(1000)).toBe(1);
    expect(emailJobPriority(10)).toBe(991);
    expect(emailJobPriority(-1000)).toBe(2001);
    expect(emailJobPriority(5)).toBeLessThan(emailJobPriority(4));
  });

  it('an email stays worth sending until its provisional expiry, or three caps past its due time', () => {
    const offer = { sendAt: '2026-12-01T00:00:00.000Z', expiresAt: '2026-12-04T00:00:00.000Z' };
    expect(emailDeadline(offer, 0)).toBe(Date.parse(offer.expiresAt));
    expect(emailDeadline(offer, 7)).toBe(Date.parse(offer.sendAt) + 21 * DAY);
  });

  it('only issued, never emailed nor refused email offers with an address are pending', () => {
    const base = { channel: 'email', state: 'issued', emailedAt: null, emailFailedAt: null, email: 'a@example.com' } as Offer;
    expect(isPendingEmail(base)).toBe(true);
    expect(isPendingEmail({ ...base, channel: 'thank_you' })).toBe(false);
    expect(isPendingEmail({ ...base, state: 'revoked' })).toBe(false);
    expect(isPendingEmail({ ...base, emailedAt: '2026-12-01T00:00:00.000Z' })).toBe(false);
    expect(isPendingEmail({ ...base, emailFailedAt: '2026-12-01T00:00:00.000Z' })).toBe(false);
  });
});

describe('unsubscribe tokens', () => {
  const keys = [{ kid: 'k1', secret: 'x'.repeat(40) }];
  const offers = createOfferTokens({ keys, issuer: 'https://encore.example.com' });
  const unsubscribes = createOfferTokens({ keys, issuer: 'https://encore.example.com', audience: 'encore-unsubscribe' });
  const later = new Date(Date.now() + 730 * DAY);

  it('carry their extra claims and are never taken for offer links, nor the other way round', () => {
    const token = unsubscribes.issue('of_1', later, { eh: 'ab'.repeat(16), sub: 'of_forged' });
    expect(unsubscribes.verify(token)).toEqual({ offerId: 'of_1', expiresAt: new Date(Math.floor(later.getTime() / 1000) * 1000), extra: { eh: 'ab'.repeat(16) } });
    expect(appErrorOf(() => offers.verify(token)).code).toBe('not_found');
    expect(appErrorOf(() => unsubscribes.verify(offers.issue('of_1', later))).code).toBe('not_found');
  });
});

describe('the email channel of a rule, edge cases', () => {
  const withEmail = (email: unknown) =>
    ruleInputSchema.safeParse({
      name: 'Toner',
      kind: 'complement',
      trigger: { productIds: [101] },
      offer: { productIds: [202], discount: { type: 'percent', amount: '15' } },
      channels: { thankYou: false, email },
      expiresAfterHours: 72,
    });

  it.each<[string, unknown, boolean]>([
    ['a delay of 0 hours (right after payment)', { enabled: true, delayHours: 0 }, true],
    ['a delay of a year', { enabled: true, delayHours: 24 * 365 }, true],
    ['a delay beyond a year', { enabled: true, delayHours: 24 * 365 + 1 }, false],
    ['a negative lead', { enabled: true, replenish: { daysPerUnit: 30, leadDays: -1 } }, false],
    ['an unknown replenish key', { enabled: true, replenish: { daysPerUnit: 30, unit: 'day' } }, false],
    ['enabled as a string', { enabled: 'yes', delayHours: 1 }, false],
  ])('%s', (_what, email, ok) => {
    expect(withEmail(email).success).toBe(ok);
  });
});
