import { fromUnits } from './money';

/** Fewest exposed orders, in each group, before a rule's lift is called meaningful. */
export const MIN_LIFT_SAMPLE = 100;

/** Two-sided 95 % normal quantile. */
const Z95 = 1.96;

/** What was counted for one group of one rule's holdout over a range of days. */
export interface GroupCounts {
  /** Exposed orders. */
  orders: number;
  /** Exposures converted by a later purchase of their products within the window. */
  conversions: number;
  /** Revenue of those purchases' matching lines per currency, ten-thousandths. */
  revenueUnits: Map<string, bigint>;
}

export interface GroupSummary {
  orders: number;
  conversions: number;
  /** conversions / orders, 0–1; null without orders. */
  conversionRate: number | null;
  /** Decimal strings per currency. */
  revenue: Record<string, string>;
}

/** A point estimate with its 95 % interval. */
export interface Estimate {
  estimate: number;
  low: number;
  high: number;
}

export interface LiftSummary {
  treated: GroupSummary;
  control: GroupSummary;
  /** p_t − p_c with a Wald interval; null unless both groups have orders. */
  absoluteLift: Estimate | null;
  /** (p_t − p_c) / p_c with a Katz log risk-ratio interval; null unless both groups converted. */
  relativeLift: Estimate | null;
  /**
   * Revenue the rule added per currency: (revenue_t / n_t − revenue_c / n_c) × n_t, to the
   * ten-thousandth (half away from zero); null unless both groups have orders.
   */
  incrementalRevenue: Record<string, string> | null;
  /** Both groups have at least `minSamplePerGroup` orders. */
  enoughData: boolean;
  minSamplePerGroup: number;
}

function summary(g: GroupCounts): GroupSummary {
  const revenue: Record<string, string> = {};
  for (const currency of [...g.revenueUnits.keys()].sort()) revenue[currency] = fromUnits(g.revenueUnits.get(currency)!);
  return { orders: g.orders, conversions: g.conversions, conversionRate: g.orders > 0 ? g.conversions / g.orders : null, revenue };
}

/** Rounds num / den (den > 0) to the nearest integer, halves away from zero. */
function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twiceRest = 2n * (num % den);
  if (twiceRest >= den) return q + 1n;
  if (-twiceRest >= den) return q - 1n;
  return q;
}

/**
 * A rule's measured lift from its treated and control groups. Rates are per exposed order;
 * conversions are intent-to-treat (a treated buyer counts whether or not the coupon was used).
 */
export function computeLift(treated: GroupCounts, control: GroupCounts): LiftSummary {
  const [nt, nc, xt, xc] = [treated.orders, control.orders, treated.conversions, control.conversions];
  const both = nt > 0 && nc > 0;
  // Clamped: counts summed over a range could in theory disagree by a day's edge.
  const pt = nt > 0 ? Math.min(1, xt / nt) : 0;
  const pc = nc > 0 ? Math.min(1, xc / nc) : 0;

  let absoluteLift: Estimate | null = null;
  if (both) {
    const half = Z95 * Math.sqrt((pt * (1 - pt)) / nt + (pc * (1 - pc)) / nc);
    absoluteLift = { estimate: pt - pc, low: pt - pc - half, high: pt - pc + half };
  }

  let relativeLift: Estimate | null = null;
  if (both && xt > 0 && xc > 0) {
    const ratio = pt / pc;
    const se = Math.sqrt(1 / xt - 1 / nt + 1 / xc - 1 / nc);
    relativeLift = { estimate: ratio - 1, low: ratio * Math.exp(-Z95 * se) - 1, high: ratio * Math.exp(Z95 * se) - 1 };
  }

  let incrementalRevenue: Record<string, string> | null = null;
  if (both) {
    incrementalRevenue = {};
    const currencies = new Set([...treated.revenueUnits.keys(), ...control.revenueUnits.keys()]);
    for (const currency of [...currencies].sort()) {
      // rev_t − rev_c × n_t / n_c, in one division so that only the last digit is rounded.
      const rt = treated.revenueUnits.get(currency) ?? 0n;
      const rc = control.revenueUnits.get(currency) ?? 0n;
      incrementalRevenue[currency] = fromUnits(divRound(rt * BigInt(nc) - rc * BigInt(nt), BigInt(nc)));
    }
  }

  return {
    treated: summary(treated),
    control: summary(control),
    absoluteLift,
    relativeLift,
    incrementalRevenue,
    enoughData: nt >= MIN_LIFT_SAMPLE && nc >= MIN_LIFT_SAMPLE,
    minSamplePerGroup: MIN_LIFT_SAMPLE,
  };
}
