import { describe, expect, it } from 'vitest';
import {
  centsToUsd,
  changeBasisPoints,
  formatCentsPlain,
  formatUsd,
  parseUsdToCents,
  sumCents,
  usdToCents,
} from '../../shared/money';

describe('usdToCents', () => {
  it.each([
    [0.1 + 0.2, 30],
    [10.75, 1075],
    [1e-2, 1],
    [99999.99, 9999999],
    [1.005, 101], // the float multiply gives 100.49999…; the decimal text gives 100.5 → 101
    [0.995, 100],
    [2.675, 268],
    [0, 0],
    [12, 1200],
    [0.004999, 0],
    [0.005, 1],
    [1e-7, 0],
    [123456789.125, 12345678913],
  ])('%d → %d', (usd, cents) => {
    expect(usdToCents(usd)).toBe(cents);
  });

  it('handles negatives symmetrically (half away from zero) and never returns -0', () => {
    expect(usdToCents(-10.75)).toBe(-1075);
    expect(usdToCents(-1.005)).toBe(-101);
    expect(usdToCents(-0.005)).toBe(-1);
    expect(Object.is(usdToCents(-0.001), 0)).toBe(true);
    expect(Object.is(usdToCents(-0), 0)).toBe(true);
  });

  it('refuses NaN, infinities and amounts beyond safe integers', () => {
    expect(() => usdToCents(Number.NaN)).toThrow(RangeError);
    expect(() => usdToCents(Infinity)).toThrow(RangeError);
    expect(() => usdToCents(-Infinity)).toThrow(RangeError);
    expect(() => usdToCents(1e21)).toThrow(/too large/);
    expect(() => usdToCents(1e15)).toThrow(/too large/);
  });

  it('round-trips every two-decimal price through centsToUsd exactly', () => {
    for (let cents = 0; cents < 20_000; cents += 7) {
      const usd = centsToUsd(cents);
      expect(usdToCents(usd)).toBe(cents);
      expect(JSON.stringify(usd)).toBe(formatCentsPlain(cents).replace(/\.?0+$/, '') || '0');
    }
  });
});

describe('centsToUsd / formatCentsPlain / formatUsd', () => {
  it('formats plain and for the screen', () => {
    expect(centsToUsd(1075)).toBe(10.75);
    expect(centsToUsd(5)).toBe(0.05);
    expect(centsToUsd(-5)).toBe(-0.05);
    expect(formatCentsPlain(123450)).toBe('1234.50');
    expect(formatCentsPlain(-7)).toBe('-0.07');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(5)).toBe('$0.05');
    expect(formatUsd(123456789)).toBe('$1,234,567.89');
    expect(formatUsd(-123456)).toBe('-$1,234.56');
    expect(formatUsd(9999999)).toBe('$99,999.99');
  });

  it('refuses non-integer cents', () => {
    expect(() => formatUsd(1.5)).toThrow(RangeError);
    expect(() => formatUsd(Number.NaN)).toThrow(RangeError);
    expect(() => centsToUsd(2 ** 53)).toThrow(RangeError);
    expect(() => formatCentsPlain(0.1)).toThrow(RangeError);
  });
});

describe('parseUsdToCents', () => {
  it.each([
    ['10.75', 1075],
    ['$1,234.5', 123450],
    [' 1,234,567.89 ', 123456789],
    ['12,345', 1234500],
    ['0.10', 10],
    ['1.000', 100],
    ['00012.3', 1230],
    ['7', 700],
    ['$0', 0],
  ])('%j → %d', (text, cents) => {
    expect(parseUsdToCents(text)).toBe(cents);
  });

  it.each([
    '10,75', // ambiguous decimal comma
    '1,23',
    '1,2345',
    '1234,567', // bad grouping
    ',123', // leading separator
    '1,,234',
    '1,234,56',
    '.5',
    '5.',
    '0.001', // sub-cent
    '1.005',
    '-1',
    '',
    '$',
    '$ 5',
    '1e3',
    'NaN',
    '12 34',
    '99999999999999999', // beyond safe integer cents
  ])('%j → null', (text) => {
    expect(parseUsdToCents(text)).toBeNull();
  });
});

describe('sumCents / changeBasisPoints', () => {
  it('sums integers (no float drift) and measures changes in basis points', () => {
    expect(sumCents([10, 20, 0])).toBe(30);
    expect(sumCents(Array.from({ length: 1000 }, () => usdToCents(0.1)))).toBe(10_000);
    expect(sumCents([])).toBe(0);
    expect(changeBasisPoints(100, 101)).toBe(100);
    expect(changeBasisPoints(1075, 1000)).toBe(-698);
    expect(changeBasisPoints(0, 0)).toBe(0);
    expect(changeBasisPoints(0, 5)).toBe(Infinity);
  });
});
