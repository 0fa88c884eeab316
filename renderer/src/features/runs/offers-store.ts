import { create } from 'zustand';
import type { TradeView } from '../../../../shared/contract';
import { attempt, subscribe } from '../../api/client';

/*
 * Offers to accept (issue 11 deliverable 4): trades that wait for the trader
 * in Steam — `active`, with an offerID — oldest first. Loaded from main and
 * kept live by `tradeUpdated` events, so the count drops as trades move on.
 */

/** An offer waits for the trader when its trade is active and Steam gave it an id. */
export function isOfferToAccept(trade: TradeView): boolean {
  return trade.status === 'active' && trade.offerId !== null;
}

/** Oldest first: the trade's updatedAt is when it became active (main orders the same way). */
export function byWaitingSince(a: TradeView, b: TradeView): number {
  return a.updatedAt < b.updatedAt
    ? -1
    : a.updatedAt > b.updatedAt
      ? 1
      : a.tradeId < b.tradeId
        ? -1
        : 1;
}

/** The list after one trade changed: in it while it waits, out as soon as it moves on. */
export function applyOfferChange(offers: readonly TradeView[], trade: TradeView): TradeView[] {
  const others = offers.filter((o) => o.tradeId !== trade.tradeId);
  const before = offers.find((o) => o.tradeId === trade.tradeId);
  // An older copy of a trade never replaces a newer one (events can race a reload).
  if (before && before.updatedAt > trade.updatedAt) return [...offers];
  return isOfferToAccept(trade) ? [...others, trade].sort(byWaitingSince) : others;
}

type OffersState = {
  offers: TradeView[];
  loaded: boolean;
  load: () => Promise<void>;
  applyTrade: (trade: TradeView) => void;
  /** Subscribes to trade updates; returns the unsubscribe. */
  listen: () => () => void;
};

export const useOffers = create<OffersState>()((set, get) => ({
  offers: [],
  loaded: false,
  load: async () => {
    const result = await attempt('listOffersToAccept', {});
    if (result.ok) set({ offers: [...result.data].sort(byWaitingSince), loaded: true });
  },
  applyTrade: (trade) => set({ offers: applyOfferChange(get().offers, trade) }),
  listen: () => subscribe('tradeUpdated', (trade) => get().applyTrade(trade)),
}));
