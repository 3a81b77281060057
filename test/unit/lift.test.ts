import { computeLift, MIN_LIFT_SAMPLE, type GroupCounts } from '../../src/domain/lift';

/** Revenue given in decimal PLN for readability, kept as ten-thousandths like the counters. */
const g = (orders: number, conversions: number, revenue: Record<string, number> = {}): GroupCounts => ({
  orders,
  conversions,
  revenueUnits: new Map(Object.entries(revenue).map(([cur, amount]) => [cur, BigInt(Math.round(amount * 10_000))])),
});

describe('computeLift', () => {
  it('a treated group converting better: rates, Wald and Katz intervals, incremental revenue', () => {
    // p_t = 30/200 = 0.15, p_c = 10/100 = 0.10; absolute lift 0.05.
    // Wald: 0.15·0.85/200 + 0.10·0.90/100 = 0.0006375 + 0.0009 = 0.0015375; sqrt = 0.0392110;
    // × 1.96 = 0.0768535 → [−0.0268535, 0.1268535].
    // Katz: RR = 1.5; se = sqrt(1/30 − 1/200 + 1/10 − 1/100) = sqrt(0.1183333) = 0.3439961;
    // 1.96·se = 0.6742324; RR·e^∓ = 0.7643211, 2.9437890 → relative [−0.2356789, 1.9437890], estimate 0.5.
    // Revenue: 3000 − 800 × 200/100 = 1400.00 PLN.
    const lift = computeLift(g(200, 30, { PLN: 3000 }), g(100, 10, { PLN: 800 }));
    expect(lift.treated).toEqual({ orders: 200, conversions: 30, conversionRate: 0.15, revenue: { PLN: '3000.00' } });
    expect(lift.control).toEqual({ orders: 100, conversions: 10, conversionRate: 0.1, revenue: { PLN: '800.00' } });
    expect(lift.absoluteLift!.estimate).toBeCloseTo(0.05, 10);
    expect(lift.absoluteLift!.low).toBeCloseTo(-0.0268535, 6);
    expect(lift.absoluteLift!.high).toBeCloseTo(0.1268535, 6);
    expect(lift.relativeLift!.estimate).toBeCloseTo(0.5, 10);
    expect(lift.relativeLift!.low).toBeCloseTo(-0.2356789, 6);
    expect(lift.relativeLift!.high).toBeCloseTo(1.943789, 6);
    expect(lift.incrementalRevenue).toEqual({ PLN: '1400.00' });
    expect(lift.enoughData).toBe(true);
    expect(lift.minSamplePerGroup).toBe(MIN_LIFT_SAMPLE);
  });

  it('equal groups: no lift, a symmetric Wald interval and a log-symmetric Katz interval', () => {
    // p = 12/120 = 0.1 both. Wald: sqrt(2 · 0.1 · 0.9 / 120) = sqrt(0.0015) = 0.0387298; × 1.96 = 0.0759105.
    // Katz: se = sqrt(2 · (1/12 − 1/120)) = sqrt(0.15) = 0.3872983; e^∓0.7591047 − 1 = −0.5319147, 1.1363628.
    const lift = computeLift(g(120, 12, { PLN: 600 }), g(120, 12, { PLN: 600 }));
    expect(lift.absoluteLift!.estimate).toBe(0);
    expect(lift.absoluteLift!.low).toBeCloseTo(-0.0759105, 6);
    expect(lift.absoluteLift!.high).toBeCloseTo(0.0759105, 6);
    expect(lift.relativeLift!.estimate).toBe(0);
    expect(lift.relativeLift!.low).toBeCloseTo(-0.5319147, 6);
    expect(lift.relativeLift!.high).toBeCloseTo(1.1363628, 6);
    expect(lift.incrementalRevenue).toEqual({ PLN: '0.00' });
  });

  it('zero conversions in both groups: absolute lift 0 ± 0, no relative lift, revenue per currency empty', () => {
    const lift = computeLift(g(150, 0), g(150, 0));
    expect(lift.absoluteLift).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(lift.relativeLift).toBeNull();
    expect(lift.incrementalRevenue).toEqual({});
    expect(lift.treated.conversionRate).toBe(0);
  });

  it('a control group without conversions has no relative lift (p_c = 0), the absolute one still counts', () => {
    // p_t = 5/100 = 0.05, p_c = 0: Wald half-width 1.96 · sqrt(0.05 · 0.95 / 100) = 1.96 · 0.0217945 = 0.0427173.
    const lift = computeLift(g(100, 5, { PLN: 50 }), g(100, 0));
    expect(lift.relativeLift).toBeNull();
    expect(lift.absoluteLift!.estimate).toBeCloseTo(0.05, 10);
    expect(lift.absoluteLift!.high).toBeCloseTo(0.0927173, 6);
    expect(lift.incrementalRevenue).toEqual({ PLN: '50.00' });
  });

  it('a treated group without conversions has no relative lift either', () => {
    expect(computeLift(g(100, 0), g(100, 4)).relativeLift).toBeNull();
  });

  it('below 100 orders in either group there is not enough data; without orders there is no estimate', () => {
    expect(computeLift(g(MIN_LIFT_SAMPLE - 1, 5), g(500, 10)).enoughData).toBe(false);
    expect(computeLift(g(500, 5), g(MIN_LIFT_SAMPLE - 1, 10)).enoughData).toBe(false);
    expect(computeLift(g(MIN_LIFT_SAMPLE, 5), g(MIN_LIFT_SAMPLE, 10)).enoughData).toBe(true);
    const empty = computeLift(g(12, 1, { PLN: 10 }), g(0, 0));
    expect(empty).toMatchObject({ absoluteLift: null, relativeLift: null, incrementalRevenue: null, enoughData: false });
    expect(empty.control.conversionRate).toBeNull();
  });

  it('incremental revenue is exact to the ten-thousandth, per currency, rounding halves away from zero', () => {
    // PLN: 10.00 − 1.00 × 3/7 = 10 − 0.4285714… = 9.5714286… → 9.5714.
    // EUR: only the control group spent: 0 − 2.00 × 3/7 = −0.8571428… → −0.8571.
    expect(computeLift(g(3, 1, { PLN: 10 }), g(7, 1, { PLN: 1, EUR: 2 })).incrementalRevenue).toEqual({ EUR: '-0.8571', PLN: '9.5714' });
    // 0 − 0.0001 × 1/2 = −0.00005 → −0.0001 (away from zero); 0.0001 × 1/2 = 0.00005 → 0.0001.
    expect(computeLift(g(1, 0), g(2, 1, { PLN: 0.0001 })).incrementalRevenue).toEqual({ PLN: '-0.0001' });
    expect(computeLift(g(1, 1, { PLN: 0.0001 }), g(2, 0)).incrementalRevenue).toEqual({ PLN: '0.0001' });
  });
});
