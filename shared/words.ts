/*
 * Small word helpers for everything the trader reads, on both sides (main's
 * run and refusal messages, the renderer's screens): counts always agree with
 * their noun — "1 item", "2 items", never "1 items" or "item(s)".
 */

/** "1 batch", "2 batches", "1,200 items". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The first `max` names, then "and N more": "A, B, C and 2 more". */
export function someNames(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * A Rust stack AssetPay takes only part of (offer.maxAmount, api §4.1): the
 * words for it, or null when nothing is capped.
 */
export function capWords(stack: number | null, maxAmount: number | null): string | null {
  if (stack === null || maxAmount === null || maxAmount >= stack) return null;
  return `AssetPay takes at most ${maxAmount} of this stack of ${stack}`;
}
