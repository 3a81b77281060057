import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis';
import { AppError } from '../errors';
import { runScript } from './lua';

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface LockOptions {
  /** Milliseconds the lock lives if its holder dies. */
  ttlMs: number;
  /** Milliseconds to wait for another holder before giving up with `upstream_unavailable`. */
  waitMs: number;
  /** Milliseconds between attempts while waiting. */
  pollMs?: number;
}

/**
 * Runs `fn` while holding a Redis lock (`SET NX PX` with a random value, released only by
 * its holder). Serialises work that must happen once, such as creating an offer's coupon.
 * `fn` learns whether another holder went first (`waited`), so it can use that one's result
 * instead of repeating slow work.
 */
export async function withLock<T>(redis: RedisClient, key: string, opts: LockOptions, fn: (waited: boolean) => Promise<T>): Promise<T> {
  const value = randomBytes(12).toString('hex');
  const deadline = Date.now() + opts.waitMs;
  let waited = false;
  while ((await redis.set(key, value, 'PX', opts.ttlMs, 'NX')) !== 'OK') {
    waited = true;
    if (Date.now() >= deadline) {
      throw new AppError('upstream_unavailable', 'Another request is still preparing this offer.', { retryAfterSeconds: 2 });
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 50));
  }
  try {
    return await fn(waited);
  } finally {
    await runScript(redis, RELEASE, 1, key, value);
  }
}
