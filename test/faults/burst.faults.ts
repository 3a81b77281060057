import { printerTonerRule } from '../support/encore';
import { paidOrderDelivery, sendAll, tally, withRepeats } from './deliveries';
import { faultStage } from './fleet';
import { TOPOLOGIES } from './topologies';

const ORDERS = 10_000;
const FIRST_ORDER = 100_000;

/**
 * A burst of signed order webhooks, some repeated, spread over two API processes: two worker
 * processes evaluate every order exactly once.
 */
describe.each(TOPOLOGIES)('burst of order webhooks (%s Redis)', (_name, startTopology) => {
  const stage = faultStage(startTopology);

  it(`${ORDERS} paid orders, ~5% delivered twice: one decision and the rules' offers per order, no failed job`, async () => {
    const fleet = await stage.startFleet({ env: { ENCORE_WORKER_CONCURRENCY: '20' } });
    const ruleIds: string[] = [];
    for (const rule of [printerTonerRule(), printerTonerRule({ name: 'Printer → paper', offer: { productIds: [303], discount: { type: 'percent', amount: '10' } } })]) {
      const res = await fleet.signed('POST', '/v1/admin/rules', rule);
      expect(res.status).toBe(201);
      ruleIds.push(((await res.json()) as { id: string }).id);
    }

    const orders = Array.from({ length: ORDERS }, (_, i) => paidOrderDelivery(FIRST_ORDER + i));
    const deliveries = withRepeats(orders, 0.05);
    expect(deliveries.length).toBe(ORDERS + ORDERS / 20);
    const sent = await sendAll(
      fleet.apis.map((a) => a.url!),
      deliveries,
      { concurrency: 50, timeoutMs: 30_000 },
    );
    expect(tally(sent)).toEqual({ '202': deliveries.length });

    await fleet.drained(['orders'], 180_000);
    const counts = await fleet.counts('orders');
    expect(counts.failed).toBe(0);

    // One decision per order, holding one offer per rule.
    const pipeline = fleet.redis.pipeline();
    for (const o of orders) pipeline.hget(fleet.keys.orderOffers(o.orderId), 'ids');
    const decisions = ((await pipeline.exec()) ?? []).map(([err, ids]) => (err ? null : (JSON.parse(String(ids)) as string[] | null)));
    const undecided = orders.filter((_, i) => !decisions[i]).map((o) => o.orderId);
    expect(undecided.slice(0, 10)).toEqual([]);
    const offerCounts = new Map<number, number>();
    for (const ids of decisions) offerCounts.set(ids!.length, (offerCounts.get(ids!.length) ?? 0) + 1);
    expect(Object.fromEntries(offerCounts)).toEqual({ [ruleIds.length]: ORDERS });
    expect(new Set(decisions.flat()).size).toBe(ORDERS * ruleIds.length);

    const counters = await fleet.counters();
    for (const ruleId of ruleIds) expect(counters[`${ruleId}|thank_you|issued`]).toBe(ORDERS);
    expect(fleet.stackLines()).toEqual([]);
  });
});
