import { computeLift, type GroupCounts, type LiftSummary } from './lift';

/** The pseudo-channel under which holdout counters are kept (`<ruleId>|lift|<metric>`). */
export const LIFT_CHANNEL = 'lift';

export type RuleLift = LiftSummary & {
  /** The rule's current holdout; null when the rule was deleted. */
  holdoutPercent: number | null;
};

function group(metrics: Map<string, bigint>, name: 'treated' | 'control'): GroupCounts {
  const revenueUnits = new Map<string, bigint>();
  const prefix = `${name}_revenue:`;
  for (const [metric, total] of metrics) {
    if (metric.startsWith(prefix) && /^[A-Z0-9]{3,10}$/.test(metric.slice(prefix.length))) revenueUnits.set(metric.slice(prefix.length), total);
  }
  return { orders: Number(metrics.get(name) ?? 0n), conversions: Number(metrics.get(`${name}_converted`) ?? 0n), revenueUnits };
}

/**
 * A rule's lift for the admin stats, from its summed `lift` counters. Null for a rule that
 * has no holdout and counted nothing in the range: there is no experiment to show.
 */
export function ruleLift(metrics: Map<string, bigint> | undefined, holdoutPercent: number | null): RuleLift | null {
  if (!metrics && !holdoutPercent) return null;
  const counted = metrics ?? new Map<string, bigint>();
  return { holdoutPercent, ...computeLift(group(counted, 'treated'), group(counted, 'control')) };
}
