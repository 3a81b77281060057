import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { isAxiosError } from 'axios';
import type { ZodType } from 'zod';
import { AppError } from '../../errors';
import { errorBody } from './woo-schemas';

export interface WooClientOptions {
  /** Store base URL; `https://` uses HTTP Basic, `http://` OAuth 1.0a in the query string. */
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Hard limit of each REST call, milliseconds, connect to last byte. */
  timeoutMs: number;
  /** Extra axios options (tests pass an `httpsAgent` that trusts a self-signed certificate). */
  axiosConfig?: object;
  /** Told about every call once it ended (metrics): its `op`, seconds taken, and the error if it failed. */
  observe?: (op: string, seconds: number, error: AppError | null) => void;
}

export type Method = 'get' | 'post' | 'put' | 'delete';

/** A validated answer: the body, and the paging header WooCommerce sends on lists. */
export interface WooAnswer<T> {
  body: T;
  /** `X-WP-TotalPages`; 1 when absent (single objects, or an empty list on some hosts). */
  totalPages: number;
}

/** One REST call: `op` names it in errors; `data` is the JSON body, `params` the query. */
export type WooCall = <T>(op: string, method: Method, endpoint: string, schema: ZodType<T>, data?: object, params?: object) => Promise<WooAnswer<T>>;

/** Largest answer accepted, bytes: an orders page of 100 stays far below it. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Axios codes that mean the request was never valid: no retry can help. */
const CONFIG_ERRORS = new Set(['ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_INVALID_URL', 'ERR_NOT_SUPPORT']);

/** Our abort signal (ERR_CANCELED) or axios' own socket-idle timeout. */
const TIMEOUTS = new Set(['ERR_CANCELED', 'ECONNABORTED', 'ETIMEDOUT']);

/**
 * Creates the one function every WooCommerce REST call goes through. The library's own
 * `timeout` is only a socket-idle timeout in Node (a server that drips bytes never trips it),
 * so each call also carries an abort signal that ends it after `timeoutMs` whatever the server
 * does. Every failure becomes an `AppError`; every 2xx body passes `schema` or is rejected.
 */
export function createWooCall(opts: WooClientOptions): WooCall {
  const call = untimedCall(opts);
  const observe = opts.observe;
  if (!observe) return call;
  return async (op, method, endpoint, schema, data, params) => {
    const started = performance.now();
    try {
      const answer = await call(op, method, endpoint, schema, data, params);
      observe(op, (performance.now() - started) / 1000, null);
      return answer;
    } catch (err) {
      observe(op, (performance.now() - started) / 1000, err instanceof AppError ? err : new AppError('internal', 'unknown failure'));
      throw err;
    }
  };
}

/** The call itself, without the observer. */
function untimedCall(opts: WooClientOptions): WooCall {
  return async function call<T>(op: string, method: Method, endpoint: string, schema: ZodType<T>, data?: object, params: object = {}) {
    let body: unknown;
    let totalPages = 1;
    try {
      // A fresh instance per call: the library takes axios options (the signal) only here.
      const api = new WooCommerceRestApi({
        url: opts.storeUrl,
        consumerKey: opts.consumerKey,
        consumerSecret: opts.consumerSecret,
        version: 'wc/v3',
        timeout: opts.timeoutMs,
        axiosConfig: {
          // A redirect means a wrong store URL (http → https, www); following it would resend
          // credentials to wherever it points.
          maxRedirects: 0,
          maxContentLength: MAX_BODY_BYTES,
          ...opts.axiosConfig,
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
      });
      const response =
        method === 'get'
          ? await api.get(endpoint, params)
          : method === 'post'
            ? await api.post(endpoint, data, params)
            : method === 'put'
              ? await api.put(endpoint, data, params)
              : await api.delete(endpoint, params);
      body = response.data;
      totalPages = pagesOf(response.headers?.['x-wp-totalpages']);
    } catch (err) {
      throw toAppError(op, err);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5);
      throw new AppError('upstream_rejected', `WooCommerce ${op}: unexpected answer body (${paths.join(', ')}).`, { reason: 'unexpected_body' });
    }
    return { body: parsed.data, totalPages };
  };
}

/** `X-WP-TotalPages` as a count; WordPress sends `0` for an empty list. */
function pagesOf(value: unknown): number {
  const pages = typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(pages) && pages >= 0 ? pages : 1;
}

/**
 * Maps an axios failure to an AppError carrying only the HTTP status and WooCommerce's error
 * code. Never the axios error itself: its config holds the URL (OAuth signature and consumer
 * key in the query over HTTP) and the Basic credentials over HTTPS. `reason` is `http_<status>`
 * when the store answered, `timeout`, `unreachable` or `unreadable` when no usable answer came.
 */
export function toAppError(op: string, err: unknown): AppError {
  if (!isAxiosError(err)) {
    return new AppError('internal', `WooCommerce ${op}: the client failed before any answer.`);
  }
  const response = err.response;
  if (!response) {
    const code = safeToken(err.code) ?? 'network error';
    if (err.code && CONFIG_ERRORS.has(err.code)) {
      return new AppError('internal', `WooCommerce ${op}: invalid request (${code}).`);
    }
    if (err.code === 'ERR_BAD_RESPONSE') {
      return new AppError('upstream_rejected', `WooCommerce ${op}: unreadable answer (${code}).`, { reason: 'unreadable' });
    }
    const timedOut = Boolean(err.code && TIMEOUTS.has(err.code));
    return new AppError('upstream_unavailable', `WooCommerce ${op}: ${timedOut ? 'timed out' : `unreachable (${code})`}.`, {
      reason: timedOut ? 'timeout' : 'unreachable',
    });
  }
  const status = response.status;
  const parsed = errorBody.safeParse(response.data);
  const wooCode = parsed.success ? safeToken(parsed.data.code) : undefined;
  const what = `WooCommerce ${op}: HTTP ${status}${wooCode ? ` ${wooCode}` : ''}.`;
  const reason = `http_${status}`;
  if (status === 408 || status === 429 || status >= 500) {
    return new AppError('upstream_unavailable', what, { reason, retryAfterSeconds: retryAfter(response.headers?.['retry-after']) });
  }
  if (status === 404) return new AppError('not_found', what, { reason });
  if (status === 400 && wooCode === 'woocommerce_rest_coupon_code_already_exists') return new AppError('conflict', what, { reason });
  return new AppError('upstream_rejected', what, { reason });
}

/** The store answered, but refused the REST keys (wrong pair, revoked, or read-only for a write). */
export const isAuthRefusal = (err: unknown): boolean =>
  err instanceof AppError && (err.reason === 'http_401' || err.reason === 'http_403');

/** Keeps a server-sent code only when it looks like one, so no echoed input reaches a log. */
function safeToken(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(value) ? value : undefined;
}

/** `Retry-After` in seconds (the HTTP-date form is rare from WordPress and is ignored). */
function retryAfter(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= 86_400 ? seconds : undefined;
}
