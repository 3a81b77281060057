import { createHash } from 'node:crypto';
import type { RedisClient } from './redis';

const shas = new Map<string, string>();
const shaOf = (script: string): string => {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
};

/**
 * Runs a Lua script by its SHA (EVALSHA), sending the whole text only the first time a server
 * has not seen it (NOSCRIPT, e.g. after a restart). Every store's scripts go through here, so
 * hot paths such as webhook ingest do not ship kilobytes of Lua per call.
 *
 * On a Redis Cluster, ioredis routes both EVALSHA and the EVAL fallback by the first key, so the
 * script runs (and is cached) on the node that owns the `{namespace}` slot; each node has its
 * own script cache, hence NOSCRIPT after a failover or restart. A script without keys would go
 * to a random node: at least one key is required.
 */
export async function runScript(redis: RedisClient, script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
  if (numKeys < 1) throw new Error('A Lua script needs at least one key in KEYS to be routed on a Redis Cluster.');
  try {
    return await redis.evalsha(shaOf(script), numKeys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script, numKeys, ...args);
  }
}
