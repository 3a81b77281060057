import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { RedisClient } from '../storage/redis';
import { AppError } from '../errors';
import { fieldErrors } from '../domain/validation';
import type { Logger } from '../logger';
import type { Keys } from '../storage/keys';
import type { AnyJobDefinition, JobContext } from './job-definition';
import { KEEP_FINISHED_JOBS, QUEUE_OF, QUEUE_NAMES } from './queues';

export interface WorkerOptions {
  /** A connection factory: BullMQ workers need their own blocking connections. */
  connection: () => RedisClient;
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
  /** Told about every run of a job (metrics). */
  observe?: JobObserver;
}

/** One run of a job: how it ended and how long it took. */
export interface JobRun {
  /** The job name (`order.evaluate` …), or `unknown` for a name no definition has. */
  job: string;
  /** `deferred`: the handler put the job back to wait (no attempt used). */
  outcome: 'completed' | 'failed' | 'deferred';
  seconds: number;
  /** For a failure: true when BullMQ will not retry it (unrecoverable, or no attempt left). */
  final: boolean;
}

export type JobObserver = (run: JobRun) => void;

/**
 * Runs one job: validates its payload (a bad one fails at once) and turns permanent
 * AppErrors into BullMQ's UnrecoverableError; everything else is rethrown, so BullMQ
 * retries it with backoff. Nothing is swallowed. `observe` hears how the run ended and how long
 * it took; `job` is `unknown` for a name no definition has, so a stray job adds no label value.
 */
export async function runJob(
  definitions: ReadonlyMap<string, AnyJobDefinition>,
  job: Pick<Job, 'name' | 'data'> & Partial<Pick<Job, 'attemptsMade' | 'opts' | 'moveToDelayed'>>,
  token?: string,
  observe?: JobObserver,
): Promise<string> {
  if (!observe) return execute(definitions, job, token);
  const started = performance.now();
  const name = definitions.has(job.name) ? job.name : 'unknown';
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await execute(definitions, job, token);
    observe({ job: name, outcome: 'completed', seconds: seconds(), final: false });
    return result;
  } catch (err) {
    const deferred = err instanceof DelayedError;
    const final = !deferred && (err instanceof UnrecoverableError || contextOf(job, token).lastAttempt);
    observe({ job: name, outcome: deferred ? 'deferred' : 'failed', seconds: seconds(), final });
    throw err;
  }
}

/** The run itself: payload check, handler, and the mapping of permanent errors. */
async function execute(
  definitions: ReadonlyMap<string, AnyJobDefinition>,
  job: Pick<Job, 'name' | 'data'> & Partial<Pick<Job, 'attemptsMade' | 'opts' | 'moveToDelayed'>>,
  token: string | undefined,
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

/**
 * Starts one BullMQ worker per queue that has jobs; resolves once each one's connections are
 * up. (A worker closed while its blocking connection is still connecting drops its listeners
 * first, and the late connection error would then have none.)
 */
export async function startWorkers(opts: WorkerOptions): Promise<Workers> {
  const definitions = new Map(opts.jobs.map((job) => [job.name as string, job]));
  const queues = QUEUE_NAMES.filter((queue) => opts.jobs.some((job) => QUEUE_OF[job.name] === queue));
  const workers = queues.map((queue) => {
    const worker = new Worker(queue, (job, token) => runJob(definitions, job, token, opts.observe), {
      connection: opts.connection(),
      prefix: opts.keys.bullPrefix,
      concurrency: opts.concurrency,
      ...KEEP_FINISHED_JOBS,
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
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
