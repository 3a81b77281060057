import { Queue, type Job } from 'bullmq';
import type { Offer } from '../../src/domain/offer';
import type { StartOptions } from '../../src/main';
import { createOfferStore } from '../../src/storage/offer-store';
import { eventually, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from './encore';
import { delivery, postWebhook, processingOrder, signedDelivery } from './fixtures';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startWooFake, type WooFake } from './woo-fake';
import { emailJobId } from '../../src/domain/offer-email-schedule';

export const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** WooCommerce's `date_*_gmt` format: no zone, seconds. */
export const wooDate = (at: Date): string => at.toISOString().slice(0, 19);

/** The header block of a raw message, folded lines joined, as `name → value` (lower-case names). */
export function headersOf(raw: Buffer): Map<string, string> {
  const block = raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return new Map(block.split(/\r?\n/).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
}

/**
 * Polls a job until it finishes: its return value, or an error with its failure. The state
 * is read before the job, so a job that completes between the two reads is read complete.
 */
export async function outcomeOf(queue: Queue, jobId: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') {
      const job = (await queue.getJob(jobId))!;
      if (state === 'failed') throw new Error(`job ${jobId} failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`);
      return job.returnvalue;
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Order options over the processing fixture (order 4711: printer 101 + two starter toners 205). */
export interface OrderOptions {
  id?: number;
  paidAt?: Date;
  printers?: number;
  email?: string;
  /** Replaces all lines: [productId, quantity][]. */
  lines?: [number, number][];
  meta?: { key: string; value: unknown }[];
  /** Default `processing`. */
  status?: string;
  /** Default two seconds after payment; a later delivery of the same order needs a later one. */
  modifiedAt?: Date;
}

/**
 * Everything an offer-email scenario needs, all real: the WooCommerce fake (product names,
 * coupons), an in-process SMTP server, Encore with a clock the test can move forward, and the
 * `emails` queue to look at and promote delayed jobs.
 */
export interface EmailHarness {
  woo: WooFake;
  smtp: SmtpSink;
  encore: TestEncore;
  queue: Queue;
  /** Encore's clock: real time plus whatever the test moved it by. */
  now(): Date;
  moveClock(ms: number): void;
  createRule(overrides?: Record<string, unknown>): Promise<string>;
  /** Delivers a signed `order.updated` webhook built from `OrderOptions`; paid a minute ago by default. */
  deliverOrder(opts?: OrderOptions): Promise<Record<string, unknown>>;
  /** The order's email offers, once the worker has decided them. */
  emailOffers(orderId?: number, count?: number): Promise<Offer[]>;
  offer(offerId: string): Promise<Offer>;
  job(offerId: string): Promise<Job>;
  /** Runs a delayed email job now instead of at its time. */
  promote(offerId: string): Promise<void>;
  /** The funnel counters of this namespace, summed over days. */
  counters(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function startEmailHarness(opts: { env?: Record<string, string>; smtp?: boolean; faults?: StartOptions['faults'] } = {}): Promise<EmailHarness> {
  const woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
  const smtp = await startSmtpSink();
  let shiftMs = 0;
  const now = () => new Date(Date.now() + shiftMs);
  const encore = await startTestEncore({
    storeUrl: woo.url,
    env: { WC_TIMEOUT_MS: '1500', ...(opts.smtp === false ? {} : { SMTP_URL: smtp.url }), ...opts.env },
    clock: now,
    faults: opts.faults,
  });
  const queue = new Queue('emails', { connection: encore.redis, prefix: encore.keys.bullPrefix });
  const offers = createOfferStore(encore.redis, encore.keys);
  const jobOf = (offerId: string) => eventually(async () => (await queue.getJob(emailJobId(offerId))) ?? undefined);

  return {
    woo,
    smtp,
    encore,
    queue,
    now,
    moveClock: (ms) => void (shiftMs += ms),
    async createRule(overrides = {}) {
      const res = await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ channels: { thankYou: false, email: { enabled: true, delayHours: 48 } }, ...overrides }));
      if (res.status !== 201) throw new Error(`rule refused: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },
    async deliverOrder(o = {}) {
      const order = processingOrder();
      const paidAt = o.paidAt ?? new Date(now().getTime() - 60_000);
      const lines = o.lines ?? [[101, o.printers ?? 1], [205, 2]];
      const template = (order.line_items as Record<string, unknown>[])[0]!;
      Object.assign(order, {
        id: o.id ?? 4711,
        number: String(o.id ?? 4711),
        date_paid_gmt: wooDate(paidAt),
        status: o.status ?? 'processing',
        date_modified_gmt: wooDate(o.modifiedAt ?? new Date(paidAt.getTime() + 2_000)),
        billing: { ...(order.billing as object), email: o.email ?? 'zofia.wasik@example.com' },
        line_items: lines.map(([productId, quantity], i) => ({ ...template, id: 77 + i, product_id: productId, quantity, total: '10.00' })),
        ...(o.meta ? { meta_data: o.meta.map((m, i) => ({ id: 5101 + i, ...m })) } : {}),
      });
      const d = delivery('order-updated-processing');
      const signed = signedDelivery(d, order, d.secret!);
      const res = await postWebhook(encore.url, signed.body, signed.headers);
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
      return order;
    },
    emailOffers: (orderId = 4711, count = 1) =>
      eventually(async () => {
        const found = ((await offers.forOrder(orderId)) ?? []).filter((o) => o.channel === 'email');
        return found.length >= count ? found : undefined;
      }),
    offer: async (offerId) => (await offers.get(offerId))!,
    job: jobOf,
    async promote(offerId) {
      const job = await jobOf(offerId);
      if (await job.isDelayed()) await job.promote();
    },
    async counters() {
      // Summed over every day: moving the clock may move a counter to another day.
      const days = await encore.redis.keys(`${encore.keys.prefix}stats:*`);
      const sums: Record<string, number> = {};
      for (const key of days) {
        for (const [field, value] of Object.entries(await encore.redis.hgetall(key))) sums[field] = (sums[field] ?? 0) + Number(value);
      }
      return sums;
    },
    async close() {
      await queue.close();
      await encore.stop();
      await smtp.close();
      await woo.close();
    },
  };
}
