import type { ZodType } from 'zod';
import type { JobName, JobPayloads } from './queues';

/** One small declarative record per job: its name, payload schema and handler. */
export interface JobDefinition<N extends JobName> {
  name: N;
  schema: ZodType<JobPayloads[N]>;
  /** Throws to fail the attempt: AppErrors that are permanent stop retries, the rest retry. */
  handle(payload: JobPayloads[N], ctx: JobContext): Promise<string>;
}

/**
 * What a handler may know and do about the run of its job beyond the payload. Kept this small
 * so that handlers stay free of BullMQ: `offer.email` needs to know whether a failure is final
 * (to give back a capped email slot) and to wait without using up an attempt (the cap).
 */
export interface JobContext {
  /** True when a failure of this attempt is not retried. */
  lastAttempt: boolean;
  /** Puts the job back to run again in `ms` under the same id, without using an attempt, and ends this run. */
  defer(ms: number): Promise<never>;
}

export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];
