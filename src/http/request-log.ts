import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Path for logs: no query string, and link tokens replaced (they are bearer secrets). */
export const loggablePath = (url: string): string =>
  url.split('?')[0]!.replace(/^\/(o|u)\/[^/]+/i, '/$1/:token').slice(0, 200);

/** Each logger's child for request lines, made once (a child costs more than a line). */
const lineLoggers = new WeakMap<Logger, Logger>();

/**
 * The logger request lines go through: the same stream, level and base, without the redaction
 * pass. None of the redacted paths (email, token, body, signature, secret, headers, each also
 * one level down) can name one of the line's fields (reqId, method, path, status, ms), so the
 * line comes out the same; the pass alone cost more than formatting the rest of it.
 */
function lineLogger(logger: Logger): Logger {
  let child = lineLoggers.get(logger);
  if (!child) {
    child = logger.child({}, { redact: [] });
    lineLoggers.set(logger, child);
  }
  return child;
}

/**
 * Starts the one log line of a request: picks the request id (the caller's `X-Request-Id` when
 * well-formed, else a new one), echoes it, and logs method, path, status and duration once the
 * answer is out. Never bodies or headers. Shared by the Express app and the webhook fast path.
 */
export function logRequest(logger: Logger, req: { method?: string; url?: string; incomingId?: string }, res: ServerResponse): string {
  const reqId = req.incomingId && REQUEST_ID.test(req.incomingId) ? req.incomingId : randomUUID();
  res.setHeader('X-Request-Id', reqId);
  const started = process.hrtime.bigint();
  const log = lineLogger(logger);
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.info(
      { reqId, method: req.method, path: loggablePath(req.url ?? ''), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
      'request',
    );
  });
  return reqId;
}

/** The Express middleware around {@link logRequest}; the id is kept in `res.locals.reqId`. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.locals.reqId = logRequest(logger, { method: req.method, url: req.originalUrl, incomingId: req.get('x-request-id') }, res);
    next();
  };
}
