import { startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { outcomeOf, startEmailHarness, type EmailHarness } from '../support/email-harness';
import { runJobOnce } from '../support/jobs';
import { scrape } from '../support/metrics';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { emailJobId } from '../../src/domain/offer-email-schedule';

/** What the workers record: job runs and failures, emails, and the REST calls jobs make. */
describe('worker metrics', () => {
  describe('jobs', () => {
    let woo: WooFake;
    let encore: TestEncore;
    beforeEach(async () => {
      woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
      encore = await startTestEncore({ storeUrl: woo.url, env: { ENCORE_ROLE: 'worker', WC_TIMEOUT_MS: '1500' } });
    });
    afterEach(async () => {
      await encore.stop();
      await woo.close();
    });

    it('times a completed job, and counts a failure as final when it is not retried', async () => {
      expect((await runJobOnce(encore, 'order.evaluate', { orderId: 901, event: 'deleted' }, 'metrics-901-deleted')).state).toBe('completed');
      // A payload no producer writes: a permanent failure, which BullMQ does not retry.
      expect((await runJobOnce(encore, 'order.evaluate', { orderId: -902, event: 'upserted' } as never, 'metrics-902-upserted')).state).toBe('failed');

      const m = await scrape(encore.url);
      expect(m.value('encore_job_duration_seconds_count', { job: 'order.evaluate', outcome: 'completed' })).toBe(1);
      expect(m.value('encore_job_duration_seconds_count', { job: 'order.evaluate', outcome: 'failed' })).toBe(1);
      expect(m.value('encore_job_duration_seconds_bucket', { job: 'order.evaluate', outcome: 'completed', le: '+Inf' })).toBe(1);
      expect(m.value('encore_job_failures_total', { job: 'order.evaluate', final: 'true' })).toBe(1);
      expect(m.value('encore_job_failures_total', { job: 'order.evaluate', final: 'false' })).toBeUndefined();
      expect(m.value('encore_queue_jobs', { queue: 'orders', state: 'failed' })).toBe(1);
    });

    it('counts a failure that will be retried as not final, and the store error behind it', async () => {
      woo.failNext(1, { status: 503 });
      const run = await runJobOnce(encore, 'orders.reconcile', {}, 'metrics-reconcile-1');
      expect(run.state).toBe('delayed');

      const m = await scrape(encore.url);
      expect(m.value('encore_job_failures_total', { job: 'orders.reconcile', final: 'false' })).toBe(1);
      expect(m.value('encore_job_failures_total', { job: 'orders.reconcile', final: 'true' })).toBeUndefined();
      expect(m.value('encore_woocommerce_errors_total', { operation: 'list_orders_modified_after', reason: 'http_5xx' })).toBe(1);
      expect(m.value('encore_woocommerce_request_duration_seconds_count', { operation: 'list_orders_modified_after', status: '5xx' })).toBe(1);
      expect(m.value('encore_queue_jobs', { queue: 'maintenance', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    });
  });

  describe('offer emails', () => {
    let h: EmailHarness;
    afterEach(() => h.close());

    it('counts an email sent to the mail server and one it refused with a 5xx', async () => {
      h = await startEmailHarness({ env: { ENCORE_EMAIL_CAP_DAYS: '0' } });
      await h.createRule({ channels: { thankYou: false, email: { enabled: true, delayHours: 0 } } });
      await h.deliverOrder();
      const [sent] = await h.emailOffers();
      expect(await outcomeOf(h.queue, emailJobId(sent!.id))).toBe('sent');
      h.smtp.failNext(1, { code: 550, stage: 'rcpt' });
      await h.deliverOrder({ id: 4712 });
      const [refused] = await h.emailOffers(4712);
      await expect(outcomeOf(h.queue, emailJobId(refused!.id))).rejects.toThrow(/upstream_rejected/);

      const m = await scrape(h.encore.url);
      expect(m.value('encore_emails_total', { outcome: 'sent', reason: '' })).toBe(1);
      expect(m.value('encore_emails_total', { outcome: 'failed', reason: 'smtp_5xx' })).toBe(1);
      expect(m.sum('encore_emails_total', { outcome: 'skipped' })).toBe(0);
      expect(m.value('encore_job_failures_total', { job: 'offer.email', final: 'true' })).toBe(1);
      expect(m.value('encore_job_duration_seconds_count', { job: 'offer.email', outcome: 'completed' })).toBe(1);
      // The email moved its offer to shown; the refused one stays issued.
      expect(m.value('encore_offers', { state: 'issued' })).toBe(2);
      expect(m.value('encore_offers', { state: 'shown' })).toBe(1);
      expect(m.text).not.toMatch(/zofia|@/);
      const labelValues = m.samples.flatMap((s) => Object.values(s.labels));
      for (const id of ['4711', '4712', sent!.id, refused!.id]) expect(labelValues).not.toContain(id);
    });
  });
});
