import { createHash } from 'node:crypto';

/** Buckets of the split: hundredths of a percent, so a holdout of 12.5 % is buckets 0–1249. */
export const HOLDOUT_BUCKETS = 10_000;

export type HoldoutGroup = 'treated' | 'control';

/**
 * The order's bucket for one rule, 0–9999: the first four bytes of
 * SHA-256(`<store URL>|<order id>|<rule id>`) as an unsigned integer, modulo 10,000. Depends
 * on nothing but its inputs, so every process and every restart puts an order in the same
 * bucket; the rule id in the hash splits each rule independently of the others.
 */
export function holdoutBucket(storeUrl: string, orderId: number, ruleId: string): number {
  const digest = createHash('sha256').update(`${storeUrl}|${orderId}|${ruleId}`, 'utf8').digest();
  return digest.readUInt32BE(0) % HOLDOUT_BUCKETS;
}

/**
 * `control` when the order is held out of the rule: its bucket is below holdoutPercent × 100.
 * A holdout of 0 (or none, on rules saved before the setting existed) holds nothing out.
 */
export function holdoutGroup(storeUrl: string, orderId: number, rule: { id: string; holdoutPercent?: number }): HoldoutGroup {
  // Rounded: 0.1-steps such as 0.3 × 100 are not exact in binary floating point.
  const threshold = Math.round((rule.holdoutPercent ?? 0) * 100);
  if (threshold <= 0) return 'treated';
  return holdoutBucket(storeUrl, orderId, rule.id) < threshold ? 'control' : 'treated';
}
