import type { Router } from 'express';
import { version } from '../package.json';
import type { Config } from './config';
import { createCatalog } from './domain/catalog.service';
import { createOfferService } from './domain/offer.service';
import { createOfferLinkService } from './domain/offer-link.service';
import { createOrderIngest } from './domain/order-ingest.service';
import { createCouponCleanup } from './domain/coupon-cleanup.service';
import { createRedemptionService } from './domain/redemption.service';
import { createThankYouService } from './domain/thank-you.service';
import { createHealthCheck } from './domain/health.service';
import { createReconciler } from './domain/reconcile.service';
import { createWebhookSetup } from './domain/webhook-setup.service';
import { adminRoutes } from './http/admin.routes';
import { adminOpsRoutes } from './http/admin-ops.routes';
import { privacyRoutes } from './http/privacy.routes';
import { createPrivacyService } from './domain/privacy.service';
import { createPrivacyStore } from './storage/privacy-store';
import { buildApp } from './http/app';
import { offerLinkRoutes } from './http/offer-link.routes';
import { opsRoutes } from './http/ops.routes';
import { listen, type HttpServer } from './http/server';
import { createMetrics } from './metrics/metrics';
import { requireSignedRequest } from './http/signed-request.middleware';
import { thankYouRoutes } from './http/thank-you.routes';
import { webhookRoutes, type WebhookDeps } from './http/webhook.routes';
import { withWebhookFastPath } from './http/webhook-fast-path';
import { createWooClient } from './integrations/woocommerce/woo-client';
import type { Logger } from './logger';
import { orderEvaluateJob } from './queue/jobs/order-evaluate.job';
import { couponCleanupJob } from './queue/jobs/coupon-cleanup.job';
import { ordersReconcileJob } from './queue/jobs/orders-reconcile.job';
import { createQueues } from './queue/queues';
import { startWorkers, type Workers } from './queue/worker';
import { createOfferTokens } from './security/offer-token';
import { createSignedRequestVerifier } from './security/signed-request';
import { createKeys } from './storage/keys';
import { withLock } from './storage/lock';
import { createOfferStore } from './storage/offer-store';
import { createCouponIndex } from './storage/coupon-index';
import { createRedemptionStore } from './storage/redemption-store';
import { createOrderSnapshotStore } from './storage/order-snapshot-store';
import { createReconcileStore } from './storage/reconcile-store';
import { createStatsStore } from './storage/stats-store';
import { createProductCache } from './storage/product-cache';
import { createClickRateLimiter } from './storage/rate-limiter';
import { createReplayStore } from './storage/replay-store';
import { assertNoEviction, createRedis, quitQuietly, waitReady, type RedisTarget } from './storage/redis';
import { createRuleStore } from './storage/rule-store';
import { createCustomerStore } from './storage/customer-store';
import { createCobuyStore } from './storage/cobuy-store';
import { createCobuyService } from './domain/cobuy.service';
import { TTL } from './storage/keys';
import { createEmailScheduler } from './domain/offer-email-schedule';
import { createOfferEmailService } from './domain/offer-email.service';
import { createUnsubscribeService, EMAIL_HASH_CLAIM, UNSUBSCRIBE_AUDIENCE, UNSUBSCRIBE_TOKEN_DAYS } from './domain/unsubscribe.service';
import { unsubscribeRoutes } from './http/unsubscribe.routes';
import { createMailer, type Mailer } from './integrations/mail/mailer';
import { offerEmailJob } from './queue/jobs/offer-email.job';
import { createOfferEmailStore } from './storage/offer-email-store';
import { createLiftStore } from './storage/lift-store';
import { createLiftService } from './domain/lift.service';

export interface StartOptions {
  logger: Logger;
  redis: RedisTarget;
  clock?: () => Date;
  /** Extra axios options for the WooCommerce client (tests: a self-signed store). */
  wooAxiosConfig?: object;
  /** Tests only: faults injected at chosen points, e.g. a worker dying right after SMTP accepted an email. */
  faults?: { afterEmailAccepted?: (offerId: string) => Promise<void> | void };
}

export interface Encore {
  /** Base URL this process answers on: the whole API, or only the ops routes in the worker role. */
  url: string;
  stop(): Promise<void>;
}

