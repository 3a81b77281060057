import { Queue, type JobsOptions } from 'bullmq';
import { printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { clickedOffer, finished, shownOffer } from '../support/offers';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { HOUR, NOW } from '../support/clock';

/**
 * `coupon.cleanup` through the real worker against the WooCommerce fake: coupons that expired
 * unused go, used and live ones stay, and coupons exist only for offers someone opened.
 */
describe('coupon cleanup', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let maintenance: Queue;
  let now: Date;
  let runs = 0;
  // Redis expires the offers and coupon indexes by its own clock: t0 is the real now.
  const t0 = NOW.getTime();

  beforeEach(async () => {
    now = new Date(t0);
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { WC_TIMEOUT_MS: '1500' }, clock: () => now });
    maintenance = new Queue('maintenance', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    // The rule's offers, and so their coupons, expire 72 h after they are made.
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
  });
  afterEach(async () => {
    await maintenance.close();
    await encore.stop();
    await woo.close();
  });

  /** Queues one run and waits for it; resolves with its report. */
  async function cleanup(opts: JobsOptions = {}): Promise<unknown> {
    const jobId = `cleanup-test-${++runs}`;
    await maintenance.add('coupon.cleanup', {}, { ...opts, jobId });
    return finished(maintenance, jobId);
  }
  const codesInStore = () => [...woo.coupons.values()].map((c) => c.code as string).sort();
  const indexed = () => encore.redis.zrange(encore.keys.couponsByExpiry, 0, -1);
  const couponRequests = () => woo.requests.filter((r) => r.route.startsWith('/coupons'));

  it('the worker schedules it hourly', async () => {
    const schedulers = await maintenance.getJobSchedulers();
    expect(schedulers).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'coupon.cleanup', every: HOUR })]));
  });

  it('creating a coupon indexes its code for the offer’s lifetime and queues it by expiry', async () => {
    const { offerId, code } = await clickedOffer(encore, 5001);
    expect(await encore.redis.get(encore.keys.couponOffer(code))).toBe(offerId);
    const [offerTtl, indexTtl] = await Promise.all([encore.redis.pttl(encore.keys.offer(offerId)), encore.redis.pttl(encore.keys.couponOffer(code))]);
    expect(indexTtl).toBeGreaterThan(0);
    expect(Math.abs(offerTtl - indexTtl)).toBeLessThan(1_000);
    expect(Number(await encore.redis.zscore(encore.keys.couponsByExpiry, offerId))).toBe(t0 + 72 * HOUR);
  });

  it('deletes a coupon that expired unused, keeps a used one and the unexpired ones', async () => {
    const unused = await clickedOffer(encore, 5001);
    const used = await clickedOffer(encore, 5002);
    now = new Date(t0 + 48 * HOUR);
    const live = await clickedOffer(encore, 5003);
    expect(await indexed()).toHaveLength(3);
    const usedCoupon = [...woo.coupons.values()].find((c) => c.code === used.code)!;
    usedCoupon.usage_count = 1;

    // Expired half an hour ago: still inside the grace hour.
    now = new Date(t0 + 72.5 * HOUR);
    expect(await cleanup()).toBe('deleted 0, kept 0, gone 0, failed 0');
    expect(codesInStore()).toHaveLength(3);

    now = new Date(t0 + 73.5 * HOUR);
    expect(await cleanup()).toBe('deleted 1, kept 1, gone 0, failed 0');
    expect(codesInStore()).toEqual([used.code, live.code].sort());
    expect(codesInStore()).not.toContain(unused.code);
    expect(await indexed()).toEqual([live.offerId]);

    const logs = encore.logs.join('');
    expect(logs).toContain(`"couponId":${usedCoupon.id as number}`);
    expect(logs).not.toContain(used.code);
  });

  it('one failing delete holds up nothing else and is retried on the next run', async () => {
    const first = await clickedOffer(encore, 5001);
    now = new Date(t0 + HOUR);
    const second = await clickedOffer(encore, 5002);
    now = new Date(t0 + 80 * HOUR);
    // The first lookup goes through; the delete after it meets a 500.
    woo.failNext(1, { hangMs: 0 });
    woo.failNext(1, { status: 500 });

    expect(await cleanup()).toBe('deleted 1, kept 0, gone 0, failed 1');
    expect(codesInStore()).toEqual([first.code]);
    expect(await indexed()).toEqual([first.offerId]);
    expect(second.code).not.toBe(first.code);

    expect(await cleanup()).toBe('deleted 1, kept 0, gone 0, failed 0');
    expect(codesInStore()).toEqual([]);
    expect(await indexed()).toEqual([]);
  });

  it('when WooCommerce is down the run fails with a retryable error, and the retry deletes', async () => {
    const offer = await clickedOffer(encore, 5001);
    now = new Date(t0 + 80 * HOUR);
    woo.failNext(1, { status: 503 });
    expect(await cleanup({ attempts: 3, backoff: { type: 'fixed', delay: 50 } })).toBe('deleted 1, kept 0, gone 0, failed 0');
    expect(encore.logs.join('')).toMatch(/"job":"coupon\.cleanup".*"msg":"job failed"/);
    expect(codesInStore()).not.toContain(offer.code);
  });

  it('a coupon deleted in WooCommerce by hand is simply forgotten', async () => {
    await clickedOffer(encore, 5001);
    woo.coupons.clear();
    now = new Date(t0 + 80 * HOUR);
    expect(await cleanup()).toBe('deleted 0, kept 0, gone 1, failed 0');
    expect(await indexed()).toEqual([]);
  });

  it('no coupon ever exists for an offer nobody clicked, and cleanup never asks about one', async () => {
    await shownOffer(encore, 5001);
    now = new Date(t0 + 80 * HOUR);
    expect(await cleanup()).toBe('deleted 0, kept 0, gone 0, failed 0');
    expect(couponRequests()).toEqual([]);
    expect(woo.coupons.size).toBe(0);
    expect(await indexed()).toEqual([]);
  });
});
