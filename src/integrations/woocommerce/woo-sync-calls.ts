import { z } from 'zod';
import { AppError } from '../../errors';
import type { Order } from '../../domain/order';
import { parseWooOrder } from './order-mapper';
import type { WooCall } from './woo-http';
import { anyList, webhookBody, webhookList, type WebhookBody } from './woo-schemas';

/** A store webhook as Encore reads it. The secret is never readable back from WooCommerce. */
export interface WooWebhook {
  id: number;
  name: string;
  /** `active`, `paused` or `disabled`; WooCommerce disables after repeated delivery failures. */
  status: string;
  /** e.g. `order.updated`. */
  topic: string;
  deliveryUrl: string;
}

export interface WebhookInput {
  name: string;
  topic: string;
  deliveryUrl: string;
  /** Key of the `X-WC-Webhook-Signature` HMAC; letters and digits (WordPress HTML-escapes others). */
  secret: string;
  status: 'active' | 'paused' | 'disabled';
}

export interface WebhookPatch {
  status?: 'active' | 'paused' | 'disabled';
  secret?: string;
  deliveryUrl?: string;
}

/** One page of `GET /orders`: raw order JSON (the caller maps each with `parseWooOrder`). */
export interface OrdersPage {
  orders: unknown[];
  /** `X-WP-TotalPages` of the whole result; 0 when nothing matched. */
  totalPages: number;
}

/** What `ping()` found: an answer (`reachable`) with its HTTP status, or why there was none. */
export interface WooPing {
  reachable: boolean;
  /** 200, another HTTP status, `unexpected_body`, or `timeout` / `unreachable` / `unreadable` when no answer came. */
  status: number | string;
}

/** WordPress caps `per_page` at 100. */
const PER_PAGE = 100;
/** Pages of webhooks read at most: 1,000 webhooks is far beyond any real store. */
const MAX_WEBHOOK_PAGES = 10;

const toWebhook = (w: WebhookBody): WooWebhook => ({ id: w.id, name: w.name, status: w.status, topic: w.topic, deliveryUrl: w.delivery_url });

/**
 * `2026-11-20T13:05:42` from any ISO time: the zone-less UTC form `modified_after` needs with
 * `dates_are_gmt=true`. WP_Date_Query converts a value *with* a zone to the site's wall clock
 * first and then compares it with the `_gmt` column, shifting the filter by the site's offset.
 */
export function zonelessUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new AppError('internal', 'Not an ISO 8601 time.');
  return new Date(ms).toISOString().slice(0, 19);
}

/** The webhook, order-sweep and health calls of the WooCommerce client. */
export function createSyncCalls(call: WooCall) {
  return {
    /** Every webhook of the store, all statuses, reading pages of 100. */
    async listWebhooks(): Promise<WooWebhook[]> {
      const all: WooWebhook[] = [];
      for (let page = 1; page <= MAX_WEBHOOK_PAGES; page++) {
        const answer = await call('listWebhooks', 'get', 'webhooks', webhookList, undefined, { per_page: PER_PAGE, page });
        all.push(...answer.body.map(toWebhook));
        if (page >= answer.totalPages || answer.body.length < PER_PAGE) break;
      }
      return all;
    },

    /** Creates a webhook. WooCommerce pings the delivery URL right away (result ignored). */
    async createWebhook(input: WebhookInput): Promise<WooWebhook> {
      const { body } = await call('createWebhook', 'post', 'webhooks', webhookBody, {
        name: input.name,
        topic: input.topic,
        delivery_url: input.deliveryUrl,
        secret: input.secret,
        status: input.status,
      });
      return toWebhook(body);
    },

    /** `PUT /webhooks/<id>`: the way back from `disabled` is `{"status":"active"}`. */
    async updateWebhook(id: number, patch: WebhookPatch): Promise<WooWebhook> {
      const data = {
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.secret !== undefined ? { secret: patch.secret } : {}),
        ...(patch.deliveryUrl !== undefined ? { delivery_url: patch.deliveryUrl } : {}),
      };
      const { body } = await call('updateWebhook', 'put', `webhooks/${id}`, webhookBody, data);
      return toWebhook(body);
    },

    /**
     * One page of orders modified strictly after `afterIsoUtc`, oldest modification first, so
     * that a sweep can stop after any page and continue from the newest time it saw.
     */
    async listOrdersModifiedAfter(afterIsoUtc: string, page: number): Promise<OrdersPage> {
      const answer = await call('listOrdersModifiedAfter', 'get', 'orders', anyList, undefined, {
        modified_after: zonelessUtc(afterIsoUtc),
        dates_are_gmt: true,
        orderby: 'modified',
        order: 'asc',
        per_page: PER_PAGE,
        page,
      });
      return { orders: answer.body, totalPages: answer.totalPages };
    },

    /**
     * `GET /orders/<id>` as a domain order; null when the store has no such order (deleted for
     * good). A body that is not an order is a permanent `invalid_request`.
     */
    async getOrder(id: number): Promise<Order | null> {
      try {
        const answer = await call('getOrder', 'get', `orders/${id}`, z.unknown());
        return parseWooOrder(answer.body);
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return null;
        throw err;
      }
    },

    /** A cheap authenticated call for health checks; never throws for a failed store. */
    async ping(): Promise<WooPing> {
      try {
        await call('ping', 'get', 'webhooks', anyList, undefined, { per_page: 1 });
        return { reachable: true, status: 200 };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const http = /^http_(\d{3})$/.exec(err.reason ?? '');
        if (http) return { reachable: true, status: Number(http[1]) };
        // A 200 that is not a REST list: something else answers at the store URL (a login page).
        if (err.reason === 'unexpected_body') return { reachable: true, status: err.reason };
        return { reachable: false, status: err.reason ?? err.code };
      }
    },
  };
}

export type SyncCalls = ReturnType<typeof createSyncCalls>;
