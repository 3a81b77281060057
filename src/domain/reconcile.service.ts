import type { Logger } from '../logger';
import type { WooClient } from '../integrations/woocommerce/woo-client';
import { parseOrdersPage } from '../integrations/woocommerce/order-mapper';
import type { OrderSnapshotStore } from '../storage/order-snapshot-store';
import type { ReconcileStore } from '../storage/reconcile-store';
import type { Order } from './order';
import type { OrderIngest } from './order-ingest.service';
import type { WebhookSetup } from './webhook-setup.service';

/**
 * Milliseconds the cursor stays behind the newest modification seen. WooCommerce stamps
 * `date_modified` when a save starts and commits it later, and stamps whole seconds: an order
 * saved in the same second as the newest one, or committed a little later, still gets swept.
 */
export const OVERLAP_MS = 60_000;
/** Pages of 100 orders read per run at most; the next run continues from the cursor. */
export const MAX_PAGES = 20;

export interface ReconcileDeps {
  woo: Pick<WooClient, 'listOrdersModifiedAfter'>;
  snapshots: Pick<OrderSnapshotStore, 'seen'>;
  ingest: Pick<OrderIngest, 'accept'>;
  cursor: ReconcileStore;
  webhooks: Pick<WebhookSetup, 'repair'>;
  clock: () => Date;
  /** Milliseconds between sweeps; the first sweep looks back twice this far. */
  intervalMs: number;
  logger: Pick<Logger, 'warn'>;
  maxPages?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Flow 7, reconciliation. WooCommerce never retries a failed delivery and disables a webhook
 * after repeated failures, so a periodic sweep lists the orders modified since the cursor and
 * feeds the ones Encore has not seen (no snapshot of that modification) into the webhook's own
 * ingest path, then re-activates Encore's webhooks that WooCommerce disabled.
 */
export function createReconciler(deps: ReconcileDeps) {
  const maxPages = deps.maxPages ?? MAX_PAGES;

  /** Sweeps orders; throws (cursor untouched) when WooCommerce fails on any page. */
  async function sweep(start: string) {
    const handled = new Set<string>();
    let fed = 0;
    let unparsable = 0;
    let newest: string | null = null;
    let after = start;
    let page = 1;
    let more = false;
    for (let read = 0; read < maxPages; read++) {
      const result = await deps.woo.listOrdersModifiedAfter(after, page);
      const mapped = parseOrdersPage(result.orders);
      for (const bad of mapped.unparsable) deps.logger.warn({ orderId: bad.id, fields: bad.fields }, 'reconcile skipped an unparsable order');
      unparsable += mapped.unparsable.length;
      const fresh = mapped.orders.filter((o) => !handled.has(`${o.id}@${o.modifiedAt}`));
      const seen = await deps.snapshots.seen(fresh);
      for (const [i, order] of fresh.entries()) {
        handled.add(`${order.id}@${order.modifiedAt}`);
        if (!seen[i]) {
          await deps.ingest.accept(order);
          fed++;
        }
      }
      const last = lastModified(mapped.orders);
      if (last && (!newest || last > newest)) newest = last;
      more = page < result.totalPages;
      if (!more) break;
      // Keyset paging: ask again from the page's newest time (less a second: the filter is
      // strict and times are whole seconds) so that orders modified meanwhile, which move to
      // the end of the list, cannot shift an unread one onto a page already read. A page of
      // one single second falls back to the next page number.
      const nextAfter = last ? iso(Date.parse(last) - 1_000) : after;
      if (nextAfter > after) [after, page] = [nextAfter, 1];
      else page++;
    }
    return { listed: handled.size, fed, unparsable, newest, more };
  }

  return {
    /** One run; returns an outcome line such as `fed 3 of 40 orders; reactivated 1 webhook`. */
    async run(): Promise<string> {
      const start = (await deps.cursor.cursor()) ?? iso(deps.clock().getTime() - 2 * deps.intervalMs);
      const s = await sweep(start);
      await deps.cursor.advance(nextCursor(start, s.newest, s.more));
      const { reactivated, missing } = await deps.webhooks.repair();
      for (const w of reactivated) deps.logger.warn({ webhookId: w.id, topic: w.topic }, 'webhook re-activated after WooCommerce disabled it');
      if (missing.length) deps.logger.warn({ topics: missing }, 'Encore webhooks missing: run webhook setup from the admin page');
      return [
        `fed ${s.fed} of ${plural(s.listed, 'order')}`,
        ...(s.unparsable ? [`skipped ${s.unparsable} unparsable`] : []),
        ...(s.more ? ['more pages remain'] : []),
        `reactivated ${plural(reactivated.length, 'webhook')}`,
        ...(missing.length ? [`missing ${missing.join(', ')}`] : []),
      ].join('; ');
    },
  };
}

/** The newest `modifiedAt` of a page (pages come oldest first, but do not rely on it). */
function lastModified(orders: Order[]): string | null {
  return orders.reduce<string | null>((max, o) => (o.modifiedAt && (!max || o.modifiedAt > max) ? o.modifiedAt : max), null);
}

/**
 * Where the next run starts: the newest modification seen less the overlap, never before this
 * run's start (the store keeps it forward-only too). When pages remain and the overlap would
 * hold the cursor still, it moves to a second before the newest so the next run progresses.
 */
export function nextCursor(start: string, newest: string | null, more: boolean): string {
  if (!newest) return start;
  let next = iso(Date.parse(newest) - OVERLAP_MS);
  if (more && next <= start) next = iso(Date.parse(newest) - 1_000);
  return next > start ? next : start;
}

export type Reconciler = ReturnType<typeof createReconciler>;
