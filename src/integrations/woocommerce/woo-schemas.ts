import { z } from 'zod';

/**
 * Schemas of the WooCommerce REST v3 bodies Encore reads. The JS client types every answer as
 * `any`, so nothing from it is used before it passes one of these. Unknown fields are dropped,
 * never rejected: WooCommerce and its extensions add fields freely.
 */

/** `YYYY-MM-DDTHH:MM:SS` without a zone, as every `date_*` and `date_*_gmt` field is sent. */
export const zonelessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM:SS');

/** A `date_*_gmt` value (UTC without a zone) as ISO 8601 with `Z`, or null. */
export const gmtDate = zonelessDate
  .nullable()
  // The pattern admits month 13 or hour 99, which toISOString() would throw on.
  .refine((value) => value === null || !Number.isNaN(Date.parse(`${value}Z`)), 'not a calendar date and time')
  .transform((value) => (value === null ? null : new Date(`${value}Z`).toISOString()));

/** `{id,key,value}`; the value may be any JSON (arrays and objects included). */
export const metaEntry = z.object({ key: z.string(), value: z.unknown() });

export const couponBody = z.object({
  id: z.number().int().positive(),
  code: z.string().min(1),
  usage_count: z.number().int().min(0),
  date_expires_gmt: gmtDate.optional().transform((value) => value ?? null),
  meta_data: z.array(metaEntry).default([]),
});
export type CouponBody = z.output<typeof couponBody>;

export const couponList = z.array(couponBody);

/** `DELETE …?force=true` answers with the object as it was; only its id matters. */
export const deletedBody = z.object({ id: z.number().int().positive() });

export const productBody = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  permalink: z.string(),
  /** Empty for products without a price (a variable parent with no priced variation). */
  price: z.string(),
  images: z.array(z.object({ src: z.string() })).default([]),
  purchasable: z.boolean(),
  status: z.string(),
});
export type ProductBody = z.output<typeof productBody>;

/** Every WooCommerce/WordPress REST error: `{"code","message","data":{"status"}}`. */
export const errorBody = z.object({
  code: z.string(),
  message: z.string().optional(),
  data: z.object({ status: z.number().int() }).partial().nullable().optional(),
});

/** A webhook as `GET/POST/PUT /webhooks` shows it; WooCommerce never sends its secret back. */
export const webhookBody = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  /** `active`, `paused` or `disabled` (the last set by WooCommerce after delivery failures). */
  status: z.string(),
  topic: z.string(),
  delivery_url: z.string(),
});
export type WebhookBody = z.output<typeof webhookBody>;

export const webhookList = z.array(webhookBody);

/** A list page whose items are validated later, one by one (an orders page). */
export const anyList = z.array(z.unknown());
