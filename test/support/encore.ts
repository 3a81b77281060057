import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startEncore, type Encore, type StartOptions } from '../../src/main';
import { signRequest } from '../../src/security/signed-request';
import { createKeys, type Keys } from '../../src/storage/keys';
import { createRedis, scanKeys, waitReady, type RedisClient, type RedisTarget } from '../../src/storage/redis';

export const TEST_SECRETS = {
  WC_CONSUMER_KEY: 'ck_test_4f1a2b3c4d5e6f708192a3b4',
  WC_CONSUMER_SECRET: 'cs_test_9e8d7c6b5a493827160f1e2d',
  WC_WEBHOOK_SECRET: 'k3Xq9vLmP2wR7tYz',
  ENCORE_SHIM_SECRET: 'shim-secret-Zx81Qp0Lm2',
  ENCORE_TOKEN_KEYS: 'k1:0123456789abcdef0123456789abcdef-test-key-one',
};

export interface TestEncore {
  /** Base URL it answers on: the whole API, or only the operator routes for `ENCORE_ROLE=worker`. */
  url: string;
  config: Config;
  redis: RedisClient;
  keys: Keys;
  /** Every log line the service wrote, as text (to prove what logs never hold). */
  logs: string[];
  /** Sends a request signed like the WordPress plugin signs it. */
  signed(method: string, pathWithQuery: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts the whole service in-process on port 0, against the test redis-server with a fresh
 * namespace, pointed at `storeUrl` (usually the WooCommerce fake). `redis` points it at another
 * deployment instead (e.g. `{ clusterNodes }` of a test cluster); `namespace` shares one with
 * another instance (an `api` and a `worker` process of the same store).
 */
export async function startTestEncore(opts: {
  storeUrl: string;
  env?: Record<string, string>;
  clock?: () => Date;
  faults?: StartOptions['faults'];
  redis?: RedisTarget;
  namespace?: string;
}): Promise<TestEncore> {
  const socket = process.env.ENCORE_TEST_REDIS_SOCKET;
  if (!socket && !opts.redis) throw new Error('ENCORE_TEST_REDIS_SOCKET is not set: run the tests through jest.');
  const target: RedisTarget = opts.redis ?? { path: socket! };
  const namespace = opts.namespace ?? `t${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    ...TEST_SECRETS,
    PORT: '0',
    HOST: '127.0.0.1',
    ENCORE_STORE_URL: opts.storeUrl,
    ENCORE_PUBLIC_URL: 'https://encore.example.com',
    ENCORE_REDIS_NAMESPACE: namespace,
    LOG_LEVEL: 'info',
    // Without SMTP_URL emails become .eml files: keep them out of the working tree.
    ENCORE_OUTBOX_DIR: join(tmpdir(), `encore-outbox-${namespace}`),
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const encore: Encore = await startEncore(config, { logger: createLogger('info', sink), redis: target, clock: opts.clock, faults: opts.faults });
  const redis = createRedis(target, { name: `test-${namespace}` });
  await waitReady(redis);
  const { url } = encore;
  let seq = 0;
  return {
    url,
    config,
    redis,
    keys: createKeys(namespace, { retentionSeconds: config.retentionDays * 86_400 }),
    logs,
    async signed(method, pathWithQuery, body) {
      const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const now = opts.clock ? opts.clock().getTime() : Date.now();
      const headers = signRequest(config.shimSecret, {
        id: `req_${namespace}_${++seq}`,
        timestamp: Math.floor(now / 1000),
        method,
        pathWithQuery,
        body: raw,
      });
      return fetch(`${url}${pathWithQuery}`, {
        method,
        headers: { ...headers, ...(raw ? { 'Content-Type': 'application/json' } : {}) },
        body: raw || undefined,
      });
    },
    async stop() {
      await encore.stop();
      const keysToDelete = await scanKeys(redis, `{${namespace}}:*`, 1000);
      for (let i = 0; i < keysToDelete.length; i += 500) await redis.del(...keysToDelete.slice(i, i + 500));
      await redis.quit();
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A sample rule in the admin API's shape: printer 101 → toner 202, 15 % off, 72 h. */
export const printerTonerRule = (overrides: Record<string, unknown> = {}) => ({
  name: 'Printer → toner',
  enabled: true,
  kind: 'complement',
  trigger: { productIds: [101], minOrderTotal: '0' },
  offer: { productIds: [202], discount: { type: 'percent', amount: '15' } },
  channels: { thankYou: true },
  expiresAfterHours: 72,
  priority: 10,
  ...overrides,
});

/**
 * The order summary the WordPress plugin posts to `/v1/thank-you`: by default paid order 4711,
 * a printer (101) bought by a Polish guest.
 */
export const orderSummary = (overrides: Record<string, unknown> = {}) => ({
  orderId: 4711,
  orderKey: 'wc_order_Qm3Zx8LpT2vKa',
  status: 'processing',
  email: 'zofia.wasik@example.com',
  customerId: 0,
  items: [{ productId: 101, variationId: 0, quantity: 1, total: '199.00' }],
  total: '199.00',
  currency: 'PLN',
  locale: 'pl_PL',
  ...overrides,
});
