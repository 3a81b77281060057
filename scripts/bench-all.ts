import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { E2E_PACKAGES } from '../test/e2e/support/packages';
import { markdownTable, type BenchReport, type Figure } from './bench-support';

/**
 * `npm run bench:all`: runs every benchmark, one after the other, each in its own process
 * (as `npm run bench:<name>` would), collects the report each writes, and rewrites
 * BENCHMARKS.md from them. Nothing in that file is typed by hand: rerun to update it.
 */
const ROOT = join(__dirname, '..');

interface Bench {
  name: string;
  script: string;
  title: string;
  /** What the benchmark measures and how; numbers come from the run, never from here. */
  method: string;
  /** Why it cannot run here, or null when it can. */
  unavailable?: () => string | null;
}

const BENCHES: Bench[] = [
  {
    name: 'ingest',
    script: 'scripts/bench-ingest.ts',
    title: 'Webhook ingest',
    method:
      'Signed WooCommerce `order.updated` deliveries per second through `POST /webhooks/woocommerce` of one Encore process (role `api`): ' +
      'signature check on the raw bytes, JSON and zod validation, the order snapshot, the `order.evaluate` job, 202. Baseline in the same run and ' +
      'with the same load: a bare `node:http` server that reads the body, checks the same HMAC with `timingSafeEqual`, parses the JSON for the id, ' +
      'does one `LPUSH` and answers 202. Each request is a distinct order, signed before the timed loop; baseline and Encore alternate. ' +
      'WooCommerce delivers without keep-alive, so fresh connections are the primary row.',
  },
  {
    name: 'scaling',
    script: 'scripts/bench-scaling.ts',
    title: 'Order evaluation with 1 and 2 worker processes',
    method: 'See the table note: the same size of backlog, drained once by one and once by two spawned worker processes.',
  },
  {
    name: 'thankyou',
    script: 'scripts/bench-thankyou.ts',
    title: 'Thank-you fragment',
    method:
      'Latency of the signed `POST /v1/thank-you` (signed as the WordPress plugin signs) with rules created through the admin API, product ' +
      'details cached from the WooCommerce fake, and a large history of past orders in Redis (seeded as described below). A new paid order runs ' +
      'the whole decision (trigger index, candidate rules, atomic decision script), marks the offers shown and renders them; "same order again" ' +
      'is the read path. Baseline: `GET /healthz` through the same server in the same run.',
  },
  {
    name: 'click',
    script: 'scripts/bench-click.ts',
    title: 'Offer link clicks',
    method:
      '`GET /o/<token>` as a browser opens an offer link: the first click creates the coupon at the WooCommerce fake (REST over HTTP, under ' +
      "the offer's lock) and redirects, a repeat click reuses it. Baseline: the fake's own round trip for creating one coupon through the same REST client.",
  },
  {
    name: 'email',
    script: 'scripts/bench-email.ts',
    title: 'Offer emails',
    method:
      'One Encore process sends offer emails into an SMTP server on loopback that accepts and discards. The offers are made first (thank-you ' +
      'requests, one customer each, emails due later); every delayed `offer.email` job is then promoted at once, and the clock runs until the last ' +
      "email's memo is written. Each email is the whole path: re-checks, frequency cap, render, two signed tokens, SMTP, memo, BullMQ's bookkeeping. " +
      'Baseline: raw nodemailer sending one rendered offer email as often, over the same pool with as many in flight.',
  },
  {
    name: 'bytes',
    script: 'scripts/bench-bytes.ts',
    title: 'Redis bytes per offer',
    method: 'See the table note: every key sized before and after a run of orders with offers on both channels, grouped by kind.',
  },
  {
    name: 'thankyou-page',
    script: 'test/e2e/bench-thankyou-page.ts',
    title: 'Order-received page in a real WordPress',
    method:
      'The whole order-received page as a browser asks for it, in the end-to-end stack (WordPress, MariaDB, PHP built-in server, the Encore ' +
      'plugin, the WooCommerce stand-in, Encore in-process), with the plugin active and, as the baseline, inactive in the same WordPress.',
    unavailable: () => {
      if (process.env.BENCH_SKIP_PAGE) return 'BENCH_SKIP_PAGE was set';
      const missing = E2E_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
      return missing.length ? `its stack is not installed here (missing: ${missing.join(', ')})` : null;
    },
  },
];

