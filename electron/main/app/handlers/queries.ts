import type { TradeView } from '../../../../shared/contract/views';
import { safeFileName, toCsv } from '../../../../shared/csv';
import { formatCentsPlain } from '../../../../shared/money';
import type { Handlers } from '../../../../shared/contract/contract';
import type { AppContext } from '../context';
import { runView } from '../engine-wiring';
import type { SellEngine } from '../../services/engine';

/*
 * Runs, the batch board and the trade history (design §1 flows 5–6). All read
 * from the local store, so the board and history work offline.
 */

type QueryHandlers = Pick<
  Handlers,
  'listRuns' | 'getRun' | 'queryTrades' | 'exportHistory' | 'listOffersToAccept'
>;

const EXPORT_PAGE = 5_000;

export function queryHandlers(ctx: AppContext, engine: SellEngine): QueryHandlers {
  return {
    listRuns: () => ctx.store.runs.list().map((r) => runView(ctx, engine, r.id)),

    getRun: ({ runId }) => ({
      run: runView(ctx, engine, runId),
      batches: ctx.store.batches.viewsByRun(runId),
    }),

    queryTrades: (filter) => ctx.store.trades.query(filter),

    listOffersToAccept: () => ctx.store.trades.awaitingAcceptance(),

    exportHistory: (filter) => {
      const labels = new Map(ctx.store.accounts.list().map((a) => [a.id, a.label]));
      const trades: TradeView[] = [];
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const page = ctx.store.trades.query({ ...filter, offset, limit: EXPORT_PAGE });
        trades.push(...page.trades);
        if (page.trades.length < EXPORT_PAGE || trades.length >= page.total) break;
      }
      const text = toCsv(
        [
          'createdAt',
          'updatedAt',
          'tradeId',
          'externalId',
          'status',
          'game',
          'account',
          'accountId',
          'offerId',
          'holdEndDate',
          'totalUsd',
          'itemCount',
          'items',
          'runId',
          'batchId',
        ],
        trades.map((t) => [
          t.createdAt,
          t.updatedAt,
          t.tradeId,
          t.externalId,
          t.status,
          t.game,
          t.accountId ? (labels.get(t.accountId) ?? '') : '',
          t.accountId,
          t.offerId,
          t.holdEndDate,
          formatCentsPlain(t.totalCents),
          t.itemCount,
          t.itemNames.join('; '),
          t.runId,
          t.batchId,
        ]),
      );
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      return { fileName: safeFileName(`assetpay-history-${stamp}`, 'csv'), text };
    },
  };
}
