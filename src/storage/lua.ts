import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

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
 */
export async function runScript(redis: Redis, script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(shaOf(script), numKeys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script, numKeys, ...args);
  }
}
