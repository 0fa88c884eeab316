import type { Cents } from './money';

/*
 * "% of market": what AssetPay offers as a share of the item's market price
 * (api §4.1: `marketPrice` is a reference, `offer.price` is what is paid).
 * Basis points, integer math only, so the table, the plan totals, the plan's
 * "leave out below X %" rule and its SQL twin in the store agree to the item.
 */

/** 10,000 bp = 100 %. */
export const FULL_SHARE_BP = 10_000;

/**
 * The offer as a share of the market price, in basis points, rounded down (so
 * an item never reads as reaching a threshold it misses); null without a
 * market price.
 */
export function marketShareBp(offerCents: Cents, marketCents: Cents | null): number | null {
  if (marketCents === null || marketCents <= 0) return null;
  const scaled = offerCents * FULL_SHARE_BP;
  // Integer division (no float quotient that could round up onto a threshold).
  return (scaled - (scaled % marketCents)) / marketCents;
}

/**
 * The plan rule "leave out items whose offer is below X % of market": true when
 * the item is known to be below. Items without a market price cannot be judged
 * and are kept (the rule only removes what it can show is too cheap).
 */
export function belowMarketShare(
  offerCents: Cents,
  marketCents: Cents | null,
  minShareBp: number,
): boolean {
  if (marketCents === null || marketCents <= 0) return false;
  return offerCents * FULL_SHARE_BP < minShareBp * marketCents;
}

/** Splits items by the plan rule; `minShareBp` null/undefined = the rule is off (everything kept). */
export function applyMarketShareRule<
  T extends { priceCents: Cents; marketPriceCents?: Cents | null },
>(items: readonly T[], minShareBp: number | null | undefined): { kept: T[]; leftOut: T[] } {
  if (minShareBp === null || minShareBp === undefined) return { kept: [...items], leftOut: [] };
  const kept: T[] = [];
  const leftOut: T[] = [];
  for (const item of items) {
    if (belowMarketShare(item.priceCents, item.marketPriceCents ?? null, minShareBp))
      leftOut.push(item);
    else kept.push(item);
  }
  return { kept, leftOut };
}

/** The inventory filter "at least X % of market": only items with a known share that reaches it. */
export function reachesMarketShare(
  offerCents: Cents,
  marketCents: Cents | null,
  minShareBp: number,
): boolean {
  if (marketCents === null || marketCents <= 0) return false;
  return offerCents * FULL_SHARE_BP >= minShareBp * marketCents;
}

/** Totals of a set of items: offer and market sums over the items that have a market price. */
export interface MarketTotals {
  offerCents: Cents;
  /** Offer total of the items that have a market price (the share's numerator). */
  comparedOfferCents: Cents;
  marketCents: Cents;
  /** Items without a market price (left out of the share). */
  withoutMarket: number;
  shareBp: number | null;
}

type Priced = { priceCents: Cents; marketPriceCents?: Cents | null; amount?: number };

/** `unitsOf`: units sold of each item (default its `amount`, else 1). */
export function marketTotals<T extends Priced>(
  items: Iterable<T>,
  unitsOf: (item: T) => number = (item) => item.amount ?? 1,
): MarketTotals {
  let offerCents = 0;
  let comparedOfferCents = 0;
  let marketCents = 0;
  let withoutMarket = 0;
  for (const item of items) {
    const units = unitsOf(item);
    const offer = item.priceCents * units;
    offerCents += offer;
    const market = item.marketPriceCents ?? null;
    if (market === null || market <= 0) {
      withoutMarket++;
      continue;
    }
    comparedOfferCents += offer;
    marketCents += market * units;
  }
  return {
    offerCents,
    comparedOfferCents,
    marketCents,
    withoutMarket,
    shareBp: marketCents > 0 ? marketShareBp(comparedOfferCents, marketCents) : null,
  };
}

/** "82 %" (whole percent, rounded down like the share itself); "—" without a market price. */
export function formatShare(bp: number | null): string {
  if (bp === null) return '—';
  // Past 10× the market price the number says nothing more (and would not fit its column).
  if (bp >= 100_000) return '> 999 %';
  return `${Math.floor(bp / 100)} %`;
}
