import { capWords } from '../../../shared/words';

/**
 * Units of a Rust stack: "× 25 of 481", with a "cap 25" mark when AssetPay
 * takes only part of the stack (offer.maxAmount) — the reason a big stack
 * totals less than its size suggests. `units` null: the units show elsewhere
 * (the plan editor's units field).
 */
export function StackUnits({
  units,
  stack,
  maxAmount,
}: {
  units: number | null;
  stack: number | null;
  maxAmount: number | null;
}) {
  const cap = capWords(stack, maxAmount);
  return (
    <span className="stack-units">
      {units !== null && <span>× {units}</span>}
      {stack !== null && stack > 1 && <span className="muted"> of {stack}</span>}
      {cap && (
        <span className="cap-mark" title={cap} aria-label={cap}>
          cap {maxAmount}
        </span>
      )}
    </span>
  );
}

/** "$0.12 / unit" for a Rust stack's price (AssetPay prices stacks per unit, api §4.2). */
export function perUnit(stackable: boolean): string {
  return stackable ? ' / unit' : '';
}
