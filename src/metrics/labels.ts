import type { ErrorCode } from '../errors';
import { AppError } from '../errors';
import type { EmailOutcome } from '../domain/offer-email.service';
import { toAppError } from '../http/error-handler';

/**
 * Label values of the metrics, each from a closed set: never an id, an address, a token or a
 * URL, so that every series stays few and holds no personal data.
 */

/** Finer reasons the webhook route sets on its AppErrors, kept as they are. */
const WEBHOOK_REASONS = new Set(['missing_signature', 'bad_signature', 'invalid_json', 'invalid_order', 'not_order_topic']);

/** The rest by code; a code not listed is its own reason (the union is closed). */
const WEBHOOK_REASON_OF: Partial<Record<ErrorCode, string>> = {
  invalid_signature: 'bad_signature',
  payload_too_large: 'too_large',
  unsupported_media_type: 'unsupported_encoding',
  upstream_unavailable: 'unavailable',
  not_ready: 'unavailable',
};

/** Why a webhook delivery was refused: `bad_signature`, `too_large`, `invalid_json` … */
export function webhookRejectionReason(err: unknown): string {
  const e = toAppError(err);
  if (e.reason && WEBHOOK_REASONS.has(e.reason)) return e.reason;
  return WEBHOOK_REASON_OF[e.code] ?? e.code;
}

/** `createCoupon` → `create_coupon`. Ops are literals in the client; anything else is `other`. */
export function wooOperation(op: string): string {
  return /^[a-z][A-Za-z]{0,60}$/.test(op) ? op.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : 'other';
}

/** The `status` of a WooCommerce call: `2xx`, `4xx`, `5xx` … when the store answered, else why not. */
export function wooStatus(error: AppError | null): string {
  if (!error) return '2xx';
  const http = /^http_(\d)\d\d$/.exec(error.reason ?? '');
  if (http) return `${http[1]}xx`;
  // The store answered 2xx with a body that is not what the endpoint returns.
  if (error.reason === 'unexpected_body') return '2xx';
  return wooErrorReason(error);
}

/**
 * Why a WooCommerce call failed: `timeout`, `network`, `unreadable` (no usable answer),
 * `invalid_body` (a 2xx that is not the endpoint's shape), `not_found`, `auth` (401/403),
 * `http_429`, `http_3xx` (a redirect: wrong store URL), `http_4xx`, `http_5xx`, `client`.
 */
export function wooErrorReason(error: AppError): string {
  const reason = error.reason ?? '';
  if (reason === 'timeout') return 'timeout';
  if (reason === 'unreachable') return 'network';
  if (reason === 'unreadable') return 'unreadable';
  if (reason === 'unexpected_body') return 'invalid_body';
  const http = /^http_(\d{3})$/.exec(reason);
  if (!http) return 'client';
  const status = Number(http[1]);
  if (status === 404) return 'not_found';
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'http_429';
  return `http_${String(status).charAt(0)}xx`;
}

/** The labels of one run of an offer email, or null when the run sent nothing and decided nothing (a wait, a repeat). */
export function emailLabels(result: { outcome: EmailOutcome } | { error: unknown }): { outcome: 'sent' | 'failed' | 'skipped'; reason: string } | null {
  if ('error' in result) return { outcome: 'failed', reason: smtpReason(result.error) };
  const o = result.outcome;
  switch (o.kind) {
    case 'sent':
      return { outcome: 'sent', reason: '' };
    case 'skipped':
      return { outcome: 'skipped', reason: o.reason };
    case 'dropped':
      return { outcome: 'skipped', reason: `expired_${o.reason}` };
    case 'not_pending':
      return { outcome: 'skipped', reason: 'not_pending' };
    default:
      return null;
  }
}

/**
 * `smtp_5xx` / `smtp_4xx` when the mail server answered with that class, `network` when the
 * conversation broke, `invalid_message` for a message that cannot be addressed, `error` else.
 */
function smtpReason(err: unknown): string {
  if (!(err instanceof AppError)) return 'error';
  const code = err.reason ?? '';
  if (/^5\d\d$/.test(code)) return 'smtp_5xx';
  if (/^4\d\d$/.test(code)) return 'smtp_4xx';
  if (err.code === 'upstream_rejected') return 'invalid_message';
  if (err.code === 'upstream_unavailable') return 'network';
  return 'error';
}
