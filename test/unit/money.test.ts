import { compareDecimal, isDecimal, normalizeDecimal, toUnits } from '../../src/domain/money';

/** Money as WooCommerce writes it: decimal strings, compared without floats. */
describe('normalizeDecimal', () => {
  it.each([
    ['15', '15.00'],
    [12.5, '12.50'],
    [100, '100.00'],
    ['0.1234', '0.1234'],
    ['1.5000', '1.50'],
    ['007', '7.00'],
    [' 7 ', '7.00'],
    ['-1.50', '-1.50'],
    ['123456789012', '123456789012.00'],
  ])('writes %j as WooCommerce stores it: %s', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });

  it.each(['-0', '-0.00', '-0.0000', 0, -0])('has no negative zero: %j → "0.00"', (input) => {
    expect(normalizeDecimal(input)).toBe('0.00');
  });

  it.each([
    ['exponent notation', '1e3'],
    ['a word', 'abc'],
    ['an empty string', ''],
    ['more than four decimals', '1.23456'],
    ['a bare decimal point', '1.'],
    ['no whole part', '.5'],
    ['a plus sign', '+1'],
    ['a thousands separator', '1,000.00'],
    ['a decimal comma', '12,50'],
    ['more than twelve whole digits', '1234567890123'],
  ])('rejects %s (%j)', (_what, input) => {
    expect(() => normalizeDecimal(input)).toThrow(RangeError);
  });

  it('rejects a float that has no exact decimal form (0.1 + 0.2) instead of rounding it', () => {
    expect(() => normalizeDecimal(0.1 + 0.2)).toThrow(RangeError);
  });

  it('rejects numbers JavaScript prints in exponent notation', () => {
    expect(() => normalizeDecimal(1e21)).toThrow(RangeError);
    expect(() => normalizeDecimal(1e-7)).toThrow(RangeError);
    expect(() => normalizeDecimal(Number.NaN)).toThrow(RangeError);
  });
});

describe('toUnits', () => {
  it('counts integer ten-thousandths', () => {
    expect(toUnits('1.5')).toBe(15_000n);
    expect(toUnits('0.0001')).toBe(1n);
    expect(toUnits('199.99')).toBe(1_999_900n);
    expect(toUnits('-0.5')).toBe(-5_000n);
    expect(toUnits('999999999999.9999')).toBe(9_999_999_999_999_999n);
  });

  it('rejects what is not a decimal string, untrimmed text included', () => {
    for (const bad of ['', ' 1', '1e3', '0x10', '1.23456', 'NaN']) expect(() => toUnits(bad)).toThrow(RangeError);
  });
});

describe('compareDecimal', () => {
  it('compares amounts as decimals, whatever the number of decimals written', () => {
    expect(compareDecimal('199.99', '200')).toBe(-1);
    expect(compareDecimal('200', '199.99')).toBe(1);
    expect(compareDecimal('200.00', '200')).toBe(0);
    expect(compareDecimal('0.1', '0.1000')).toBe(0);
    expect(compareDecimal('0.0001', '0')).toBe(1);
  });

  it('orders negative amounts below zero', () => {
    expect(compareDecimal('-1', '0.0001')).toBe(-1);
    expect(compareDecimal('-0', '0')).toBe(0);
    expect(compareDecimal('-2.5', '-2.4')).toBe(-1);
  });

  it('gets right what floats get wrong: 0.1 + 0.2 = 0.3', () => {
    const sum = toUnits('0.1') + toUnits('0.2');
    expect(sum).toBe(toUnits('0.3'));
  });

  it('isDecimal agrees with what the other functions accept', () => {
    expect(isDecimal('12.50')).toBe(true);
    expect(isDecimal('12.5.0')).toBe(false);
  });
});
