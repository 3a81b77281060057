import { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, QUEUE_OF, type JobName, type JobPayloads } from '../../src/queue/queues';
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
