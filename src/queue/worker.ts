import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../errors';
import { fieldErrors } from '../domain/validation';
import type { Logger } from '../logger';
import type { Keys } from '../storage/keys';
import type { AnyJobDefinition, JobContext } from './job-definition';
import { QUEUE_OF, QUEUE_NAMES } from './queues';

export interface WorkerOptions {
  /** A connection factory: BullMQ workers need their own blocking connections. */
  connection: () => Redis;
  keys: Keys;
  jobs: AnyJobDefinition[];
  /** Jobs one process runs at once per queue. */
  concurrency: number;
  /**
   * Milliseconds a job's lock lasts (renewed every half of it while the job runs) and between
   * checks for stalled jobs: a crashed worker's job runs again elsewhere within about twice
   * this. Default 30,000 (BullMQ's own default).
   */
  lockMs?: number;
  logger: Logger;
}

/**
 * Runs one job: validates its payload (a bad one fails at once) and turns permanent
 * AppErrors into BullMQ's UnrecoverableError; everything else is rethrown, so BullMQ
 * retries it with backoff. Nothing is swallowed.
 */
export async function runJob(
  definitions: ReadonlyMap<string, AnyJobDefinition>,
  job: Pick<Job, 'name' | 'data'> & Partial<Pick<Job, 'attemptsMade' | 'opts' | 'moveToDelayed'>>,
  token?: string,
): Promise<string> {
  const definition = definitions.get(job.name);
  if (!definition) throw new UnrecoverableError(`Unknown job ${job.name}.`);
  const parsed = definition.schema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(`Invalid payload for ${job.name}: ${Object.keys(fieldErrors(parsed.error)).join(', ')}.`);
  }
  try {
    return await (definition.handle as (payload: unknown, ctx: JobContext) => Promise<string>)(parsed.data, contextOf(job, token));
  } catch (err) {
    if (err instanceof AppError && err.permanent) throw new UnrecoverableError(`${err.code}: ${err.message}`);
    throw err;
  }
}

/**
 * The handler's view of its run. `defer` is BullMQ's documented manual delay: move the job to
 * the delayed set with this worker's lock token, then throw DelayedError so that the worker
 * neither completes nor fails it (and no attempt is used).
 */
function contextOf(job: Partial<Pick<Job, 'attemptsMade' | 'opts' | 'moveToDelayed'>>, token: string | undefined): JobContext {
  return {
    lastAttempt: (job.attemptsMade ?? 0) + 1 >= (job.opts?.attempts ?? 1),
    async defer(ms) {
      if (!job.moveToDelayed || token === undefined) throw new Error('This job cannot be deferred outside a BullMQ worker.');
      await job.moveToDelayed(Date.now() + Math.max(0, ms), token);
      throw new DelayedError();
    },
  };
}

export interface Workers {
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue that has jobs. */
export function startWorkers(opts: WorkerOptions): Workers {
  const definitions = new Map(opts.jobs.map((job) => [job.name as string, job]));
  const queues = QUEUE_NAMES.filter((queue) => opts.jobs.some((job) => QUEUE_OF[job.name] === queue));
  const workers = queues.map((queue) => {
    const worker = new Worker(queue, (job, token) => runJob(definitions, job, token), {
      connection: opts.connection(),
      prefix: opts.keys.bullPrefix,
      concurrency: opts.concurrency,
      ...(opts.lockMs === undefined ? {} : { lockDuration: opts.lockMs, stalledInterval: opts.lockMs }),
    });
    worker.on('completed', (job, outcome) =>
      opts.logger.info({ job: job.name, jobId: job.id, outcome, attempts: job.attemptsMade }, 'job done'),
    );
    worker.on('failed', (job, err) =>
      opts.logger.warn(
        { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, error: err.name, reason: err.message },
        'job failed',
      ),
    );
    worker.on('error', (err) => opts.logger.error({ error: err.name, reason: err.message }, 'worker error'));
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
