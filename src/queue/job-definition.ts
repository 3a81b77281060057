import type { ZodType } from 'zod';
import type { JobName, JobPayloads } from './queues';

/** One small declarative record per job: its name, payload schema and handler. */
export interface JobDefinition<N extends JobName> {
  name: N;
  schema: ZodType<JobPayloads[N]>;
  /** Throws to fail the attempt: AppErrors that are permanent stop retries, the rest retry. */
  handle(payload: JobPayloads[N]): Promise<string>;
}

export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];
