import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseJson, rawBodyOf } from './raw-body';
import type { SignedRequestVerifier } from '../security/signed-request';

/**
 * Guards a shim route: verifies the signed-request headers against the method, the URL as
 * sent (`req.originalUrl`, so a router mount point is included) and the raw body, then
 * replaces `req.body` with the parsed JSON (`undefined` for an empty body).
 *
 * Mount after `express.raw({ type: () => true, limit: '1mb' })`. Failures go to `next(err)`
 * as `AppError`s: `invalid_signature` (401) or `invalid_request` (400).
 */
export function requireSignedRequest(verifier: SignedRequestVerifier): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Several routers guard `/v1/admin/*`; a request they pass along is verified once (a second
    // check would see its own Encore-Id as a replay).
    if (res.locals.signedRequestVerified === true) return next();
    try {
      const rawBody = rawBodyOf(req.body);
      await verifier.verify({ method: req.method, pathWithQuery: req.originalUrl, rawBody, headers: req.headers });
      req.body = parseJson(rawBody);
      res.locals.signedRequestVerified = true;
      next();
    } catch (err) {
      next(err);
    }
  };
}
