import type { ErrorRequestHandler, Request, Response } from 'express';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../logger';
import { isRedisUnavailable } from '../storage/redis';

/** body-parser errors carry a `type` and a status; map the ones a client can cause. */
function fromParserError(err: unknown): AppError | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new AppError('payload_too_large', 'The body is larger than 1 MB.');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'The body encoding is not supported.');
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'entity.parse.failed') {
    return new AppError('invalid_request', 'The body could not be read.');
  }
  // A body that fails to inflate (`Content-Encoding: gzip` on bytes that are not gzip) comes
  // from the zlib stream as a 400 without a `type`; body-parser marks it `expose`.
  const { status, expose } = (err ?? {}) as { status?: unknown; expose?: unknown };
  if (type === undefined && expose === true && status === 400) {
    return new AppError('invalid_request', 'The body could not be read.');
  }
  return null;
}

/** The JSON body of every error answer: code, message, and field errors for 400s. */
export function errorBody(err: AppError): { error: { code: string; message: string; fields?: Record<string, string> } } {
  return { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
}

/** Seconds a client is asked to wait while Redis is unreachable (ioredis reconnects within ~2 s). */
const REDIS_RETRY_AFTER_SECONDS = 5;

/**
 * Turns any error into an AppError: Redis out of reach is a 503 the caller may retry (WooCommerce
 * logs it as a failed delivery, the reconciliation sweep recovers the order); other unknown
 * errors become a bare `internal`.
 */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (isRedisUnavailable(err)) {
    return new AppError('not_ready', 'The service is briefly unavailable; try again.', { retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS });
  }
  return fromParserError(err) ?? new AppError('internal', 'Internal error.');
}

export type ErrorRenderer = (req: Request, res: Response, err: AppError) => void;

/**
 * Turns `err` into the AppError to answer with and logs it: name and code only, never a
 * stack, a body or a header. Shared by the error handler and the webhook fast path.
 */
export function reportError(logger: Logger, err: unknown, reqId: string | undefined): AppError {
  const appError = toAppError(err);
  const log = { reqId, code: appError.code, status: appError.status };
  if (appError.code === 'internal') {
    // Name and first line of the message only: never a stack.
    const e = err as Error | undefined;
    logger.error({ ...log, error: e?.name ?? typeof err, reason: String(e?.message ?? '').split('\n')[0]!.slice(0, 200) }, 'request failed');
  } else if (appError.status >= 500) {
    logger.warn({ ...log, reason: appError.message }, 'request failed');
  }
  return appError;
}

/**
 * The one central error handler. It answers with the code's status and a JSON body (or the
 * route's own renderer, e.g. an HTML page); see {@link reportError} for what it logs.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = reportError(logger, err, res.locals.reqId as string | undefined);
    if (res.headersSent) return;
    if (appError.retryAfterSeconds) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    const render = res.locals.renderError as ErrorRenderer | undefined;
    if (render) return render(req, res, appError);
    res.status(appError.status).json(errorBody(appError));
  };
}
