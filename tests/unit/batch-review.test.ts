import { describe, expect, it } from 'vitest';
import {
  checkItems,
  decideItems,
  NO_CHOICES,
  refusalOf,
  reviewOf,
  type CheckedItem,
  type OfferRow,
} from '../../electron/main/services/engine/batch-review';
import type { BatchItem } from '../../electron/main/services/store';

/*
 * Issue 14 defect 1 as tables: a refused batch against AssetPay's current
 * offers, and what a retry does with each item. The trader's explicit
 * acceptance sells at the current offer whatever the tolerance; without it
 * the plan's tolerance decides (the old behaviour, kept for callers that pass
 * no choices).
 */

const item = (itemId: string, priceCents: number, amount = 1): BatchItem => ({
  itemId,
  name: `Item ${itemId}`,
  amount,
  priceUsd: priceCents / 100,
  priceCents,
  droppedReason: null,
});

const offer = (priceCents: number, over: Partial<OfferRow> = {}): OfferRow => ({
  tradable: true,
  accepted: true,
  priceUsd: priceCents / 100,
  priceCents,
  amount: 1,
  maxAmount: 1,
  ...over,
});

describe('refusalOf', () => {
  it('names the items of error.details.items; ITEM_OVERSTOCKED also says what AssetPay still takes', () => {
    const details = {
      items: [{ itemId: 'a', remaining: 3 }, { itemId: 'b' }, 'junk', { remaining: 1 }],
    };
    expect(refusalOf('ITEM_OVERSTOCKED', details)).toEqual({
      named: new Set(['a', 'b']),
      remaining: new Map([
        ['a', 3],
        ['b', 0],
      ]),
    });
    expect(refusalOf('PRICE_CHANGED', details).remaining.size).toBe(0);
    expect(refusalOf('PRICE_CHANGED', null).named.size).toBe(0);
  });
});

describe('checkItems: each item against the fresh inventory', () => {
  it.each<[string, BatchItem, OfferRow | undefined, number | undefined, Partial<CheckedItem>]>([
    ['unchanged', item('a', 1000), offer(1000), undefined, { problem: null, units: 1 }],
    [
      'price dropped',
      item('a', 1000),
      offer(990),
      undefined,
      { problem: 'price-changed', priceCents: 990 },
    ],
    [
      'price rose',
      item('a', 1000),
      offer(1010),
      undefined,
      { problem: 'price-changed', priceCents: 1010 },
    ],
    [
      'gone',
      item('a', 1000),
      undefined,
      undefined,
      { problem: 'unavailable', units: 0, priceCents: null },
    ],
    [
      'not tradable',
      item('a', 1000),
      offer(1000, { tradable: false }),
      undefined,
      { problem: 'unavailable' },
    ],
    ['no offer', item('a', 1000), offer(0), undefined, { problem: 'unavailable' }],
    [
      'not accepted',
      item('a', 1000),
      offer(1000, { accepted: false }),
      undefined,
      { problem: 'not-accepted', units: 0 },
    ],
    [
      'overstocked, none taken',
      item('a', 1000),
      offer(1000),
      0,
      { problem: 'overstocked', units: 0 },
    ],
    [
      'overstocked stack, some taken',
      item('a', 10, 50),
      offer(10, { amount: 50, maxAmount: 50 }),
      20,
      { problem: 'overstocked', units: 20 },
    ],
    [
      'stack capped by offer.maxAmount',
      item('a', 10, 50),
      offer(10, { amount: 481, maxAmount: 25 }),
      undefined,
      { problem: 'amount-capped', units: 25 },
    ],
    [
      'stack smaller than planned',
      item('a', 10, 50),
      offer(10, { amount: 30, maxAmount: null }),
      undefined,
      { problem: 'amount-capped', units: 30 },
    ],
  ])('%s', (_name, planned, row, remaining, expected) => {
    const [checked] = checkItems(
      [planned],
      new Map(row ? [['a', row]] : []),
      new Map(remaining === undefined ? [] : [['a', remaining]]),
    );
    expect(checked).toMatchObject(expected);
  });
});

