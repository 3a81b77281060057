import { Queue, QueueEvents, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { AppError } from '../../src/errors';
import type { AnyJobDefinition } from '../../src/queue/job-definition';
import { runJob } from '../../src/queue/worker';
import { blockingConnections, startTestWorkers } from '../support/jobs';
import { connectTestRedis, type TestRedis } from '../support/redis';

/** A definition of `order.evaluate` whose handler the test controls. */
const definition = (handle: (p: { orderId: number }) => Promise<string>): AnyJobDefinition => ({
  name: 'order.evaluate',
  schema: z.object({ orderId: z.number().int().positive(), event: z.enum(['upserted', 'deleted']) }).strict(),
  handle,
});

describe('running jobs', () => {
  it('fails a bad payload or a permanent AppError at once, and rethrows everything else for a retry', async () => {
    const permanent = new Map([['order.evaluate', definition(async () => Promise.reject(new AppError('not_found', 'gone')))]]);
    await expect(runJob(permanent, { name: 'order.evaluate', data: { orderId: 'x' } })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(runJob(permanent, { name: 'no.such', data: {} })).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(runJob(permanent, { name: 'order.evaluate', data: { orderId: 1, event: 'upserted' } })).rejects.toBeInstanceOf(UnrecoverableError);

    const transient = new Map([['order.evaluate', definition(async () => Promise.reject(new AppError('upstream_unavailable', 'later')))]]);
    const err = await runJob(transient, { name: 'order.evaluate', data: { orderId: 1, event: 'upserted' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).not.toBeInstanceOf(UnrecoverableError);
  });

  describe('with real BullMQ', () => {
    let t: TestRedis;
    let workers: { close(): Promise<void> } | undefined;
    let queue: Queue;
    let events: QueueEvents;
    let connections: ReturnType<typeof blockingConnections>;

    beforeEach(async () => {
      connections = blockingConnections();
      t = await connectTestRedis();
      queue = new Queue('orders', { connection: t.redis, prefix: t.keys.bullPrefix });
      events = new QueueEvents('orders', { connection: connections.extra(), prefix: t.keys.bullPrefix });
      await events.waitUntilReady();
    });
    afterEach(async () => {
      await workers?.close();
      await events.close();
      await queue.close();
      await connections.close();
      await t.cleanup();
    });
    const start = async (def: AnyJobDefinition) => {
      workers = await startTestWorkers(t.keys, [def]);
    };

    it('a job with a bad payload fails once, without retries', async () => {
      await start(definition(async () => 'done'));
      const job = await queue.add('order.evaluate', { orderId: -5 }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
      await expect(job.waitUntilFinished(events, 5000)).rejects.toThrow(/Invalid payload/);
      const failed = await queue.getJob(job.id!);
      expect(failed?.attemptsMade).toBe(1);
    });

    it('a transient failure is retried until it succeeds', async () => {
      let calls = 0;
      await start(definition(async () => {
        calls += 1;
        if (calls < 3) throw new AppError('upstream_unavailable', 'not yet');
        return 'offered';
      }));
      const job = await queue.add('order.evaluate', { orderId: 7, event: 'upserted' }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
      await expect(job.waitUntilFinished(events, 5000)).resolves.toBe('offered');
      expect(calls).toBe(3);
    });
  });
});
