import { Queue } from 'bullmq';
import fc from 'fast-check';
import { z } from 'zod';
import { HTTP_STATUS, type ErrorCode } from '../../src/errors';
import { scanKeys } from '../../src/storage/redis';
import { startTestEncore, TEST_SECRETS, type TestEncore } from '../support/encore';

/**
 * Shared checks of the property tests: what no answer of the service may ever hold, the
 * documented error shape, and what may be found in Redis afterwards.
 */

/** Secret material from the test configuration; none of it may appear in an answer. */
export const SECRET_VALUES: string[] = [
  TEST_SECRETS.WC_CONSUMER_KEY,
  TEST_SECRETS.WC_CONSUMER_SECRET,
  TEST_SECRETS.WC_WEBHOOK_SECRET,
  TEST_SECRETS.ENCORE_SHIM_SECRET,
  TEST_SECRETS.ENCORE_TOKEN_KEYS.split(':').slice(1).join(':'),
];

// A V8 stack frame (`    at fn (/path/file.ts:12:5)`), a source path, or installed modules.
const LEAKS: RegExp[] = [/\n\s+at\s/, /\bat [^\s]+ \(.*:\d+:\d+\)/, /\/src\//, /node_modules/, /\.ts:\d+/];

const errorShape = z
  .object({
    error: z
      .object({
        code: z.enum(Object.keys(HTTP_STATUS) as [ErrorCode, ...ErrorCode[]]),
        message: z.string().min(1).max(500),
        fields: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
  })
  .strict();

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Reads a fetch response completely. */
export async function answerOf(res: Response): Promise<Answer> {
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/**
 * The checks every answer passes whatever was sent: a status from `allowed` (never a 5xx), no
 * stack trace or source path, no secret, and a JSON error in the documented shape whose code
 * maps to the status it came with.
 */
export function expectCleanAnswer(answer: Answer, allowed: readonly number[], what: string): void {
  const context = `${what} → ${answer.status} ${answer.text.slice(0, 300)}`;
  if (answer.status >= 500 || !allowed.includes(answer.status)) {
    throw new Error(`unexpected status ${answer.status} (allowed ${allowed.join(', ')}): ${context}`);
  }
  for (const leak of LEAKS) {
    if (leak.test(answer.text)) throw new Error(`the answer leaks ${leak}: ${context}`);
  }
  for (const secret of SECRET_VALUES) {
    if (answer.text.includes(secret)) throw new Error(`the answer echoes a secret: ${context}`);
  }
  if (answer.status >= 400 && answer.contentType.startsWith('application/json') && answer.text !== '') {
    const parsed = errorShape.safeParse(JSON.parse(answer.text));
    if (!parsed.success) throw new Error(`the error body is not {error:{code,message,fields?}}: ${context}`);
    if (HTTP_STATUS[parsed.data.error.code] !== answer.status) {
      throw new Error(`error code ${parsed.data.error.code} came with status ${answer.status}: ${context}`);
    }
  }
}

/** What the service logged during a run: no stack, no source path, no secret, no email address. */
export function expectCleanLogs(encore: TestEncore): void {
  const text = encore.logs.join('');
  expect(text.length).toBeGreaterThan(0);
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
  for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
}

/** Every key under the test namespace, without the `{ns}:` prefix, sorted. */
export async function storedKeys(encore: TestEncore): Promise<string[]> {
  const found = await scanKeys(encore.redis, `${encore.keys.prefix}*`, 1000);
  return found.map((key) => key.slice(encore.keys.prefix.length)).sort();
}

/** Keys that appeared between two listings. */
export const newKeys = (before: string[], after: string[]): string[] => {
  const old = new Set(before);
  return after.filter((key) => !old.has(key));
};

/** Text that stresses parsers: unicode planes, controls, lone surrogates, markup, traversal. */
export const nastyString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    // Shaped like what validators look for, but wrong inside: month 13, a `:` in a slug.
    { weight: 2, arbitrary: fc.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{1,8}[:. /][a-z]{0,8}$/) },
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '👍🏽',
      'ﬀ',
      '../../etc/passwd',
      '<script>alert(1)</script>',
      '%00',
      '%zz',
      '__proto__',
      'constructor',
      'a:b',
      '${jndi:x}',
      'x'.repeat(5000),
    ),
  );

/** Numbers at and beyond every boundary JSON and JavaScript disagree on. */
export const nastyNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, -1, 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e21, 1e300, -1e300, 5e-324, 0.1, 1.5),
  );

/** Any JSON value, nested up to `depth`, with the nasty strings and numbers above. */
export const nastyJson = (depth = 4): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: depth },
      fc.constantFrom(null, true, false),
      nastyNumber(),
      nastyString(),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(nastyString(), tie('value'), { maxKeys: 5 }),
    ),
  })).value;

/** JSON nested `depth` levels deep: `[[[…]]]` or `{"a":{"a":…}}`. */
export const deeplyNested = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/**
 * Counts answers per status over a property run, so that a test can show its generator
 * reached both the accepting and the refusing paths (a property that only ever saw 400s
 * proves little about what is stored on success).
 */
export function statusTally(): { count(status: number): void; of(status: number): number } {
  const seen = new Map<number, number>();
  return {
    count: (status) => void seen.set(status, (seen.get(status) ?? 0) + 1),
    of: (status) => seen.get(status) ?? 0,
  };
}

/** `encodeURIComponent` that never throws: lone surrogates go out as U+FFFD, as UTF-8 would. */
export const pct = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** Encore on the API role only, and the `orders` queue of its namespace. */
export interface WebhookStage {
  readonly encore: TestEncore;
  readonly queue: Queue;
}

/**
 * Registers the `beforeAll` that starts Encore on the API role only (no worker drains the
 * queue, so every job a request made is still there to count; the store URL answers nothing,
 * WooCommerce is never called) and the `afterAll` that stops it. Read the stage in tests.
 */
export function webhookStage(): WebhookStage {
  let encore: TestEncore | undefined;
  let queue: Queue | undefined;
  beforeAll(async () => {
    encore = await startTestEncore({ storeUrl: 'http://127.0.0.1:9', env: { ENCORE_ROLE: 'api' } });
    queue = new Queue('orders', { connection: encore.redis, prefix: encore.keys.bullPrefix });
  });
  afterAll(async () => {
    await queue?.close();
    await encore?.stop();
  });
  return {
    get encore() {
      if (!encore) throw new Error('Encore is not started');
      return encore;
    },
    get queue() {
      if (!queue) throw new Error('the orders queue is not open');
      return queue;
    },
  };
}
