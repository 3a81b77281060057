import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createCatalog } from './domain/catalog.service';
import { createOfferService } from './domain/offer.service';
import { createOfferLinkService } from './domain/offer-link.service';
import { createOrderIngest } from './domain/order-ingest.service';
import { createThankYouService } from './domain/thank-you.service';
import { adminRoutes } from './http/admin.routes';
import { privacyRoutes } from './http/privacy.routes';
import { createPrivacyService } from './domain/privacy.service';
import { createPrivacyStore } from './storage/privacy-store';
import { buildApp } from './http/app';
import { offerLinkRoutes } from './http/offer-link.routes';
import { opsRoutes } from './http/ops.routes';
import { requireSignedRequest } from './http/signed-request.middleware';
import { thankYouRoutes } from './http/thank-you.routes';
import { webhookRoutes } from './http/webhook.routes';
import { createWooClient } from './integrations/woocommerce/woo-client';
import type { Logger } from './logger';
import { orderEvaluateJob } from './queue/jobs/order-evaluate.job';
import { createQueues } from './queue/queues';
import { startWorkers, type Workers } from './queue/worker';
import { createOfferTokens } from './security/offer-token';
import { createSignedRequestVerifier } from './security/signed-request';
import { createKeys } from './storage/keys';
import { withLock } from './storage/lock';
import { createOfferStore } from './storage/offer-store';
import { createOrderSnapshotStore } from './storage/order-snapshot-store';
import { createProductCache } from './storage/product-cache';
import { createClickRateLimiter } from './storage/rate-limiter';
import { createReplayStore } from './storage/replay-store';
import { assertNoEviction, createRedis, quitQuietly, waitReady, type RedisTarget } from './storage/redis';
import { createRuleStore } from './storage/rule-store';
import { createCustomerStore } from './storage/customer-store';
import { TTL } from './storage/keys';

export interface StartOptions {
  logger: Logger;
  redis: RedisTarget;
  clock?: () => Date;
  /** Extra axios options for the WooCommerce client (tests: a self-signed store). */
  wooAxiosConfig?: object;
}

export interface Encore {
  /** Base URL the HTTP API listens on, when this process runs the API. */
  url: string | null;
  stop(): Promise<void>;
}

/** Milliseconds in-flight requests get to finish on shutdown. */
const DRAIN_MS = 10_000;

/** Milliseconds the thank-you page may wait for product details missing from the cache. */
const PRODUCT_BUDGET_MS = 800;

/**
 * The composition root: config → Redis → stores and clients → services → HTTP and/or
 * workers, by `config.role`. Nothing else in the codebase builds a dependency.
 */
export async function startEncore(config: Config, opts: StartOptions): Promise<Encore> {
  const { logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  const redis = createRedis(opts.redis, { name: 'encore' });
  await waitReady(redis);
  await assertNoEviction(redis);

  const keys = createKeys(config.namespace, { retentionSeconds: config.retentionDays * 86_400 });
  const rules = createRuleStore(redis, keys);
  const offers = createOfferStore(redis, keys);
  const snapshots = createOrderSnapshotStore(redis, keys);
  const queues = createQueues(redis, keys);
  const woo = createWooClient({
    storeUrl: config.storeUrl,
    consumerKey: config.wc.consumerKey,
    consumerSecret: config.wc.consumerSecret,
    timeoutMs: config.wc.timeoutMs,
    axiosConfig: opts.wooAxiosConfig,
  });
  const tokens = createOfferTokens({ keys: config.tokenKeys, issuer: config.publicUrl, now: () => clock().getTime() });
  const customers = createCustomerStore(redis, keys);
  const offerService = createOfferService({
    rules,
    offers,
    customers,
    paidStatuses: config.paidStatuses,
    maxOffers: config.maxOffers,
    clock,
    consentMetaKey: config.email.consentMetaKey,
  });

  let server: Server | null = null;
  let url: string | null = null;
  if (config.role !== 'worker') {
    const replay = createReplayStore(redis, keys);
    const verifier = createSignedRequestVerifier({ secrets: [config.shimSecret], markSeen: replay.markSeen, now: () => clock().getTime() });
    const signed = requireSignedRequest(verifier);
    const catalog = createCatalog({
      cache: createProductCache(redis, keys),
      woo,
      onError: (err) => logger.warn({ error: (err as Error).name, reason: (err as Error).message }, 'product lookup failed'),
    });
    const thankYou = createThankYouService({
      offerService,
      offers,
      catalog,
      linkFor: (offerId, expiresAt) => `${config.publicUrl}/o/${tokens.issue(offerId, expiresAt)}`,
      clock,
      productBudgetMs: PRODUCT_BUDGET_MS,
    });
    const links = createOfferLinkService({
      offers,
      woo,
      verifyToken: tokens.verify,
      lockCoupon: (offerId, fn) => withLock(redis, keys.couponLock(offerId), { ttlMs: TTL.couponLockMs, waitMs: 8_000 }, fn),
      storeUrl: config.storeUrl,
      clock,
      scannerWindowSeconds: config.email.scannerWindowSeconds,
    });
    const app = buildApp({
      logger,
      trustProxy: config.trustProxy,
      routers: [
        opsRoutes({
          readiness: {
            check: async () => ({ redis: await redis.ping(), queues: await queues.counts() }),
          },
        }),
        webhookRoutes({ secret: config.wc.webhookSecret, ingest: createOrderIngest({ snapshots, queues }) }),
        thankYouRoutes({ signed, thankYou }),
        adminRoutes({ signed, rules, offers, clock }),
        privacyRoutes({
          signed,
          privacy: createPrivacyService({
            customers,
            offers,
            erasure: createPrivacyStore(redis, keys),
            cancelEmail: (offerId) => queues.remove('offer.email', `offer-email-${offerId}`),
          }),
        }),
        offerLinkRoutes({
          links,
          limiter: createClickRateLimiter(redis, keys, config.clickRateLimitPerMinute),
          storeUrl: config.storeUrl,
          clock,
          secureCookies: config.publicUrl.startsWith('https:'),
        }),
      ],
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  }

  let workers: Workers | null = null;
  const workerConnection = config.role === 'api' ? null : createRedis(opts.redis, { blocking: true, name: 'encore-worker' });
  if (workerConnection) {
    workers = startWorkers({
      connection: () => workerConnection,
      keys,
      jobs: [orderEvaluateJob({ offers: offerService, snapshots })],
      concurrency: config.workerConcurrency,
      logger,
    });
  }

  return {
    url,
    async stop() {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        // Keep-alive connections turn idle once their last answer is out: close them as they do,
        // and give requests in flight DRAIN_MS before cutting what is left.
        const idle = setInterval(() => server?.closeIdleConnections(), 100);
        server.closeIdleConnections();
        const cut = setTimeout(() => server?.closeAllConnections(), DRAIN_MS);
        await closing;
        clearInterval(idle);
        clearTimeout(cut);
      }
      await workers?.close();
      await queues.close();
      if (workerConnection) await quitQuietly(workerConnection);
      await quitQuietly(redis);
    },
  };
}
