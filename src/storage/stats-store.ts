import type { RedisClient } from './redis';
import type { Keys } from './keys';

/** Summed counters: rule id → channel → metric → total. `revenue:<CUR>` totals are ten-thousandths. */
export type StatsTotals = Map<string, Map<string, Map<string, bigint>>>;

/** Reads the funnel counters the offer scripts write, one hash per UTC day. */
export interface StatsStore {
  /** Sums the day hashes of `days` (`YYYY-MM-DD`); days without counters add nothing. */
  sum(days: string[]): Promise<StatsTotals>;
  /** Offers that ever reached each state, store-wide (`keys.offerTotals`): state → count. */
  offerTotals(): Promise<Record<string, number>>;
}

/** Days read per pipeline: a year of hashes in two round trips. */
const DAYS_PER_PIPELINE = 200;

/** Reads `keys.statsDay(day)` hashes with pipelined HGETALLs. */
export function createStatsStore(redis: RedisClient, keys: Keys): StatsStore {
  return {
    async sum(days) {
      const totals: StatsTotals = new Map();
      for (let i = 0; i < days.length; i += DAYS_PER_PIPELINE) {
        const pipeline = redis.pipeline();
        for (const day of days.slice(i, i + DAYS_PER_PIPELINE)) pipeline.hgetall(keys.statsDay(day));
        for (const [err, hash] of (await pipeline.exec()) ?? []) {
          if (err) throw err;
          for (const [field, value] of Object.entries(hash as Record<string, string>)) add(totals, field, value);
        }
      }
      return totals;
    },

    async offerTotals() {
      const hash = await redis.hgetall(keys.offerTotals);
      return Object.fromEntries(Object.entries(hash).map(([state, count]) => [state, Number(count)]));
    },
  };
}

/** Adds one `<ruleId>|<channel>|<metric>` field; the metric may hold `:` (`revenue:PLN`), never `|`. */
function add(totals: StatsTotals, field: string, value: string): void {
  const first = field.indexOf('|');
  const second = field.indexOf('|', first + 1);
  if (first <= 0 || second <= first + 1 || second === field.length - 1) return;
  if (!/^-?\d+$/.test(value)) return;
  const [ruleId, channel, metric] = [field.slice(0, first), field.slice(first + 1, second), field.slice(second + 1)];
  const byChannel = totals.get(ruleId) ?? new Map<string, Map<string, bigint>>();
  totals.set(ruleId, byChannel);
  const byMetric = byChannel.get(channel) ?? new Map<string, bigint>();
  byChannel.set(channel, byMetric);
  byMetric.set(metric, (byMetric.get(metric) ?? 0n) + BigInt(value));
}
