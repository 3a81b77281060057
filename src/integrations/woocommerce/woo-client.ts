import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { isAxiosError } from 'axios';
import type { ZodType } from 'zod';
import { AppError } from '../../errors';
import { couponBody, couponList, deletedBody, errorBody, productBody, type CouponBody } from './woo-schemas';

export interface WooClientOptions {
  /** Store base URL; `https://` uses HTTP Basic, `http://` OAuth 1.0a in the query string. */
  storeUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Hard limit of each REST call, milliseconds, connect to last byte. */
  timeoutMs: number;
  /** Extra axios options (tests pass an `httpsAgent` that trusts a self-signed certificate). */
  axiosConfig?: object;
}

export interface CouponInput {
  code: string;
  discountType: 'percent' | 'fixed_cart' | 'fixed_product';
  /** Decimal string: percent points or an amount in the store currency. */
  amount: string;
  productIds: number[];
  emailRestrictions: string[];
  usageLimit: number;
  usageLimitPerUser: number;
  individualUse: boolean;
  expiresAt: Date;
  offerId: string;
}

export interface WooCoupon {
  id: number;
  code: string;
  usageCount: number;
  /** Expiry as ISO 8601 UTC (`…Z`), or null when the coupon does not expire. */
  dateExpiresGmt: string | null;
  /** The Encore offer the coupon was made for (`_encore_offer_id` meta), if any. */
  offerId: string | null;
}

export interface ProductSummary {
  id: number;
  name: string;
  permalink: string;
  /** Decimal string; empty when the product has no price. */
  price: string;
  imageUrl: string | null;
  purchasable: boolean;
  status: string;
}

/** The WooCommerce REST calls Encore makes. Every failure is an `AppError`. */
export interface WooClient {
  createCoupon(input: CouponInput): Promise<WooCoupon>;
  findCouponByCode(code: string): Promise<WooCoupon | null>;
  deleteCoupon(id: number): Promise<void>;
  getProduct(id: number): Promise<ProductSummary | null>;
}

const OFFER_META_KEY = '_encore_offer_id';
/** Largest answer accepted, bytes: an orders page of 100 stays far below it. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Axios codes that mean the request was never valid: no retry can help. */
const CONFIG_ERRORS = new Set(['ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_INVALID_URL', 'ERR_NOT_SUPPORT']);

/** Our abort signal (ERR_CANCELED) or axios' own socket-idle timeout. */
const TIMEOUTS = new Set(['ERR_CANCELED', 'ECONNABORTED', 'ETIMEDOUT']);

type Method = 'get' | 'post' | 'delete';

/**
 * Creates the typed WooCommerce REST client. The library's own `timeout` is only a socket-idle
 * timeout in Node (a server that drips bytes never trips it), so each call also carries an
 * abort signal that ends it after `timeoutMs` whatever the server does.
 */
