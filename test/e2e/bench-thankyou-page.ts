import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { writeReport } from '../../scripts/bench-support';
import { printerTonerRule, TEST_SECRETS } from '../support/encore';
import { connectPlugin, createPaidOrder, ENCORE_PLUGIN, startEncoreForShop, wpCli, type TestOrder } from './support/harness';
import { startStack, type StackState } from './support/stack';

/**
 * `npm run bench:thankyou-page`: what the Encore plugin adds to the order-received page of a
 * real WordPress (the end-to-end stack: Debian's WordPress on MariaDB, PHP's built-in server
 * with OPcache, the WooCommerce stand-in, Encore in-process on a private redis-server).
 *
 * Each load is one GET of the page, timed from the request to the last byte of HTML, one at a
 * time. Every load uses a fresh paid printer order, as a buyer sees the page once: with the
 * plugin that is the whole first-view path (summary → signed POST → decide and issue offers →
 * product names → fragment). Then the same with the plugin deactivated, and last the plugin
 * with repeated views of one order (the service's idempotent path). A script, not a test:
 * nothing here asserts a time. BENCH_N sets the loads per variant (default 30).
 */
const N = Number(process.env.BENCH_N ?? 30);
const WARMUP = 3;

async function timeLoad(url: string): Promise<{ ms: number; html: string }> {
  const started = process.hrtime.bigint();
  const response = await fetch(url);
  const html = await response.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`HTTP ${response.status} for ${url}`);
  return { ms, html };
}

/** Times `N` loads (after a few untimed ones); checks each page for the fragment or its absence. */
async function measure(name: string, urls: () => Promise<string>, expectOffers: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + N; i++) {
    const url = await urls();
    const { ms, html } = await timeLoad(url);
    if (!html.includes('woocommerce-thankyou-order-received')) throw new Error(`${name}: not an order-received page`);
    if (html.includes('class="encore-offers"') !== expectOffers) throw new Error(`${name}: offers ${expectOffers ? 'missing' : 'present'}`);
    if (i >= WARMUP) times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (ms: number) => ms.toFixed(1);

function versions(): string {
  const out = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '?';
  const php = out('/usr/bin/php', ['-r', 'echo PHP_VERSION;']);
  const mariadb = out('/usr/sbin/mariadbd', ['--version']).replace(/^.*Ver\s+/, '').split(' ')[0];
  const wp = out('/usr/bin/php', ['-r', "include '/usr/share/wordpress/wp-includes/version.php'; echo $wp_version;"]);
  const cpu = os.cpus();
  return `${cpu[0]?.model ?? 'CPU'}, ${cpu.length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}; Node ${process.version}, PHP ${php} (built-in server, 4 workers, OPcache), MariaDB ${mariadb}, WordPress ${wp}; load average ${os.loadavg()[0]!.toFixed(2)}`;
}

async function main(): Promise<void> {
  const stack = await startStack((line) => console.log(line));
  const state: StackState = stack.state;
  process.env.ENCORE_TEST_REDIS_SOCKET = state.redisSocket;
  const encore = await startEncoreForShop(state);
  try {
    connectPlugin(state, encore.url, TEST_SECRETS.ENCORE_SHIM_SECRET);
    const rule = printerTonerRule({
      trigger: { productIds: [state.products.printer], minOrderTotal: '0' },
      offer: { productIds: [state.products.toner, state.products.paper], discount: { type: 'percent', amount: '15' } },
    });
    if ((await encore.signed('POST', '/v1/admin/rules', rule)).status !== 201) throw new Error('rule not created');
    const fresh = async () => (await createPaidOrder(state, [state.products.printer])).receivedUrl;

    console.log(`Machine: ${versions()}`);
    const withPlugin = await measure('plugin active', fresh, true);
    const repeat: TestOrder = await createPaidOrder(state, [state.products.printer]);
    const withPluginRepeat = await measure('plugin active, same order again', async () => repeat.receivedUrl, true);
    wpCli(state.wpDir, 'deactivate', ENCORE_PLUGIN);
    const without = await measure('plugin inactive', fresh, false);
    wpCli(state.wpDir, 'activate', ENCORE_PLUGIN);

    const rows: [string, number[]][] = [
      ['Encore plugin active, first view of a new paid order', withPlugin],
      ['Encore plugin active, the same order viewed again', withPluginRepeat],
      ['Encore plugin inactive (baseline)', without],
    ];
    console.log(`\nOrder-received page, ${N} loads each, one at a time (ms, request to last byte):\n`);
    console.log('| page | loads | p50 | p95 | mean | min | max |\n| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, t] of rows) console.log(`| ${name} | ${t.length} | ${f(pct(t, 50))} | ${f(pct(t, 95))} | ${f(mean(t))} | ${f(t[0]!)} | ${f(t[t.length - 1]!)} |`);
    console.log(`\nRatio active/inactive: p50 ${(pct(withPlugin, 50) / pct(without, 50)).toFixed(2)}, p95 ${(pct(withPlugin, 95) / pct(without, 95)).toFixed(2)}; ` +
      `added at p50: ${f(pct(withPlugin, 50) - pct(without, 50))} ms (first view), ${f(pct(withPluginRepeat, 50) - pct(without, 50))} ms (again).`);
    const table = rows.map(([name, t]) => `| ${name} | ${t.length} | ${f(pct(t, 50))} | ${f(pct(t, 95))} | ${f(mean(t))} | ${f(t[0]!)} | ${f(t[t.length - 1]!)} |`);
    writeReport({
      bench: 'thankyou-page',
      checksPassed: true, // measure() throws when a page shows (or lacks) the offers wrongly
      figures: [
        {
          name: 'Order-received page p50, plugin active (first view)',
          goal: '',
          result: `${f(pct(withPlugin, 50))} ms`,
          baseline: `${f(pct(without, 50))} ms (plugin inactive)`,
          ratio: (pct(withPlugin, 50) / pct(without, 50)).toFixed(2),
          pass: null,
        },
      ],
      details: [`${versions()}. ${N} loads per row, one at a time, request to last byte (ms).\n`, '| page | loads | p50 | p95 | mean | min | max |', '| --- | --- | --- | --- | --- | --- | --- |', ...table].join('\n'),
    });
  } finally {
    await encore.stop();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
