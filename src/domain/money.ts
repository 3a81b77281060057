/**
 * Money as WooCommerce writes it: decimal strings. Comparisons go through integer
 * ten-thousandths so that no float rounding decides whether a rule matches.
 */
const DECIMAL = /^-?\d{1,12}(\.\d{1,4})?$/;

export const isDecimal = (value: string): boolean => DECIMAL.test(value);

/** `"15"` → `"15.00"`; at least two decimals, at most four, as WooCommerce stores them. */
export function normalizeDecimal(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!isDecimal(text)) throw new RangeError('not a decimal amount');
  const negative = text.startsWith('-');
  const [whole, frac = ''] = text.replace('-', '').split('.');
  const digits = frac.replace(/0+$/, '').padEnd(2, '0');
  const units = BigInt(whole!).toString();
  const sign = negative && (units !== '0' || /[1-9]/.test(frac)) ? '-' : '';
  return `${sign}${units}.${digits}`;
}

/** Integer ten-thousandths of a decimal string. */
export function toUnits(value: string): bigint {
  if (!isDecimal(value)) throw new RangeError('not a decimal amount');
  const negative = value.startsWith('-');
  const [whole, frac = ''] = value.replace('-', '').split('.');
  const units = BigInt(whole!) * 10_000n + BigInt(frac.padEnd(4, '0'));
  return negative ? -units : units;
}

export const compareDecimal = (a: string, b: string): number => {
  const d = toUnits(a) - toUnits(b);
  return d === 0n ? 0 : d > 0n ? 1 : -1;
};

/** Ten-thousandths back to a decimal string with two to four decimals. */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const frac = String(abs % 10_000n).padStart(4, '0');
  return normalizeDecimal(`${negative ? '-' : ''}${abs / 10_000n}.${frac}`);
}

/** Exact sum of decimal strings. */
export const sumDecimals = (values: string[]): string => fromUnits(values.reduce((sum, v) => sum + toUnits(v), 0n));
