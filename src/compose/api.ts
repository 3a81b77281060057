import type { Router } from 'express';
import { createHealthCheck } from '../domain/health.service';
import { createOfferLinkService } from '../domain/offer-link.service';
import { emailJobId } from '../domain/offer-email-schedule';
import { createOrderIngest } from '../domain/order-ingest.service';
import { createPrivacyService } from '../domain/privacy.service';
import { createThankYouService } from '../domain/thank-you.service';
import { createUnsubscribeService } from '../domain/unsubscribe.service';
import { adminRoutes } from '../http/admin.routes';
import { adminOpsRoutes } from '../http/admin-ops.routes';
import { offerLinkRoutes } from '../http/offer-link.routes';
import { privacyRoutes } from '../http/privacy.routes';
import { requireSignedRequest } from '../http/signed-request.middleware';
import { thankYouRoutes } from '../http/thank-you.routes';
import { unsubscribeRoutes } from '../http/unsubscribe.routes';
import { webhookRoutes, type WebhookDeps } from '../http/webhook.routes';
import { createSignedRequestVerifier } from '../security/signed-request';
import { TTL } from '../storage/keys';
import { withLock } from '../storage/lock';
import { createPrivacyStore } from '../storage/privacy-store';
import { createClickRateLimiter } from '../storage/rate-limiter';
import { createReplayStore } from '../storage/replay-store';
import { coalesceWrites } from '../storage/write-batch';
import type { Core } from './core';

/** Milliseconds the thank-you page may wait for product details missing from the cache. */
const PRODUCT_BUDGET_MS = 800;

/**
 * The API role's part of the composition root: the routers of every public and signed route,
 * and the webhook route's dependencies (which the node:http fast path serves too).
 */
export function composeApi(core: Core): { routers: Router[]; webhook: WebhookDeps } {
  const { config, logger, clock, redis, keys, rules, offers, snapshots, queues, stats, metrics, woo } = core;
  const { tokens, offerLink, catalog, unsubscribeTokens, customers, offerEmails, lift, offerService, webhookSetup } = core;
  const replay = createReplayStore(redis, keys);
  const verifier = createSignedRequestVerifier({ secrets: [config.shimSecret], markSeen: replay.markSeen, now: () => clock().getTime() });
  const signed = requireSignedRequest(verifier);
  const thankYou = createThankYouService({
    offerService,
    offers,
    catalog,
    linkFor: offerLink,
    clock,
    productBudgetMs: PRODUCT_BUDGET_MS,
  });
  // One per-IP budget for offer links and unsubscribe links alike.
  const limiter = createClickRateLimiter(redis, keys, config.clickRateLimitPerMinute);
  const links = createOfferLinkService({
    offers,
    woo,
    verifyToken: tokens.verify,
    lockCoupon: (offerId, fn) => withLock(redis, keys.couponLock(offerId), { ttlMs: TTL.couponLockMs, waitMs: 8_000 }, fn),
    storeUrl: config.storeUrl,
    clock,
    scannerWindowSeconds: config.email.scannerWindowSeconds,
  });
  const webhook: WebhookDeps = { secret: config.wc.webhookSecret, ingest: createOrderIngest({ snapshots, queues, coalesce: () => coalesceWrites(redis) }), observe: metrics.webhook };
  const routers: Router[] = [
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
        cancelEmail: (offerId) => queues.remove('offer.email', emailJobId(offerId)),
      }),
    }),
    offerLinkRoutes({
      links,
      limiter,
      storeUrl: config.storeUrl,
      clock,
      secureCookies: config.publicUrl.startsWith('https:'),
    }),
    unsubscribeRoutes({
      unsubscribe: createUnsubscribeService({ verifyToken: unsubscribeTokens.verify, customers, offers, store: offerEmails, clock }),
      limiter,
      storeUrl: config.storeUrl,
      clock,
    }),
  ];
  return { webhook, routers };
}
