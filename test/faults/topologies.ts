import { startRedisCluster } from '../support/redis-cluster';
import { startRedisSingle } from '../support/redis-single';
import type { RedisTopology } from '../support/redis-topology';

/**
 * Every Redis deployment the fault scenarios run on, `[name, starter]` for `describe.each`:
 * one server, and a Redis Cluster of three masters on loopback.
 */
export const TOPOLOGIES: [string, () => Promise<RedisTopology>][] = [
  ['single', startRedisSingle],
  ['cluster', () => startRedisCluster()],
];
