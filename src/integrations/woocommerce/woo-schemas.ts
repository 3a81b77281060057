import { z } from 'zod';

/**
 * Schemas of the WooCommerce REST v3 bodies Encore reads. The JS client types every answer as
 * `any`, so nothing from it is used before it passes one of these. Unknown fields are dropped,
 * never rejected: WooCommerce and its extensions add fields freely.
 */

/** `YYYY-MM-DDTHH:MM:SS` without a zone, as every `date_*` and `date_*_gmt` field is sent. */
export const zonelessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM:SS');

/** Two ASCII digits of `text` at `at` as a number. */
const twoDigits = (text: string, at: number): number => (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);

/**
 * A `YYYY-MM-DDTHH:MM:SS` that every calendar has (month 1–12, day 1–28, hour 0–23, minute and
 * second 0–59), whose ISO form is itself plus `.000Z`. Date parsing costs microseconds per call
 * on every webhook; any other value (day 29–31, hour 24, month 13) takes the Date path, which
 * keeps JavaScript's reading of it (2026-02-30 rolls over to 2026-03-02; month 13 is refused).
 */
function isPlainGmt(value: string): boolean {
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 28 && twoDigits(value, 11) <= 23 && twoDigits(value, 14) <= 59 && twoDigits(value, 17) <= 59;
}

/** A `date_*_gmt` value (UTC without a zone) as ISO 8601 with `Z`, or null. */
export const gmtDate = zonelessDate
  .nullable()
  // The pattern admits month 13 or hour 99, which toISOString() would throw on.
  .refine((value) => value === null || isPlainGmt(value) || !Number.isNaN(Date.parse(`${value}Z`)), 'not a calendar date and time')
  .transform((value) => (value === null ? null : isPlainGmt(value) ? `${value}.000Z` : new Date(`${value}Z`).toISOString()));

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
