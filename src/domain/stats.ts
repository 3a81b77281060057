import { z } from 'zod';
import { AppError } from '../errors';
import { LIFT_CHANNEL, ruleLift, type RuleLift } from './lift-stats';
import { fromUnits } from './money';
import { CHANNELS } from './rule';
import { parseOrThrow } from './validation';
import type { StatsTotals } from '../storage/stats-store';

/** Days the admin funnel shows when no range is given: the last 30, today included. */
export const DEFAULT_DAYS = 30;
/** Longest range, days, both ends included: a year, leap years included. */
export const MAX_DAYS = 366;
/** Metrics every channel shows, zero when nothing was counted. */
export const FUNNEL_METRICS = ['issued', 'shown', 'emailed', 'clicked', 'redeemed', 'revoked', 'unsubscribes'] as const;

const DAY_MS = 86_400_000;

const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  // zod runs this after a failed regex too: a malformed value must not reach toISOString().
  .refine((value) => {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
  }, 'not a calendar day');

const statsQuery = z.object({ from: calendarDay.optional(), to: calendarDay.optional() });

export interface StatsRange {
  from: string;
  to: string;
  /** Every UTC day from `from` to `to`, both included. */
  days: string[];
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The range of `GET /v1/admin/stats?from&to` (UTC days, as the counters are kept): `to`
 * defaults to today, `from` to 29 days before `to`. Throws `invalid_request` with field errors.
 */
export function statsRange(query: unknown, now: Date): StatsRange {
  const q = parseOrThrow(statsQuery, query ?? {}, 'stats range');
  const to = q.to ?? dayOf(now.getTime());
  const from = q.from ?? dayOf(msOf(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  const count = (msOf(to) - msOf(from)) / DAY_MS + 1;
  if (count < 1) throw new AppError('invalid_request', 'Invalid stats range.', { fields: { from: 'must not be after to' } });
  if (count > MAX_DAYS) {
    throw new AppError('invalid_request', 'Invalid stats range.', { fields: { to: `the range is at most ${MAX_DAYS} days` } });
  }
  return { from, to, days: Array.from({ length: count }, (_, i) => dayOf(msOf(from) + i * DAY_MS)) };
}

export type ChannelStats = Record<string, number | Record<string, string>> & { revenue: Record<string, string> };

export interface RuleStats {
  ruleId: string;
  /** The rule's current name; null when the rule was deleted after it counted. */
  name: string | null;
  channels: Record<string, ChannelStats>;
  /** The rule's holdout experiment; null when it has none and counted none in the range. */
  lift: RuleLift | null;
}

/**
 * Shapes summed counters for the admin page: every current rule (zeros when nothing counted)
 * and every deleted rule that still has counters in the range; both channels per rule, the
 * funnel metrics always present, any other metric (scanned, email_failed…) when counted, and
 * revenue per currency as a decimal string from its ten-thousandths. The `lift` pseudo-channel
 * is no channel: it becomes the rule's `lift` (see `ruleLift`).
 */
export function shapeStats(totals: StatsTotals, rules: { id: string; name: string; holdoutPercent?: number }[]): RuleStats[] {
  const names = new Map(rules.map((rule) => [rule.id, rule.name]));
  const holdouts = new Map(rules.map((rule) => [rule.id, rule.holdoutPercent ?? 0]));
  const deleted = [...totals.keys()].filter((id) => !names.has(id)).sort();
  return [...rules.map((rule) => rule.id), ...deleted].map((ruleId) => {
    const counted = totals.get(ruleId) ?? new Map<string, Map<string, bigint>>();
    const channels: Record<string, ChannelStats> = {};
    for (const channel of new Set<string>([...CHANNELS, ...counted.keys()])) {
      if (channel !== LIFT_CHANNEL) channels[channel] = channelStats(counted.get(channel) ?? new Map());
    }
    const lift = ruleLift(counted.get(LIFT_CHANNEL), holdouts.get(ruleId) ?? null);
    return { ruleId, name: names.get(ruleId) ?? null, channels, lift };
  });
}

function channelStats(metrics: Map<string, bigint>): ChannelStats {
  const out: ChannelStats = { revenue: {} };
  for (const metric of FUNNEL_METRICS) out[metric] = 0;
  for (const [metric, total] of [...metrics].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const currency = /^revenue:([A-Z0-9]{3,10})$/.exec(metric)?.[1];
    if (currency) out.revenue[currency] = fromUnits(total);
    else if (metric !== 'revenue') out[metric] = Number(total);
  }
  return out;
}
