import { startRedisSingle } from '../support/redis-single';
import type { RedisTopology } from '../support/redis-topology';

/** Every Redis deployment the fault scenarios run on: `[name, starter]` for `describe.each`. */
export const TOPOLOGIES: [string, () => Promise<RedisTopology>][] = [['single', startRedisSingle]];
