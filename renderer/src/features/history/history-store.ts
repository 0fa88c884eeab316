import { create } from 'zustand';
import type { GameId } from '../../../../shared/api/games';
import type { HistoryTotals, TradeView } from '../../../../shared/contract';
import type { Environment, TradeStatus } from '../../../../shared/domain';
import { call, errorMessage } from '../../api/client';

export type HistoryFilter = {
  environment: Environment | '';
  status: TradeStatus | '';
  accountId: string;
  game: GameId | '';
  /** yyyy-mm-dd from a date input, '' = open */
  from: string;
  to: string;
  search: string;
};

export const EMPTY_HISTORY_FILTER: HistoryFilter = {
  environment: '',
  status: '',
  accountId: '',
  game: '',
  from: '',
  to: '',
  search: '',
};
export const HISTORY_PAGE = 200;

type HistoryState = {
  filter: HistoryFilter;
  trades: TradeView[];
  total: number;
  /** Per run and per local day, for the same filter. */
  totals: HistoryTotals | null;
  loading: boolean;
  error: string | null;
  setFilter: (patch: Partial<HistoryFilter>) => void;
  load: () => Promise<void>;
  loadMore: () => Promise<void>;
  applyTrade: (trade: TradeView) => void;
  exportCsv: () => Promise<{ fileName: string; text: string } | null>;
};

/** The contract's filter from the form: whole local days, as ISO instants. */
export function toQuery(f: HistoryFilter) {
  return {
    ...(f.environment ? { environment: f.environment } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...(f.game ? { game: f.game } : {}),
    ...(f.from ? { from: new Date(`${f.from}T00:00:00`).toISOString() } : {}),
    ...(f.to ? { to: new Date(`${f.to}T23:59:59.999`).toISOString() } : {}),
    ...(f.search.trim() ? { search: f.search.trim().slice(0, 200) } : {}),
  };
}

/** The machine's IANA time zone (UTC when the runtime does not say). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

let generation = 0;

export const useHistory = create<HistoryState>()((set, get) => ({
  filter: EMPTY_HISTORY_FILTER,
  trades: [],
  total: 0,
  totals: null,
  loading: false,
  error: null,

  setFilter: (patch) => {
    set({ filter: { ...get().filter, ...patch } });
    void get().load();
  },

  load: async () => {
    const mine = ++generation;
    set({ loading: true });
    try {
      const query = toQuery(get().filter);
      const [page, totals] = await Promise.all([
        call('queryTrades', { ...query, offset: 0, limit: HISTORY_PAGE }, { quiet: true }),
        // The trader's local days, daylight saving included.
        call('historyTotals', { ...query, timeZone: localTimeZone() }, { quiet: true }),
      ]);
      // A newer filter answered first: drop this one.
      if (mine !== generation) return;
      set({ trades: page.trades, total: page.total, totals, loading: false, error: null });
    } catch (error) {
      if (mine === generation) set({ loading: false, error: errorMessage(error) });
    }
  },

  loadMore: async () => {
    const mine = generation;
    const offset = get().trades.length;
    if (offset >= get().total) return;
    set({ loading: true });
    try {
      const page = await call(
        'queryTrades',
        { ...toQuery(get().filter), offset, limit: HISTORY_PAGE },
        { context: 'Could not load more trades' },
      );
      if (mine !== generation) return;
      set({ trades: [...get().trades, ...page.trades], total: page.total, loading: false });
    } catch {
      set({ loading: false });
    }
  },

  applyTrade: (trade) => {
    const trades = get().trades;
    const i = trades.findIndex((t) => t.tradeId === trade.tradeId);
    if (i < 0) return;
    set({ trades: trades.map((t, k) => (k === i ? trade : t)) });
  },

  exportCsv: async () => {
    try {
      return await call('exportHistory', toQuery(get().filter), { context: 'Export failed' });
    } catch {
      return null;
    }
  },
}));
