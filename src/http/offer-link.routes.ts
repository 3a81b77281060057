import { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '../errors';
import type { OfferLinkService } from '../domain/offer-link.service';
import type { ClickRateLimiter } from '../storage/rate-limiter';
import { renderContinuePage, renderNoticePage } from '../views/page';
import { messagesFor, type Messages } from '../views/messages';
import type { ErrorRenderer } from './error-handler';

/** The buyer's language for notice pages: the first of Accept-Language. */
const localeOf = (req: Request): string | null => req.get('accept-language')?.split(',')[0]?.trim() ?? null;

function noticeFor(err: AppError, m: Messages): string {
  if (err.code === 'gone') {
    if (err.reason === 'revoked') return m.revoked;
    if (err.reason === 'used') return m.used;
    return m.expired;
  }
  if (err.code === 'not_found' || err.code === 'invalid_request') return m.notFound;
  if (err.code === 'rate_limited') return m.tooMany;
  return m.tryAgain;
}

/**
 * `GET /o/:token`: verifies the link, records the open, creates the coupon on the first
 * open and redirects to the store. A link that cannot be used gets a small noindex page
 * (404 or 410) that links to the shop; a store that does not answer gets 503 "try again".
 * `HEAD` only checks: it creates nothing and records nothing. Mail scanners get a
 * "continue" page and use nothing up.
 */
const VISITOR_COOKIE = 'encore_v';
const hasVisitorCookie = (req: Request): boolean => /(?:^|;\s*)encore_v=1(?:;|$)/.test(req.get('cookie') ?? '');

export function offerLinkRoutes(deps: {
  links: OfferLinkService;
  limiter: ClickRateLimiter;
  storeUrl: string;
  clock: () => Date;
  /** Mark the visitor cookie Secure (the service is reached over HTTPS). */
  secureCookies: boolean;
}): Router {
  const router = Router();
  const renderError: ErrorRenderer = (req, res, err) => {
    // Expired, withdrawn and used links are gone for good; anything unusable is 404 or 410,
    // and upstream trouble is "try again" (503).
    const status = err.code === 'invalid_request' ? 404 : err.status >= 500 ? 503 : err.status;
    res.status(status).type('text/html; charset=utf-8');
    res.send(renderNoticePage({ message: noticeFor(err, messagesFor(localeOf(req))), storeUrl: deps.storeUrl, locale: localeOf(req) }));
  };
  const pageHeaders: RequestHandler = (_req, res: Response, next) => {
    res.locals.renderError = renderError;
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
  const rateLimit: RequestHandler = async (req, _res, next) => {
    if (!(await deps.limiter.allow(req.ip ?? 'unknown', deps.clock()))) {
      throw new AppError('rate_limited', 'Too many offer links opened from this address.', { retryAfterSeconds: 60 });
    }
    next();
  };
  const token = (req: Request): string => String(req.params.token ?? '');

  router.head('/o/:token', pageHeaders, rateLimit, async (req, res) => {
    await deps.links.check(token(req));
    res.status(200).type('text/html; charset=utf-8').end();
  });

  /**
   * A person's open: 302 to the store. An open that looks automated gets a "continue" page
   * instead, whose button POSTs here; the cookie it sets marks this browser as a person's.
   */
  const open = (confirmed: boolean): RequestHandler => async (req, res) => {
    const visitor = { userAgent: req.get('user-agent') ?? '', hasCookie: hasVisitorCookie(req) };
    const result = await deps.links.open(token(req), visitor, confirmed);
    res.cookie(VISITOR_COOKIE, '1', {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      maxAge: 365 * 86_400_000,
      path: '/',
    });
    if (result.kind === 'redirect') {
      res.redirect(confirmed ? 303 : 302, result.url);
      return;
    }
    const locale = localeOf(req);
    res.status(200).type('text/html; charset=utf-8').send(renderContinuePage({ action: req.originalUrl.split('?')[0]!, storeUrl: deps.storeUrl, locale }));
  };

  router.get('/o/:token', pageHeaders, rateLimit, open(false));
  router.post('/o/:token', pageHeaders, rateLimit, open(true));
  return router;
}
