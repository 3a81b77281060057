import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { eventually, printerTonerRule, startTestEncore, type TestEncore } from '../support/encore';
import { delivery, postWebhook } from '../support/fixtures';

type Json = Record<string, any>;

/**
 * Scale-out on one Redis: an `ENCORE_ROLE=api` process takes the webhook, an
 * `ENCORE_ROLE=worker` process (another instance, same namespace) evaluates it.
 */
describe('api and worker roles in separate instances', () => {
  const namespace = `t${randomBytes(6).toString('hex')}`;
  let api: TestEncore;
  let worker: TestEncore | undefined;

  beforeEach(async () => {
    api = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', namespace, env: { ENCORE_ROLE: 'api' } });
  });
  afterEach(async () => {
    await worker?.stop();
    await api.stop();
  });

  const offersOf = async (orderId: number): Promise<Json[]> => ((await (await api.signed('GET', `/v1/admin/orders/${orderId}/offers`)).json()) as Json).offers;

  it('the webhook the api accepts waits in the queue until a worker instance evaluates it', async () => {
    const rule = (await (await api.signed('POST', '/v1/admin/rules', printerTonerRule())).json()) as Json;
    const d = delivery('order-updated-processing');
    expect((await postWebhook(api.url, d.body, d.headers)).status).toBe(202);

    // The api runs no worker: the job is stored and stays waiting.
    const orders = new Queue('orders', { connection: api.redis, prefix: api.keys.bullPrefix });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(await orders.getJobCounts('waiting', 'active', 'completed')).toMatchObject({ waiting: 1, active: 0, completed: 0 });
      expect(await offersOf(4711)).toEqual([]);

      worker = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', namespace, env: { ENCORE_ROLE: 'worker' } });
      // A worker serves only the operator routes: no webhook, no offer links.
      expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
      expect((await postWebhook(worker.url, d.body, d.headers)).status).toBe(404);
      const offers = await eventually(async () => {
        const found = await offersOf(4711);
        return found.length > 0 ? found : undefined;
      });
      expect(offers).toMatchObject([{ ruleId: rule.id, state: 'issued', productIds: [202] }]);
      // The offers are written inside the job; the job completes (and logs) a moment later.
      const counts = await eventually(async () => {
        const now = await orders.getJobCounts('waiting', 'active', 'completed');
        return (now.completed ?? 0) > 0 ? now : undefined;
      });
      expect(counts).toMatchObject({ waiting: 0, active: 0, completed: 1 });
      // Evaluated by the worker instance, not by the one that accepted the webhook.
      // (BullMQ emits 'completed', which logs it, once the move to completed has answered.)
      await eventually(async () => (/"job":"order\.evaluate".*"job done"/.test(worker!.logs.join('')) ? true : undefined));
      expect(api.logs.join('')).not.toMatch(/"job done"/);
    } finally {
      await orders.close();
    }
  });
});
