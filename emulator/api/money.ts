/*
 * Money. The API carries USD dollars as JSON numbers (api §1 "Units"); the
 * emulator keeps integer cents so totals are sums of integers (api §4.2:
 * totalPrice is the sum of price × amount).
 */

/**
 * Dollars → integer cents, read from the number's shortest decimal text (what
 * JSON carried), so 10.75 → 1075 and 1.005 → 101 without the float multiply
 * that gives 100.4999…. A third decimal ≥ 5 rounds away from zero.
 */
export function usdToCents(usd: number): number {
  if (!Number.isFinite(usd)) throw new RangeError(`Not a finite USD amount: ${usd}`);
  const text = String(Math.abs(usd));
  let cents: number;
  if (text.includes('e')) {
    // Exponent notation: below 1e-6 (less than a cent) or at least 1e21 (not a price).
    if (Math.abs(usd) >= 1) throw new RangeError(`USD amount too large: ${usd}`);
    cents = 0;
  } else {
    const [whole, fraction = ''] = text.split('.');
    const digits = `${fraction}000`;
    cents = Number(whole) * 100 + Number(digits.slice(0, 2));
    if (Number(digits[2]) >= 5) cents += 1;
  }
  if (!Number.isSafeInteger(cents)) throw new RangeError(`USD amount too large: ${usd}`);
  return usd < 0 && cents !== 0 ? -cents : cents;
}

/**
 * Integer cents → dollars. IEEE division is correctly rounded, so `cents / 100`
 * is the same double JSON.parse gives for the two-decimal text ("10.75").
 */
export function centsToUsd(cents: number): number {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Cents must be a safe integer: ${cents}`);
  return cents / 100;
}
