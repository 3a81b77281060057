import { Queue } from 'bullmq';
import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { eventually, printerTonerRule, startTestEncore, type TestEncore } from '../support/encore';
import { gmtAt, NOW } from '../support/clock';

/**
 * "Bought together" learned through the webhook: paid orders teach which products go with the
 * printer (101); a later printer order gets a `bought_together` offer of the most co-bought
 * ones, never one the buyer already has, and never one below the rule's minimum support.
 */
describe('bought together, learned from paid orders', () => {
  let encore: TestEncore;
  // Redis expires what the orders teach by its own clock, so now is the real now; the orders
  // are paid twenty seconds before it: decay is negligible here.
  const now = NOW;
  const base = delivery('order-updated-processing');
  const template = processingOrder();
  const templateLine = (template.line_items as Record<string, unknown>[])[0]!;
  let deliveries = 0;

  beforeEach(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', clock: () => now });
    deliveries = 0;
  });
  afterEach(() => encore.stop());

  /** Delivers a paid order of `productIds` by `email`, as WooCommerce would sign it. */
  async function sendOrder(id: number, productIds: number[], email: string, fields: Record<string, unknown> = {}): Promise<void> {
    const order = {
      ...template,
      id,
      number: String(id),
      billing: { ...(template.billing as object), email },
      line_items: productIds.map((productId, i) => ({ ...templateLine, id: id * 10 + i, product_id: productId })),
      date_paid_gmt: gmtAt(-20_000),
      // Modified 19 to 2 seconds before now: each delivery a newer version than the last few.
      date_modified_gmt: gmtAt(-19_000 + (deliveries % 18) * 1_000),
      ...fields,
    };
    const signed = signedDelivery(base, order, base.secret!);
    expect((await postWebhook(encore.url, signed.body, signed.headers)).status).toBe(202);
    deliveries += 1;
  }

  /** Waits until the worker finished every delivery sent so far. */
  async function settled(): Promise<void> {
    const queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
    await eventually(async () => ((await queue.getCompletedCount()) >= deliveries ? true : undefined), 15_000);
    await queue.close();
  }

  const offersOf = async (orderId: number) => {
    const res = await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { offers: { ruleId: string; kind: string; channel: string; productIds: number[] }[] }).offers;
  };

  it('offers the top co-bought products, leaving out owned ones and those under minSupport', async () => {
    const created = await encore.signed(
      'POST',
      '/v1/admin/rules',
      printerTonerRule({
        name: 'Bought with the printer',
        kind: 'bought_together',
        offer: { fromHistory: { top: 2, minSupport: 1.5 }, discount: { type: 'percent', amount: 10 } },
      }),
    );
    expect(created.status).toBe(201);
    const ruleId = ((await created.json()) as { id: string }).id;

    let id = 5000;
    const teach = async (times: number, productIds: number[]) => {
      for (let i = 0; i < times; i++) await sendOrder(++id, productIds, `buyer${id}@example.com`);
    };
    await teach(4, [101, 505]); // the most co-bought, but in the new order itself
    await teach(3, [101, 501]); // next, but the buyer bought it before
    await teach(2, [101, 503]);
    await teach(2, [101, 502]); // ties with 503: the lower id first
    await teach(1, [101, 506]); // support 1: under minSupport 1.5
    await teach(5, [101, 504]); // support 5, until two are refunded and two cancelled:
    const refunds = [{ id: 91, reason: '', total: `-${String(template.total)}` }];
    for (const [orderId, fields] of [
      [id, { status: 'refunded' }],
      [id - 1, { status: 'cancelled' }],
      [id - 2, { refunds }],
      [id - 3, { refunds }],
    ] as const) {
      await sendOrder(orderId, [101, 504], `buyer${orderId}@example.com`, { ...fields, date_modified_gmt: gmtAt(-1_000) });
    }
    // The buyer's earlier order: one product makes no pair, but it is a past purchase.
    await sendOrder(4900, [501], 'zofia.wasik@example.com');
    await settled();

    await sendOrder(6000, [101, 505], 'zofia.wasik@example.com');
    await settled();
    const offers = (await offersOf(6000)).filter((o) => o.ruleId === ruleId);
    expect(offers).toEqual([expect.objectContaining({ kind: 'bought_together', channel: 'thank_you', productIds: [502, 503] })]);
  });

  it('makes no offer while nothing reaches the minimum support', async () => {
    const created = await encore.signed(
      'POST',
      '/v1/admin/rules',
      printerTonerRule({ kind: 'bought_together', offer: { fromHistory: { top: 3, minSupport: 2 }, discount: { type: 'percent', amount: 10 } } }),
    );
    expect(created.status).toBe(201);
    await sendOrder(5001, [101, 501], 'buyer1@example.com');
    await settled();
    await sendOrder(6000, [101], 'zofia.wasik@example.com');
    await settled();
    expect(await offersOf(6000)).toEqual([]);
    // The first order was counted all the same: one co-purchase each way.
    expect(await encore.redis.zrange(encore.keys.cobuy(101), 0, -1)).toEqual(['501']);
    expect(await encore.redis.zrange(encore.keys.cobuy(501), 0, -1)).toEqual(['101']);
  });
  it('the admin API names the offer field that does not fit the kind, and a PUT can switch a rule to learning', async () => {
    const refused = await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ kind: 'bought_together' }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      'offer.productIds': 'a bought_together rule learns its products: set offer.fromHistory instead',
      'offer.fromHistory': 'is required for a bought_together rule',
    });

    const created = await encore.signed('POST', '/v1/admin/rules', printerTonerRule());
    const { id } = (await created.json()) as { id: string };
    const offer = { fromHistory: { top: 4, minSupport: 0.5 }, discount: { type: 'percent', amount: 5 } };
    const put = await encore.signed('PUT', `/v1/admin/rules/${id}`, { kind: 'bought_together', offer });
    expect(put.status).toBe(200);
    const stored = (await (await encore.signed('GET', `/v1/admin/rules/${id}`)).json()) as { kind: string; offer: unknown };
    expect(stored).toMatchObject({ kind: 'bought_together', offer: { fromHistory: { top: 4, minSupport: 0.5 }, discount: { type: 'percent', amount: '5.00' } } });
    expect(stored.offer).not.toHaveProperty('productIds');
  });
});
