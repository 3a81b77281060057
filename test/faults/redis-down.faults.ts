import { printerTonerRule } from '../support/encore';
import { paidOrderDelivery, sendAll, tally, type OrderDelivery } from './deliveries';
import { faultStage } from './fleet';
import { TOPOLOGIES } from './topologies';

const ORDERS = 3_000;
const FIRST_ORDER = 200_000;
/** An answer later than this counts as a hang (the API must fail fast while Redis is away), ms. */
const ANSWER_DEADLINE_MS = 15_000;

/**
 * The Redis server holding Encore's keys is SIGKILLed during a burst and restarted from its
 * AOF: every webhook that got a 202 still ends evaluated, the API answers errors instead of
 * hanging meanwhile, and all processes carry on without a restart.
 */
describe.each(TOPOLOGIES)('Redis killed mid-burst (%s Redis)', (_name, startTopology) => {
  const stage = faultStage(startTopology);

  it('no accepted webhook is lost; refusals while Redis is down are fast; the processes recover on their own', async () => {
    const fleet = await stage.startFleet({ env: { ENCORE_WORKER_CONCURRENCY: '20', ENCORE_JOB_LOCK_MS: '5000' } });
    const res = await fleet.signed('POST', '/v1/admin/rules', printerTonerRule());
    expect(res.status).toBe(201);
    const { id: ruleId } = (await res.json()) as { id: string };

    const orders = Array.from({ length: ORDERS }, (_, i) => paidOrderDelivery(FIRST_ORDER + i));
    let outage: Promise<void> | null = null;
    const namespace = fleet.namespace;
    const sent = await sendAll(
      fleet.apis.map((a) => a.url!),
      orders,
      {
        concurrency: 50,
        timeoutMs: ANSWER_DEADLINE_MS,
        onSent: (_s, done) => {
          if (done !== Math.floor(ORDERS / 3)) return;
          // Down for about 1.5 s while the other lanes keep sending.
          outage = (async () => {
            await stage.topology.killKeyHolder(namespace);
            await new Promise((r) => setTimeout(r, 1_500));
            await stage.topology.restartKeyHolder(namespace);
          })();
        },
      },
    );
    expect(outage).not.toBeNull();
    await outage;

    const outcomes = tally(sent);
    // Nothing hung past the deadline, and only "accepted", "unavailable" or a refused connection came back.
    expect(outcomes.timeout).toBeUndefined();
    expect(Object.keys(outcomes).filter((k) => !['202', '503', 'error'].includes(k))).toEqual([]);
    // The outage was seen (the kill landed mid-burst), and most deliveries were accepted.
    expect(ORDERS - (outcomes['202'] ?? 0)).toBeGreaterThan(0);
    expect(outcomes['202']).toBeGreaterThan(ORDERS / 2);

    await fleet.drained(['orders'], 180_000);
    expect(await fleet.failures('orders')).toEqual([]);

    const accepted = sent.filter((s) => s.outcome === 202).map((s) => s.orderId);
    const pipeline = fleet.redis.pipeline();
    for (const id of accepted) pipeline.hget(fleet.keys.orderOffers(id), 'ids');
    const decisions = ((await pipeline.exec()) ?? []).map(([err, ids]) => (err ? null : (JSON.parse(String(ids)) as string[] | null)));
    const lost = accepted.filter((_, i) => decisions[i]?.length !== 1);
    expect(lost.slice(0, 20)).toEqual([]);
    expect((await fleet.counters())[`${ruleId}|thank_you|issued`]).toBeGreaterThanOrEqual(accepted.length);

    // Recovered without a restart: every process is still the one started, and a new order goes
    // through each API process end to end.
    for (const member of [...fleet.apis, ...fleet.workers]) expect(member.running.child.exitCode).toBeNull();
    const after: OrderDelivery[] = fleet.apis.map((_, i) => paidOrderDelivery(FIRST_ORDER + ORDERS + i));
    const late = await sendAll(fleet.apis.map((a) => a.url!), after, { concurrency: 2, timeoutMs: ANSWER_DEADLINE_MS });
    expect(tally(late)).toEqual({ '202': after.length });
    await fleet.drained(['orders'], 60_000);
    for (const d of after) expect(JSON.parse((await fleet.redis.hget(fleet.keys.orderOffers(d.orderId), 'ids')) ?? '[]')).toHaveLength(1);
    expect(fleet.stackLines()).toEqual([]);
  });
});
