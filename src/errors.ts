/**
 * The one error type of the service. Every failure that reaches an edge is an AppError with a
 * code from a closed union; HTTP status and retry behaviour derive from the code in one place.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_signature'
  | 'unauthorized'
  | 'not_found'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'upstream_rejected'
  | 'conflict'
  | 'not_ready'
  | 'internal';

/** HTTP status per error code: the single table the HTTP error handler uses. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  invalid_signature: 401,
  unauthorized: 401,
  not_found: 404,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_unavailable: 503,
  upstream_rejected: 502,
  conflict: 409,
  not_ready: 503,
  internal: 500,
};

/** Codes that a background job must not retry: the same input will fail the same way. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_request',
  'not_found',
  'gone',
  'upstream_rejected',
  'conflict',
]);

export interface AppErrorDetails {
  /** Field path → human message, for `invalid_request`. */
  fields?: Record<string, string>;
  /** Seconds the caller should wait, for `rate_limited` and `upstream_unavailable`. */
  retryAfterSeconds?: number;
  /** A finer, machine-readable reason within the code, e.g. `expired` for `gone`. */
  reason?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly retryAfterSeconds?: number;
  readonly reason?: string;

  constructor(code: ErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AppError';
    this.code = code;
    this.fields = details.fields;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.reason = details.reason;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  /** True when retrying the same work cannot succeed. */
  get permanent(): boolean {
    return PERMANENT.has(this.code);
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