describe('decideItems: what a retry does with each item', () => {
  const items = [item('drop', 1000), item('rise', 1000), item('same', 1000)];
  const checked = checkItems(
    items,
    new Map([
      ['drop', offer(900)],
      ['rise', offer(1100)],
      ['same', offer(1000)],
    ]),
    new Map(),
  );

  it('without choices: the plan’s tolerance decides (10 % drop, 0 % tolerance → out)', () => {
    const d = decideItems(items, checked, NO_CHOICES, 0);
    expect(d.map((x) => [x.itemId, x.drop, x.priceCents])).toEqual([
      ['drop', 'price-dropped-beyond-tolerance', 1000],
      ['rise', null, 1100],
      ['same', null, 1000],
    ]);
  });

  it('within the tolerance the new price is taken without asking', () => {
    const d = decideItems(items, checked, NO_CHOICES, 1_000);
    expect(d[0]).toMatchObject({ itemId: 'drop', drop: null, priceCents: 900, repriced: true });
  });

  it('the trader’s acceptance sells at the current offer, exactly as the inventory gave it', () => {
    const d = decideItems(items, checked, { accept: new Set(['drop']), leaveOut: new Set() }, 0);
    expect(d[0]).toMatchObject({ drop: null, priceUsd: 9, priceCents: 900, amount: 1 });
  });

  it('left out by the trader, whatever the price', () => {
    const d = decideItems(items, checked, { accept: new Set(), leaveOut: new Set(['same']) }, 0);
    expect(d[2]).toMatchObject({ itemId: 'same', drop: 'left-out-by-trader' });
  });

  it.each<[string, OfferRow | undefined, number | undefined, string | null, number]>([
    ['gone', undefined, undefined, 'unavailable', 1],
    ['not accepted', offer(10, { accepted: false }), undefined, 'not-accepted', 1],
    ['overstocked, none taken', offer(10, { amount: 50, maxAmount: 50 }), 0, 'overstocked', 50],
    ['overstocked, 20 taken', offer(10, { amount: 50, maxAmount: 50 }), 20, null, 20],
    ['capped at 25', offer(10, { amount: 481, maxAmount: 25 }), undefined, null, 25],
  ])('an accepted stack that is %s', (_name, row, remaining, drop, amount) => {
    const stack = [item('s', 10, 50)];
    const c = checkItems(
      stack,
      new Map(row ? [['s', row]] : []),
      new Map(remaining === undefined ? [] : [['s', remaining]]),
    );
    const [d] = decideItems(stack, c, { accept: new Set(['s']), leaveOut: new Set() }, 0);
    expect(d).toMatchObject({ drop, ...(drop ? {} : { amount }) });
  });
});

describe('reviewOf: what the trader reads', () => {
  it('lists the items with something to decide, with old → new, $ and %; the rest go as they are', () => {
    const items = [item('a', 1_259_668), item('b', 500), item('c', 700, 3)];
    const checked = checkItems(
      items,
      new Map([
        ['a', offer(1_247_071)],
        ['b', offer(500)],
        ['c', offer(700, { amount: 3, maxAmount: 3 })],
      ]),
      new Map(),
    );
    const review = reviewOf({
      batch: { id: 'b1', runId: 'r1', seq: 2, game: '730', lastErrorKey: 'PRICE_CHANGED' },
      items,
      checked,
      looks: new Map([['a', { exterior: 'Factory New', wear: '0.01', amount: 1, maxAmount: 1 }]]),
      named: new Set(['a']),
      toleranceBp: 0,
      checkedAt: '2026-05-14T12:00:00.000Z',
    });
    expect(review.items).toEqual([
      {
        itemId: 'a',
        name: 'Item a',
        exterior: 'Factory New',
        wear: '0.01',
        amount: 1,
        units: 1,
        stack: null,
        maxAmount: 1,
        plannedCents: 1_259_668,
        currentCents: 1_247_071,
        changeCents: -12_597,
        changeBp: -100,
        problem: 'price-changed',
        withinTolerance: false,
        named: true,
      },
    ]);
    expect(review.unchanged).toEqual({ count: 2, totalCents: 500 + 700 * 3 });
    expect(review).toMatchObject({ batchId: 'b1', seq: 2, key: 'PRICE_CHANGED' });
  });
});
