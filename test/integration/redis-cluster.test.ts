import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { runScript } from '../../src/storage/lua';
import { ENSURE_OFFERS } from '../../src/storage/offer-scripts';
import { assertNoEviction, createRedis, scanKeys, waitReady } from '../../src/storage/redis';
import { outcomeOf, wooDate } from '../support/email-harness';
import { eventually, orderSummary, printerTonerRule, startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';
import { startEntryPoint } from '../support/entry-point';
import { delivery, postWebhook, processingOrder, signedDelivery } from '../support/fixtures';
import { freePort } from '../support/net';
import { startRedisCluster } from '../support/redis-cluster';
import type { RedisTopology } from '../support/redis-topology';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startWooFake, type WooFake } from '../support/woo-fake';
import { emailJobId } from '../../src/domain/offer-email-schedule';

type Json = Record<string, any>;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/**
 * The whole service on three real `redis-server` masters in cluster mode. One cluster and one
 * Encore per file (starting them takes seconds), so the scenarios run in order and build on
 * each other: rules, a webhook, the thank-you page, a click, the delayed email, stats; then
 * where every key landed, and a crash of the server holding them.
 */
describe('Encore on a three-node Redis Cluster', () => {
  let cluster: RedisTopology;
  let probe: Cluster;
  let woo: WooFake;
  let smtp: SmtpSink;
  let encore: TestEncore;
  let ruleId: string;
  const offerIds: Record<string, string> = {};
  let holderPort = 0;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    probe = cluster.connect() as Cluster;
    woo = await startWooFake({ consumerKey: TEST_SECRETS.WC_CONSUMER_KEY, consumerSecret: TEST_SECRETS.WC_CONSUMER_SECRET });
    smtp = await startSmtpSink();
    encore = await startTestEncore({
      storeUrl: woo.url,
      redis: { clusterNodes: cluster.env.REDIS_CLUSTER_NODES!.split(',') },
      env: { SMTP_URL: smtp.url, WC_TIMEOUT_MS: '1500', ENCORE_EMAIL_CAP_DAYS: '0' },
    });
  }, 60_000);

  afterAll(async () => {
    await encore?.stop();
    probe?.disconnect();
    await smtp?.close();
    await woo?.close();
    await cluster?.stop();
  }, 30_000);

  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Json });
  const offersOf = async (orderId: number): Promise<Json[]> => (await json(await encore.signed('GET', `/v1/admin/orders/${orderId}/offers`))).body.offers;
  /** A signed `order.updated` delivery of paid order `id` (printer 101), paid a minute ago. */
  const deliverOrder = async (id: number) => {
    const paidAt = new Date(Date.now() - 60_000);
    const order = { ...processingOrder(), id, number: String(id), date_paid_gmt: wooDate(paidAt), date_modified_gmt: wooDate(new Date(paidAt.getTime() + 2_000)) };
    const d = delivery('order-updated-processing');
    const signed = signedDelivery(d, order, d.secret!);
    return (await postWebhook(encore.url, signed.body, signed.headers)).status;
  };
  const decided = (orderId: number, count: number) =>
    eventually(async () => {
      const offers = await offersOf(orderId);
      return offers.length >= count ? offers : undefined;
    }, 10_000);

  it('rules are created, listed, changed and deleted through the admin API', async () => {
    const email = { thankYou: true, email: { enabled: true, delayHours: 48 } };
    const created = await json(await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ channels: email })));
    expect(created.status).toBe(201);
    ruleId = created.body.id;
    const other = (await json(await encore.signed('POST', '/v1/admin/rules', printerTonerRule({ name: 'Paper', trigger: { productIds: [999], minOrderTotal: '0' } })))).body;

    const renamed = await json(await encore.signed('PUT', `/v1/admin/rules/${other.id}`, { name: 'Paper, A4' }));
    expect(renamed).toMatchObject({ status: 200, body: { id: other.id, name: 'Paper, A4' } });
    expect((await json(await encore.signed('GET', '/v1/admin/rules'))).body.rules.map((r: Json) => r.name)).toEqual(['Printer → toner', 'Paper, A4']);

    expect((await encore.signed('DELETE', `/v1/admin/rules/${other.id}`)).status).toBe(204);
    expect((await encore.signed('GET', `/v1/admin/rules/${other.id}`)).status).toBe(404);
  });

  it('a signed webhook is accepted and the worker decides the order’s offers', async () => {
    expect(await deliverOrder(4711)).toBe(202);
    const offers = await decided(4711, 2);
    expect(offers.map((o) => [o.channel, o.ruleId, o.state]).sort()).toEqual([
      ['email', ruleId, 'issued'],
      ['thank_you', ruleId, 'issued'],
    ]);
    for (const offer of offers) offerIds[offer.channel] = offer.id;
  });

  it('the thank-you fragment shows that same offer, and a click creates its coupon at WooCommerce', async () => {
    const res = await encore.signed('POST', '/v1/thank-you', orderSummary());
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(/data-offer-id="([^"]+)"/.exec(html)?.[1]).toBe(offerIds.thank_you);
    const path = /href="https:\/\/encore\.example\.com(\/o\/[^"]+)"/.exec(html)![1]!;

    const click = await fetch(`${encore.url}${path}`, { redirect: 'manual', headers: { 'User-Agent': BROWSER } });
    expect(click.status).toBe(302);
    const code = new URL(click.headers.get('location')!).searchParams.get('encore_coupon');
    expect([...woo.coupons.values()].map((c) => c.code)).toEqual([code]);
  });

  it('the offer email waits as a delayed job in the cluster and reaches the mail server once due', async () => {
    const queue = new Queue('emails', { connection: probe, prefix: encore.keys.bullPrefix });
    try {
      const jobId = emailJobId(offerIds.email!);
      const job = await eventually(async () => (await queue.getJob(jobId)) ?? undefined);
      expect(await job.isDelayed()).toBe(true);
      expect(job.delay).toBeGreaterThan(47 * 3_600_000);
      await job.promote();
      expect(await outcomeOf(queue, jobId)).toBe('sent');
      expect(smtp.messages.map((m) => m.to)).toEqual([['zofia.wasik@example.com']]);
    } finally {
      await queue.close();
    }
  });

  it('stats count the funnel of both channels', async () => {
    const { status, body } = await json(await encore.signed('GET', '/v1/admin/stats'));
    expect(status).toBe(200);
    const [rule] = body.rules;
    expect(rule.ruleId).toBe(ruleId);
    expect(rule.channels.thank_you).toMatchObject({ issued: 1, shown: 1, clicked: 1 });
    expect(rule.channels.email).toMatchObject({ issued: 1, emailed: 1 });
  });

  it('after every node’s script cache is flushed, scripts are sent again (NOSCRIPT) and work', async () => {
    await Promise.all(probe.nodes('master').map((node) => node.script('FLUSH')));
    expect(await deliverOrder(4712)).toBe(202);
    expect((await decided(4712, 2)).map((o) => o.state)).toEqual(['issued', 'issued']);
    // Loaded again where the `{namespace}` slot lives, and only there: routed by its first key.
    const sha = createHash('sha1').update(ENSURE_OFFERS).digest('hex');
    const loaded = await Promise.all(probe.nodes('master').map(async (node) => ((await node.script('EXISTS', sha)) as number[])[0]));
    expect(loaded.sort()).toEqual([0, 0, 1]);
    await expect(runScript(probe, 'return 1', 0)).rejects.toThrow(/at least one key/);
  });

  it('every key Encore and BullMQ wrote lives in the one slot of {namespace}, on one master, none elsewhere', async () => {
    const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', `{${encore.keys.namespace}}`));
    const counts = await Promise.all(
      probe.nodes('master').map(async (node) => ({
        node,
        size: await node.dbsize(),
        inSlot: Number(await node.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))),
      })),
    );
    const holders = counts.filter((c) => c.size > 0);
    expect(holders).toHaveLength(1);
    expect(holders[0]!.inSlot).toBe(holders[0]!.size);
    expect(counts.reduce((sum, c) => sum + c.size, 0)).toBe(holders[0]!.size);

    const keys = await scanKeys(probe, '*');
    expect(keys).toHaveLength(holders[0]!.size);
    const holder: Redis = holders[0]!.node;
    holderPort = Number(holder.options.port);
    for (const key of keys) {
      expect(key.startsWith(encore.keys.prefix)).toBe(true);
      expect(Number(await holder.call('CLUSTER', 'KEYSLOT', key))).toBe(slot);
    }
    // Both writers are represented: Encore's own keys and BullMQ's queues.
    for (const part of [':rules', ':offer:', ':stats:', ':q:orders:', ':q:emails:', ':q:maintenance:']) {
      expect(keys.some((key) => key.includes(part))).toBe(true);
    }
  });

  it('a blocking (worker) connection keeps maxRetriesPerRequest null in redisOptions, where BullMQ reads it for a Cluster', async () => {
    const seeds = cluster.env.REDIS_CLUSTER_NODES!.split(',');
    const blocking = createRedis({ clusterNodes: seeds }, { blocking: true }) as Cluster;
    const plain = createRedis({ clusterNodes: seeds }) as Cluster;
    try {
      await Promise.all([waitReady(blocking), waitReady(plain)]);
      expect(blocking.options.redisOptions?.maxRetriesPerRequest).toBeNull();
      expect(plain.options.redisOptions?.maxRetriesPerRequest).toBe(2);
    } finally {
      blocking.disconnect();
      plain.disconnect();
    }
  });

  it('refuses a cluster where any master may evict keys', async () => {
    await expect(assertNoEviction(probe)).resolves.toBeUndefined();
    const [, second] = probe.nodes('master');
    await second!.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      await expect(assertNoEviction(probe)).rejects.toThrow(/"allkeys-lru" on 127\.0\.0\.1:\d+; Encore needs "noeviction"/);
    } finally {
      await second!.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('when the key holder is killed and restarted from its AOF, nothing accepted is lost and work resumes', async () => {
    const before = await offersOf(4712);
    await cluster.killKeyHolder(encore.keys.namespace);
    const direct = new Redis({ host: '127.0.0.1', port: holderPort, lazyConnect: true, retryStrategy: () => null });
    await expect(direct.connect()).rejects.toThrow(/Connection is closed/);
    direct.disconnect();
    await cluster.restartKeyHolder(encore.keys.namespace);
    // The same offers and rule come back from the AOF; the restarted node's script cache is
    // empty, so the next decision goes through NOSCRIPT again.
    expect(await eventually(async () => (await encore.signed('GET', '/v1/admin/orders/4712/offers').catch(() => null))?.status === 200 || undefined, 15_000)).toBe(true);
    expect(await offersOf(4712)).toEqual(before);
    expect((await encore.signed('GET', `/v1/admin/rules/${ruleId}`)).status).toBe(200);
    expect(await eventually(async () => ((await deliverOrder(4713)) === 202 ? true : undefined), 15_000)).toBe(true);
    expect(await decided(4713, 2)).toHaveLength(2);
  }, 60_000);

  // Last: it writes the keys of a second namespace, which may hash to another master.
  it('`npm start` with REDIS_CLUSTER_NODES (production) connects to the cluster, starts no private redis-server, and drains on SIGTERM', async () => {
    const varDir = mkdtempSync(join(tmpdir(), 'encore-cluster-start-'));
    const port = await freePort();
    const entry = startEntryPoint({
      ...TEST_SECRETS,
      ...cluster.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ENCORE_STORE_URL: woo.url,
      ENCORE_REDIS_NAMESPACE: `t${randomBytes(6).toString('hex')}`,
      ENCORE_VAR_DIR: join(varDir, 'var'),
      ENCORE_OUTBOX_DIR: join(varDir, 'outbox'),
      LOG_LEVEL: 'warn',
    });
    try {
      expect(await entry.ready(port)).toMatchObject({ redis: 'PONG' });
      // The banner follows the workers, which start after the HTTP API answers.
      await eventually(async () => (/Encore is running \(role all\)/.test(entry.output()) ? true : undefined), 10_000);
      expect(entry.output()).not.toMatch(/private redis-server/);
      expect(existsSync(join(varDir, 'var', 'redis'))).toBe(false);
      expect(await entry.stop()).toBe(0);
    } finally {
      entry.kill();
      rmSync(varDir, { recursive: true, force: true });
    }
  }, 40_000);
});
