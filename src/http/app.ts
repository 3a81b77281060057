import type { ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { errorHandler } from './error-handler';
import { requestLog } from './request-log';

export interface AppOptions {
  logger: Logger;
  /** Reverse-proxy hops to trust for the client IP (rate limits); 0 = none. */
  trustProxy: number;
  routers: Router[];
}

/** Headers every answer carries, from the Express app and the webhook fast path alike. */
export function setCommonHeaders(res: ServerResponse): void {
  // Nothing this service serves belongs in a search index.
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/** The express app: request log, headers every answer carries, the routers, 404, errors. */
export function buildApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  app.use(requestLog(opts.logger));
  app.use((_req, res, next) => {
    setCommonHeaders(res);
    next();
  });
  opts.routers.forEach((router) => app.use(router));
  app.use(() => {
    throw new AppError('not_found', 'No such route.');
  });
  app.use(errorHandler(opts.logger));
  return app;
}
