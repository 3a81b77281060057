import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Path for logs: no query string, and link tokens replaced (they are bearer secrets). */
export const loggablePath = (url: string): string =>
  url.split('?')[0]!.replace(/^\/(o|u)\/[^/]+/i, '/$1/:token').slice(0, 200);

/**
 * One log line per request with a request id (the caller's `X-Request-Id` when well-formed,
 * else a new one, echoed back), method, path, status and duration. Never bodies or headers.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const reqId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.reqId = reqId;
    res.setHeader('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { reqId, method: req.method, path: loggablePath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
