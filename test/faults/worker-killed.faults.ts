import { printerTonerRule } from '../support/encore';
import { headersOf } from '../support/email-harness';
import { killHard } from '../support/processes';
import { paidOrderDelivery, sendAll, tally } from './deliveries';
import { faultStage } from './fleet';
import { TOPOLOGIES } from './topologies';

const ORDERS = 300;
const FIRST_ORDER = 300_000;
/** Emails one worker process sends at once; two workers fill at most twice this many SMTP connections. */
const CONCURRENCY = 5;

/** Polls `check` every 10 ms until it holds, or fails with `what` after `timeoutMs`. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A worker process is SIGKILLed while its emails are in the mail server's hands: no offer is
 * emailed twice, and every email is either delivered with its memo or counted as uncertain.
 */
describe.each(TOPOLOGIES)('worker killed while sending emails (%s Redis)', (_name, startTopology) => {
  const stage = faultStage(startTopology, { smtp: { delayMs: [30, 80] } });

  it('no offer is emailed twice; every email is delivered with its memo or counted uncertain', async () => {
    const { smtp } = stage;
    const fleet = await stage.startFleet({
      env: {
        SMTP_URL: smtp.url,
        ENCORE_EMAIL_CAP_DAYS: '0',
        ENCORE_WORKER_CONCURRENCY: String(CONCURRENCY),
        // A killed worker's jobs run again after ~2 × 3 s instead of ~1 min.
        ENCORE_JOB_LOCK_MS: '3000',
      },
    });
    const res = await fleet.signed('POST', '/v1/admin/rules', printerTonerRule({ channels: { thankYou: false, email: { enabled: true, delayHours: 0 } } }));
    expect(res.status).toBe(201);
    const { id: ruleId } = (await res.json()) as { id: string };

    const orders = Array.from({ length: ORDERS }, (_, i) => paidOrderDelivery(FIRST_ORDER + i));
    const sending = sendAll(fleet.apis.map((a) => a.url!), orders, { concurrency: 20, timeoutMs: 30_000 });

    // Mid-way, hold the mail server's answers until both workers have every connection waiting
    // on one: more messages in flight than one worker can hold means the victim has some.
    await until(() => smtp.messages.length >= ORDERS / 4, 90_000, () => `${smtp.messages.length} emails sent\n${fleet!.output()}`);
    smtp.hold();
    await until(() => smtp.inFlight > CONCURRENCY, 30_000, () => `${smtp.inFlight} emails in flight`);
    const [victim, survivor] = fleet.workers;
    await killHard(victim!.running.child);
    smtp.release();
    expect(tally(await sending)).toEqual({ '202': ORDERS });
    // As a supervisor would, start a replacement; the survivor and it share what is left.
    const replacement = await fleet.addWorker();

    await fleet.drained(['orders', 'emails'], 120_000);
    for (const worker of [survivor!, replacement]) expect(worker.running.child.exitCode).toBeNull();
    expect((await fleet.counts('emails')).failed).toBe(0);

    const perOffer = new Map<string, number>();
    for (const message of smtp.messages) {
      const offerId = /^<(of_[0-9a-z]+)@/.exec(headersOf(message.raw).get('message-id') ?? '')?.[1] ?? 'unknown';
      perOffer.set(offerId, (perOffer.get(offerId) ?? 0) + 1);
    }
    expect([...perOffer].filter(([, n]) => n > 1)).toEqual([]);
    expect(perOffer.has('unknown')).toBe(false);

    const ids = (
      await Promise.all(orders.map(async (o) => JSON.parse((await fleet!.redis.hget(fleet!.keys.orderOffers(o.orderId), 'ids')) ?? '[]') as string[]))
    ).flat();
    expect(ids).toHaveLength(ORDERS);
    const emailed: string[] = [];
    const uncertain: string[] = [];
    const unaccounted: string[] = [];
    for (const id of ids) {
      const [emailedAt, uncertainAt] = await fleet.redis.hmget(fleet.keys.offer(id), 'emailedAt', 'emailUncertainAt');
      if (emailedAt) emailed.push(id);
      else if (uncertainAt) uncertain.push(id);
      else unaccounted.push(id);
    }
    expect(unaccounted).toEqual([]);
    // A memo means the mail server took it, exactly once.
    expect(emailed.filter((id) => perOffer.get(id) !== 1)).toEqual([]);
    // The victim died with messages in the server's hands: their retries did not resend.
    expect(uncertain.length).toBeGreaterThanOrEqual(1);
    expect(smtp.messages.length).toBe(emailed.length + uncertain.filter((id) => perOffer.has(id)).length);

    const counters = await fleet.counters();
    expect(counters[`${ruleId}|email|emailed`]).toBe(emailed.length);
    expect(counters[`${ruleId}|email|email_uncertain`]).toBe(uncertain.length);
    expect(fleet.stackLines()).toEqual([]);
  });
});
