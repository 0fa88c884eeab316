import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import type { FakeBulkSeller } from '../../testing/fake-bulk-seller';
import type { TradeView } from '../../../../shared/contract';
import { toQuery, useHistory, EMPTY_HISTORY_FILTER } from './history-store';

let fake: FakeBulkSeller;
const trade = (i: number, over: Partial<TradeView> = {}): TradeView => ({
  tradeId: `t-${i}`,
  batchId: 'b',
  runId: 'r',
  accountId: i % 2 ? 'acc-1' : 'acc-2',
  externalId: `ext-${i}`,
  status: i % 3 ? 'completed' : 'declined',
  game: '730',
  offerId: null,
  holdEndDate: null,
  totalCents: 100,
  itemCount: 1,
  itemNames: [`Item ${i}`],
  environment: 'sandbox',
  error: null,
  attempt: 1,
  batchSeq: 1,
  otherAttempts: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

beforeEach(() => {
  fake = useFakeBridge();
  fake.state.trades = Array.from({ length: 450 }, (_, i) => trade(i));
});

describe('history store', () => {
  it('maps the form to the contract filter', () => {
    expect(toQuery(EMPTY_HISTORY_FILTER)).toEqual({});
    const q = toQuery({
      environment: 'production',
      status: 'declined',
      accountId: 'acc-1',
      game: '252490',
      from: '2026-01-01',
      to: '2026-01-31',
      search: ' ext-1 ',
    });
    expect(q).toMatchObject({
      environment: 'production',
      status: 'declined',
      accountId: 'acc-1',
      game: '252490',
      search: 'ext-1',
    });
    expect(Date.parse(q.to!)).toBeGreaterThan(Date.parse(q.from!));
  });

  it('loads a page, then more', async () => {
    await useHistory.getState().load();
    expect(useHistory.getState().trades).toHaveLength(200);
    expect(useHistory.getState().total).toBe(450);
    await useHistory.getState().loadMore();
    await useHistory.getState().loadMore();
    expect(useHistory.getState().trades).toHaveLength(450);
  });

  it('filters by status and searches by externalId or item name', async () => {
    useHistory.getState().setFilter({ status: 'declined' });
    await useHistory.getState().load();
    expect(useHistory.getState().trades.every((t) => t.status === 'declined')).toBe(true);
    useHistory.getState().setFilter({ status: '', search: 'Item 449' });
    await useHistory.getState().load();
    expect(useHistory.getState().trades.map((t) => t.tradeId)).toEqual(['t-449']);
  });

  it('drops an answer overtaken by a newer filter', async () => {
    const first = useHistory.getState().load();
    useHistory.getState().setFilter({ search: 'ext-7' });
    await first;
    await useHistory.getState().load();
    expect(useHistory.getState().trades.every((t) => t.externalId?.includes('ext-7'))).toBe(true);
  });

  it('updates a shown trade in place from an event', async () => {
    await useHistory.getState().load();
    useHistory.getState().applyTrade(trade(1, { status: 'reverted' }));
    expect(useHistory.getState().trades[1]?.status).toBe('reverted');
  });
});