/** Milliseconds between runs of `coupon.cleanup`. */
const COUPON_CLEANUP_EVERY_MS = 3_600_000;

/** Milliseconds the thank-you page may wait for product details missing from the cache. */
const PRODUCT_BUDGET_MS = 800;

/** Milliseconds an offer email may wait for product names missing from the cache (then `#id`). */
const EMAIL_PRODUCT_BUDGET_MS = 3_000;

/** Most SMTP connections one worker process keeps open (count); fewer when concurrency is lower. */
const MAX_SMTP_CONNECTIONS = 10;

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
  const stats = createStatsStore(redis, keys);
  const metrics = createMetrics({
    role: config.role,
    version,
    sources: {
      queueCounts: () => queues.counts(),
      oldestWaitingAt: () => queues.oldestWaitingAt(),
      offerTotals: () => stats.offerTotals(),
      now: () => Date.now(),
      onError: (source, err) => logger.warn({ source, error: (err as Error).name, reason: (err as Error).message }, 'metrics source failed'),
    },
  });
  const woo = createWooClient({
    storeUrl: config.storeUrl,
    consumerKey: config.wc.consumerKey,
    consumerSecret: config.wc.consumerSecret,
    timeoutMs: config.wc.timeoutMs,
    axiosConfig: opts.wooAxiosConfig,
    observe: metrics.wooCall,
  });
  const tokens = createOfferTokens({ keys: config.tokenKeys, issuer: config.publicUrl, now: () => clock().getTime() });
  const customers = createCustomerStore(redis, keys);
  const unsubscribeTokens = createOfferTokens({
    keys: config.tokenKeys,
    issuer: config.publicUrl,
    now: () => clock().getTime(),
    audience: UNSUBSCRIBE_AUDIENCE,
  });
  const offerEmails = createOfferEmailStore(redis, keys);
  const emailScheduler = createEmailScheduler({ queues, store: offerEmails, offers, clock, capDays: config.email.capDays });
  const coupons = createCouponIndex(redis, keys);
  const redemptions = createRedemptionService({
    coupons,
    redemptions: createRedemptionStore(redis, keys),
    paidStatuses: config.paidStatuses,
    clock,
    logger,
  });
  const lift = createLiftStore(redis, keys);
  const liftService = createLiftService({ lift, clock });
  const offerService = createOfferService({
    rules,
    offers,
    customers,
    paidStatuses: config.paidStatuses,
    maxOffers: config.maxOffers,
    clock,
    consentMetaKey: config.email.consentMetaKey,
    onOrder: redemptions.applyOrder,
    scheduleEmails: emailScheduler.schedule,
    onRevoked: emailScheduler.cancelForOrder,
    cobuy: createCobuyService({
      store: createCobuyStore(redis, keys, config.cobuyHalfLifeDays),
      customers,
      halfLifeDays: config.cobuyHalfLifeDays,
      clock,
    }),
    storeUrl: config.storeUrl,
    lift,
    onPaid: liftService.recordConversions,
  });
  const webhookSetup = createWebhookSetup({ woo, deliveryUrl: `${config.publicUrl}/webhooks/woocommerce`, secret: config.wc.webhookSecret });

  // Every role answers the ops routes, so that an operator scrapes every process.
  const routers: Router[] = [
    opsRoutes({
      readiness: {
        check: async () => ({ redis: await redis.ping(), queues: await queues.counts() }),
      },
      metrics: { registry: metrics.registry, token: config.metricsToken },
    }),
  ];
  let webhook: WebhookDeps | null = null;
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
    webhook = { secret: config.wc.webhookSecret, ingest: createOrderIngest({ snapshots, queues }), observe: metrics.webhook };
    routers.push(
      webhookRoutes(webhook),
      thankYouRoutes({ signed, thankYou }),
      adminRoutes({ signed, rules, offers, clock }),
      adminOpsRoutes({
        signed,
        webhooks: webhookSetup,
        health: createHealthCheck({ pingRedis: () => redis.ping(), queueCounts: () => queues.counts(), woo, webhooks: webhookSetup }),
        stats,
        rules,
        clock,
      }),
      privacyRoutes({
        signed,
        privacy: createPrivacyService({
          customers,
          offers,
          erasure: createPrivacyStore(redis, keys),
          exposures: lift,
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
      unsubscribeRoutes({
        unsubscribe: createUnsubscribeService({ verifyToken: unsubscribeTokens.verify, customers, offers, store: offerEmails, clock }),
        limiter: createClickRateLimiter(redis, keys, config.clickRateLimitPerMinute),
        storeUrl: config.storeUrl,
        clock,
      }),
    );
  }
  const app = buildApp({ logger, trustProxy: config.trustProxy, routers });
  // WooCommerce deliveries are answered before Express (see webhook-fast-path.ts).
  const server: HttpServer = await listen(webhook ? withWebhookFastPath(app, { deps: webhook, logger }) : app, config.port, config.host);

  let workers: Workers | null = null;
  const reconcileEveryMs = config.reconcileMinutes * 60_000;
  const workerConnection = config.role === 'api' ? null : createRedis(opts.redis, { blocking: true, name: 'encore-worker' });
  let mailer: Mailer | null = null;
  if (workerConnection) {
    mailer = createMailer({
      smtpUrl: config.email.smtpUrl,
      outboxDir: config.email.outboxDir,
      maxConnections: Math.min(config.workerConcurrency, MAX_SMTP_CONNECTIONS),
    });
    const emails = createOfferEmailService({
      offers,
      rules,
      customers,
      store: offerEmails,
      mailer,
      catalog: createCatalog({
        cache: createProductCache(redis, keys),
        woo,
        onError: (err) => logger.warn({ error: (err as Error).name, reason: (err as Error).message }, 'product lookup failed'),
      }),
      links: {
        offer: (offerId, expiresAt) => `${config.publicUrl}/o/${tokens.issue(offerId, expiresAt)}`,
        unsubscribe: (offerId, emailHash) => {
          const expiresAt = new Date(clock().getTime() + UNSUBSCRIBE_TOKEN_DAYS * 86_400_000);
          return `${config.publicUrl}/u/${unsubscribeTokens.issue(offerId, expiresAt, { [EMAIL_HASH_CLAIM]: emailHash })}`;
        },
      },
      clock,
      settings: {
        from: config.email.from,
        unsubscribeMailto: config.email.unsubscribeMailto,
        capDays: config.email.capDays,
        consentRequired: Boolean(config.email.consentMetaKey),
        defaultLocale: config.email.defaultLocale,
        messageIdHost: new URL(config.publicUrl).hostname,
        storeName: new URL(config.storeUrl).hostname,
      },
      productBudgetMs: EMAIL_PRODUCT_BUDGET_MS,
      afterAccepted: opts.faults?.afterEmailAccepted,
      observe: metrics.email,
    });
    workers = await startWorkers({
      connection: () => workerConnection,
      keys,
      jobs: [
        orderEvaluateJob({ offers: offerService, snapshots }),
        offerEmailJob({ emails }),
        couponCleanupJob({ cleanup: createCouponCleanup({ coupons, offers, woo, clock, logger }) }),
        ordersReconcileJob({
          reconciler: createReconciler({
            woo,
            snapshots,
            ingest: createOrderIngest({ snapshots, queues }),
            cursor: createReconcileStore(redis, keys),
            webhooks: webhookSetup,
            clock,
            intervalMs: reconcileEveryMs,
            logger,
          }),
        }),
      ],
      concurrency: config.workerConcurrency,
      lockMs: config.jobLockMs,
      logger,
      observe: metrics.job,
    });
    // One schedule in Redis however many workers start; deploys do not each trigger a run.
    await queues.repeat('coupon.cleanup', COUPON_CLEANUP_EVERY_MS, { firstAfterMs: COUPON_CLEANUP_EVERY_MS });
    // The first sweep one interval after the schedule is made (its look-back of two intervals
    // covers the gap); a restart keeps the schedule's next time.
    await queues.repeat('orders.reconcile', reconcileEveryMs, { firstAfterMs: reconcileEveryMs });
  }

  return {
    url: server.url,
    async stop() {
      await server.close();
      await workers?.close();
      mailer?.close();
      await queues.close();
      if (workerConnection) await quitQuietly(workerConnection);
      await quitQuietly(redis);
    },
  };
}
