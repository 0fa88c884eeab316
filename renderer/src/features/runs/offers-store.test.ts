import { beforeEach, describe, expect, it } from 'vitest';
import type { TradeView } from '../../../../shared/contract';
import { useFakeBridge } from '../../testing/use-fake';
import type { FakeBulkSeller } from '../../testing/fake-bulk-seller';
import { applyOfferChange, useOffers } from './offers-store';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const trade = (
  id: string,
  status: TradeView['status'],
  s: number,
  offerId: string | null = `o-${id}`,
): TradeView => ({
  tradeId: id,
  batchId: 'b1',
  runId: 'run-1',
  accountId: 'acc-1',
  externalId: `x-${id}`,
  status,
  game: '730',
  offerId,
  holdEndDate: null,
  totalCents: 1_000,
  itemCount: 4,
  itemNames: [],
  environment: 'sandbox',
  error: null,
  attempt: 1,
  batchSeq: 1,
  otherAttempts: [],
  createdAt: at(0),
  updatedAt: at(s),
});

let fake: FakeBulkSeller;
beforeEach(() => {
  fake = useFakeBridge();
  useOffers.setState({ offers: [], loaded: false });
});

describe('offers to accept', () => {
  it('keeps active trades with an offer id, oldest first; the count drops as trades move on', () => {
    let offers: TradeView[] = [];
    offers = applyOfferChange(offers, trade('b', 'active', 20));
    offers = applyOfferChange(offers, trade('a', 'active', 10));
    offers = applyOfferChange(offers, trade('c', 'initiated', 5)); // not offered yet
    offers = applyOfferChange(offers, trade('d', 'active', 30, null)); // no Steam offer id yet
    expect(offers.map((o) => o.tradeId)).toEqual(['a', 'b']);
    offers = applyOfferChange(offers, trade('a', 'hold', 40)); // accepted in Steam
    expect(offers.map((o) => o.tradeId)).toEqual(['b']);
    offers = applyOfferChange(offers, trade('b', 'declined', 50));
    expect(offers).toEqual([]);
  });

  it('a listed offer is never replaced by an older copy of it (an event racing a reload)', () => {
    const live = [trade('a', 'active', 50)];
    expect(applyOfferChange(live, trade('a', 'active', 10))[0]!.updatedAt).toBe(at(50));
    expect(applyOfferChange(live, trade('a', 'initiated', 10))).toHaveLength(1);
  });

  it('loads from main and follows tradeUpdated events', async () => {
    fake.state.trades = [trade('x', 'active', 10), trade('y', 'hold', 5)];
    const off = useOffers.getState().listen();
    await useOffers.getState().load();
    expect(useOffers.getState().offers.map((o) => o.tradeId)).toEqual(['x']);
    fake.emit('tradeUpdated', trade('z', 'active', 20));
    expect(useOffers.getState().offers.map((o) => o.tradeId)).toEqual(['x', 'z']);
    fake.emit('tradeUpdated', trade('x', 'hold', 30));
    expect(useOffers.getState().offers.map((o) => o.tradeId)).toEqual(['z']);
    off();
  });
});
