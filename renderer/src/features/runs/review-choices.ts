import type { BatchReview, ReviewItem } from '../../../../shared/contract';

/*
 * The trader's decisions on a batch review, as data: which items can be
 * decided at all, which start ticked, and what "Sell" then sends. Ticked =
 * sell at AssetPay's current offer (and only the units it takes); every other
 * reviewed item is left out. Items nobody reviewed go as they are.
 */

/** An item the trader can sell now: AssetPay has an offer and takes at least one unit. */
export function decidable(item: ReviewItem): boolean {
  return (
    item.problem !== 'unavailable' &&
    item.problem !== 'not-accepted' &&
    item.units > 0 &&
    item.currentCents !== null
  );
}

/** Ticked at first: a price the plan's tolerance takes anyway (rises, small drops) or no price change. */
export function initiallyTicked(review: BatchReview): Set<string> {
  return new Set(
    review.items
      .filter((i) => decidable(i) && (i.changeCents === 0 || i.withinTolerance))
      .map((i) => i.itemId),
  );
}

export interface ReviewSale {
  count: number;
  totalCents: number;
  accept: string[];
  leaveOut: string[];
}

export function saleOf(review: BatchReview, ticked: ReadonlySet<string>): ReviewSale {
  let count = review.unchanged.count;
  let totalCents = review.unchanged.totalCents;
  const accept: string[] = [];
  const leaveOut: string[] = [];
  for (const item of review.items) {
    if (decidable(item) && ticked.has(item.itemId)) {
      accept.push(item.itemId);
      count++;
      totalCents += item.currentCents! * item.units;
    } else leaveOut.push(item.itemId);
  }
  return { count, totalCents, accept, leaveOut };
}
