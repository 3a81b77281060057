import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config';
import { prepareDevEnvironment } from '../src/dev/dev-env';
import { ensureRedisBinary, startRedisServer } from '../src/dev/redis-server';
import { createLogger } from '../src/logger';
import { startEncore } from '../src/main';
import { createRedis, waitReady } from '../src/storage/redis';
import { delivery, signedDelivery } from '../test/support/fixtures';
import { printerTonerRule } from '../test/support/encore';
import { startWooFake, type WooFake } from '../test/support/woo-fake';
import {
  call, deleteKeys, DemoError, describe, eventually, expectStatus, freePort, say, shorten, signedCall, step, warningSink,
  type OrderJson, type PublicOffer,
} from './demo-support';

/**
 * `npm run demo`: the whole loop — rule, paid-order webhook, thank-you fragment, offer link,
 * coupon — against the embedded defaults, with a stand-in WooCommerce store on loopback.
 */
const NAMESPACE = 'demo';
const ORDER_ID = 4711;

const cleanups: (() => Promise<unknown>)[] = [];
let redisChild: ChildProcess | null = null;
const warnings: string[] = [];

async function demo(): Promise<void> {
  const started = Date.now();
  step(1, 'Starting the pieces');
  const varDir = resolve(process.env.ENCORE_VAR_DIR ?? 'var');
  const dev = prepareDevEnvironment(process.env, varDir);
  ensureRedisBinary(say);
  const redisServer = await startRedisServer(join(varDir, 'redis'));
  cleanups.unshift(() => redisServer.stop());
  redisChild = redisServer.child;
  const target = { path: redisServer.socket };
  say(`${redisServer.child ? 'Started a private' : 'Reusing the running'} redis-server (unix socket ${redisServer.socket}).`);

  const woo: WooFake = await startWooFake({ consumerKey: dev.env.WC_CONSUMER_KEY ?? '', consumerSecret: dev.env.WC_CONSUMER_SECRET ?? '' });
  cleanups.unshift(() => woo.close());
  say(`Started a stand-in WooCommerce store at ${woo.url}: not a real shop, an HTTP fake that`);
  say(`answers like WooCommerce's REST API (/wp-json/wc/v3) and checks the dev consumer key.`);

  // PUBLIC_URL must name the port before Encore listens, so pick a free one instead of PORT=0.
  const port = await freePort();
  const config = loadConfig({
    ...dev.env,
    REDIS_URL: undefined,
    PORT: String(port),
    HOST: '127.0.0.1',
    ENCORE_ROLE: 'all',
    ENCORE_STORE_URL: woo.url,
    ENCORE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ENCORE_REDIS_NAMESPACE: NAMESPACE,
  });
  const redis = createRedis(target, { name: 'encore-demo' });
  cleanups.unshift(() => redis.quit());
  await waitReady(redis);
  const stale = await deleteKeys(redis, `{${NAMESPACE}}:`);
  say(`Cleared ${stale} key(s) left in Redis namespace "${NAMESPACE}" by an earlier run.`);

  const encore = await startEncore(config, { logger: createLogger('warn', warningSink(warnings)), redis: target });
  cleanups.unshift(() => encore.stop());
  const api = encore.url!;
  say(`Started Encore in this process at ${api} (API and worker; secrets from ${dev.file}).`);

  step(2, 'Creating the sample rule "Printer → toner" through the signed admin API');
  const rule = printerTonerRule();
  say(`Rule: an order with product 101 (printer) gets product 202 (toner) at 15 % off, on the thank-you page, for 72 h.`);
  const created = await signedCall(api, config.shimSecret, 'POST', '/v1/admin/rules', rule);
  expectStatus(created, 201, 'Creating the rule');
  say(`  Encore stored it as rule ${(created.json as { id: string }).id}.`);

  step(3, `A paid order arrives: WooCommerce's order.updated webhook for order ${ORDER_ID}`);
  const fixture = delivery('order-updated-processing');
  const order = JSON.parse(fixture.body.toString('utf8')) as OrderJson;
  say(`Order ${order.id}: ${order.line_items.map((i) => `${i.quantity} × product ${i.product_id}`).join(' + ')}, ` +
    `${order.total} ${order.currency}, status "${order.status}", buyer ${order.billing.email}.`);
  const hook = signedDelivery(fixture, fixture.body.toString('utf8'), config.wc.webhookSecret);
  const accepted = await call(api, 'POST', '/webhooks/woocommerce', {
    headers: hook.headers,
    body: hook.body,
    note: `topic ${hook.headers['X-WC-Webhook-Topic']}, ${hook.body.length} bytes, X-WC-Webhook-Signature made with WC_WEBHOOK_SECRET`,
  });
  expectStatus(accepted, 202, 'The webhook');
  say(`  Body ${accepted.text} — Encore only verified and queued it; the worker decides in the background.`);
  const path = `/v1/admin/orders/${ORDER_ID}/offers`;
  const polled = await eventually(async () => {
    const answer = await signedCall(api, config.shimSecret, 'GET', path, undefined, true);
    expectStatus(answer, 200, `GET ${path}`);
    const offers = (answer.json as { offers: PublicOffer[] }).offers;
    return offers.length > 0 ? offers : undefined;
  }, 8000, `No offer appeared for order ${ORDER_ID}: the worker did not decide one`);
  say(`→ GET ${path}   (signed; asked ${polled.tries} time(s) over ${polled.ms} ms)`);
  say(`← 200 OK`);
  for (const offer of polled.value) say(`  Offer ${describe(offer)}`);

  step(4, 'The thank-you page asks for its fragment (what the WordPress plugin sends)');
  const summary = {
    orderId: order.id,
    orderKey: order.order_key,
    status: order.status,
    email: order.billing.email,
    customerId: order.customer_id,
    items: order.line_items.map((i) => ({ productId: i.product_id, variationId: i.variation_id, quantity: i.quantity, total: i.total })),
    total: order.total,
    currency: order.currency,
    locale: 'pl_PL',
  };
  say(`Order summary: order ${summary.orderId}, key ${summary.orderKey}, status ${summary.status}, ${summary.items.length} line(s),`);
  say(`  ${summary.total} ${summary.currency}, buyer ${summary.email}, locale ${summary.locale}.`);
  const fragment = await signedCall(api, config.shimSecret, 'POST', '/v1/thank-you', summary);
  expectStatus(fragment, 200, 'The thank-you fragment');
  for (const name of ['Content-Type', 'X-Robots-Tag', 'Cache-Control']) say(`  ${name}: ${fragment.headers.get(name)}`);
  say(`  The HTML the plugin puts on the order-received page (Polish, the buyer's locale):`);
  for (const line of fragment.text.trimEnd().split('\n')) say(`  | ${line.trim() ? shorten(line, 150) : ''}`);
  const link = /href="([^"]*\/o\/[^"]+)"/.exec(fragment.text)?.[1];
  if (!link) throw new DemoError('The fragment holds no offer link');

  step(5, 'The buyer clicks the offer link');
  const linkPath = new URL(link).pathname;
  const first = await openLink(api, linkPath, 1);
  say(`  The store would now add product(s) ${first.searchParams.get('encore_add')} to the cart with coupon ${first.searchParams.get('encore_coupon')}.`);
  showCoupons(woo, `The stand-in store now holds`);

  step(6, 'The buyer opens the same link again (links are never burnt: mail scanners open them first)');
  const again = await openLink(api, linkPath, 2);
  if (again.href !== first.href) throw new DemoError('The second open redirected somewhere else');
  const creates = woo.requests.filter((r) => r.method === 'POST' && r.route === '/coupons').length;
  if (woo.coupons.size !== 1 || creates !== 1) throw new DemoError(`Expected one coupon, the store has ${woo.coupons.size} (${creates} create call(s))`);
  say(`  Same redirect; still exactly one coupon and one create call in the store.`);
  const final = await signedCall(api, config.shimSecret, 'GET', path, undefined, true);
  expectStatus(final, 200, `GET ${path}`);
  for (const offer of (final.json as { offers: PublicOffer[] }).offers) say(`  Offer now: ${describe(offer)}`);

  step(7, 'Stopping everything');
  await stopAll();
  say(`Encore, the stand-in store and ${redisServer.child ? 'the redis-server' : 'the Redis connection'} are stopped.`);
  say(warnings.length ? `Encore logged ${warnings.length} warning(s): ${shorten(warnings.join(' | '), 200)}` : 'Encore logged no warnings.');
  say(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  process.stdout.write(`\nWhere to go next:\n`);
  say(`npm start       runs Encore for real (same var/ secrets and private Redis); point a store at it`);
  say(`README.md       setup, configuration (.env.example) and the WordPress plugin in plugin-php-shim/`);
  say(`/work/shared/DESIGN.md and npm test   the flows in depth, and the tests that pin them down`);
}

async function openLink(api: string, linkPath: string, n: number): Promise<URL> {
  const answer = await call(api, 'GET', linkPath, { shownPath: shorten(linkPath, 40), note: 'redirect: manual, as a browser sees it' });
  expectStatus(answer, 302, `Open #${n} of the offer link`);
  const location = answer.headers.get('location') ?? '';
  say(`  Location: ${location}`);
  return new URL(location);
}

function showCoupons(woo: WooFake, intro: string): void {
  for (const c of woo.coupons.values()) {
    say(`  ${intro} coupon "${c.code}": ${c.amount} ${c.discount_type} on products ${JSON.stringify(c.product_ids)},`);
    say(`    only for ${JSON.stringify(c.email_restrictions)}, usage limit ${c.usage_limit}, individual use ${c.individual_use},`);
    say(`    expires ${c.date_expires} store time (${c.date_expires_gmt} UTC).`);
  }
}

async function stopAll(): Promise<void> {
  while (cleanups.length > 0) await cleanups.shift()!();
}

function fail(reason: string): never {
  process.stderr.write(`\nThe demo failed: ${reason}\n`);
  process.exit(1);
}

// A hung stop (or anything else) must not leave the terminal waiting, nor redis-server running.
setTimeout(() => {
  redisChild?.kill('SIGTERM');
  fail('it took longer than 30 s');
}, 30_000).unref();

demo().then(
  () => process.exit(0),
  async (err: unknown) => {
    await stopAll().catch(() => undefined);
    fail(err instanceof Error ? err.message.split('\n')[0]! : String(err));
  },
);
