/**
 * Money. AssetPay prices are USD dollars as JSON numbers (api §1); inside the
 * app every amount is integer cents, and totals are sums of integers. The
 * dollar number an inventory gave us is kept as-is and echoed back to
 * `/secure/sell` untouched (api §4.2 "PRICE_CHANGED handling").
 */
export type Cents = number;

/**
 * Converts a USD number to integer cents by reading its shortest decimal
 * representation (what JSON carried), so 10.75 → 1075 and 0.1+0.2 → 30
 * without the float multiply that turns 1.005 into 100.49999….
 * Sub-cent digits round half away from zero.
 */
export function usdToCents(usd: number): Cents {
  if (!Number.isFinite(usd)) throw new RangeError(`Not a finite USD amount: ${usd}`);
  const negative = usd < 0;
  const [intPart, fracPart] = decimalDigits(Math.abs(usd));
  const padded = (fracPart + '000').slice(0, 3);
  let cents = Number(intPart) * 100 + Number(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1;
  if (!Number.isSafeInteger(cents)) throw new RangeError(`USD amount too large: ${usd}`);
  // `cents !== 0` keeps -0.001 from becoming -0 (which is not Object.is-equal to 0).
  return negative && cents !== 0 ? -cents : cents;
}

/** Cents back to a USD number with at most two decimals (exactly representable in JSON). */
export function centsToUsd(cents: Cents): number {
  assertCents(cents);
  return Number(formatCentsPlain(cents));
}

/** "1234.50" — for CSV and inputs. */
export function formatCentsPlain(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "$1,234.50" — for the screen. */
export function formatUsd(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses a trader-typed or imported price ("10.75", "$1,234.5", "10,75" is
 * refused as ambiguous) into cents. Returns null when it is not a price.
 */
export function parseUsdToCents(text: string): Cents | null {
  // Thousands separators are only accepted in proper groups of three
  // ("1,234,567"): ",123" and "1234,567" are not prices, and "10,75" stays refused.
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text.trim().replace(/^\$/, ''));
  if (!match) return null;
  const intPart = match[1]!.replace(/,/g, '');
  const fracPart = match[2] ?? '';
  if (fracPart.length > 2 && /[1-9]/.test(fracPart.slice(2))) return null;
  const cents = Number(intPart) * 100 + Number((fracPart + '00').slice(0, 2));
  return Number.isSafeInteger(cents) ? cents : null;
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Relative change in basis points (1 % = 100 bp), integer, for tolerances. */
export function changeBasisPoints(fromCents: Cents, toCents: Cents): number {
  if (fromCents === 0) return toCents === 0 ? 0 : Infinity;
  return Math.round(((toCents - fromCents) * 10_000) / fromCents);
}

function assertCents(cents: Cents): void {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Cents must be a safe integer: ${cents}`);
}

/** Integer and fraction digits of a non-negative finite number, exponent forms expanded. */
function decimalDigits(value: number): [string, string] {
  const text = String(value);
  const exp = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) {
    const [i, f = ''] = text.split('.');
    return [i!, f];
  }
  const digits = exp[1]! + (exp[2] ?? '');
  const point = exp[1]!.length + Number(exp[3]);
  if (point <= 0) return ['0', '0'.repeat(-point) + digits];
  if (point >= digits.length) return [digits + '0'.repeat(point - digits.length), ''];
  return [digits.slice(0, point), digits.slice(point)];
}
