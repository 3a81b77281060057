import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emailHash } from '../../src/domain/customer';
import { eventually } from '../support/encore';
import { outcomeOf, startEmailHarness, type EmailHarness } from '../support/email-harness';
import { emailJobId } from '../../src/domain/offer-email-schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = { email: { enabled: true, delayHours: 0 } };
const jobIdOf = (offerId: string) => emailJobId(offerId);

/** What happens between Encore and the mail server: retries, the memo, refusals, the cap, the outbox. */
describe('offer email delivery', () => {
  let h: EmailHarness;
  afterEach(() => h.close());

  it('when SMTP accepted and the worker died before acknowledging, the retry sends nothing more', async () => {
    let deaths = 1;
    h = await startEmailHarness({
      env: { ENCORE_EMAIL_CAP_DAYS: '0' },
      faults: {
        afterEmailAccepted: () => {
          if (deaths-- > 0) throw new Error('worker died after the memo');
        },
      },
    });
    // The server also hangs up right after its 250, as a crashing relay might.
    h.smtp.failNext(1, { acceptThenDrop: true });
    const ruleId = await h.createRule({ channels: { thankYou: false, ...now } });
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    expect(await outcomeOf(h.queue, jobIdOf(offer!.id))).toBe('already_sent');
    expect((await h.queue.getJob(jobIdOf(offer!.id)))!.attemptsMade).toBe(2);
    expect(h.smtp.attempts).toBe(1);
    expect((await h.counters())[`${ruleId}|email|emailed`]).toBe(1);

    // The pooled connection the server dropped is replaced: the next email goes through.
    await h.deliverOrder({ id: 4712 });
    const [next] = await h.emailOffers(4712);
    expect(await outcomeOf(h.queue, jobIdOf(next!.id))).toBe('sent');
    expect(h.smtp.messages).toHaveLength(2);
  });

  it('when an earlier attempt marked the email as sending and died before the memo, the retry sends nothing and counts it uncertain', async () => {
    h = await startEmailHarness({ env: { ENCORE_EMAIL_CAP_DAYS: '0' } });
    const ruleId = await h.createRule();
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    // What a worker killed during the SMTP exchange leaves behind: the mark, no memo.
    await h.encore.redis.hset(h.encore.keys.offer(offer!.id), 'emailSendingAt', h.now().toISOString());
    await h.promote(offer!.id);
    expect(await outcomeOf(h.queue, jobIdOf(offer!.id))).toBe('uncertain');
    expect(h.smtp.attempts).toBe(0);
    expect(await h.offer(offer!.id)).toMatchObject({ state: 'issued', emailedAt: null });
    expect(await h.encore.redis.hget(h.encore.keys.offer(offer!.id), 'emailUncertainAt')).toEqual(expect.any(String));
    const counters = await h.counters();
    expect(counters[`${ruleId}|email|email_uncertain`]).toBe(1);
    expect(counters[`${ruleId}|email|emailed`]).toBeUndefined();
  });

  it('when the mail server answers 451, the job is retried and the email delivered once', async () => {
    h = await startEmailHarness();
    h.smtp.failNext(1, { code: 451 });
    await h.createRule({ channels: { thankYou: false, ...now } });
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    expect(await outcomeOf(h.queue, jobIdOf(offer!.id))).toBe('sent');
    expect((await h.queue.getJob(jobIdOf(offer!.id)))!.attemptsMade).toBe(2);
    expect(h.smtp.attempts).toBe(2);
    expect(h.smtp.messages).toHaveLength(1);
    // The refusal proved nothing went out, so the first attempt took its "sending" mark back.
    expect((await h.counters())[`${(await h.offer(offer!.id)).ruleId}|email|email_uncertain`]).toBeUndefined();
  });

  it('when the mail server answers 550, the email fails once, is recorded, and is not retried', async () => {
    h = await startEmailHarness();
    h.smtp.failNext(1, { code: 550, stage: 'rcpt' });
    const ruleId = await h.createRule({ channels: { thankYou: false, ...now } });
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    await expect(outcomeOf(h.queue, jobIdOf(offer!.id))).rejects.toThrow(/after 1 attempt\(s\): upstream_rejected/);
    expect(await h.offer(offer!.id)).toMatchObject({ state: 'issued', emailedAt: null, emailFailedAt: expect.any(String) });
    expect((await h.counters())[`${ruleId}|email|email_failed`]).toBe(1);
    expect(h.smtp.messages).toHaveLength(0);
    const failedJob = (await h.queue.getJob(jobIdOf(offer!.id)))!;
    for (const text of [h.encore.logs.join(''), failedJob.failedReason, ...(failedJob.stacktrace ?? [])]) expect(text).not.toMatch(/zofia|example\.com>/);
    // The capped slot is given back: the customer may get the next email.
    const hash = emailHash(h.encore.keys.namespace, 'zofia.wasik@example.com');
    expect(await h.encore.redis.exists(h.encore.keys.emailCap(hash))).toBe(0);
  });

  it('two emails due together under a 7-day cap: the higher priority goes, the other waits for the cap, then is dropped past 3 caps', async () => {
    h = await startEmailHarness({ env: { ENCORE_EMAIL_CAP_DAYS: '7' } });
    const email = { thankYou: false, email: { enabled: true, delayHours: 48 } };
    const high = await h.createRule({ name: 'Toner', priority: 10, channels: email });
    const low = await h.createRule({ name: 'Paper', priority: 1, channels: email, offer: { productIds: [303], discount: { type: 'percent', amount: '5' } } });
    await h.deliverOrder();
    const offers = await h.emailOffers(4711, 2);
    const a = offers.find((o) => o.ruleId === high)!;
    const b = offers.find((o) => o.ruleId === low)!;
    expect((await h.job(a.id)).opts.priority!).toBeLessThan((await h.job(b.id)).opts.priority!);

    // Both due; the lower priority even starts first: the cap still goes to the higher one.
    h.moveClock(48 * HOUR);
    await h.promote(b.id);
    await h.promote(a.id);
    expect(await outcomeOf(h.queue, jobIdOf(a.id))).toBe('sent');
    const waiting = await eventually(async () => {
      const job = (await h.queue.getJob(jobIdOf(b.id)))!;
      if ((await job.getState()) !== 'delayed') return undefined;
      // A short wait means "a better email of this customer is due first": run it again.
      if (job.delay < HOUR) return void (await job.promote());
      return job;
    });
    expect(waiting.delay).toBeGreaterThan(7 * DAY - 60_000);
    expect(waiting.delay).toBeLessThanOrEqual(7 * DAY + 1_000);
    expect(h.smtp.messages).toHaveLength(1);
    expect((await h.smtp.parsed(0)).subject).toContain('Toner TN-200');
    expect((await h.offer(b.id)).state).toBe('issued');

    // Had the cap still held 15 days after the due time, the wait would end beyond three caps
    // (21 days): no longer worth sending.
    h.moveClock(15 * DAY);
    await h.promote(b.id);
    expect(await outcomeOf(h.queue, jobIdOf(b.id))).toBe('dropped:capped');
    expect(await h.offer(b.id)).toMatchObject({ state: 'expired' });
    expect((await h.counters())[`${low}|email|email_dropped`]).toBe(1);
    expect(h.smtp.messages).toHaveLength(1);
  });

  it('with the cap at 0 days, both emails go', async () => {
    h = await startEmailHarness({ env: { ENCORE_EMAIL_CAP_DAYS: '0' } });
    await h.createRule({ name: 'Toner', priority: 10, channels: { thankYou: false, ...now } });
    await h.createRule({ name: 'Paper', priority: 1, channels: { thankYou: false, ...now }, offer: { productIds: [303], discount: { type: 'percent', amount: '5' } } });
    await h.deliverOrder();
    const offers = await h.emailOffers(4711, 2);
    for (const offer of offers) expect(await outcomeOf(h.queue, jobIdOf(offer.id))).toBe('sent');
    expect(h.smtp.messages).toHaveLength(2);
    // A product the catalog does not know is named by its id.
    expect((await Promise.all([0, 1].map((i) => h.smtp.parsed(i)))).map((m) => m.subject).sort()[1]).toContain('#303');
  });

  it('without SMTP_URL, the email is written as a .eml file into the outbox folder', async () => {
    const outbox = join(await mkdtemp(join(tmpdir(), 'encore-outbox-test-')), 'nested');
    h = await startEmailHarness({ smtp: false, env: { ENCORE_OUTBOX_DIR: outbox } });
    await h.createRule({ channels: { thankYou: false, ...now } });
    await h.deliverOrder();
    const [offer] = await h.emailOffers();
    expect(await outcomeOf(h.queue, jobIdOf(offer!.id))).toBe('sent');
    const files = await readdir(outbox);
    expect(files).toEqual([expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z-${offer!.id}\\.eml$`))]);
    const eml = await readFile(join(outbox, files[0]!), 'utf8');
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(eml).toContain(`Message-ID: <${offer!.id}@encore.example.com>`);
    expect(h.smtp.attempts).toBe(0);
    await rm(join(outbox, '..'), { recursive: true, force: true });
  });
});
