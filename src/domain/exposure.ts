import type { HoldoutGroup } from './holdout';
import { toUnits } from './money';
import type { Exposure } from './offer-decision';
import type { Order } from './order';

/**
 * Milliseconds a pending exposure is kept after its window ended: a purchase paid inside the
 * window may still arrive late (a reconciliation sweep), and counts on its paid time.
 */
export const LATE_PURCHASE_GRACE_MS = 7 * 86_400_000;

/** An exposure waiting for the buyer's next purchase, as kept per customer. */
export interface PendingExposure {
  ruleId: string;
  orderId: number;
  group: HoldoutGroup;
  /** Unix ms the exposing order was paid: only a purchase paid from then on converts. */
  startsMs: number;
  /** Unix ms: a purchase paid after this does not convert. */
  windowEndsMs: number;
  /** UTC day (`YYYY-MM-DD`) the exposure counted on; its conversion counts there too. */
  day: string;
  productIds: number[];
}

/** One conversion to count (and its pending exposure to remove, if still as read). */
export interface Conversion {
  field: string;
  value: string;
  ruleId: string;
  group: HoldoutGroup;
  day: string;
  currency: string;
  /** Ten-thousandths: the converting order's lines that hold the exposure's products. */
  revenueUnits: bigint;
}

/** The hash field of a pending exposure: `<ruleId>|<orderId>`. */
export const pendingField = (ruleId: string, orderId: number): string => `${ruleId}|${orderId}`;

/**
 * The hash value of a pending exposure: `<group>|<window end ms>|<day>|<ids>|<start ms>`, the
 * start being when the exposing order was paid (`startsMs`).
 */
export const encodePending = (exposure: Exposure, day: string, startsMs: number): string =>
  `${exposure.group}|${Date.parse(exposure.windowEndsAt)}|${day}|${exposure.productIds.join(',')}|${startsMs}`;

/** Reads one hash entry back; null for anything malformed (it is then dropped). */
export function decodePending(field: string, value: string): PendingExposure | null {
  const f = /^([^|]+)\|(\d+)$/.exec(field);
  const v = /^(treated|control)\|(\d+)\|(\d{4}-\d{2}-\d{2})\|(\d+(?:,\d+)*)\|(\d+)$/.exec(value);
  if (!f || !v) return null;
  return {
    ruleId: f[1]!,
    orderId: Number(f[2]),
    group: v[1] as HoldoutGroup,
    startsMs: Number(v[5]),
    windowEndsMs: Number(v[2]),
    day: v[3]!,
    productIds: v[4]!.split(',').map(Number),
  };
}

/**
 * Which of a buyer's pending exposures a paid order converts, and which are past saving.
 * An order converts an exposure of another order when it was paid within the window (from the
 * exposing order's payment to the end of its offers) and
 * holds any of the exposure's products (by product or variation id), coupon or not
 * (intent-to-treat). An exposure whose window ended more than `LATE_PURCHASE_GRACE_MS` ago,
 * or that cannot be read, is dropped.
 */
export function matchConversions(order: Order, pending: Record<string, string>, now: Date): { conversions: Conversion[]; dropped: { field: string; value: string }[] } {
  const paidMs = order.paidAt ? Date.parse(order.paidAt) : now.getTime();
  const conversions: Conversion[] = [];
  const dropped: { field: string; value: string }[] = [];
  for (const [field, value] of Object.entries(pending)) {
    const exposure = decodePending(field, value);
    if (!exposure || exposure.windowEndsMs + LATE_PURCHASE_GRACE_MS < now.getTime()) {
      dropped.push({ field, value });
      continue;
    }
    // Only a later purchase: one paid before the exposing order may still be delivered after it.
    if (exposure.orderId === order.id || paidMs < exposure.startsMs || paidMs > exposure.windowEndsMs) continue;
    const ids = new Set(exposure.productIds);
    const lines = order.items.filter((item) => ids.has(item.productId) || (item.variationId > 0 && ids.has(item.variationId)));
    if (lines.length === 0) continue;
    const revenueUnits = lines.reduce((sum, item) => sum + toUnits(item.total), 0n);
    conversions.push({ field, value, ruleId: exposure.ruleId, group: exposure.group, day: exposure.day, currency: order.currency, revenueUnits });
  }
  return { conversions, dropped };
}

