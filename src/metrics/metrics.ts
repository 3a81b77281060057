import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EmailOutcome } from '../domain/offer-email.service';
import type { AppError } from '../errors';
import type { WebhookObserver } from '../http/webhook.routes';
import type { JobObserver } from '../queue/worker';
import { emailLabels, webhookRejectionReason, wooErrorReason, wooOperation, wooStatus } from './labels';

/** What the scrape-time gauges read, from Redis, on every scrape. */
export interface ScrapeSources {
  /** Waiting, active, delayed and failed counts per queue. */
  queueCounts(): Promise<Record<string, Record<string, number>>>;
  /** Per queue, when its oldest waiting job became due (unix ms), or null. */
  oldestWaitingAt(): Promise<Record<string, number | null>>;
  /** Offers that ever reached each state, store-wide. */
  offerTotals(): Promise<Record<string, number>>;
  /** Unix ms now. */
  now(): number;
  /** A source failed: its gauge is left empty for this scrape. */
  onError(source: string, err: unknown): void;
}

/** The recorders the rest of the service is handed, and the registry `/metrics` renders. */
export interface Metrics {
  registry: Registry;
  webhook: WebhookObserver;
  job: JobObserver;
  email(result: { outcome: EmailOutcome } | { error: unknown }): void;
  wooCall(op: string, seconds: number, error: AppError | null): void;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const OFFER_STATES = ['issued', 'shown', 'clicked', 'redeemed', 'revoked', 'expired'] as const;

/** Seconds: jobs range from a Redis write (ms) to an email with a slow store and SMTP (tens of s). */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds: REST calls take 0.1–1 s on a healthy store; `WC_TIMEOUT_MS` caps them (5 s default). */
const WOO_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/**
 * Defines every metric of the service on a registry of its own (never the global one), with
 * help text and units in the names. Counters and histograms are recorded by the modules the
 * composition root hands these recorders to; queue and offer gauges are read at scrape time.
 */
export function createMetrics(opts: { role: string; version: string; sources: ScrapeSources }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const { sources } = opts;
  collectDefaultMetrics({ register: registry, prefix: 'encore_' });

  new Gauge({ name: 'encore_info', help: 'Constant 1: the role this process runs and the service version.', labelNames: ['role', 'version'], registers }).set(
    { role: opts.role, version: opts.version },
    1,
  );

  const webhooks = new Counter({
    name: 'encore_webhooks_total',
    help: 'WooCommerce webhook deliveries by outcome (accepted, rejected, ping); reason says why one was rejected.',
    labelNames: ['outcome', 'reason'],
    registers,
  });
  const jobDuration = new Histogram({
    name: 'encore_job_duration_seconds',
    help: 'Seconds one run of a job took, by job and outcome (completed, failed, deferred).',
    labelNames: ['job', 'outcome'],
    buckets: JOB_BUCKETS,
    registers,
  });
  const jobFailures = new Counter({
    name: 'encore_job_failures_total',
    help: 'Failed runs of a job; final="true" when it is not retried (unrecoverable, or no attempt left).',
    labelNames: ['job', 'final'],
    registers,
  });
  const emails = new Counter({
    name: 'encore_emails_total',
    help: 'Offer email runs by outcome: sent, failed (one attempt; reason smtp_5xx, smtp_4xx, network …), skipped (reason).',
    labelNames: ['outcome', 'reason'],
    registers,
  });
  const wooDuration = new Histogram({
    name: 'encore_woocommerce_request_duration_seconds',
    help: 'Seconds a WooCommerce REST call took, by operation and status (2xx, 4xx, 5xx, or timeout / network when no answer came).',
    labelNames: ['operation', 'status'],
    buckets: WOO_BUCKETS,
    registers,
  });
  const wooErrors = new Counter({
    name: 'encore_woocommerce_errors_total',
    help: 'Failed WooCommerce REST calls by operation and reason (timeout, network, http_429, http_4xx, http_5xx, auth, not_found …).',
    labelNames: ['operation', 'reason'],
    registers,
  });

  /**
   * Runs a scrape-time read, then refills the gauge in one synchronous step (a concurrent scrape
   * never sees it half-filled); on failure it stays empty rather than showing stale values.
   */
  const read = async <T>(source: string, gauge: Gauge, fn: () => Promise<T>, fill: (value: T) => void) => {
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      gauge.reset();
      sources.onError(source, err);
      return;
    }
    gauge.reset();
    fill(value);
  };

  new Gauge({
    name: 'encore_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read from BullMQ at scrape time.',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      await read('queue_counts', this, () => sources.queueCounts(), (counts) => {
        for (const [queue, byState] of Object.entries(counts)) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
        }
      });
    },
  });
  new Gauge({
    name: 'encore_queue_oldest_waiting_seconds',
    help: 'Seconds the oldest waiting job of each queue has been due; 0 when none waits. Read at scrape time.',
    labelNames: ['queue'],
    registers,
    async collect() {
      await read('queue_oldest', this, () => sources.oldestWaitingAt(), (oldest) => {
        const now = sources.now();
        for (const [queue, at] of Object.entries(oldest)) this.set({ queue }, at === null ? 0 : Math.max(0, (now - at) / 1000));
      });
    },
  });
  new Gauge({
    name: 'encore_offers',
    help: 'Offers that ever reached each state (issued, shown, clicked, redeemed, revoked, expired), store-wide from Redis: every process reports the same value.',
    labelNames: ['state'],
    registers,
    async collect() {
      await read('offer_totals', this, () => sources.offerTotals(), (totals) => {
        for (const state of OFFER_STATES) this.set({ state }, totals[state] ?? 0);
      });
    },
  });

  return {
    registry,
    webhook(outcome, error) {
      webhooks.inc({ outcome, reason: outcome === 'rejected' ? webhookRejectionReason(error) : '' });
    },
    job(run) {
      jobDuration.observe({ job: run.job, outcome: run.outcome }, run.seconds);
      if (run.outcome === 'failed') jobFailures.inc({ job: run.job, final: String(run.final) });
    },
    email(result) {
      const labels = emailLabels(result);
      if (labels) emails.inc(labels);
    },
    wooCall(op, seconds, error) {
      const operation = wooOperation(op);
      wooDuration.observe({ operation, status: wooStatus(error) }, seconds);
      if (error) wooErrors.inc({ operation, reason: wooErrorReason(error) });
    },
  };
}
