import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../errors';

/**
 * Where Redis is: a URL (production), a unix socket (the private development server) or the
 * seed nodes of a Redis Cluster (`redis://host:port` URLs; `rediss://` for TLS).
 */
export type RedisTarget = { url: string } | { path: string } | { clusterNodes: string[] };

/** A connection to one server or to a Redis Cluster: what every store and queue receives. */
export type RedisClient = Redis | Cluster;

/** `unix:///run/redis.sock` → a socket path; any other URL is passed to ioredis as is. */
export function targetFromUrl(url: string): RedisTarget {
  return url.startsWith('unix:') ? { path: decodeURIComponent(new URL(url).pathname) } : { url };
}

/**
 * Opens a connection. `blocking` connections are for BullMQ workers, which require
 * `maxRetriesPerRequest: null`; the others fail a command after a few retries so that an
 * HTTP request answers 503 instead of hanging.
 */
export interface RedisClientOptions {
  blocking?: boolean;
  name?: string;
  /**
   * Hears the connection's errors (refused, reset, …) while ioredis reconnects. Without a
   * listener ioredis prints each one with its stack to stderr.
   */
  onError?: (err: Error) => void;
}

export function createRedis(target: { url: string } | { path: string }, opts?: RedisClientOptions): Redis;
export function createRedis(target: RedisTarget, opts?: RedisClientOptions): RedisClient;
export function createRedis(target: RedisTarget, opts: RedisClientOptions = {}): RedisClient {
  const options: RedisOptions = {
    connectionName: opts.name,
    maxRetriesPerRequest: opts.blocking ? null : 2,
    enableReadyCheck: true,
    lazyConnect: false,
  };
  const client =
    'clusterNodes' in target
      ? createCluster(target.clusterNodes, options)
      : 'url' in target
        ? new Redis(target.url, options)
        : new Redis({ ...options, path: target.path });
  if (opts.onError) client.on('error', opts.onError);
  return client;
}

/**
 * A connection error listener that logs one line (name, code, message; never a stack) at
 * most once per `everyMs` per connection: an outage makes ioredis report every reconnect attempt.
 */
export function throttledRedisErrorLog(log: (fields: Record<string, unknown>) => void, everyMs = 5_000): (err: Error) => void {
  let last = 0;
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < everyMs) {
      suppressed += 1;
      return;
    }
    log({ error: err.name, code: (err as { code?: unknown }).code, reason: err.message.split('\n')[0]!.slice(0, 200), suppressed });
    last = now;
    suppressed = 0;
  };
}

/**
 * A Cluster client from seed URLs. Credentials and TLS come from the first seed and apply to
 * every node, including those discovered through CLUSTER SLOTS (which carry no URL). Node
 * options, `maxRetriesPerRequest` included, must sit in `redisOptions`: BullMQ reads them there.
 */
function createCluster(urls: string[], options: RedisOptions): Cluster {
  const seeds = urls.map((raw) => {
    const url = new URL(raw);
    return { host: url.hostname, port: Number(url.port || 6379) };
  });
  const first = new URL(urls[0]!);
  const tls = first.protocol === 'rediss:';
  return new Cluster(seeds, {
    redisOptions: {
      ...options,
      username: decodeURIComponent(first.username) || undefined,
      password: decodeURIComponent(first.password) || undefined,
      tls: tls ? {} : undefined,
    },
    // With TLS, connect by the name the nodes announce so the certificate check sees it,
    // not an address ioredis resolved beforehand.
    ...(tls ? { dnsLookup: (address: string, done: (err: null, family: string) => void) => done(null, address) } : {}),
    enableReadyCheck: true,
  });
}

/** The master servers: the client itself, or each master a Cluster knows. */
export function mastersOf(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Every key matching `pattern` (SCAN's glob). A Cluster has no cluster-wide SCAN: each master
 * is scanned in turn. For maintenance and tests, never for a request path.
 */
export async function scanKeys(redis: RedisClient, pattern: string, count = 500): Promise<string[]> {
  const found: string[] = [];
  for (const node of mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

/** Waits until the connection is ready, or fails after `timeoutMs`. */
export async function waitReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
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
 * `noeviction` (on a Cluster, every master's: the slot may move to any of them). Read from
 * INFO, which managed services allow where CONFIG GET is blocked.
 */
export async function assertNoEviction(redis: RedisClient): Promise<void> {
  const masters = mastersOf(redis);
  if (masters.length === 0) throw new AppError('not_ready', 'The Redis Cluster reported no master node.');
  for (const node of masters) {
    const info = await node.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy !== 'noeviction') {
      const where = redis instanceof Cluster ? ` on ${node.options.host}:${node.options.port}` : '';
      throw new AppError(
        'not_ready',
        `Redis maxmemory-policy is "${policy ?? 'unknown'}"${where}; Encore needs "noeviction" (CONFIG SET maxmemory-policy noeviction).`,
      );
    }
  }
}

/** Quits a connection unless it is already closed (BullMQ closes the ones its workers were given). */
export async function quitQuietly(redis: RedisClient): Promise<void> {
  if (redis.status === 'end') return;
  await redis.quit().catch(() => redis.disconnect());
}

/** ioredis and Redis messages that mean "not reachable right now, try again" (cluster and single). */
const UNAVAILABLE_MESSAGES = [
  /^Connection is closed\.$/,
  /^Too many Cluster redirections/,
  /^None of startup nodes is available/,
  /^Cluster isn't ready/,
  /^Failed to refresh slots cache/,
  /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN) /,
];
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/**
 * True for the errors a command gets while Redis cannot be reached: ioredis gave up after
 * `maxRetriesPerRequest` reconnection attempts, the connection closed under the command, a
 * cluster lost the node holding the slot, or a restarted server is still loading its AOF.
 * Callers answer "unavailable, try again" (503) rather than an internal error.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'ClusterAllFailedError') return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(err.message));
}
