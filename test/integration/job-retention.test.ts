import { Queue } from 'bullmq';
import { z } from 'zod';
import { emailJobId } from '../../src/domain/offer-email-schedule';
import { AppError } from '../../src/errors';
import type { AnyJobDefinition } from '../../src/queue/job-definition';
import { createQueues, type Queues } from '../../src/queue/queues';
import { eventually } from '../support/encore';
import { startTestWorkers } from '../support/jobs';
import { connectTestRedis, type TestRedis } from '../support/redis';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Retries and retention on real BullMQ and real Redis: retries travel in each job, retention is
 * the workers' (so it is not stored in every job), and both still apply to every job. Ageing is
 * simulated by moving a finished job's score (its finish time, unix ms) back in BullMQ's
 * completed or failed set, which is what BullMQ's own clean-up compares.
 */
describe('job retries and retention', () => {
  let t: TestRedis;
  let queues: Queues;
  let workers: { close(): Promise<void> } | undefined;
  let orders: Queue;
  /** What the handler does per order id; anything unlisted succeeds. */
  const outcomes = new Map<number, 'permanent' | 'transient'>();

  const definition: AnyJobDefinition = {
    name: 'order.evaluate',
    schema: z.object({ orderId: z.number().int().positive(), event: z.enum(['upserted', 'deleted']) }).strict(),
    handle: async ({ orderId }: { orderId: number }) => {
      const outcome = outcomes.get(orderId);
      if (outcome === 'permanent') throw new AppError('not_found', 'no such order');
      if (outcome === 'transient') throw new AppError('upstream_unavailable', 'later');
      return 'done';
    },
  };

  beforeEach(async () => {
    outcomes.clear();
    t = await connectTestRedis();
    queues = createQueues(t.redis, t.keys);
    orders = new Queue('orders', { connection: t.redis, prefix: t.keys.bullPrefix });
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await queues.close();
    await orders.close();
    await t.cleanup();
  });

  const start = async () => {
    workers = await startTestWorkers(t.keys, [definition]);
  };
  const jobKey = (queue: string, id: string) => `${t.keys.bullPrefix}:${queue}:${id}`;
  const storedOpts = async (queue: string, id: string) => JSON.parse((await t.redis.hget(jobKey(queue, id), 'opts')) ?? '{}') as Record<string, unknown>;
  /** Queues order `orderId` as job `order-<id>` and waits for its first attempt to end. */
  const run = async (orderId: number) => {
    const id = `order-${orderId}`;
    await queues.add('order.evaluate', { orderId, event: 'upserted' }, id);
    return eventually(async () => {
      const job = await orders.getJob(id);
      return job && (job.finishedOn || (job.attemptsMade > 0 && job.failedReason)) ? job : undefined;
    });
  };
  const age = (set: 'completed' | 'failed', id: string, ms: number) => t.redis.zadd(jobKey('orders', set), 'XX', Date.now() - ms, id);
  const kept = async (set: 'completed' | 'failed', id: string) =>
    (await t.redis.zscore(jobKey('orders', set), id)) !== null && (await t.redis.exists(jobKey('orders', id))) === 1;

  it('stores attempts and backoff in every job, scheduled ones included, and no retention', async () => {
    await queues.add('order.evaluate', { orderId: 1, event: 'upserted' }, 'order-1');
    expect(await storedOpts('orders', 'order-1')).toEqual({ attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, jobId: 'order-1' });

    const offerId = 'of_0123456789ab';
    await queues.add('offer.email', { offerId }, emailJobId(offerId), { delay: 48 * HOUR_MS, priority: 991 });
    const email = await storedOpts('emails', offerId);
    expect(Object.keys(email).sort()).toEqual(['attempts', 'backoff', 'delay', 'jobId', 'priority']);
    expect(email).toMatchObject({ attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, jobId: offerId });

    await queues.repeat('coupon.cleanup', HOUR_MS, { firstAfterMs: HOUR_MS });
    const maintenance = new Queue('maintenance', { connection: t.redis, prefix: t.keys.bullPrefix });
    try {
      const [scheduled] = await maintenance.getDelayed();
      expect(scheduled?.opts).toMatchObject({ attempts: 8, backoff: { type: 'exponential', delay: 2_000 } });
      expect(scheduled?.opts).not.toHaveProperty('removeOnComplete');
    } finally {
      await maintenance.close();
    }
  });

  it('removes a completed job after an hour', async () => {
    await start();
    await run(11);
    await run(12);
    await age('completed', 'order-11', HOUR_MS + 1_000);
    await age('completed', 'order-12', HOUR_MS - 60_000);
    await run(13);
    expect(await kept('completed', 'order-11')).toBe(false);
    expect(await kept('completed', 'order-12')).toBe(true);
    expect(await kept('completed', 'order-13')).toBe(true);
  });

  it('keeps at most 1,000 completed jobs, dropping the oldest', async () => {
    await start();
    await run(21);
    await age('completed', 'order-21', 60_000);
    // 999 more recent completions (ids only: BullMQ's count rule ranks the set by score).
    const now = Date.now();
    await t.redis.zadd(jobKey('orders', 'completed'), ...Array.from({ length: 999 }, (_, i) => [now - 1_000 + i, `done-${i}`]).flat());
    await run(22);
    expect(await t.redis.zcard(jobKey('orders', 'completed'))).toBe(1_000);
    expect(await kept('completed', 'order-21')).toBe(false);
    expect(await kept('completed', 'order-22')).toBe(true);
  });

  it('keeps a failed job for a week', async () => {
    await start();
    outcomes.set(31, 'permanent').set(32, 'permanent').set(33, 'permanent');
    expect((await run(31)).attemptsMade).toBe(1);
    await age('failed', 'order-31', 7 * DAY_MS - HOUR_MS);
    await run(32);
    expect(await kept('failed', 'order-31')).toBe(true);
    await age('failed', 'order-31', 7 * DAY_MS + 1_000);
    await run(33);
    expect(await kept('failed', 'order-31')).toBe(false);
    expect(await kept('failed', 'order-32')).toBe(true);
  });

  it('retries a transient failure after 2 s, then 4 s', async () => {
    await start();
    outcomes.set(41, 'transient');
    const first = await run(41);
    expect(await first.getState()).toBe('delayed');
    expect(Number(await t.redis.hget(jobKey('orders', 'order-41'), 'delay'))).toBe(2_000);
    await first.promote();
    await eventually(async () => ((await orders.getJob('order-41'))?.attemptsMade === 2 ? true : undefined));
    await eventually(async () => ((await orders.getJob('order-41'))?.delay === 4_000 ? true : undefined));
    expect(await (await orders.getJob('order-41'))!.getState()).toBe('delayed');
  });
});
