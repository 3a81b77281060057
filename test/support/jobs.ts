import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createLogger } from '../../src/logger';
import type { AnyJobDefinition } from '../../src/queue/job-definition';
import { DEFAULT_JOB_OPTIONS, QUEUE_OF, type JobName, type JobPayloads } from '../../src/queue/queues';
import { startWorkers, type Workers } from '../../src/queue/worker';
import type { Keys } from '../../src/storage/keys';
import { createRedis, quitQuietly } from '../../src/storage/redis';
import { eventually, type TestEncore } from './encore';

export interface JobResult {
  /** BullMQ state once the first attempt ended: `completed`, `failed`, or `delayed`/`waiting` for a retry. */
  state: string;
  returnvalue: unknown;
  failedReason: string | undefined;
  attemptsMade: number;
}

/**
 * Queues one job through real BullMQ, with the service's own job options, and waits until the
 * service's worker has finished its first attempt (success, or a failure that is either final
 * or waiting to be retried).
 */
export async function runJobOnce<N extends JobName>(encore: TestEncore, name: N, payload: JobPayloads[N], jobId: string, timeoutMs = 8_000): Promise<JobResult> {
  const queue = new Queue(QUEUE_OF[name], { connection: encore.redis, prefix: encore.keys.bullPrefix });
  try {
    await queue.add(name, payload, { ...DEFAULT_JOB_OPTIONS, jobId });
    return await eventually(async () => {
      // Decide on one snapshot of the job: BullMQ writes finishedOn with the return value, and
      // failedReason with attemptsMade, so a snapshot that has them has the rest too.
      const job = await queue.getJob(jobId);
      if (!job || !(job.finishedOn || (job.attemptsMade > 0 && job.failedReason))) return undefined;
      return { state: await job.getState(), returnvalue: job.returnvalue, failedReason: job.failedReason || undefined, attemptsMade: job.attemptsMade };
    }, timeoutMs);
  } finally {
    await queue.close();
  }
}

/**
 * Real BullMQ workers for `jobs` on the test Redis (concurrency 1, silent), each on its own
 * blocking connection as the service makes them; `close()` stops them and quits those
 * connections. `extra()` hands out one more blocking connection closed with them (QueueEvents).
 */
export async function startTestWorkers(keys: Keys, jobs: AnyJobDefinition[]): Promise<{ workers: Workers; close(): Promise<void> }> {
  const pool = blockingConnections();
  const workers = await startWorkers({ connection: pool.extra, keys, jobs, concurrency: 1, logger: createLogger('silent') });
  return {
    workers,
    async close() {
      await workers.close();
      await pool.close();
    },
  };
}

/** Blocking connections to the test Redis, all quit by `close()`. */
export function blockingConnections(): { extra(): Redis; close(): Promise<void> } {
  const made: Redis[] = [];
  return {
    extra() {
      const c = createRedis({ path: process.env.ENCORE_TEST_REDIS_SOCKET! }, { blocking: true }) as Redis;
      made.push(c);
      return c;
    },
    close: async () => void (await Promise.all(made.splice(0).map(quitQuietly))),
  };
}
