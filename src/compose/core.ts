import type { Config } from '../config';
import type { Catalog } from '../domain/catalog.service';
import type { OfferService } from '../domain/offer.service';
import type { WebhookSetup } from '../domain/webhook-setup.service';
import type { MailerOptions } from '../integrations/mail/mailer';
import type { WooClient } from '../integrations/woocommerce/woo-client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { Queues } from '../queue/queues';
import type { OfferTokens } from '../security/offer-token';
import type { CouponIndex } from '../storage/coupon-index';
import type { CustomerStore } from '../storage/customer-store';
import type { Keys } from '../storage/keys';
import type { LiftStore } from '../storage/lift-store';
import type { OfferEmailStore } from '../storage/offer-email-store';
import type { OfferStore } from '../storage/offer-store';
import type { OrderSnapshotStore } from '../storage/order-snapshot-store';
import type { RedisClient, RedisTarget } from '../storage/redis';
import type { RuleStore } from '../storage/rule-store';
import type { StatsStore } from '../storage/stats-store';

/** Tests only: faults injected at chosen points, e.g. a worker dying right after SMTP accepted an email. */
export interface Faults {
  afterEmailAccepted?: (offerId: string) => Promise<void> | void;
  /** Short SMTP timeouts (ms), so that a server that goes silent fails a send within a test. */
  smtpTimeouts?: MailerOptions['timeouts'];
}

/**
 * What every role shares, built once by the composition root (`main.ts`) and handed to the
 * API part (`compose/api.ts`) and the worker part (`compose/workers.ts`).
 */
export interface Core {
  config: Config;
  logger: Logger;
  clock: () => Date;
  redisTarget: RedisTarget;
  redis: RedisClient;
  keys: Keys;
  rules: RuleStore;
  offers: OfferStore;
  snapshots: OrderSnapshotStore;
  queues: Queues;
  stats: StatsStore;
  metrics: Metrics;
  woo: WooClient;
  tokens: OfferTokens;
  /** `<public URL>/o/<token>`: the offer link of an offer, valid until `expiresAt`. */
  offerLink: (offerId: string, expiresAt: Date) => string;
  /** Product details (name, price, link) from the cache, else WooCommerce. */
  catalog: Catalog;
  unsubscribeTokens: OfferTokens;
  customers: CustomerStore;
  offerEmails: OfferEmailStore;
  coupons: CouponIndex;
  lift: LiftStore;
  offerService: OfferService;
  webhookSetup: WebhookSetup;
  faults?: Faults;
}
