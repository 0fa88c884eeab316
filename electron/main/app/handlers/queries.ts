import type { TradeView } from '../../../../shared/contract/views';
import { safeFileName, toCsv, type CsvValue } from '../../../../shared/csv';
import { formatCentsPlain } from '../../../../shared/money';
import type { Handlers } from '../../../../shared/contract/contract';
import type { AppContext } from '../context';
import { runView } from '../engine-wiring';
import type { SellEngine } from '../../services/engine';

/*
 * Runs, the batch board and the trade history (design §1 flows 5–6). All read
 * from the local store, so the board and history work offline. The history
 * CSV has one line per sold item (its id, units and per-unit price) with its
 * trade's columns, so a spreadsheet can sum by item or by trade.
 */

type QueryHandlers = Pick<
  Handlers,
  'listRuns' | 'getRun' | 'queryTrades' | 'historyTotals' | 'exportHistory' | 'listOffersToAccept'
>;

const EXPORT_PAGE = 5_000;

const HISTORY_COLUMNS = [
  'createdAt',
  'updatedAt',
  'environment',
  'tradeId',
  'externalId',
  'status',
  'error',
  'game',
  'account',
  'accountId',
  'offerId',
  'holdEndDate',
  'attempt',
  'itemId',
  'itemName',
  'amount',
  'unitPriceUsd',
  'itemTotalUsd',
  'tradeTotalUsd',
  'runId',
  'batchId',
];

export function queryHandlers(ctx: AppContext, engine: SellEngine): QueryHandlers {
  return {
    listRuns: () => ctx.store.runs.list().map((r) => runView(ctx, engine, r.id)),

    getRun: ({ runId }) => ({
      run: runView(ctx, engine, runId),
      batches: ctx.store.batches.viewsByRun(runId),
    }),

    queryTrades: (filter) => ctx.store.history.query(filter),

    historyTotals: ({ timeZone, ...filter }) => ctx.store.history.totals(filter, timeZone),

    listOffersToAccept: () => ctx.store.trades.awaitingAcceptance(),

    exportHistory: (filter) => {
      const labels = new Map(ctx.store.accounts.list().map((a) => [a.id, a.label]));
      const trades: TradeView[] = [];
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const page = ctx.store.history.query({ ...filter, offset, limit: EXPORT_PAGE });
        trades.push(...page.trades);
        if (page.trades.length < EXPORT_PAGE || trades.length >= page.total) break;
      }
      const rows = function* (): Generator<CsvValue[]> {
        for (const t of trades) {
          const trade = (item: CsvValue[]): CsvValue[] => [
            t.createdAt,
            t.updatedAt,
            t.environment,
            t.tradeId,
            t.externalId,
            t.status,
            t.error,
            t.game,
            t.accountId ? (labels.get(t.accountId) ?? '') : '',
            t.accountId,
            t.offerId,
            t.holdEndDate,
            t.attempt,
            ...item,
            formatCentsPlain(t.totalCents),
            t.runId,
            t.batchId,
          ];
          const items = ctx.store.history.items(t.tradeId);
          if (items.length === 0) yield trade([null, null, null, null, null]);
          for (const i of items)
            yield trade([
              i.itemId,
              i.name,
              i.amount,
              i.unitCents === null ? null : formatCentsPlain(i.unitCents),
              i.unitCents === null ? null : formatCentsPlain(i.unitCents * i.amount),
            ]);
        }
      };
      const text = toCsv(HISTORY_COLUMNS, rows());
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      return { fileName: safeFileName(`assetpay-history-${stamp}`, 'csv'), text };
    },
  };
}