export function createWooClient(opts: WooClientOptions): WooClient {
  async function call<T>(op: string, method: Method, endpoint: string, schema: ZodType<T>, data?: object, params: object = {}): Promise<T> {
    let body: unknown;
    try {
      // A fresh instance per call: the library takes axios options (the signal) only here.
      const api = new WooCommerceRestApi({
        url: opts.storeUrl,
        consumerKey: opts.consumerKey,
        consumerSecret: opts.consumerSecret,
        version: 'wc/v3',
        timeout: opts.timeoutMs,
        axiosConfig: {
          // A redirect means a wrong store URL (http → https, www); following it would resend
          // credentials to wherever it points.
          maxRedirects: 0,
          maxContentLength: MAX_BODY_BYTES,
          ...opts.axiosConfig,
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
      });
      const response =
        method === 'get'
          ? await api.get(endpoint, params)
          : method === 'post'
            ? await api.post(endpoint, data, params)
            : await api.delete(endpoint, params);
      body = response.data;
    } catch (err) {
      throw toAppError(op, err);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const paths = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5);
      throw new AppError('upstream_rejected', `WooCommerce ${op}: unexpected answer body (${paths.join(', ')}).`);
    }
    return parsed.data;
  }

  return {
    async createCoupon(input) {
      const body = await call('createCoupon', 'post', 'coupons', couponBody, {
        code: input.code.toLowerCase(),
        discount_type: input.discountType,
        amount: input.amount,
        product_ids: input.productIds,
        email_restrictions: input.emailRestrictions,
        usage_limit: input.usageLimit,
        usage_limit_per_user: input.usageLimitPerUser,
        individual_use: input.individualUse,
        date_expires: wooExpiry(input.expiresAt),
        meta_data: [{ key: OFFER_META_KEY, value: input.offerId }],
      });
      return toCoupon(body);
    },

    async findCouponByCode(code) {
      const wanted = code.toLowerCase();
      const list = await call('findCouponByCode', 'get', 'coupons', couponList, undefined, { code: wanted });
      const match = list.find((coupon) => coupon.code.toLowerCase() === wanted);
      return match ? toCoupon(match) : null;
    },

    async deleteCoupon(id) {
      try {
        await call('deleteCoupon', 'delete', `coupons/${id}`, deletedBody, undefined, { force: true });
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return;
        throw err;
      }
    },

    async getProduct(id) {
      try {
        const p = await call('getProduct', 'get', `products/${id}`, productBody);
        const imageUrl = p.images[0]?.src ?? null;
        return { id: p.id, name: p.name, permalink: p.permalink, price: p.price, imageUrl, purchasable: p.purchasable, status: p.status };
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return null;
        throw err;
      }
    },
  };
}

/**
 * `2026-12-01T10:00:00Z`: WooCommerce reads `date_expires` without an offset in the site's
 * timezone and ignores `date_expires_gmt` on write (WC_Coupon has no setter for it).
 */
export function wooExpiry(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toCoupon(body: CouponBody): WooCoupon {
  const meta = body.meta_data.find((m) => m.key === OFFER_META_KEY);
  const offerId = typeof meta?.value === 'string' && meta.value !== '' ? meta.value : null;
  return { id: body.id, code: body.code, usageCount: body.usage_count, dateExpiresGmt: body.date_expires_gmt, offerId };
}

/**
 * Maps an axios failure to an AppError carrying only the HTTP status and WooCommerce's error
 * code. Never the axios error itself: its config holds the URL (OAuth signature and consumer
 * key in the query over HTTP) and the Basic credentials over HTTPS.
 */
function toAppError(op: string, err: unknown): AppError {
  if (!isAxiosError(err)) {
    return new AppError('internal', `WooCommerce ${op}: the client failed before any answer.`);
  }
  const response = err.response;
  if (!response) {
    const code = safeToken(err.code) ?? 'network error';
    if (err.code && CONFIG_ERRORS.has(err.code)) {
      return new AppError('internal', `WooCommerce ${op}: invalid request (${code}).`);
    }
    if (err.code === 'ERR_BAD_RESPONSE') {
      return new AppError('upstream_rejected', `WooCommerce ${op}: unreadable answer (${code}).`);
    }
    const reason = err.code && TIMEOUTS.has(err.code) ? 'timed out' : `unreachable (${code})`;
    return new AppError('upstream_unavailable', `WooCommerce ${op}: ${reason}.`);
  }
  const status = response.status;
  const parsed = errorBody.safeParse(response.data);
  const wooCode = parsed.success ? safeToken(parsed.data.code) : undefined;
  const what = `WooCommerce ${op}: HTTP ${status}${wooCode ? ` ${wooCode}` : ''}.`;
  if (status === 408 || status === 429 || status >= 500) {
    return new AppError('upstream_unavailable', what, { retryAfterSeconds: retryAfter(response.headers?.['retry-after']) });
  }
  if (status === 404) return new AppError('not_found', what);
  if (status === 400 && wooCode === 'woocommerce_rest_coupon_code_already_exists') return new AppError('conflict', what);
  return new AppError('upstream_rejected', what);
}

/** Keeps a server-sent code only when it looks like one, so no echoed input reaches a log. */
function safeToken(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(value) ? value : undefined;
}

/** `Retry-After` in seconds (the HTTP-date form is rare from WordPress and is ignored). */
function retryAfter(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= 86_400 ? seconds : undefined;
}
