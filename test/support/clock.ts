/**
 * Test times relative to the real now. Redis expires keys by its own clock, so a test whose
 * injected clock writes absolute expiry times (PXAT, PEXPIREAT) must anchor that clock near the
 * real date, or its keys vanish the moment they are written once the calendar moves on.
 *
 * `ENCORE_TEST_CLOCK_SHIFT_DAYS` (default 0) moves the anchor by whole days: `-10` makes the
 * tests run ten days behind Redis, which is what a suite with a fixed date looks like ten days
 * later. A test that passes with both 0 and -10 no longer depends on the date.
 */

/** One hour in ms. */
export const HOUR = 3_600_000;
/** One day in ms. */
export const DAY = 24 * HOUR;

function shiftDays(): number {
  const raw = process.env.ENCORE_TEST_CLOCK_SHIFT_DAYS ?? '0';
  const days = Number(raw);
  if (!Number.isInteger(days)) throw new Error(`ENCORE_TEST_CLOCK_SHIFT_DAYS must be a whole number of days, got ${raw}`);
  return days;
}

/** The anchor "now" for this test file: the real now plus the shift, rounded down to the second. */
export const NOW = new Date(Math.floor((Date.now() + shiftDays() * DAY) / 1000) * 1000);

/** The instant `offsetMs` after {@link NOW} (before it when negative). */
export function at(offsetMs: number): Date {
  return new Date(NOW.getTime() + offsetMs);
}

/** {@link at} as ISO 8601 with milliseconds, the form the services store and answer. */
export function isoAt(offsetMs: number): string {
  return at(offsetMs).toISOString();
}

/** WooCommerce's `*_gmt` form of {@link at}: UTC without zone or milliseconds. */
export function gmtAt(offsetMs: number): string {
  return isoAt(offsetMs).slice(0, 19);
}

/** The UTC day (`YYYY-MM-DD`) of `date`, the key of the daily stats. */
export function dayOf(date: Date | string | number): string {
  return new Date(date).toISOString().slice(0, 10);
}

/**
 * The instant `days` UTC days after {@link NOW}'s day, at `hh:mm:ss` UTC — for tests whose
 * meaning depends on the time of day (what falls on which stats day).
 */
export function dayAt(days: number, time: string): Date {
  return new Date(`${dayOf(NOW.getTime() + days * DAY)}T${time}Z`);
}
