import type { Cluster, Redis } from 'ioredis';

/** A real Redis deployment for process-level tests: one server or a three-node cluster. */
export interface RedisTopology {
  kind: 'single' | 'cluster';
  /** Env for an Encore process: { REDIS_URL } or { REDIS_CLUSTER_NODES }. */
  env: Record<string, string>;
  /** A new client for assertions; the caller quits it. */
  connect(): Redis | Cluster;
  /** SIGKILLs the server holding the `{namespace}` slot; restartKeyHolder() restarts it on the same port from its AOF. */
  killKeyHolder(namespace: string): Promise<void>;
  restartKeyHolder(namespace: string): Promise<void>;
  stop(): Promise<void>;
}
