import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { startTestEncore } from '../support/encore';
import { useWebhookStage } from '../support/webhook-stage';

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** The webhook endpoint against a real Redis and BullMQ; WooCommerce is not called at all here. */
describe('POST /webhooks/woocommerce', () => {
  const stage = useWebhookStage();
  const { queued, snapshotKeys } = stage;
  async function expectNothingStored(): Promise<void> {
    expect(await queued()).toHaveLength(0);
    expect(await snapshotKeys()).toHaveLength(0);
  }

  it('answers the creation ping with exactly 200', async () => {
    const ping = delivery('ping');
    const res = await postWebhook(stage.encore.url, ping.body, ping.headers);
    expect(res.status).toBe(200);
    await expectNothingStored();
  });

  it('accepts every signed order delivery as sent, and queues order.evaluate with ids only', async () => {
    for (const name of ['order-created-pending', 'order-updated-processing', 'order-updated-cancelled', 'order-updated-refunded']) {
      const d = delivery(name);
      const res = await postWebhook(stage.encore.url, d.body, d.headers);
      expect(res.status).toBe(202);
    }
    const jobs = await queued();
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(['order.evaluate']));
    for (const job of jobs) {
      expect(Object.keys(job.data).sort()).toEqual(['event', 'orderId']);
      expect(job.id).not.toContain(':');
      expect(JSON.stringify(job.data)).not.toContain('@');
    }
    expect(jobs.map((j) => j.data.orderId).sort()).toEqual([4711, 4711, 4711, 4713]);
  });

  it('accepts a delivery signed with a secret WordPress stored HTML-escaped', async () => {
    const d = delivery('order-updated-processing-entity-secret');
    const withThatSecret = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api', WC_WEBHOOK_SECRET: d.secret! } });
    try {
      expect((await postWebhook(withThatSecret.url, d.body, d.headers)).status).toBe(202);
    } finally {
      await withThatSecret.stop();
    }
  });

  it('queues a revocation for order.deleted', async () => {
    const d = delivery('order-deleted');
    const res = await postWebhook(stage.encore.url, d.body, d.headers);
    expect(res.status).toBe(202);
    const [job] = await queued();
    expect(job?.data).toEqual({ orderId: 4713, event: 'deleted' });
  });

  it('stores the same order version once however often it is delivered', async () => {
    const d = delivery('order-updated-processing');
    for (let i = 0; i < 3; i++) expect((await postWebhook(stage.encore.url, d.body, d.headers)).status).toBe(202);
    expect(await queued()).toHaveLength(1);
  });

  describe('rejections store and queue nothing', () => {
    it('when the signature header is missing: 401', async () => {
      const d = delivery('order-updated-processing');
      const { 'X-WC-Webhook-Signature': _omit, ...headers } = d.headers;
      const res = await postWebhook(stage.encore.url, d.body, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('invalid_signature');
      await expectNothingStored();
    });

    it('when the signature is wrong: 401', async () => {
      const d = delivery('order-updated-processing');
      const body = Buffer.from(d.body);
      body[100]! ^= 1;
      const res = await postWebhook(stage.encore.url, body, d.headers);
      expect(res.status).toBe(401);
      await expectNothingStored();
    });

    it('when the body is over 1 MB: 413', async () => {
      const d = delivery('order-updated-processing');
      const res = await postWebhook(stage.encore.url, Buffer.alloc(1024 * 1024 + 10, 0x20), d.headers);
      expect(res.status).toBe(413);
      await expectNothingStored();
    });

    it('when a signed body is not JSON: 400', async () => {
      const d = delivery('order-updated-processing');
      const signed = signedDelivery(d, 'not json at all', d.secret!);
      const res = await postWebhook(stage.encore.url, signed.body, signed.headers);
      expect(res.status).toBe(400);
      await expectNothingStored();
    });

    it('when a signed body is not an order: 400 naming the fields', async () => {
      const d = delivery('order-updated-processing');
      const signed = signedDelivery(d, { id: 5, name: 'A product' }, d.secret!);
      const res = await postWebhook(stage.encore.url, signed.body, signed.headers);
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('invalid_request');
      expect(Object.keys(body.error.fields ?? {}).length).toBeGreaterThan(0);
      await expectNothingStored();
    });

    it('when a signed delivery has a topic that is not an order: 400', async () => {
      const d = delivery('order-updated-processing');
      const signed = signedDelivery(d, processingOrder(), d.secret!, 'product.updated');
      const res = await postWebhook(stage.encore.url, signed.body, signed.headers);
      expect(res.status).toBe(400);
      await expectNothingStored();
    });
  });
});
