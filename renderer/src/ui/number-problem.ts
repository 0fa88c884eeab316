/*
 * What is wrong with a number the trader typed, in words that name the bound
 * (issue 14: "300 → 202" and "2.5 → 3" changed the number silently). Pure.
 */

export type NumberRules = {
  min: number;
  max: number;
  /** Stored value = shown value × scale, and must come out whole (1: whole units; 100: two decimals). */
  scale: number;
  /** Why the maximum is what it is ("the whole stack"). */
  boundHint?: string | undefined;
};

/** Null when the text is a valid value; otherwise the sentence to show. */
export function numberProblem(text: string, rules: NumberRules): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter a number from ${rules.min} to ${rules.max}.`;
  const n = Number(trimmed);
  if (!Number.isFinite(n)) return `Enter a number from ${rules.min} to ${rules.max}.`;
  const scaled = n * rules.scale;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-9)
    return rules.scale === 1
      ? 'Whole units only.'
      : `Use at most ${Math.round(Math.log10(rules.scale))} decimals.`;
  if (n < rules.min) return `At least ${rules.min}.`;
  if (n > rules.max)
    return `At most ${rules.max}${rules.boundHint ? ` — ${rules.boundHint}` : ''}.`;
  return null;
}
