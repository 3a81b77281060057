import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { normalizeDecimal } from '../domain/money';
import type { Order } from '../domain/order';
import type { ThankYouService } from '../domain/thank-you.service';
import { parseOrThrow } from '../domain/validation';
import { renderOfferFragment } from '../views/offer-fragment';
import { rawBody } from './raw-body';

const decimalString = z.string().transform((value, ctx) => {
  try {
    return normalizeDecimal(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a decimal string such as "199.00"' });
    return z.NEVER;
  }
});
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The order summary the WordPress plugin posts from the order-received page. */
export const thankYouSchema = z
  .object({
    orderId: id,
    orderKey: z.string().regex(/^wc_order_[A-Za-z0-9]{1,64}$/, 'must be a WooCommerce order key (wc_order_…)'),
    status: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be an order status without the wc- prefix'),
    email: z.email().max(254).nullable(),
    customerId: z.number().int().min(0),
    items: z
      .array(
        z
          .object({
            productId: id,
            variationId: z.number().int().min(0).default(0),
            quantity: z.number().int().positive().max(1_000_000),
            total: decimalString,
          })
          .strict(),
      )
      .max(500),
    total: decimalString,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as PLN'),
    locale: z.string().regex(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}$/, 'must be a locale such as pl_PL').optional(),
  })
  .strict();

function toOrder(summary: z.output<typeof thankYouSchema>): Order {
  return {
    id: summary.orderId,
    status: summary.status,
    email: summary.email?.toLowerCase() ?? null,
    customerId: summary.customerId,
    items: summary.items,
    total: summary.total,
    currency: summary.currency,
    locale: summary.locale,
    paidAt: null,
    modifiedAt: null,
    refundedTotal: '0.00',
    couponCodes: [],
    meta: {},
  };
}

/**
 * `POST /v1/thank-you` (signed): the offers fragment for the order-received page, or 204
 * when there is none (not paid, no rule, all used). Never cached, never indexed.
 */
export function thankYouRoutes(deps: { signed: RequestHandler; thankYou: ThankYouService }): Router {
  const router = Router();
  router.post('/v1/thank-you', rawBody(), deps.signed, async (req, res) => {
    const summary = parseOrThrow(thankYouSchema, req.body, 'order summary');
    const items = await deps.thankYou.offersFor(toOrder(summary));
    res.setHeader('Cache-Control', 'private, no-store');
    if (items.length === 0) {
      res.status(204).end();
      return;
    }
    res.status(200).type('text/html; charset=utf-8').send(renderOfferFragment(items, summary.locale ?? null));
  });
  return router;
}
