import { Router, type ErrorRequestHandler, type Request } from 'express';
import { AppError } from '../errors';
import type { OrderIngest } from '../domain/order-ingest.service';
import { parseDeletedOrder, parseWooOrder } from '../integrations/woocommerce/order-mapper';
import { verifyWooSignature } from '../security/webhook-signature';
import { parseJson, rawBody, rawBodyOf } from './raw-body';

/**
 * WooCommerce's creation ping (`deliver_ping()`): a form body `webhook_id=<n>` with no X-WC
 * headers and no signature. WooCommerce counts anything but exactly 200 as an error.
 */
function isPing(req: Request, body: Buffer): boolean {
  return !req.get('x-wc-webhook-signature') && /^webhook_id=\d{1,20}$/.test(body.toString('latin1'));
}

/** Told how each delivery ended (metrics); `error` is what a rejected one failed with. */
export type WebhookObserver = (outcome: 'accepted' | 'ping' | 'rejected', error?: unknown) => void;

/**
 * `POST /webhooks/woocommerce`. Verifies the signature on the raw bytes, validates the order,
 * stores it and queues `order.evaluate`; answers 202 only once the job is in Redis. Nothing
 * slow happens here: WooCommerce waits at most 60 s and disables webhooks that keep failing.
 */
export function webhookRoutes(deps: { secret: string; ingest: OrderIngest; observe?: WebhookObserver }): Router {
  const router = Router();
  const observe = deps.observe ?? (() => {});
  router.post('/webhooks/woocommerce', rawBody(), async (req, res) => {
    const body = rawBodyOf(req.body);
    if (isPing(req, body)) {
      res.status(200).type('text/plain').send('ok');
      observe('ping');
      return;
    }
    verifyWooSignature(body, req.get('x-wc-webhook-signature'), deps.secret);
    const topic = req.get('x-wc-webhook-topic') ?? '';
    const json = parseJson(body);
    if (topic === 'order.deleted') {
      await deps.ingest.acceptDeleted(parseDeletedOrder(json).id);
    } else if (topic === '' || topic.startsWith('order.')) {
      await deps.ingest.accept(parseWooOrder(json));
    } else {
      throw new AppError('invalid_request', `Topic ${topic.slice(0, 40)} is not an order topic.`, { reason: 'not_order_topic' });
    }
    res.status(202).json({ status: 'accepted' });
    observe('accepted');
  });
  // Every refusal passes here, the body parser's too (over 1 MB), on its way to the error handler.
  const rejected: ErrorRequestHandler = (err, _req, _res, next) => {
    observe('rejected', err);
    next(err);
  };
  router.use('/webhooks/woocommerce', rejected);
  return router;
}
