import express from 'express';
import { AppError } from '../errors';

/** Largest body any route reads: WooCommerce orders are a few KB, 1 MB is generous. */
export const BODY_LIMIT = '1mb';

/** {@link BODY_LIMIT} in bytes, for readers that do not go through body-parser. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Keeps the exact bytes: signatures are verified on them before anything is parsed. */
export const rawBody = () => express.raw({ type: () => true, limit: BODY_LIMIT });

/**
 * The raw bytes that `express.raw()` left in `req.body`. Without a body, body-parser leaves
 * `undefined` (or `{}` in some setups): both mean zero bytes. Anything else means a parser
 * consumed the bytes before us, which would make every signature unverifiable.
 */
export function rawBodyOf(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'object' && Object.keys(body).length === 0) return Buffer.alloc(0);
  throw new AppError('internal', 'Signed routes need express.raw() before reading the body.');
}

/** Parses JSON bytes; empty means `undefined`; anything unparsable is a 400. */
export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new AppError('invalid_request', 'The body is not valid JSON.', { reason: 'invalid_json' });
  }
}
