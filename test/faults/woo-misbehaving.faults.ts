import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { createQueues } from '../../src/queue/queues';
import { orderSummary, printerTonerRule } from '../support/encore';
import { BROWSER } from '../support/email-harness';
import { restFixture } from '../support/fixtures';
import { faultStage } from './fleet';
import { TOPOLOGIES } from './topologies';

/** Every WooCommerce call of the service times out after this (ms); the fake's hang outlasts it. */
const WC_TIMEOUT_MS = 1_500;
const HANG = { hangMs: 60_000 };
/** A generous bound on any one answer: a hang in the store must never become a hang here (ms). */
const ANSWER_DEADLINE_MS = 20_000;

const zoneless = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/**
 * WooCommerce answering 500, then 429 with Retry-After, then not at all, then normally: the
 * buyer's click gets "try again" each time and one coupon in the end; a background job
 * retries through the same faults and succeeds.
 */
describe.each(TOPOLOGIES)('WooCommerce misbehaving (%s Redis)', (_name, startTopology) => {
  const stage = faultStage(startTopology);

  beforeAll(async () => {
    const fleet = await stage.startFleet({ env: { WC_TIMEOUT_MS: String(WC_TIMEOUT_MS) } });
    const res = await fleet.signed('POST', '/v1/admin/rules', printerTonerRule());
    expect(res.status).toBe(201);
  });

  /** Whatever the store does, the click gets an answer within the deadline (fetch aborts past it). */
  const click = (path: string) =>
    fetch(`${stage.fleet.apis[1]!.url}${path}`, { redirect: 'manual', headers: { 'User-Agent': BROWSER }, signal: AbortSignal.timeout(ANSWER_DEADLINE_MS) });

  it('offer-link clicks: 500, 429 and a hang each answer 503 "try again"; the next click redirects with the one coupon', async () => {
    const { fleet, woo } = stage;
    const res = await fleet.signed('POST', '/v1/thank-you', orderSummary({ orderId: 400_001, orderKey: 'wc_order_f400001' }));
    expect(res.status).toBe(200);
    const path = /https:\/\/encore\.example\.com(\/o\/[A-Za-z0-9_.-]+)/.exec(await res.text())?.[1];
    expect(path).toBeDefined();
    const couponCalls = () => woo.requests.filter((r) => r.method === 'POST' && r.route === '/coupons').length;

    for (const fault of [{ status: 500 }, { status: 429, retryAfter: 30 }, HANG]) {
      woo.failNext(1, fault);
      const failed = await click(path!);
      expect({ fault, status: failed.status }).toEqual({ fault, status: 503 });
      expect(failed.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await failed.text()).toContain('try again');
    }
    expect(couponCalls()).toBe(3);
    expect(woo.coupons.size).toBe(0);

    const ok = await click(path!);
    expect(ok.status).toBe(302);
    const location = new URL(ok.headers.get('location')!);
    const code = location.searchParams.get('encore_coupon');
    expect(code).toBeTruthy();
    expect([...woo.coupons.values()].map((c) => c.code)).toEqual([code]);
  });

  it('orders.reconcile meets 500, 429 and a hang, retries with backoff, then succeeds and feeds the missed order', async () => {
    const { fleet, woo } = stage;
    const [template] = restFixture<Record<string, unknown>[]>('orders-page');
    const modified = Date.now() - 5 * 60_000;
    woo.orders.push({
      ...template,
      id: 400_002,
      order_key: 'wc_order_f400002',
      date_modified_gmt: zoneless(modified),
      date_modified: zoneless(modified + 3_600_000),
      date_paid_gmt: zoneless(modified - 2_000),
      date_paid: zoneless(modified - 2_000 + 3_600_000),
    });
    woo.failNext(1, { status: 500 });
    woo.failNext(1, { status: 429, retryAfter: 1 });
    woo.failNext(1, HANG);
    const sweeps = () => woo.requests.filter((r) => r.route === '/orders').length;
    const before = sweeps();

    // Queued as the worker's schedule queues it, with the production job options.
    const queues = createQueues(fleet.redis as Redis, fleet.keys);
    await queues.add('orders.reconcile', {}, 'reconcile-faults');
    await queues.close();
    const maintenance = new Queue('maintenance', { connection: fleet.redis, prefix: fleet.keys.bullPrefix });
    try {
      const deadline = Date.now() + 90_000;
      let state = await maintenance.getJobState('reconcile-faults');
      while (state !== 'completed' && state !== 'failed') {
        if (Date.now() > deadline) throw new Error(`reconcile job still ${state}\n${fleet.output()}`);
        await new Promise((r) => setTimeout(r, 200));
        state = await maintenance.getJobState('reconcile-faults');
      }
      const job = (await maintenance.getJob('reconcile-faults'))!;
      expect(state).toBe('completed');
      // Three failed attempts, then the one that succeeded; the last failure was the hang, cut by WC_TIMEOUT_MS.
      expect(job.attemptsMade).toBe(4);
      expect(job.failedReason).toMatch(/timed out/);
      expect(job.returnvalue).toMatch(/^fed 1 of 1 order/);
      expect(sweeps() - before).toBe(4);
    } finally {
      await maintenance.close();
    }

    await fleet.drained(['orders'], 60_000);
    expect(JSON.parse((await fleet.redis.hget(fleet.keys.orderOffers(400_002), 'ids')) ?? '[]')).toHaveLength(1);
  });

  it('no process logged a stack trace through all of it', () => {
    expect(stage.fleet.stackLines()).toEqual([]);
  });
});
