import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../storage/redis';
import type { Keys } from '../storage/keys';

/**
 * The typed queue facade: queue names, job names and their payloads in one place. Payloads
 * carry ids, never emails or tokens (job data lingers in Redis and in dashboards).
 */
export interface JobPayloads {
  'order.evaluate': { orderId: number; event: 'upserted' | 'deleted' };
  'offer.email': { offerId: string };
  'coupon.cleanup': Record<string, never>;
  'orders.reconcile': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const QUEUE_OF: Readonly<Record<JobName, string>> = {
  'order.evaluate': 'orders',
  'offer.email': 'emails',
  'coupon.cleanup': 'maintenance',
  'orders.reconcile': 'maintenance',
};
export const QUEUE_NAMES = [...new Set(Object.values(QUEUE_OF))];

/**
 * Retries: network errors, 5xx and 429 back off exponentially from 2 s (2, 4, 8 … ≈ 8.5 min
 * in all over 8 attempts). BullMQ reads both from the job itself, so every job stores them
 * (in its `opts` field); the queues add them to every job, scheduled ones included.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
};

/**
 * How long finished jobs stay: completed ones an hour (seconds; at most 1,000 per queue), for
 * inspection, failed ones a week; idempotency never depends on them (the orders' decisions
 * outlive them). Worker options rather than job options: BullMQ applies the worker's to every
 * job that has none of its own, so they are not stored again in each job's `opts` (≈ 75 bytes
 * per job, which BullMQ keeps until the job is gone: for a delayed email, days).
 */
export const KEEP_FINISHED_JOBS = {
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
} as const;

export interface Queues {
  /** Resolves once the job is stored in Redis. `jobId` uses `-`, never `:`. */
  add<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string, opts?: JobsOptions): Promise<void>;
  /** Removes a waiting or delayed job (e.g. the pending email of a revoked offer); no-op when gone. */
  remove(name: JobName, jobId: string): Promise<void>;
  /**
   * Runs `name` every `everyMs`: one schedule in Redis however many processes ask for it.
   * BullMQ runs a new `every` schedule at once; `firstAfterMs` delays its first run instead
   * (a later upsert keeps the running schedule's next time).
   */
  repeat(name: JobName, everyMs: number, opts?: { firstAfterMs?: number }): Promise<void>;
  /** Waiting, active, delayed and failed counts per queue. */
  counts(): Promise<Record<string, Record<string, number>>>;
  /**
   * Per queue, when its oldest waiting job became due (unix ms), or null when none waits. One
   * LRANGE per queue: BullMQ LPUSHes onto the wait list and workers take from its tail, so the
   * tail (`getWaiting(0, 0)`, which reads from the tail) is the oldest.
   */
  oldestWaitingAt(): Promise<Record<string, number | null>>;
  close(): Promise<void>;
}

/**
 * Builds the queues on `connection`. A BullMQ Queue re-emits its connection's errors (a
 * refused reconnect, a write to a socket Redis just closed); one without an 'error' listener
 * prints the whole stack to stderr. `onError` hears them instead: pass the connection's own
 * (throttled) error log, so that an outage is reported once, in one line.
 */
export function createQueues(connection: RedisClient, keys: Keys, onError: (err: Error) => void = () => {}): Queues {
  const queues = new Map(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection, prefix: keys.bullPrefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on('error', onError);
      return [name, queue];
    }),
  );
  const queueFor = (job: JobName) => queues.get(QUEUE_OF[job])!;
  return {
    async add(name, payload, jobId, opts) {
      if (jobId.includes(':')) throw new Error('BullMQ job ids must not contain ":"');
      await queueFor(name).add(name, payload, { ...opts, jobId });
    },
    async remove(name, jobId) {
      const job = await queueFor(name).getJob(jobId);
      if (job && !(await job.isActive())) await job.remove();
    },
    async repeat(name, everyMs, opts) {
      const startDate = opts?.firstAfterMs === undefined ? {} : { startDate: Date.now() + opts.firstAfterMs };
      await queueFor(name).upsertJobScheduler(name.replace('.', '-'), { every: everyMs, ...startDate }, { name, data: {} as never });
    },
    async counts() {
      const entries = await Promise.all(
        [...queues].map(async ([name, queue]) => [name, await queue.getJobCounts('waiting', 'active', 'delayed', 'failed')] as const),
      );
      return Object.fromEntries(entries);
    },
    async oldestWaitingAt() {
      const entries = await Promise.all(
        [...queues].map(async ([name, queue]) => {
          const [job] = await queue.getWaiting(0, 0);
          // `timestamp` is creation; a delayed or retried job became due `delay` ms after it was
          // added or last started (`processedOn`), which is when it started to wait.
          return [name, job ? Math.max(job.timestamp, job.processedOn ?? 0) + (job.delay ?? 0) : null] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
