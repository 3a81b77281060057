import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/storage/keys';
import { createRedis, waitReady } from '../../src/storage/redis';

/** A connection to the test redis-server plus a key set under a namespace of its own. */
export interface TestRedis {
  redis: Redis;
  keys: Keys;
  namespace: string;
  /** Deletes every key of the namespace and closes the connection. */
  cleanup(): Promise<void>;
}

/**
 * Connects to the redis-server that jest's globalSetup started
 * (`ENCORE_TEST_REDIS_SOCKET`), with a fresh random namespace per call so that tests and
 * test files running in parallel never see each other's keys.
 */
export async function connectTestRedis(): Promise<TestRedis> {
  const socket = process.env.ENCORE_TEST_REDIS_SOCKET;
  if (!socket) throw new Error('ENCORE_TEST_REDIS_SOCKET is not set: run the tests through jest (globalSetup).');
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const keys = createKeys(namespace, { retentionSeconds: 3600 });
  const redis = createRedis({ path: socket }, { name: `test-${namespace}` });
  await waitReady(redis);

  const cleanup = async (): Promise<void> => {
    // The prefix is `{ns}:`; braces are glob-literal in MATCH, only `*?[\` need escaping.
    const pattern = `${keys.prefix}*`;
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (found.length > 0) await redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  };
  return { redis, keys, namespace, cleanup };
}
