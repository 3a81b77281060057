import { Queue } from 'bullmq';
import { delivery, postWebhook, restFixture, signedDelivery } from '../support/fixtures';
import { eventually, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { runJobOnce } from '../support/jobs';
import { startWooFake, type WooFake } from '../support/woo-fake';

type Json = Record<string, any>;

const MINUTE = 60_000;
const zoneless = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** A paid printer order (REST v3 shape, as `GET /orders` lists it) modified `agoMs` ago; the store runs at UTC+1. */
function restOrder(id: number, agoMs: number, overrides: Json = {}): Json {
  const modified = Date.now() - agoMs;
  const [template] = restFixture<Json[]>('orders-page');
  return {
    ...template,
    id,
    date_modified_gmt: zoneless(modified),
    date_modified: zoneless(modified + 60 * MINUTE),
    date_paid_gmt: zoneless(modified - 2_000),
    date_paid: zoneless(modified - 2_000 + 60 * MINUTE),
    ...overrides,
  };
}

/** Flow 7: the periodic sweep finds orders whose webhook never arrived and repairs Encore's webhooks. */
describe('orders.reconcile', () => {
  let woo: WooFake;
  let encore: TestEncore;
  let run = 0;

  beforeEach(async () => {
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    encore = await startTestEncore({ storeUrl: woo.url, env: { WC_TIMEOUT_MS: '1500', ENCORE_RECONCILE_MINUTES: '15' } });
  });
  afterEach(async () => {
    await encore.stop();
    await woo.close();
  });

  const sweep = () => runJobOnce(encore, 'orders.reconcile', {}, `reconcile-test-${++run}`);
  const offersOf = async (orderId: number): Promise<Json[]> => ((await (await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`)).json()) as Json).offers;
  const cursor = () => encore.redis.get(encore.keys.reconcileCursor);
  const logLines = (): Json[] => encore.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean).map((line) => JSON.parse(line) as Json);
  const sweepQueries = () => woo.requests.filter((r) => r.route === '/orders').map((r) => r.query);

  it('the worker schedules the sweep every ENCORE_RECONCILE_MINUTES, the first one an interval after start', async () => {
    const queue = new Queue('maintenance', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    const reconcile = schedulers.find((s) => s.name === 'orders.reconcile');
    expect(reconcile).toMatchObject({ every: 15 * MINUTE });
    expect(reconcile!.next).toBeGreaterThan(Date.now() + 14 * MINUTE);
  });

  it('an order whose webhook never arrived gets its offers; the cursor advances; a second run feeds nothing new', async () => {
    expect((await encore.signed('POST', '/v1/admin/rules', printerTonerRule())).status).toBe(201);
    const delivered = restOrder(4711, 6 * MINUTE);
    const missed = restOrder(4720, 5 * MINUTE, { order_key: 'wc_order_missed4720' });
    woo.orders.push(delivered, missed);
    const d = delivery('order-updated-processing');
    const webhook = signedDelivery(d, delivered, d.secret!);
    expect((await postWebhook(encore.url, webhook.body, webhook.headers)).status).toBe(202);
    const [delivered4711] = await eventually(async () => ((await offersOf(4711)).length ? offersOf(4711) : undefined));
    expect(await offersOf(4720)).toEqual([]);

    const first = await sweep();
    expect(first).toMatchObject({ state: 'completed' });
    expect(first.returnvalue).toBe('fed 1 of 2 orders; reactivated 0 webhooks; missing order.created, order.updated, order.deleted');
    const [offer] = await eventually(async () => ((await offersOf(4720)).length ? offersOf(4720) : undefined));
    expect(offer).toMatchObject({ state: 'issued', productIds: [202] });
    expect(await offersOf(4711)).toEqual([delivered4711]);
    // The first sweep looks back two intervals; the cursor ends a minute before the newest order.
    const [firstQuery] = sweepQueries();
    expect(Date.parse(`${firstQuery!.modified_after}Z`)).toBeGreaterThan(Date.now() - 31 * MINUTE);
    expect(Date.parse(`${firstQuery!.modified_after}Z`)).toBeLessThan(Date.now() - 29 * MINUTE);
    expect(await cursor()).toBe(new Date(Date.parse(`${missed.date_modified_gmt}Z`) - MINUTE).toISOString());

    const second = await sweep();
    expect(second.returnvalue).toMatch(/^fed 0 of 1 order;/);
    expect(sweepQueries()[1]!.modified_after).toBe(zoneless(Date.parse(`${missed.date_modified_gmt}Z`) - MINUTE));
    expect(await offersOf(4720)).toEqual([offer]);
  });

  it('an order an extension mangled is skipped and logged by id; the others are still fed', async () => {
    woo.orders.push(restOrder(4730, 4 * MINUTE, { total: 243.88 }), restOrder(4731, 3 * MINUTE));
    const result = await sweep();
    expect(result.returnvalue).toMatch(/^fed 1 of 1 order; skipped 1 unparsable;/);
    expect(logLines()).toContainEqual(expect.objectContaining({ msg: 'reconcile skipped an unparsable order', orderId: 4730, fields: ['total'] }));
    expect(encore.logs.join('')).not.toContain('zofia.wasik@example.com');
  });

  it('a webhook WooCommerce disabled is re-activated with Encore’s secret; a paused one stays paused', async () => {
    const setup = (await (await encore.signed('POST', '/v1/admin/webhooks/setup')).json()) as Json;
    const idOf = (topic: string) => setup.webhooks.find((w: Json) => w.topic === topic).id as number;
    Object.assign(woo.webhooks.get(idOf('order.updated'))!, { status: 'disabled', secret: 'stale-secret' });
    woo.webhooks.get(idOf('order.deleted'))!.status = 'paused';

    const result = await sweep();
    expect(result.returnvalue).toBe('fed 0 of 0 orders; reactivated 1 webhook');
    expect(woo.webhooks.get(idOf('order.updated'))).toMatchObject({ status: 'active', secret: TEST_SECRETS.WC_WEBHOOK_SECRET });
    expect(woo.webhooks.get(idOf('order.deleted'))).toMatchObject({ status: 'paused' });
    expect(logLines()).toContainEqual(
      expect.objectContaining({ level: 40, msg: 'webhook re-activated after WooCommerce disabled it', webhookId: idOf('order.updated'), topic: 'order.updated' }),
    );
    expect(encore.logs.join('')).not.toContain(TEST_SECRETS.WC_WEBHOOK_SECRET);
  });

  it('when WooCommerce is down the sweep fails retryably and the cursor stays where it was', async () => {
    const before = new Date(Date.now() - 10 * MINUTE).toISOString();
    await encore.redis.set(encore.keys.reconcileCursor, before);
    woo.orders.push(restOrder(4740, 2 * MINUTE));
    woo.failNext(50, { status: 503 });

    const result = await sweep();
    expect(result.state).toBe('delayed');
    expect(result.attemptsMade).toBe(1);
    expect(result.failedReason).toContain('HTTP 503');
    expect(await cursor()).toBe(before);
    expect(await encore.redis.exists(encore.keys.orderSnapshot(4740))).toBe(0);
  });

  it('a sweep that meets more than its page budget continues from its cursor on the next run', async () => {
    // Two orders per second over 17 minutes: pages overlap by a second (keyset paging), so
    // 20 pages of 100 hold a little under 2,000 distinct orders.
    for (let i = 0; i < 2_050; i++) woo.orders.push(restOrder(10_000 + i, 20 * MINUTE - i * 500));
    const fedBy = (outcome: unknown) => Number(/^fed (\d+) of/.exec(String(outcome))?.[1]);
    const first = await runJobOnce(encore, 'orders.reconcile', {}, 'reconcile-budget-1', 20_000);
    expect(first.returnvalue).toMatch(/^fed (\d+) of \1 orders; more pages remain;/);
    const second = await runJobOnce(encore, 'orders.reconcile', {}, 'reconcile-budget-2', 20_000);
    expect(second.returnvalue).not.toContain('more pages remain');
    expect(fedBy(first.returnvalue) + fedBy(second.returnvalue)).toBe(2_050);
    expect(await encore.redis.exists(encore.keys.orderSnapshot(12_049))).toBe(1);
  });
});
