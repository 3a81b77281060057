import { headersOf, startEmailHarness, type EmailHarness } from '../support/email-harness';
import type { SmtpBreak } from '../support/smtp-sink';
import { emailJobId as jobIdOf } from '../../src/domain/offer-email-schedule';

const now = { thankYou: false, email: { enabled: true, delayHours: 0 } };
/** Milliseconds: a silent server fails a send fast, a working one never comes close. */
const TIMEOUTS = { connectionMs: 3_000, greetingMs: 400, socketMs: 1_000 };
/**
 * Bytes of an image URL that make the email larger than what the sockets between client and
 * server can buffer (a few MB on loopback), so the client is provably still writing DATA's
 * content when the server drops or stops reading.
 */
const LARGE = 8 * 1024 * 1024;

/** Runs the email job to its end, retrying at once instead of after the backoff: its return value. */
async function finish(h: EmailHarness, offerId: string, timeoutMs = 20_000): Promise<{ outcome: unknown; attempts: number }> {
  await h.job(offerId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The state first: a job read before it completes would carry no return value.
    const state = await h.queue.getJobState(jobIdOf(offerId));
    const job = (await h.queue.getJob(jobIdOf(offerId)))!;
    if (state === 'completed') return { outcome: job.returnvalue, attempts: job.attemptsMade };
    if (state === 'failed') throw new Error(`job failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`);
    // The retry waits out its backoff unless promoted; a job that moved on meanwhile stays as it is.
    if (state === 'delayed') await job.promote().catch(() => undefined);
    if (Date.now() > deadline) throw new Error(`job still ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A mail server that breaks the conversation at each stage of one send. The email is sent at
 * most once: the retry sends it when the break proves the server did not take it (anything
 * before the message's final `.` was written), and counts it uncertain otherwise.
 */
describe('offer email over a broken SMTP conversation', () => {
  let h: EmailHarness;
  afterEach(() => h.close());

  async function sendThrough(brk: SmtpBreak, opts: { large?: boolean } = {}) {
    h = await startEmailHarness({ env: { ENCORE_EMAIL_CAP_DAYS: '0' }, faults: { smtpTimeouts: TIMEOUTS } });
    if (opts.large) h.woo.addProduct({ id: 202, name: 'Toner TN-200', price: '49.00', images: [{ id: 1, src: `https://img.example.com/${'t'.repeat(LARGE)}.png` }] });
    h.smtp.breakNext(brk);
    const ruleId = await h.createRule({ channels: now });
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    const result = await finish(h, offer!.id);
    // The break did happen: no test passes by a server that never broke.
    expect(h.smtp.breaksLeft).toBe(0);
    // Whatever happened, the buyer has exactly one copy.
    expect(h.smtp.messages).toHaveLength(1);
    expect(headersOf(h.smtp.messages[0]!.raw).get('message-id')).toBe(`<${offer!.id}@encore.example.com>`);
    return { ...result, offer: await h.offer(offer!.id), counters: await h.counters(), ruleId };
  }

  // A drop before the greeting is retried by nodemailer's pool itself (no job retry needed);
  // the others fail the job's first attempt, which takes its "sending" mark back.
  it.each<[string, SmtpBreak]>([
    ['instead of the greeting', { drop: 'greeting' }],
    ['right after answering EHLO', { drop: 'ehlo' }],
    ['on MAIL FROM', { drop: 'mail' }],
    ['on RCPT TO', { drop: 'rcpt' }],
  ])('a connection dropped %s: the message was never written, the retry sends it once', async (_stage, brk) => {
    const { outcome, offer, counters, ruleId } = await sendThrough(brk);
    expect(outcome).toBe('sent');
    expect(offer.emailedAt).toEqual(expect.any(String));
    expect(counters[`${ruleId}|email|emailed`]).toBe(1);
    expect(counters[`${ruleId}|email|email_uncertain`]).toBeUndefined();
  });

  it.each<[string, SmtpBreak]>([
    ['dropped halfway through DATA’s content', { drop: 'data' }],
    ['stalled halfway through DATA’s content until the socket timeout', { stall: 'data' }],
  ])('a connection %s: the final "." was never written, the retry sends it once', async (_what, brk) => {
    const { outcome, attempts, offer, counters, ruleId } = await sendThrough(brk, { large: true });
    expect(outcome).toBe('sent');
    // The first attempt failed on the break and took its "sending" mark back; the second sent.
    expect(attempts).toBe(2);
    expect(h.smtp.attempts).toBe(1);
    expect(h.smtp.messages[0]!.raw.length).toBeGreaterThan(LARGE);
    expect(offer.emailedAt).toEqual(expect.any(String));
    expect(counters[`${ruleId}|email|email_uncertain`]).toBeUndefined();
  });

  it('a greeting that never comes: the send times out before any message, the retry sends it once', async () => {
    const { outcome, attempts, counters, ruleId } = await sendThrough({ stall: 'greeting' });
    expect(outcome).toBe('sent');
    expect(attempts).toBe(2);
    expect(counters[`${ruleId}|email|emailed`]).toBe(1);
    expect(counters[`${ruleId}|email|email_uncertain`]).toBeUndefined();
  });

  it('a connection dropped after the final "." and before the reply: the server may have the message, the retry sends nothing and counts it uncertain', async () => {
    const { outcome, attempts, offer, counters, ruleId } = await sendThrough({ drop: 'dot' });
    expect(outcome).toBe('uncertain');
    expect(attempts).toBe(2);
    // The server kept the one copy it got; nothing was re-sent.
    expect(h.smtp.attempts).toBe(1);
    expect(offer).toMatchObject({ state: 'issued', emailedAt: null });
    expect(await h.encore.redis.hget(h.encore.keys.offer(offer.id), 'emailUncertainAt')).toEqual(expect.any(String));
    expect(counters[`${ruleId}|email|email_uncertain`]).toBe(1);
    expect(counters[`${ruleId}|email|emailed`]).toBeUndefined();
  });
});
