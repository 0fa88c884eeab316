import { describe, expect, it } from 'vitest';
import {
  ACTION_LABELS,
  describeBatch,
  reviewItemWords,
  reviewTitle,
  type BatchFacts,
} from '../../shared/batch-words';
import { tradeOutcomeWords } from '../../shared/trade-words';
import { capWords, plural, someNames } from '../../shared/words';

/*
 * The words a trader reads, as tables: each refusal named for what it is
 * (issue 14 defect 2), a batch's words following its trades and the clock
 * (defect 8), counts that agree with their nouns, the Rust cap (defect 11),
 * and why a trade did not sell (defect 10).
 */

const NOW = Date.parse('2026-05-14T12:00:00.000Z');

function facts(over: Partial<BatchFacts> = {}): BatchFacts {
  return {
    state: 'needs-review',
    lastErrorKey: null,
    lastErrorMessage: null,
    lastErrorDetails: null,
    nextAttemptAt: null,
    trades: [],
    ...over,
  };
}

const trade = (
  status: BatchFacts['trades'][number]['status'],
  over: Partial<BatchFacts['trades'][number]> = {},
) => ({ status, offerId: null, holdEndDate: null, totalCents: 1_000, ...over });

describe('a refused batch is named for what it is', () => {
  const one = (item: Record<string, unknown>) => ({ items: [item] });
  it.each<[string, Record<string, unknown> | null, RegExp, RegExp | null]>([
    [
      'PRICE_CHANGED',
      one({
        itemId: 'a',
        marketHashName: 'AK-47 | Redline (Field-Tested)',
        submitted: 10,
        current: 9.9,
      }),
      /AssetPay’s offer changed for 1 item \(AK-47 \| Redline \(Field-Tested\)\).*sell each at AssetPay’s current offer, or leave it out/,
      null,
    ],
    [
      'ITEM_OVERSTOCKED',
      one({ itemId: 'a', marketHashName: 'Glock-18 | Fade', remaining: 0 }),
      /overstocked on Glock-18 \| Fade: it takes no more\. Review it: sell what AssetPay still takes, or leave it out/,
      /price/i,
    ],
    [
      'ITEM_OVERSTOCKED',
      {
        items: [
          { itemId: 'a', marketHashName: 'Wood', remaining: 5 },
          { itemId: 'b', marketHashName: 'Stone', remaining: 0 },
        ],
      },
      /overstocked on Wood: it takes only 5 more, Stone: it takes no more\. Review them/,
      /price/i,
    ],
    [
      'ITEMS_UNAVAILABLE',
      { items: [{ itemId: 'a' }, { itemId: 'b' }] },
      /^2 items \(a, b\) are no longer in the account’s inventory.*Leave them out and send the rest/,
      /price/i,
    ],
    [
      'ITEMS_NOT_ACCEPTED',
      one({ itemId: 'a', marketHashName: 'M4A4 | Howl' }),
      /AssetPay no longer accepts 1 item \(M4A4 \| Howl\)\. Leave it out and send the rest/,
      /price/i,
    ],
    ['ITEMS_NOT_ACCEPTED', null, /AssetPay no longer accepts some items\. Leave them out/, null],
    [
      'VALIDATION_FAILED',
      { fields: { 'items.0.price': 'must be > 0' } },
      /invalid \(items\.0\.price: must be > 0\)/,
      null,
    ],
  ])('%s %j', (key, details, words, never) => {
    const text = describeBatch(facts({ lastErrorKey: key, lastErrorDetails: details }), NOW);
    expect(text).toMatch(words);
    if (never) expect(text).not.toMatch(never);
  });

  it('every next action has its own button; only PRICE_CHANGED reviews prices', () => {
    expect(ACTION_LABELS['review-prices']).toBe('Review prices');
    expect(ACTION_LABELS['review-items']).toBe('Review items');
    expect(reviewTitle('PRICE_CHANGED', 3)).toBe('Batch #3: AssetPay’s prices changed');
    for (const key of ['ITEM_OVERSTOCKED', 'ITEMS_UNAVAILABLE', 'ITEMS_NOT_ACCEPTED', null])
      expect(reviewTitle(key, 3)).not.toMatch(/price/i);
  });

  it.each([
    [{ problem: 'overstocked', units: 0, amount: 1 }, 'AssetPay takes no more of it now'],
    [{ problem: 'overstocked', units: 5, amount: 20 }, 'AssetPay takes only 5 of 20 now'],
    [{ problem: 'amount-capped', units: 3, amount: 20 }, 'Only 3 of 20 units can go'],
    [{ problem: 'unavailable', units: 0, amount: 1 }, 'No longer in the account’s inventory'],
    [{ problem: 'not-accepted', units: 0, amount: 1 }, 'AssetPay does not accept it now'],
    [{ problem: 'price-changed', units: 1, amount: 1 }, null],
  ] as const)('a reviewed item %j reads %s', (item, words) => {
    expect(reviewItemWords(item)).toBe(words);
  });
});

