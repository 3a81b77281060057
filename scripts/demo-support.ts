import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { signRequest } from '../src/security/signed-request';
export { freePort } from '../test/support/net';

/** A failure the demo explains in one line (no stack trace). */
export class DemoError extends Error {
  override name = 'DemoError';
}

/** Prints a numbered step heading. */
export function step(n: number, title: string): void {
  process.stdout.write(`\n${n}. ${title}\n`);
}

/** Prints one indented line of a step. */
export function say(line = ''): void {
  process.stdout.write(line ? `   ${line}\n` : '\n');
}

/** Cuts `text` to `max` characters, marking the cut and the full length. */
export function shorten(text: string, max = 72): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

/** An answer, read in full. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: string;
  /** Shown after the request line, e.g. which secret signed it. */
  note?: string;
  /** Do not print the exchange (polling). */
  quiet?: boolean;
  /** Path as printed; long tokens make the real one unreadable. */
  shownPath?: string;
}

/** Sends one request to `base + path` without following redirects, printing it abbreviated. */
export async function call(base: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const shown = opts.shownPath ?? path;
  if (!opts.quiet) say(`→ ${method} ${shown}${opts.note ? `   (${opts.note})` : ''}`);
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method, headers: opts.headers, body: opts.body, redirect: 'manual' });
  } catch (err) {
    throw new DemoError(`${method} ${shown} got no answer: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!opts.quiet) say(`← ${res.status} ${STATUS_CODES[res.status] ?? ''}`.trimEnd());
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * Sends a request signed the way the WordPress plugin signs it (Encore-Id, Encore-Timestamp,
 * Encore-Signature over id, timestamp, method, path and raw body).
 */
export function signedCall(base: string, secret: string, method: string, path: string, body?: unknown, quiet = false): Promise<Answer> {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const headers = signRequest(secret, {
    id: `demo_${randomBytes(9).toString('hex')}`,
    timestamp: Math.floor(Date.now() / 1000),
    method,
    pathWithQuery: path,
    body: raw,
  });
  return call(base, method, path, {
    headers: { ...headers, ...(raw ? { 'Content-Type': 'application/json' } : {}) },
    body: raw || undefined,
    note: 'signed with ENCORE_SHIM_SECRET, like the WordPress plugin',
    quiet,
  });
}

/** Throws a one-line DemoError unless the answer has the expected status. */
export function expectStatus(answer: Answer, expected: number, what: string): void {
  if (answer.status === expected) return;
  const error = (answer.json as { error?: { code?: string; message?: string } } | undefined)?.error;
  const detail = error ? `${error.code}: ${error.message}` : shorten(answer.text.replace(/\s+/g, ' '), 120);
  throw new DemoError(`${what} answered ${answer.status} instead of ${expected}${detail ? ` (${detail})` : ''}`);
}

/** Deletes every key that starts with `prefix` (e.g. `{demo}:`); resolves to how many. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (found.length > 0) deleted += await redis.del(...found);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/** Polls `check` every 50 ms until it returns a value; after `timeoutMs` throws `what`, the reason to show. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<{ value: T; tries: number; ms: number }> {
  const started = Date.now();
  for (let tries = 1; ; tries++) {
    const value = await check();
    if (value !== undefined) return { value, tries, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new DemoError(`${what} (waited ${timeoutMs / 1000} s)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The parts of a WooCommerce order body (the webhook fixture) the demo reads. */
export interface OrderJson {
  id: number;
  order_key: string;
  status: string;
  total: string;
  currency: string;
  customer_id: number;
  billing: { email: string };
  line_items: { product_id: number; variation_id: number; quantity: number; total: string }[];
}

/** An offer as `GET /v1/admin/orders/:id/offers` shows it. */
export interface PublicOffer {
  id: string;
  state: string;
  productIds: number[];
  discount: { type: string; amount: string };
  expiresAt: string;
  couponCode: string | null;
  clicks: number;
}

/** One line about an offer: products, discount, state, clicks, coupon, expiry. */
export const describe = (o: PublicOffer): string =>
  `${o.id}: products ${o.productIds.join(', ')}, ${o.discount.amount}${o.discount.type === 'percent' ? '%' : ` ${o.discount.type}`} off, ` +
  `state "${o.state}", ${o.clicks} click(s), coupon ${o.couponCode ?? '(none yet)'}, expires ${o.expiresAt}`;

/** A pino destination that keeps `msg: reason` of each line in `into` instead of printing JSON. */
export function warningSink(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = JSON.parse(chunk.toString('utf8')) as { msg?: string; reason?: string };
      into.push(`${line.msg ?? '?'}${line.reason ? `: ${line.reason}` : ''}`);
      done();
    },
  });
}