/** Runs one benchmark in its own process, its output passed through; its report or why none. */
function run(bench: Bench, reportPath: string): Promise<BenchReport | string> {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== bench:${bench.name} ===`);
    const child = spawn(process.execPath, ['--import', 'tsx', bench.script], { cwd: ROOT, env: { ...process.env, BENCH_REPORT: reportPath }, stdio: 'inherit' });
    child.once('exit', (code) => {
      console.log(`=== bench:${bench.name} finished in ${((Date.now() - started) / 1000).toFixed(0)} s, exit ${code} ===`);
      if (!existsSync(reportPath)) return resolve(`it ended with exit code ${code} before reporting`);
      const report = JSON.parse(readFileSync(reportPath, 'utf8')) as BenchReport;
      resolve(code === 0 ? report : { ...report, checksPassed: false });
    });
  });
}

const redisVersion = () => /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 'unknown';
const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';

function machine(startedAt: Date, seconds: number, load: number): string {
  const cpus = os.cpus();
  const dirty = git('status', '--porcelain', '--', 'src') ? ' plus uncommitted changes in src/' : '';
  return [
    `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical cores`,
    `- RAM: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node ${process.version}, Redis ${redisVersion()}`,
    `- Code: ${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty}`,
    `- Run: ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${(seconds / 60).toFixed(1)} minutes; 1-minute load average at the start ${load.toFixed(2)}`,
  ].join('\n');
}

const mark = (f: Figure, checksPassed: boolean): string => {
  const base = f.pass === null ? '— (no goal)' : f.pass ? '**PASS**' : '**NOT MET**';
  return checksPassed ? base : `${base}, checks failed`;
};

function document(results: { bench: Bench; outcome: BenchReport | string }[], machineText: string): string {
  const summary: (string | number)[][] = [];
  for (const { bench, outcome } of results) {
    if (typeof outcome === 'string') {
      summary.push([bench.title, '', `not measured: ${outcome}`, '', '', '—']);
      continue;
    }
    for (const f of outcome.figures) summary.push([f.name, f.goal || '—', f.result, f.baseline, f.ratio, mark(f, outcome.checksPassed)]);
  }
  const sections = results.map(({ bench, outcome }) => {
    const body = typeof outcome === 'string' ? `Not measured in this run: ${outcome}.` : `${outcome.details}\n\nAll checks ${outcome.checksPassed ? 'passed' : '**FAILED**: the figures above are not trustworthy'}.`;
    return `## ${bench.title} (\`npm run bench:${bench.name}\`)\n\n${bench.method}\n\n${body}`;
  });
  return [
    '# Benchmarks',
    '',
    'Generated by `npm run bench:all` (each benchmark also runs alone as `npm run bench:<name>`). Every number below comes from the run described under "Machine"; rerun on a quiet machine to update this file, do not edit it by hand.',
    '',
    '## Machine',
    '',
    machineText,
    '',
    '## Summary',
    '',
    'Ratio = result ÷ the same-run baseline.',
    '',
    markdownTable(['figure', 'goal', 'result', 'same-run baseline', 'ratio', 'mark'], summary),
    '',
    ...sections.flatMap((s) => [s, '']),
    '## Method notes',
    '',
    '- Each benchmark starts its own `redis-server` in a fresh temp dir (AOF with `appendfsync everysec`, `noeviction`, unix socket) and Encore in-process through `startEncore` with `loadConfig` (fixed benchmark secrets, `127.0.0.1`, port 0), and removes both at the end. Loopback traffic only.',
    '- Logs are on at `info` (the production default) and go to `/dev/null`, so every request log line is part of the cost; `BENCH_LOG_LEVEL=silent` leaves it out.',
    '- The HTTP load generator runs on a worker thread, so it does not queue behind the server it measures, but it shares the cores with Encore and redis-server: absolute figures are pessimistic, the same-run ratios are the meaningful part.',
    '- Latency is from request start to the last response byte; percentiles are nearest-rank.',
    '- Sizes can be changed for a quick look (`BENCH_REQUESTS`, `BENCH_WARMUP`, `BENCH_CONCURRENCY`, `BENCH_ORDERS`, `BENCH_PAST_ORDERS`, `BENCH_CLICKS`, `BENCH_OFFERS`, `BENCH_BYTES_ORDERS`, `BENCH_SCALING_ORDERS`); short runs are dominated by JIT warm-up and are not comparable.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const load = os.loadavg()[0] ?? NaN;
  const only = process.argv.slice(2);
  const dir = mkdtempSync(join(os.tmpdir(), 'encore-bench-all-'));
  const results: { bench: Bench; outcome: BenchReport | string }[] = [];
  try {
    for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
      const why = bench.unavailable?.() ?? null;
      results.push({ bench, outcome: why ? `skipped, ${why}` : await run(bench, join(dir, `${bench.name}.json`)) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const text = document(results, machine(startedAt, seconds, load));
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), text);
  console.log(`\nBENCHMARKS.md rewritten (${(seconds / 60).toFixed(1)} minutes).`);
  const failed = results.filter(({ outcome }) => typeof outcome !== 'string' && !outcome.checksPassed);
  process.exit(failed.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
