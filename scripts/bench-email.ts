import { Queue } from 'bullmq';
import nodemailer from 'nodemailer';
import { createKeys } from '../src/storage/keys';
import { createRedis, quitQuietly } from '../src/storage/redis';
import { renderOfferEmail } from '../src/views/offer-email';
import { startSmtpSink, type SmtpSink } from '../test/support/smtp-sink';
import { startWooFake } from '../test/support/woo-fake';
import { BENCH_SECRETS, describeMachine, printerOrderSummary, signedRequest, envInt, markdownTable, printerTonerRule, runLoad, startBench, statusSummary, writeReport, runBench } from './bench-support';

/**
 * `npm run bench:email`: offer emails per second from one worker process (concurrency as
 * configured) into an SMTP server on loopback that accepts and discards. Offers are made
 * first (thank-you page requests, one customer each, emails due in 48 h); then every delayed
 * `offer.email` job is promoted at once and the clock runs until the last memo is written.
 * Baseline, same run: raw nodemailer sends of one rendered offer email over the same pool
 * size and the same number in flight, without Encore's reads, checks, memo or queue.
 */
const OFFERS = envInt('BENCH_OFFERS', 2_000);
const GOAL_PER_SECOND = 200;

const order = (i: number) => printerOrderSummary(700_000 + i, { email: `buyer${i}@example.com`, locale: i % 3 === 0 ? 'ja' : 'pl_PL' });

/** Polls `read` every 10 ms until it reaches `target`; milliseconds from `started`. */
async function until(read: () => Promise<number>, target: number, started: bigint, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while ((await read()) < target) {
    if (Date.now() > deadline) throw new Error(`only ${await read()} of ${target} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The baseline: the same message, the same pool and in-flight count, nothing else. */
async function rawNodemailer(sink: SmtpSink, count: number, inFlight: number, maxConnections: number): Promise<number> {
  const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections });
  const rendered = renderOfferEmail({
    offer: { kind: 'complement', productIds: [202], discount: { type: 'percent', amount: '15.00' }, currency: 'PLN' },
    expiresAt: new Date(Date.now() + 72 * 3_600_000),
    locale: 'pl_PL',
    products: [{ id: 202, name: 'Toner TN-200 (3 000 stron)', permalink: '', price: '49.00', imageUrl: null, purchasable: true, status: 'publish' }],
    link: `https://encore.example.com/o/${'x'.repeat(260)}`,
    unsubscribeUrl: `https://encore.example.com/u/${'y'.repeat(300)}`,
    storeName: 'sklep.example.com',
  });
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({ from: 'no-reply@sklep.example.com', to: `buyer${i}@example.com`, ...rendered, messageId: `<base${i}@encore.example.com>` });
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  transport.close();
  return elapsed;
}

