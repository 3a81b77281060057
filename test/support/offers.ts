import { Queue } from 'bullmq';
import { orderSummary, type TestEncore } from './encore';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/**
 * Shows the thank-you fragment of paid order `orderId` (a printer, so the printer → toner
 * rule offers toner 202) and returns its offer's id and link path. Nothing is clicked.
 */
export async function shownOffer(encore: TestEncore, orderId: number): Promise<{ offerId: string; path: string }> {
  const res = await encore.signed('POST', '/v1/thank-you', orderSummary({ orderId, orderKey: `wc_order_k${orderId}` }));
  if (res.status !== 200) throw new Error(`thank-you page answered ${res.status}`);
  const html = await res.text();
  const path = /href="https:\/\/encore\.example\.com(\/o\/[^"]+)"/.exec(html)?.[1];
  const offerId = /data-offer-id="([^"]+)"/.exec(html)?.[1];
  if (!path || !offerId) throw new Error('the fragment holds no offer link');
  return { offerId, path };
}

/** `shownOffer`, then a person opens the link: the coupon now exists in WooCommerce. */
export async function clickedOffer(encore: TestEncore, orderId: number): Promise<{ offerId: string; code: string }> {
  const { offerId, path } = await shownOffer(encore, orderId);
  const res = await fetch(`${encore.url}${path}`, { redirect: 'manual', headers: { 'User-Agent': BROWSER } });
  const code = res.status === 302 ? new URL(res.headers.get('location')!).searchParams.get('encore_coupon') : null;
  if (!code) throw new Error(`opening the offer link answered ${res.status}`);
  return { offerId, code };
}

/** Polls a job until it finishes; resolves with its return value, rejects with its failure. */
export async function finished(queue: Queue, jobId: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    // Read the job only once it is finished: a copy read before holds no return value yet.
    if (state === 'completed') return (await queue.getJob(jobId))!.returnvalue;
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${(await queue.getJob(jobId))!.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
