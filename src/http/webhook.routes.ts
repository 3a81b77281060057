import { Router, type ErrorRequestHandler } from 'express';
import { AppError } from '../errors';
import type { OrderIngest } from '../domain/order-ingest.service';
import { parseDeletedOrder, parseWooOrder } from '../integrations/woocommerce/order-mapper';
import { verifyWooSignature } from '../security/webhook-signature';
import { parseJson, rawBody, rawBodyOf } from './raw-body';

/** The one path WooCommerce delivers to; the node:http fast path matches it too. */
export const WEBHOOK_PATH = '/webhooks/woocommerce';

/** Told how each delivery ended (metrics); `error` is what a rejected one failed with. */
export type WebhookObserver = (outcome: 'accepted' | 'ping' | 'rejected', error?: unknown) => void;

export interface WebhookDeps {
  secret: string;
  ingest: OrderIngest;
  /** Sees every accepted delivery and ping here; each server reports its own rejections. */
  observe?: WebhookObserver;
}

/** One delivery as either server saw it: the raw bytes and a header lookup (case-insensitive). */
export interface WebhookDelivery {
  body: Buffer;
  header(name: string): string | undefined;
}

/** What to answer a delivery that was accepted; every rejection is a thrown AppError. */
export interface WebhookAnswer {
  status: 200 | 202;
  contentType: 'text/plain' | 'application/json';
  body: string;
}

/**
 * WooCommerce's creation ping (`deliver_ping()`): a form body `webhook_id=<n>` with no X-WC
 * headers and no signature. WooCommerce counts anything but exactly 200 as an error.
 */
function isPing(delivery: WebhookDelivery): boolean {
  return !delivery.header('x-wc-webhook-signature') && /^webhook_id=\d{1,20}$/.test(delivery.body.toString('latin1'));
}

/**
 * The route's logic, shared by the Express route and the node:http fast path. Verifies the
 * signature on the raw bytes, validates the order, stores it and queues `order.evaluate`;
 * resolves only once the job is in Redis. Nothing slow happens here: WooCommerce waits at
 * most 60 s and disables webhooks that keep failing.
 */
export async function handleWooWebhook(deps: WebhookDeps, delivery: WebhookDelivery): Promise<WebhookAnswer> {
  if (isPing(delivery)) {
    deps.observe?.('ping');
    return { status: 200, contentType: 'text/plain', body: 'ok' };
  }
  verifyWooSignature(delivery.body, delivery.header('x-wc-webhook-signature'), deps.secret);
  const topic = delivery.header('x-wc-webhook-topic') ?? '';
  const json = parseJson(delivery.body);
  if (topic === 'order.deleted') {
    await deps.ingest.acceptDeleted(parseDeletedOrder(json).id);
  } else if (topic === '' || topic.startsWith('order.')) {
    await deps.ingest.accept(parseWooOrder(json));
  } else {
    throw new AppError('invalid_request', `Topic ${topic.slice(0, 40)} is not an order topic.`, { reason: 'not_order_topic' });
  }
  deps.observe?.('accepted');
  return { status: 202, contentType: 'application/json', body: JSON.stringify({ status: 'accepted' }) };
}

/**
 * `POST /webhooks/woocommerce` through Express. In a running server the fast path
 * (`webhook-fast-path.ts`) answers this path before Express; this route serves requests the
 * fast path hands on (compressed bodies) and apps built without it.
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  router.post(WEBHOOK_PATH, rawBody(), async (req, res) => {
    const answer = await handleWooWebhook(deps, { body: rawBodyOf(req.body), header: (name) => req.get(name) });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
  // Every refusal passes here, the body parser's too (over 1 MB), on its way to the error handler.
  const rejected: ErrorRequestHandler = (err, _req, _res, next) => {
    deps.observe?.('rejected', err);
    next(err);
  };
  router.use(WEBHOOK_PATH, rejected);
  return router;
}
