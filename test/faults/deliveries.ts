import { TEST_SECRETS } from '../support/encore';
import { delivery, processingOrder, signedDelivery } from '../support/fixtures';

/** WooCommerce's `date_*_gmt` format: no zone, seconds. */
const wooDate = (at: Date): string => at.toISOString().slice(0, 19);

/** A signed `order.updated` delivery of a paid order: the processing fixture with its own id and buyer. */
export interface OrderDelivery {
  orderId: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * Order `orderId` (printer 101 and two toners 205, paid a minute ago) as WooCommerce delivers
 * it, signed with `WC_WEBHOOK_SECRET` over the exact bytes sent. Each order has its own buyer
 * email, so no customer-level rule (the email cap, "already owns") links two orders.
 */
export function paidOrderDelivery(orderId: number, at = new Date()): OrderDelivery {
  const order = processingOrder();
  const paidAt = new Date(at.getTime() - 60_000);
  Object.assign(order, {
    id: orderId,
    number: String(orderId),
    order_key: `wc_order_f${orderId}`,
    date_paid_gmt: wooDate(paidAt),
    date_modified_gmt: wooDate(new Date(paidAt.getTime() + 2_000)),
    billing: { ...(order.billing as object), email: `buyer${orderId}@example.com` },
  });
  const signed = signedDelivery(delivery('order-updated-processing'), order, TEST_SECRETS.WC_WEBHOOK_SECRET, 'order.updated');
  return { orderId, ...signed };
}

/** What one POST got: the HTTP status, `error` (no answer: refused, reset) or `timeout` (no answer in time). */
export type Outcome = number | 'error' | 'timeout';

export interface Sent {
  orderId: number;
  outcome: Outcome;
}

/**
 * POSTs `deliveries` to `/webhooks/woocommerce`, round-robin over `urls`, at most `concurrency`
 * at a time, each with a deadline of `timeoutMs`. Like WooCommerce it never retries: anything
 * but 202 is recorded as a failed delivery. `onSent` sees each result as it comes.
 */
export async function sendAll(
  urls: string[],
  deliveries: OrderDelivery[],
  opts: { concurrency: number; timeoutMs: number; onSent?: (sent: Sent, done: number) => void | Promise<void> },
): Promise<Sent[]> {
  const results: Sent[] = new Array(deliveries.length);
  let next = 0;
  let done = 0;
  async function lane(): Promise<void> {
    while (next < deliveries.length) {
      const i = next++;
      const d = deliveries[i]!;
      let outcome: Outcome;
      try {
        const res = await fetch(`${urls[i % urls.length]}/webhooks/woocommerce`, {
          method: 'POST',
          headers: d.headers,
          body: d.body,
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        await res.arrayBuffer();
        outcome = res.status;
      } catch (err) {
        outcome = (err as Error).name === 'TimeoutError' ? 'timeout' : 'error';
      }
      results[i] = { orderId: d.orderId, outcome };
      await opts.onSent?.(results[i]!, ++done);
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  return results;
}

/**
 * `list` with about `share` of its items sent a second time a little later, as WooCommerce
 * repeats a delivery (deterministic: every 1/share-th item, repeated seven items on).
 */
export function withRepeats<T>(list: T[], share: number): T[] {
  const every = Math.round(1 / share);
  const out: T[] = [];
  const later: { at: number; item: T }[] = [];
  list.forEach((item, i) => {
    out.push(item);
    if (i % every === 0) later.push({ at: i + 7, item });
    while (later.length > 0 && later[0]!.at <= i) out.push(later.shift()!.item);
  });
  for (const { item } of later) out.push(item);
  return out;
}

/** Counts outcomes: `{ '202': 9800, error: 12, … }`. */
export const tally = (sent: Sent[]): Record<string, number> =>
  sent.reduce<Record<string, number>>((acc, s) => ((acc[String(s.outcome)] = (acc[String(s.outcome)] ?? 0) + 1), acc), {});
