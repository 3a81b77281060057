import { shapeStats } from '../../src/domain/stats';
import type { StatsTotals } from '../../src/storage/stats-store';

/** Summed counters as the stats store returns them: rule → channel → metric → total. */
const totals = (rows: Record<string, Record<string, Record<string, number>>>): StatsTotals =>
  new Map(
    Object.entries(rows).map(([rule, channels]) => [
      rule,
      new Map(Object.entries(channels).map(([channel, metrics]) => [channel, new Map(Object.entries(metrics).map(([m, v]) => [m, BigInt(v)]))])),
    ]),
  );

describe('lift in the admin stats', () => {
  const counted = totals({
    r_held: { thank_you: { issued: 3 }, lift: { treated: 150, control: 120, treated_converted: 15, control_converted: 6, 'treated_revenue:PLN': 1_500_000, 'control_revenue:PLN': 480_000 } },
    r_gone: { lift: { treated: 2, control: 1 } },
  });
  const shaped = shapeStats(counted, [
    { id: 'r_held', name: 'Held', holdoutPercent: 10 },
    { id: 'r_plain', name: 'Plain', holdoutPercent: 0 },
  ]);

  it('is a rule property, never a channel', () => {
    expect(shaped.map((r) => Object.keys(r.channels).sort())).toEqual([
      ['email', 'thank_you'],
      ['email', 'thank_you'],
      ['email', 'thank_you'],
    ]);
  });

  it('sums both groups and computes the lift from them', () => {
    const lift = shaped[0]!.lift!;
    expect(lift).toMatchObject({
      holdoutPercent: 10,
      treated: { orders: 150, conversions: 15, conversionRate: 0.1, revenue: { PLN: '150.00' } },
      control: { orders: 120, conversions: 6, conversionRate: 0.05, revenue: { PLN: '48.00' } },
      // 150.00 − 48.00 × 150/120 = 150 − 60 = 90.00
      incrementalRevenue: { PLN: '90.00' },
      enoughData: true,
      minSamplePerGroup: 100,
    });
    expect(lift.absoluteLift!.estimate).toBeCloseTo(0.05, 10);
    expect(lift.relativeLift!.estimate).toBeCloseTo(1, 10);
  });

  it('is null for a rule without a holdout and without lift counters; a deleted rule keeps its counted lift', () => {
    expect(shaped[1]!.lift).toBeNull();
    expect(shaped[2]).toMatchObject({ ruleId: 'r_gone', name: null, lift: { holdoutPercent: null, treated: { orders: 2 }, control: { orders: 1 } } });
  });

  it('a rule with a holdout but nothing counted yet shows empty groups', () => {
    const [only] = shapeStats(new Map(), [{ id: 'r_new', name: 'New', holdoutPercent: 5 }]);
    expect(only!.lift).toMatchObject({ holdoutPercent: 5, treated: { orders: 0, conversionRate: null }, absoluteLift: null, incrementalRevenue: null, enoughData: false });
  });
});
