import { createCouponCleanup } from '../domain/coupon-cleanup.service';
import { createOfferEmailService } from '../domain/offer-email.service';
import { createOrderIngest } from '../domain/order-ingest.service';
import { createReconciler } from '../domain/reconcile.service';
import { EMAIL_HASH_CLAIM, UNSUBSCRIBE_TOKEN_DAYS } from '../domain/unsubscribe.service';
import { createMailer } from '../integrations/mail/mailer';
import { couponCleanupJob } from '../queue/jobs/coupon-cleanup.job';
import { offerEmailJob } from '../queue/jobs/offer-email.job';
import { orderEvaluateJob } from '../queue/jobs/order-evaluate.job';
import { ordersReconcileJob } from '../queue/jobs/orders-reconcile.job';
import { startWorkers } from '../queue/worker';
import { createRedis, quitQuietly, throttledRedisErrorLog } from '../storage/redis';
import { createReconcileStore } from '../storage/reconcile-store';
import type { Core } from './core';

/** Milliseconds between runs of `coupon.cleanup`. */
const COUPON_CLEANUP_EVERY_MS = 3_600_000;

/** Milliseconds an offer email may wait for product names missing from the cache (then `#id`). */
const EMAIL_PRODUCT_BUDGET_MS = 3_000;

/** Most SMTP connections one worker process keeps open (count); fewer when concurrency is lower. */
const MAX_SMTP_CONNECTIONS = 10;

/**
 * The worker role's part of the composition root: the mailer, the job handlers and the BullMQ
 * workers on a blocking connection of their own, and the one schedule of the periodic jobs.
 * Resolves once the workers run; `close` finishes the running jobs, then closes the mailer and
 * the connection.
 */
export async function startWorkerRole(core: Core): Promise<{ close(): Promise<void> }> {
  const { config, logger, clock, redis, keys, rules, offers, snapshots, queues, metrics, woo } = core;
  const { offerLink, catalog, unsubscribeTokens, customers, offerEmails, coupons, offerService, webhookSetup } = core;
  const reconcileEveryMs = config.reconcileMinutes * 60_000;
  const connection = createRedis(core.redisTarget, {
    blocking: true,
    name: 'encore-worker',
    onError: throttledRedisErrorLog((fields) => logger.warn(fields, 'redis connection error (worker)')),
  });
  const mailer = createMailer({
    smtpUrl: config.email.smtpUrl,
    outboxDir: config.email.outboxDir,
    maxConnections: Math.min(config.workerConcurrency, MAX_SMTP_CONNECTIONS),
    timeouts: core.faults?.smtpTimeouts,
  });
  const emails = createOfferEmailService({
    offers,
    rules,
    customers,
    store: offerEmails,
    mailer,
    catalog,
    links: {
      offer: offerLink,
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
    afterAccepted: core.faults?.afterEmailAccepted,
    observe: metrics.email,
  });
  const workers = await startWorkers({
    connection: () => connection,
    keys,
    jobs: [
      orderEvaluateJob({ offers: offerService, snapshots, fetchOrder: (orderId) => woo.getOrder(orderId) }),
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
  return {
    async close() {
      await workers.close();
      mailer.close();
      await quitQuietly(connection);
    },
  };
}
