import { gmtDate } from '../../src/integrations/woocommerce/woo-schemas';

/** What `gmtDate` gave before its fast path: JavaScript's own reading of `<value>Z`. */
function viaDate(value: string): string | 'refused' {
  const at = Date.parse(`${value}Z`);
  return Number.isNaN(at) ? 'refused' : new Date(`${value}Z`).toISOString();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('gmtDate', () => {
  it('reads every date and time exactly as Date does, edges of each field included', () => {
    const differences: string[] = [];
    for (const year of [0, 1, 1970, 2024, 2026, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 9, 27, 28, 29, 30, 31, 32]) {
          for (const [hour, minute, second] of [[0, 0, 0], [23, 59, 59], [24, 0, 0], [12, 60, 0], [12, 0, 60], [99, 99, 99]]) {
            const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour!)}:${pad(minute!)}:${pad(second!)}`;
            const parsed = gmtDate.safeParse(value);
            const got = parsed.success ? parsed.data : 'refused';
            if (got !== viaDate(value)) differences.push(`${value}: ${got} instead of ${viaDate(value)}`);
          }
        }
      }
    }
    expect(differences).toEqual([]);
  });

  it('gives ISO 8601 with milliseconds and Z, rolls an impossible day over as Date does, and keeps null', () => {
    expect(gmtDate.parse('2026-11-20T13:05:42')).toBe('2026-11-20T13:05:42.000Z');
    expect(gmtDate.parse('2026-02-30T00:00:00')).toBe('2026-03-02T00:00:00.000Z');
    expect(gmtDate.parse('2026-01-01T24:00:00')).toBe('2026-01-02T00:00:00.000Z');
    expect(gmtDate.parse(null)).toBeNull();
    expect(gmtDate.safeParse('2026-13-01T00:00:00').success).toBe(false);
    expect(gmtDate.safeParse('2026-11-20 13:05:42').success).toBe(false);
  });
});
