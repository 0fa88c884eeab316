import { describe, expect, it } from 'vitest';
import type { BatchReview, ReviewItem } from '../../../../shared/contract';
import { decidable, initiallyTicked, saleOf } from './review-choices';

const reviewItem = (itemId: string, over: Partial<ReviewItem> = {}): ReviewItem => ({
  itemId,
  name: itemId,
  exterior: null,
  wear: null,
  amount: 1,
  units: 1,
  stack: null,
  maxAmount: 1,
  plannedCents: 1_000,
  currentCents: 900,
  changeCents: -100,
  changeBp: -1_000,
  problem: 'price-changed',
  withinTolerance: false,
  named: true,
  ...over,
});

const review = (items: ReviewItem[]): BatchReview => ({
  batchId: 'b',
  runId: 'r',
  seq: 1,
  game: '730',
  key: 'PRICE_CHANGED',
  checkedAt: '2026-05-14T12:00:00.000Z',
  toleranceBp: 0,
  items,
  unchanged: { count: 2, totalCents: 500 },
});

describe('review choices', () => {
  const drop = reviewItem('drop');
  const small = reviewItem('small', { currentCents: 995, changeCents: -5, withinTolerance: true });
  const gone = reviewItem('gone', { problem: 'unavailable', units: 0, currentCents: null });
  const overNone = reviewItem('over', { problem: 'overstocked', units: 0, changeCents: 0 });
  const capped = reviewItem('capped', {
    problem: 'amount-capped',
    amount: 50,
    units: 25,
    currentCents: 10,
    plannedCents: 10,
    changeCents: 0,
  });
  const r = review([drop, small, gone, overNone, capped]);

  it('only items AssetPay takes now can be decided', () => {
    expect([drop, small, gone, overNone, capped].map(decidable)).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
  });

  it('what the tolerance would take starts ticked; a drop beyond it waits for the trader', () => {
    expect(initiallyTicked(r)).toEqual(new Set(['small', 'capped']));
  });

  it('"Sell" sends the ticked items as accepted and every other reviewed item as left out', () => {
    expect(saleOf(r, new Set(['drop', 'capped', 'gone']))).toEqual({
      count: 4,
      totalCents: 500 + 900 + 10 * 25,
      accept: ['drop', 'capped'],
      leaveOut: ['small', 'gone', 'over'],
    });
  });
});
