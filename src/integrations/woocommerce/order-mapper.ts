import { z } from 'zod';
import { AppError } from '../../errors';
import type { Order } from '../../domain/order';
import { isDecimal, sumDecimals } from '../../domain/money';
import { fieldErrors } from '../../domain/validation';
import { gmtDate, metaEntry } from './woo-schemas';

const id = z.number().int().positive();
const decimal = z.string().refine(isDecimal, 'expected a decimal string such as "29.99"');

/**
 * The part of a REST v3 order (also the `order.*` webhook body) that Encore reads. Money is a
 * decimal string, `line_items[].price` a number (not read). Everything else WooCommerce or an
 * extension adds is ignored.
 */
const orderSchema = z.object({
  id,
  // A slug (`register_post_status()` keys): it becomes part of a BullMQ job id, where `:` is not allowed.
  status: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an order status slug'),
  currency: z.string().regex(/^[A-Za-z0-9]{3,10}$/, 'expected a currency code'),
  total: decimal,
  customer_id: z.number().int().min(0),
  billing: z.object({ email: z.string().nullable().optional() }).nullable().optional(),
  line_items: z.array(
    z.object({
      product_id: z.number().int().min(0),
      variation_id: z.number().int().min(0).default(0),
      quantity: z.number().int().min(0),
      total: decimal,
    }),
  ),
  coupon_lines: z.array(z.object({ code: z.string() })).default([]),
  // WooCommerce lists refunds with negative totals ("-10.00").
  refunds: z.array(z.object({ total: decimal })).default([]),
  meta_data: z.array(metaEntry).default([]),
  date_paid_gmt: gmtDate.optional(),
  date_modified_gmt: gmtDate.optional(),
});

const deletedSchema = z.object({ id });

/**
 * Maps a WooCommerce order (REST v3 shape, as in webhook bodies and `GET /orders`) to the
 * domain `Order`. Throws `invalid_request` naming every bad field when it is not an order.
 */
export function parseWooOrder(json: unknown): Order {
  const parsed = orderSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('invalid_request', 'The body is not a WooCommerce order.', { fields: fieldErrors(parsed.error), reason: 'invalid_order' });
  }
  const o = parsed.data;
  const email = o.billing?.email?.trim();
  return {
    id: o.id,
    // REST strips the `wc-` prefix already; some extensions' payloads do not.
    status: o.status.replace(/^wc-/, ''),
    email: email ? email : null,
    customerId: o.customer_id,
    items: o.line_items.map((item) => ({
      productId: item.product_id,
      variationId: item.variation_id,
      quantity: item.quantity,
      total: item.total,
    })),
    total: o.total,
    currency: o.currency.toUpperCase(),
    paidAt: o.date_paid_gmt ?? null,
    modifiedAt: o.date_modified_gmt ?? null,
    refundedTotal: refundedTotal(o.refunds),
    couponCodes: [...new Set(o.coupon_lines.map((line) => line.code.trim().toLowerCase()).filter(Boolean))],
    meta: scalarMeta(o.meta_data),
  };
}

/** The sum of the refunds, positive; one past 12 integer digits is not an amount a store holds. */
function refundedTotal(refunds: { total: string }[]): string {
  try {
    return sumDecimals(refunds.map((r) => r.total.replace(/^-/, '')));
  } catch {
    throw new AppError('invalid_request', 'The body is not a WooCommerce order.', { fields: { refunds: 'the refunds add up to more than 12 digits' } });
  }
}

/** Parses the `order.deleted` body, which is only `{"id":N}` (sent on trash, not on purge). */
export function parseDeletedOrder(json: unknown): { id: number } {
  const parsed = deletedSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('invalid_request', 'The body is not a WooCommerce order id.', { fields: fieldErrors(parsed.error), reason: 'invalid_order' });
  }
  return { id: parsed.data.id };
}

/**
 * Scalar meta values as strings, first value per key (what WooCommerce's `get_meta( $key, true )`
 * returns); a key whose first value is an array or object is left out, and so is an entry
 * whose key or value is not well-formed UTF-16 (a lone surrogate, which JSON escapes as
 * `\udXXX` and Redis's Lua JSON decoder refuses).
 */
/** In `u` mode a valid surrogate pair is one code point: this matches only a lone half. */
const LONE_SURROGATE = /\p{Surrogate}/u;

function scalarMeta(entries: { key: string; value: unknown }[]): Record<string, string> {
  // A Map, then fromEntries: a `__proto__` meta key becomes a plain own property.
  const meta = new Map<string, string>();
  const seen = new Set<string>();
  for (const { key, value } of entries) {
    if (seen.has(key)) continue;
    seen.add(key);
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      const text = String(value);
      if (!LONE_SURROGATE.test(key) && !LONE_SURROGATE.test(text)) meta.set(key, text);
    }
  }
  return Object.fromEntries(meta);
}

/** An order of a REST page that did not map: its id when it has one, and the bad field paths. */
export interface UnparsableOrder {
  id: number | null;
  fields: string[];
}

/**
 * Maps a `GET /orders` page. One order an extension mangled must not stop the sweep of the
 * others: it is set aside with its id and field paths (never its values) for the log.
 */
export function parseOrdersPage(raw: unknown[]): { orders: Order[]; unparsable: UnparsableOrder[] } {
  const orders: Order[] = [];
  const unparsable: UnparsableOrder[] = [];
  for (const json of raw) {
    try {
      orders.push(parseWooOrder(json));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const id = (json as { id?: unknown } | null)?.id;
      unparsable.push({ id: typeof id === 'number' && Number.isSafeInteger(id) ? id : null, fields: Object.keys(err.fields ?? {}) });
    }
  }
  return { orders, unparsable };
}
