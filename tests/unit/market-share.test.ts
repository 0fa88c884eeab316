import { describe, expect, it } from 'vitest';
import {
  belowMarketShare,
  formatShare,
  marketShareBp,
  marketTotals,
  reachesMarketShare,
} from '../../shared/market-share';

describe('% of market (offer ÷ market price, basis points)', () => {
  it.each([
    // offer, market, share bp
    [820, 1000, 8200],
    [640, 1000, 6400],
    [1, 3, 3333], // rounded down, never up onto a threshold
    [2, 3, 6666],
    [8499, 10_000, 8499],
    [1000, 1000, 10_000],
    [1500, 1000, 15_000], // an offer above market is shown as it is
    [0, 1000, 0],
    [1000, null, null],
    [1000, 0, null],
  ] as const)('%i¢ of %s¢ → %s bp', (offer, market, bp) => {
    expect(marketShareBp(offer, market)).toBe(bp);
  });

  it.each([
    // offer, market, minimum bp, below?, reaches?
    [850, 1000, 8500, false, true],
    [849, 1000, 8500, true, false],
    [1, 3, 3334, true, false],
    [1, 3, 3333, false, true],
    [100, null, 8500, false, false], // no market price: never left out, never matches a "≥" filter
    [100, 0, 8500, false, false],
  ] as const)(
    'offer %i¢, market %s¢, rule %i bp: below %s, reaches %s',
    (offer, market, min, below, reaches) => {
      expect(belowMarketShare(offer, market, min)).toBe(below);
      expect(reachesMarketShare(offer, market, min)).toBe(reaches);
    },
  );

  it('totals share only the items that have a market price, with units', () => {
    const totals = marketTotals([
      { priceCents: 800, marketPriceCents: 1000 },
      { priceCents: 300, marketPriceCents: null },
      { priceCents: 100, marketPriceCents: 200, amount: 3 },
    ]);
    expect(totals).toEqual({
      offerCents: 800 + 300 + 300,
      comparedOfferCents: 1100,
      marketCents: 1600,
      withoutMarket: 1,
      shareBp: 6875,
    });
    expect(marketTotals([]).shareBp).toBeNull();
    expect(
      marketTotals([{ priceCents: 5, marketPriceCents: 10, amount: 7 }], () => 2),
    ).toMatchObject({
      offerCents: 10,
      marketCents: 20,
    });
  });

  it('prints whole percent, rounded down', () => {
    expect(formatShare(8299)).toBe('82 %');
    expect(formatShare(10_000)).toBe('100 %');
    expect(formatShare(null)).toBe('—');
  });

  it('says "> 999 %" past ten times the market price', () => {
    expect(formatShare(99_999)).toBe('999 %');
    expect(formatShare(100_000)).toBe('> 999 %');
    expect(formatShare(101_729_300)).toBe('> 999 %');
  });
});
