import { Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../errors';

/** Where Redis is: a URL (production) or a unix socket (the private development server). */
export type RedisTarget = { url: string } | { path: string };

/** `unix:///run/redis.sock` → a socket path; any other URL is passed to ioredis as is. */
export function targetFromUrl(url: string): RedisTarget {
  return url.startsWith('unix:') ? { path: decodeURIComponent(new URL(url).pathname) } : { url };
}

/**
 * Opens a connection. `blocking` connections are for BullMQ workers, which require
 * `maxRetriesPerRequest: null`; the others fail a command after a few retries so that an
 * HTTP request answers 503 instead of hanging.
 */
export function createRedis(target: RedisTarget, opts: { blocking?: boolean; name?: string } = {}): Redis {
  const options: RedisOptions = {
    connectionName: opts.name,
    maxRetriesPerRequest: opts.blocking ? null : 2,
    enableReadyCheck: true,
    lazyConnect: false,
  };
  return 'url' in target ? new Redis(target.url, options) : new Redis({ ...options, path: target.path });
}

/** Waits until the connection is ready, or fails after `timeoutMs`. */
export async function waitReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new AppError('not_ready', `Redis did not become ready within ${timeoutMs} ms.`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/**
 * Queues and offers must never be evicted: refuse to run unless the server's policy is
 * `noeviction`. Read from INFO, which managed services allow where CONFIG GET is blocked.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== 'noeviction') {
    throw new AppError(
      'not_ready',
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; Encore needs "noeviction" (CONFIG SET maxmemory-policy noeviction).`,
    );
  }
}

/** Quits a connection unless it is already closed (BullMQ closes the ones its workers were given). */
export async function quitQuietly(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  await redis.quit().catch(() => redis.disconnect());
}

/**
 * True for the errors a command gets while Redis cannot be reached: ioredis gave up after
 * `maxRetriesPerRequest` reconnection attempts, or the connection closed under the command.
 * Callers answer "unavailable, try again" (503) rather than an internal error.
 */
export function isRedisUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  return e?.name === 'MaxRetriesPerRequestError' || (e instanceof Error && e.message === 'Connection is closed.');
}
