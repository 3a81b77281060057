import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

/** The three headers of a signed request (DESIGN.md §4), as the shim sends them. */
export interface SignedRequestHeaders {
  'Encore-Id': string;
  'Encore-Timestamp': string;
  'Encore-Signature': string;
}

/** What a signature covers. */
export interface SignedRequestParts {
  /** Unique per request; `[A-Za-z0-9_-]`, 1–128 characters. */
  id: string;
  /** Unix time in seconds. */
  timestamp: number;
  method: string;
  /** The request target as sent, e.g. `/v1/admin/stats?from=2026-11-01`. */
  pathWithQuery: string;
  /** The raw body; empty for GET and DELETE. */
  body: string | Buffer;
}

/** A request as the verifier sees it; `headers` as Node gives them (any case). */
export interface IncomingSignedRequest {
  method: string;
  pathWithQuery: string;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface SignedRequestVerifierOptions {
  /** Shared secrets (UTF-8); a signature made with any of them passes (rotation). */
  secrets: string[];
  /** Records an `Encore-Id`; resolves true the first time it is seen within the window. */
  markSeen: (id: string) => Promise<boolean>;
  /** Clock in milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Seconds a timestamp may be off in either direction; default 300. */
  toleranceSeconds?: number;
}

export interface SignedRequestVerifier {
  /** Resolves when the request is authentic and new; rejects with `invalid_signature` otherwise. */
  verify(request: IncomingSignedRequest): Promise<void>;
}

// No `.` (the content separator) and nothing that needs escaping in a Redis key.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
// Seconds since the epoch, no sign, no fraction: 12 digits last beyond the year 30000.
const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
const SIGNATURE_HEADER_MAX = 1024;
const SIGNATURES_MAX = 8;

/** `<id>.<timestamp>.<METHOD> <path with query>.<raw body>`, the timestamp as sent. */
const signedContent = (id: string, timestamp: string, method: string, pathWithQuery: string, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${id}.${timestamp}.${method.toUpperCase()} ${pathWithQuery}.`, 'utf8'), body]);

const sign = (secret: string, content: Buffer): string =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(content).digest('base64');

/**
 * Signs a request the way the PHP shim does, for tests, the demo and benchmarks.
 *
 * @returns the headers to send with the request
 */
export function signRequest(secret: string, parts: SignedRequestParts): SignedRequestHeaders {
  const timestamp = String(parts.timestamp);
  const body = typeof parts.body === 'string' ? Buffer.from(parts.body, 'utf8') : parts.body;
  const content = signedContent(parts.id, timestamp, parts.method, parts.pathWithQuery, body);
  return { 'Encore-Id': parts.id, 'Encore-Timestamp': timestamp, 'Encore-Signature': `v1,${sign(secret, content)}` };
}

const reject = (message: string): AppError => new AppError('invalid_signature', message);

/** Case-insensitive header lookup; a header sent twice is ambiguous and counts as malformed. */
function header(headers: IncomingSignedRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (Array.isArray(value)) throw reject(`The ${name} header was sent more than once.`);
    return value;
  }
  return undefined;
}

/** The base64 parts of the `v1,…` entries; entries of other versions are ignored. */
function v1Signatures(value: string): Buffer[] {
  if (value.length > SIGNATURE_HEADER_MAX) throw reject('The Encore-Signature header is too long.');
  const entries = value.split(' ').filter((entry) => entry !== '');
  if (entries.length > SIGNATURES_MAX) throw reject('The Encore-Signature header holds too many signatures.');
  const found = entries.filter((e) => e.startsWith('v1,')).map((e) => Buffer.from(e.slice(3), 'utf8'));
  if (found.length === 0) throw reject('The Encore-Signature header holds no v1 signature.');
  return found;
}

/**
 * Builds the verifier of shim ↔ service requests (DESIGN.md §4, after Standard Webhooks,
 * plus method and path so that a signature cannot be replayed on another route).
 *
 * Order of checks: headers, id and timestamp format, clock window, signature, and only then
 * the replay record — so unsigned junk cannot burn ids that the shim will use.
 */
export function createSignedRequestVerifier(options: SignedRequestVerifierOptions): SignedRequestVerifier {
  const secrets = options.secrets.filter((s) => s.length > 0);
  if (secrets.length === 0) throw new AppError('internal', 'A signed-request verifier needs at least one secret.');
  const now = options.now ?? Date.now;
  const tolerance = options.toleranceSeconds ?? 300;

  return {
    async verify(request) {
      const id = header(request.headers, 'Encore-Id');
      const timestamp = header(request.headers, 'Encore-Timestamp');
      const signature = header(request.headers, 'Encore-Signature');
      const missing = [
        id === undefined && 'Encore-Id',
        timestamp === undefined && 'Encore-Timestamp',
        signature === undefined && 'Encore-Signature',
      ].filter(Boolean);
      if (id === undefined || timestamp === undefined || signature === undefined) {
        throw reject(`Missing signed-request header(s): ${missing.join(', ')}.`);
      }
      if (!ID_PATTERN.test(id)) throw reject('The Encore-Id header is malformed.');
      if (!TIMESTAMP_PATTERN.test(timestamp)) throw reject('The Encore-Timestamp header is malformed.');
      const skewSeconds = Math.abs(now() / 1000 - Number(timestamp));
      if (skewSeconds > tolerance) {
        throw reject(`The Encore-Timestamp is more than ${tolerance} s away from the server clock.`);
      }

      const given = v1Signatures(signature);
      const content = signedContent(id, timestamp, request.method, request.pathWithQuery, request.rawBody);
      let matched = false;
      // Every pair is compared, so the time taken does not depend on where a match is.
      for (const secret of secrets) {
        const expected = Buffer.from(sign(secret, content), 'utf8');
        for (const candidate of given) {
          if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
        }
      }
      if (!matched) throw reject('No signature in Encore-Signature matches the request.');

      if (!(await options.markSeen(id))) throw reject('This Encore-Id was already used (replay).');
    },
  };
}