describe('a batch’s words follow its trades and the clock', () => {
  it.each<[string, BatchFacts['trades'], string]>([
    ['no trade yet', [], 'Trade created; waiting for its details.'],
    ['initiated', [trade('initiated')], 'Waiting for AssetPay to send the Steam trade offer.'],
    [
      'active with an offer',
      [trade('active', { offerId: '6001' })],
      'Accept the AssetPay trade offer #6001 in Steam.',
    ],
    [
      'two offers of a split basket',
      [trade('active', { offerId: '1' }), trade('active', { offerId: '2' })],
      'Accept the AssetPay trade offers #1, #2 in Steam.',
    ],
    [
      'hold ahead',
      [trade('hold', { holdEndDate: '2026-05-21T12:00:00.000Z' })],
      'Accepted; Steam holds the items until 2026-05-21 12:00 UTC.',
    ],
    [
      'hold over (the clock passed its end, the status has not moved yet)',
      [trade('hold', { holdEndDate: '2026-05-14T11:59:00.000Z' })],
      'Steam’s hold ended at 2026-05-14 11:59 UTC; AssetPay completes the sale shortly (the app checks).',
    ],
    [
      'one hold over, one still running: the latest end decides',
      [
        trade('hold', { holdEndDate: '2026-05-14T11:00:00.000Z' }),
        trade('hold', { holdEndDate: '2026-05-15T11:00:00.000Z' }),
      ],
      'Accepted; Steam holds the items until 2026-05-15 11:00 UTC.',
    ],
    ['hold without an end date', [trade('hold')], 'Accepted; Steam holds the items.'],
  ])('%s', (_name, trades, words) => {
    expect(describeBatch(facts({ state: 'tracking', trades }), NOW)).toBe(words);
  });

  it('settled: counts agree with their nouns', () => {
    expect(
      describeBatch(
        facts({ state: 'settled', trades: [trade('completed'), trade('declined')] }),
        NOW,
      ),
    ).toBe('Partly sold; 1 trade ended declined.');
  });

  it('a next try that has passed is no longer announced', () => {
    const queued = facts({ state: 'queued', lastErrorKey: 'NOT_SENT' });
    expect(describeBatch({ ...queued, nextAttemptAt: NOW + 5_000 }, NOW)).toMatch(/Next try at/);
    expect(describeBatch({ ...queued, nextAttemptAt: NOW - 5_000 }, NOW)).not.toMatch(/Next try/);
  });
});

describe('small words', () => {
  it('plurals and name lists', () => {
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(2, 'batch', 'batches')).toBe('2 batches');
    expect(someNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });

  it('the Rust cap: only when AssetPay takes less than the stack', () => {
    expect(capWords(481, 25)).toBe('AssetPay takes at most 25 of this stack of 481');
    expect(capWords(25, 25)).toBeNull();
    expect(capWords(null, 25)).toBeNull();
    expect(capWords(481, null)).toBeNull();
  });

  it.each([
    ['failed', 'SERVICE_UNAVAILABLE', /unavailable.*\(SERVICE_UNAVAILABLE\)/],
    ['failed', 'OFFER_NOT_ACCEPTED', /not accepted in time \(OFFER_NOT_ACCEPTED\)/],
    ['failed', 'SOMETHING_NEW', /AssetPay gave this reason \(SOMETHING_NEW\)/],
    ['failed', null, /AssetPay gave no reason/],
    ['declined', null, /Declined in Steam/],
    ['canceled', null, /Canceled before it was accepted/],
    ['reverted', null, /Reversed after it completed/],
  ] as const)('a %s trade (error %s) says why', (status, error, words) => {
    expect(tradeOutcomeWords(status, error)).toMatch(words);
  });

  it('a trade that sold or is under way needs no reason', () => {
    expect(tradeOutcomeWords('completed', null)).toBeNull();
    expect(tradeOutcomeWords('active', null)).toBeNull();
  });
});