async function main(): Promise<boolean> {
  console.log(`Email benchmark: ${OFFERS} offer emails, one worker process`);
  const sink = await startSmtpSink({ discard: true });
  const woo = await startWooFake({ consumerKey: BENCH_SECRETS.WC_CONSUMER_KEY, consumerSecret: BENCH_SECRETS.WC_CONSUMER_SECRET });
  const bench = await startBench({ ENCORE_STORE_URL: woo.url, SMTP_URL: sink.url });
  const concurrency = bench.config.workerConcurrency;
  const maxConnections = Math.min(concurrency, 10);
  const redis = createRedis({ path: bench.socket }, { name: 'bench-email' });
  const keys = createKeys(bench.config.namespace, { retentionSeconds: bench.config.retentionDays * 86_400 });
  const queue = new Queue('emails', { connection: redis, prefix: keys.bullPrefix });

  const rule = printerTonerRule('Printer → toner by email', { thankYou: false, email: { enabled: true, delayHours: 48 } });
  const created = await runLoad({ url: bench.url, requests: [signedRequest('POST', '/v1/admin/rules', rule)], concurrency: 1, keepAlive: false });
  const pages = await runLoad({ url: bench.url, requests: Array.from({ length: OFFERS }, (_, i) => signedRequest('POST', '/v1/thank-you', order(i))), concurrency: 8, keepAlive: true });
  await until(() => queue.getDelayedCount(), OFFERS, process.hrtime.bigint());

  const emailed = async () => {
    const day = await redis.hgetall(keys.statsDay(new Date().toISOString().slice(0, 10)));
    return Object.entries(day).filter(([field]) => field.endsWith('|email|emailed')).reduce((sum, [, n]) => sum + Number(n), 0);
  };
  const started = process.hrtime.bigint();
  await queue.promoteJobs();
  const encoreMs = await until(emailed, OFFERS, started);
  const received = sink.attempts;
  // Completed jobs are trimmed to the last 1,000: count the failed ones instead.
  const failed = await queue.getFailedCount();

  const baselineMs = await rawNodemailer(sink, OFFERS, concurrency, maxConnections);
  const encoreRate = (OFFERS / encoreMs) * 1000;
  const baselineRate = (OFFERS / baselineMs) * 1000;

  console.log(`\n### Machine\n\n${describeMachine()}\n`);
  console.log(`### Results (${OFFERS} emails, worker concurrency ${concurrency}, ${maxConnections} pooled SMTP connections)\n`);
  console.log(
    markdownTable(
      ['sender', 'emails', 'seconds', 'emails / s'],
      [
        ['Encore `offer.email` (re-checks, cap, render, send, memo)', OFFERS, (encoreMs / 1000).toFixed(2), encoreRate.toFixed(0)],
        ['raw nodemailer, same message (baseline)', OFFERS, (baselineMs / 1000).toFixed(2), baselineRate.toFixed(0)],
      ],
    ),
  );
  console.log(`\nEncore / baseline: ${(encoreRate / baselineRate).toFixed(2)}`);
  console.log(`Goal: ≥ ${GOAL_PER_SECOND} emails/s: ${encoreRate.toFixed(0)} → ${encoreRate >= GOAL_PER_SECOND ? 'met' : 'NOT met'}`);
  console.log(`Check: setup answers: rules ${statusSummary(created)}; thank-you ${statusSummary(pages)}`);
  console.log(`Check: messages the SMTP server received from Encore: ${received} (expected ${OFFERS}); failed jobs ${failed}`);

  await queue.close();
  await quitQuietly(redis);
  await bench.stop();
  await sink.close();
  await woo.close();
  const honest = received === OFFERS && failed === 0 && created.statuses[201] === 1 && pages.statuses[204] === OFFERS;
  writeReport({
    bench: 'email',
    checksPassed: honest,
    figures: [
      {
        name: 'Offer emails per second',
        goal: `≥ ${GOAL_PER_SECOND} emails/s`,
        result: `${encoreRate.toFixed(0)} emails/s`,
        baseline: `${baselineRate.toFixed(0)} emails/s (raw nodemailer)`,
        ratio: (encoreRate / baselineRate).toFixed(2),
        pass: encoreRate >= GOAL_PER_SECOND,
      },
    ],
    details: [
      `${OFFERS} emails, worker concurrency ${concurrency}, ${maxConnections} pooled SMTP connections.\n`,
      markdownTable(
        ['sender', 'emails', 'seconds', 'emails / s'],
        [
          ['Encore `offer.email` (re-checks, cap, render, send, memo)', OFFERS, (encoreMs / 1000).toFixed(2), encoreRate.toFixed(0)],
          ['raw nodemailer, same message (baseline)', OFFERS, (baselineMs / 1000).toFixed(2), baselineRate.toFixed(0)],
        ],
      ),
      '',
      `Checks: messages the SMTP server received from Encore: ${received} of ${OFFERS}; failed jobs: ${failed}.`,
    ].join('\n'),
  });
  return honest;
}

runBench(main);
