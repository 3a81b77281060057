import type { ZodType } from 'zod';
import { AppError } from '../../errors';
import { createWooCall, type Method, type WooClientOptions } from './woo-http';
import { createSyncCalls, type SyncCalls } from './woo-sync-calls';
import { couponBody, couponList, deletedBody, productBody, type CouponBody } from './woo-schemas';

export { isAuthRefusal, type WooClientOptions } from './woo-http';
export type { OrdersPage, WebhookInput, WebhookPatch, WooPing, WooWebhook } from './woo-sync-calls';

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

/**
 * The WooCommerce REST calls Encore makes. Every failure is an `AppError` (except `ping`, which
 * reports it); webhook and order-sweep calls come from `woo-sync-calls.ts`.
 */
export interface WooClient extends SyncCalls {
  createCoupon(input: CouponInput): Promise<WooCoupon>;
  findCouponByCode(code: string): Promise<WooCoupon | null>;
  deleteCoupon(id: number): Promise<void>;
  getProduct(id: number): Promise<ProductSummary | null>;
}

const OFFER_META_KEY = '_encore_offer_id';

/** Creates the typed WooCommerce REST client; every call is bounded by `timeoutMs`. */
export function createWooClient(opts: WooClientOptions): WooClient {
  const wooCall = createWooCall(opts);
  /** The body only: coupons and products never page. */
  const call = async <T>(op: string, method: Method, endpoint: string, schema: ZodType<T>, data?: object, params?: object): Promise<T> =>
    (await wooCall(op, method, endpoint, schema, data, params)).body;

  return {
    ...createSyncCalls(wooCall),

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
