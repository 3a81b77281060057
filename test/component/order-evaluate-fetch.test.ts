import { Queue } from 'bullmq';
import { delivery } from '../support/fixtures';
import { eventually, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { startWooFake, type WooFake } from '../support/woo-fake';

/**
 * An `order.evaluate` job whose snapshot is gone (it expired, or a Redis failure lost the write
 * sent with the job) reads the order from the store instead of failing, which would also keep
 * its job id, and so any later delivery of that version, blocked for a week.
 */
describe('order.evaluate without a stored snapshot', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let queue: Queue;

  beforeEach(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url });
    queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
  });
  afterEach(async () => {
    await queue.close();
    await encore.stop();
    await woo.close();
  });

  const evaluate = async (orderId: number) => {
    const job = await queue.add('order.evaluate', { orderId, event: 'upserted' }, { jobId: `order-${orderId}-test` });
    return eventually(async () => ((await job.isCompleted()) ? job : (await job.isFailed()) ? job : undefined));
  };

  it('applies the order as the store has it: the offers are issued', async () => {
    woo.orders.push(JSON.parse(delivery('order-updated-processing').body.toString('utf8')));
    const job = await evaluate(4711);
    expect(await job.isCompleted()).toBe(true);
    expect(woo.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/orders/4711'))).toHaveLength(1);
    const ids = JSON.parse((await encore.redis.hget(encore.keys.orderOffers(4711), 'ids')) ?? '[]') as string[];
    expect(ids).toHaveLength(1);
  });

  it('completes without offers when the store has no such order', async () => {
    const job = await evaluate(4711);
    expect(await job.isCompleted()).toBe(true);
    expect((await queue.getJob(job.id!))?.returnvalue).toBe('not_in_store');
    expect(await encore.redis.exists(encore.keys.orderOffers(4711))).toBe(0);
  });
});
