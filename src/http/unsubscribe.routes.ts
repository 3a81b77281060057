import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors';
import type { UnsubscribeService } from '../domain/unsubscribe.service';
import type { ClickRateLimiter } from '../storage/rate-limiter';
import { emailMessagesFor, messagesFor } from '../views/messages';
import { renderUnsubscribePage } from '../views/page';
import type { ErrorRenderer } from './error-handler';

/** The buyer's language when the offer is not known: the first of Accept-Language. */
const acceptLanguage = (req: Request): string | null => req.get('accept-language')?.split(',')[0]?.trim() ?? null;

/**
 * `GET /u/:token` shows a confirmation page whose button POSTs to the same URL;
 * `POST /u/:token` unsubscribes at once, whatever the body — a person's button or a mail
 * client's RFC 8058 one-click POST (`List-Unsubscribe=One-Click`). Pages are small, never
 * indexed, never cached, and leak no referrer; an invalid link gets a 404 page.
 *
 * Rate limits: every GET and every invalid token count against the client's per-minute budget
 * (shared with offer links); a valid one-click POST is never refused, because mail providers
 * send them for many recipients from few addresses, and losing an unsubscribe is worse.
 */
export function unsubscribeRoutes(deps: {
  unsubscribe: UnsubscribeService;
  limiter: ClickRateLimiter;
  storeUrl: string;
  clock: () => Date;
}): Router {
  const router = Router();
  const renderError: ErrorRenderer = (req, res, err) => {
    const locale = acceptLanguage(req);
    const status = err.code === 'rate_limited' ? 429 : err.status >= 500 ? 503 : 404;
    const message =
      err.code === 'rate_limited' ? messagesFor(locale).tooMany : err.status >= 500 ? messagesFor(locale).tryAgain : emailMessagesFor(locale).unsubscribeInvalid;
    res.status(status).type('text/html; charset=utf-8').send(renderUnsubscribePage({ message, storeUrl: deps.storeUrl, locale }));
  };
  const pageHeaders: RequestHandler = (_req, res, next) => {
    res.locals.renderError = renderError;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
  const limited = async (req: Request): Promise<void> => {
    if (!(await deps.limiter.allow(req.ip ?? 'unknown', deps.clock()))) {
      throw new AppError('rate_limited', 'Too many requests from this address.', { retryAfterSeconds: 60 });
    }
  };
  const token = (req: Request): string => String(req.params.token ?? '');

  router.get('/u/:token', pageHeaders, async (req, res) => {
    await limited(req);
    const { locale } = await deps.unsubscribe.check(token(req));
    const lang = locale ?? acceptLanguage(req);
    const m = emailMessagesFor(lang);
    res.status(200).type('text/html; charset=utf-8').send(
      renderUnsubscribePage({
        message: m.unsubscribeQuestion,
        action: req.originalUrl.split('?')[0]!,
        button: m.unsubscribeButton,
        storeUrl: deps.storeUrl,
        locale: lang,
      }),
    );
  });

  router.post('/u/:token', pageHeaders, async (req, res) => {
    let outcome: { locale: string | null };
    try {
      outcome = await deps.unsubscribe.unsubscribe(token(req));
    } catch (err) {
      if (err instanceof AppError && err.status < 500) await limited(req);
      throw err;
    }
    const lang = outcome.locale ?? acceptLanguage(req);
    res.status(200).type('text/html; charset=utf-8').send(
      renderUnsubscribePage({ message: emailMessagesFor(lang).unsubscribed, storeUrl: deps.storeUrl, locale: lang }),
    );
  });
  return router;
}
