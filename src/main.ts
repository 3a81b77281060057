import type { Router } from 'express';
import { version } from '../package.json';
import type { Config } from './config';
import { composeApi } from './compose/api';
import type { Core, Faults } from './compose/core';
import { startWorkerRole } from './compose/workers';
import { createCatalog } from './domain/catalog.service';
import { createCobuyService } from './domain/cobuy.service';
import { createLiftService } from './domain/lift.service';
import { createEmailScheduler } from './domain/offer-email-schedule';
import { createOfferService } from './domain/offer.service';
import { createRedemptionService } from './domain/redemption.service';
import { UNSUBSCRIBE_AUDIENCE } from './domain/unsubscribe.service';
import { createWebhookSetup } from './domain/webhook-setup.service';
import { buildApp } from './http/app';
import { opsRoutes } from './http/ops.routes';
import { listen } from './http/server';
import { withWebhookFastPath } from './http/webhook-fast-path';
import { createWooClient } from './integrations/woocommerce/woo-client';
import type { Logger } from './logger';
import { createMetrics } from './metrics/metrics';
import { createQueues } from './queue/queues';
import { createOfferTokens } from './security/offer-token';
import { createCobuyStore } from './storage/cobuy-store';
import { createCouponIndex } from './storage/coupon-index';
import { createCustomerStore } from './storage/customer-store';
import { createKeys } from './storage/keys';
import { createLiftStore } from './storage/lift-store';
import { createOfferEmailStore } from './storage/offer-email-store';
import { createOfferStore } from './storage/offer-store';
import { createProductCache } from './storage/product-cache';
import { createOrderSnapshotStore } from './storage/order-snapshot-store';
import { createRedemptionStore } from './storage/redemption-store';
import { assertNoEviction, createRedis, quitQuietly, throttledRedisErrorLog, waitReady, type RedisTarget } from './storage/redis';
import { createRuleStore } from './storage/rule-store';
import { createStatsStore } from './storage/stats-store';


export interface StartOptions {
  logger: Logger;
  redis: RedisTarget;
  clock?: () => Date;
  /** Extra axios options for the WooCommerce client (tests: a self-signed store). */
  wooAxiosConfig?: object;
  faults?: Faults;
}

export interface Encore {
  /** Base URL this process answers on: the whole API, or only the ops routes in the worker role. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The composition root: config → Redis → stores and clients → services → HTTP and/or
 * workers, by `config.role` (the API part in `compose/api.ts`, the worker part in
 * `compose/workers.ts`). Nothing else in the codebase builds a dependency.
 */
export async function startEncore(config: Config, opts: StartOptions): Promise<Encore> {
  const { logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  // One throttled log for the connection and the queues on it, which re-emit its errors.
  const redisErrorLog = throttledRedisErrorLog((fields) => logger.warn(fields, 'redis connection error'));
  const redis = createRedis(opts.redis, { name: 'encore', onError: redisErrorLog });
  await waitReady(redis);
  await assertNoEviction(redis);

  const keys = createKeys(config.namespace, { retentionSeconds: config.retentionDays * 86_400 });
  const rules = createRuleStore(redis, keys);
  const offers = createOfferStore(redis, keys);
  const snapshots = createOrderSnapshotStore(redis, keys);
  const queues = createQueues(redis, keys, redisErrorLog);
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

  const core: Core = {
    config,
    logger,
    clock,
    redisTarget: opts.redis,
    redis,
    keys,
    rules,
    offers,
    snapshots,
    queues,
    stats,
    metrics,
    woo,
    tokens,
    offerLink: (offerId, expiresAt) => `${config.publicUrl}/o/${tokens.issue(offerId, expiresAt)}`,
    catalog: createCatalog({
      cache: createProductCache(redis, keys),
      woo,
      onError: (err) => logger.warn({ error: (err as Error).name, reason: (err as Error).message }, 'product lookup failed'),
    }),
    unsubscribeTokens,
    customers,
    offerEmails,
    coupons,
    lift,
    offerService,
    webhookSetup,
    faults: opts.faults,
  };
  const api = config.role === 'worker' ? null : composeApi(core);
  const app = buildApp({ logger, trustProxy: config.trustProxy, routers: [...routers, ...(api?.routers ?? [])] });
  // WooCommerce deliveries are answered before Express (see webhook-fast-path.ts).
  const server = await listen(api ? withWebhookFastPath(app, { deps: api.webhook, logger }) : app, config.port, config.host);
  const workers = config.role === 'api' ? null : await startWorkerRole(core);

  return {
    url: server.url,
    async stop() {
      await server.close();
      await workers?.close();
      await queues.close();
      await quitQuietly(redis);
    },
  };
}
