import type { GameId } from '../../../../shared/api/games';
import {
  AWAITING_TRADE_STATUSES,
  CREDITED_TRADE_STATUSES,
  FAILED_TRADE_STATUSES,
  type Environment,
  type TradeStatus,
} from '../../../../shared/domain';
import type { HistoryTotals, TradeView } from '../../../../shared/model';
import type { StoreContext } from './context';
import { asEnvironment } from './enums';
import { sqlList } from './sql';
import {
  TRADE_ENVIRONMENT,
  TRADE_VIEW_COLUMNS,
  type TradesRepo,
  type TradeViewRow,
} from './trades';

/*
 * History (design §1 flow 6): every trade, newest first, filtered; its totals
 * per run and per local day; and each trade's items for the CSV export.
 */

export interface TradeQuery {
  environment?: Environment;
  runId?: string;
  status?: TradeStatus;
  accountId?: string;
  game?: GameId;
  from?: string;
  to?: string;
  search?: string;
  offset?: number;
  limit?: number;
}

export interface TradeItemRow {
  itemId: string;
  name: string | null;
  amount: number;
  /** Per unit, as the trade carried it (null when AssetPay gave no price). */
  unitCents: number | null;
}

const TOTALS = `COUNT(*) AS trades, COALESCE(SUM(t.item_count), 0) AS items,
  COALESCE(SUM(CASE WHEN t.status IN ${sqlList(CREDITED_TRADE_STATUSES)} THEN t.total_cents ELSE 0 END), 0) AS credited,
  COALESCE(SUM(CASE WHEN t.status IN ${sqlList(AWAITING_TRADE_STATUSES)} THEN t.total_cents ELSE 0 END), 0) AS pending,
  COALESCE(SUM(CASE WHEN t.status IN ${sqlList(FAILED_TRADE_STATUSES)} THEN t.total_cents ELSE 0 END), 0) AS failed`;

interface TotalsRow {
  trades: number;
  items: number;
  credited: number;
  pending: number;
  failed: number;
}

const totalsOf = (r: TotalsRow & { environment: string | null }) => ({
  environment: r.environment === null ? null : asEnvironment(r.environment),
  trades: r.trades,
  items: r.items,
  creditedCents: r.credited,
  pendingCents: r.pending,
  failedCents: r.failed,
});

export class HistoryRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly trades: TradesRepo,
  ) {}

  query(filter: TradeQuery = {}): { total: number; trades: TradeView[] } {
    const { where, args } = whereOf(filter);
    const total = (
      this.ctx.stmt(`SELECT COUNT(*) AS n FROM trades t ${where}`).get(...args) as { n: number }
    ).n;
    const rows = this.ctx
      .stmt(
        `SELECT ${TRADE_VIEW_COLUMNS} FROM trades t ${where} ORDER BY t.api_created_at DESC, t.id LIMIT ? OFFSET ?`,
      )
      .all(
        ...args,
        Math.max(1, Math.min(filter.limit ?? 200, 5_000)),
        Math.max(0, filter.offset ?? 0),
      ) as TradeViewRow[];
    return { total, trades: rows.map((r) => this.trades.toView(r)) };
  }

  /**
   * Totals of the filtered trades per run (newest first) and per day and
   * environment, days being the trader's local days in `timeZone` (IANA).
   */
  totals(filter: TradeQuery, timeZone: string): HistoryTotals {
    const { where, args } = whereOf(filter);
    const runs = this.ctx
      .stmt(
        `SELECT t.run_id, p.name AS plan_name, p.environment, ${TOTALS}
         FROM trades t LEFT JOIN runs r ON r.id = t.run_id LEFT JOIN plans p ON p.id = r.plan_id
         ${where} GROUP BY t.run_id ORDER BY MIN(COALESCE(t.api_created_at, t.created_at)) DESC`,
      )
      .all(...args) as (TotalsRow & {
      run_id: string | null;
      plan_name: string | null;
      environment: string | null;
    })[];
    return {
      runs: runs.map((r) => ({ runId: r.run_id, planName: r.plan_name, ...totalsOf(r) })),
      days: this.days(where, args, timeZone),
    };
  }

  /**
   * Per local day and environment. SQLite knows only fixed offsets, and a day's
   * offset changes with daylight saving, so each trade's sums are added to its day here.
   */
  private days(where: string, args: unknown[], timeZone: string): HistoryTotals['days'] {
    const trades = this.ctx
      .stmt(
        `SELECT t.api_created_at, t.created_at, ${TRADE_ENVIRONMENT} AS environment, ${TOTALS}
         FROM trades t ${where} GROUP BY t.id`,
      )
      .all(...args) as (TotalsRow & {
      api_created_at: string | null;
      created_at: string;
      environment: string | null;
    })[];
    const dayOf = localDays(timeZone);
    const days = new Map<string, TotalsRow & { day: string; environment: string | null }>();
    for (const t of trades) {
      const day = dayOf(t.api_created_at, t.created_at);
      const key = `${day} ${t.environment ?? ''}`;
      const sum = days.get(key) ?? {
        day,
        environment: t.environment,
        trades: 0,
        items: 0,
        credited: 0,
        pending: 0,
        failed: 0,
      };
      sum.trades += t.trades;
      sum.items += t.items;
      sum.credited += t.credited;
      sum.pending += t.pending;
      sum.failed += t.failed;
      days.set(key, sum);
    }
    return [...days.values()]
      .sort(
        (a, b) =>
          b.day.localeCompare(a.day) || (a.environment ?? '').localeCompare(b.environment ?? ''),
      )
      .map((d) => ({ day: d.day, ...totalsOf(d) }));
  }

  /** A trade's items with their per-unit price (CSV export). */
  items(tradeId: string): TradeItemRow[] {
    return (
      this.ctx
        .stmt(
          'SELECT item_id, name, amount, price_cents FROM trade_items WHERE trade_id = ? ORDER BY rowid',
        )
        .all(tradeId) as {
        item_id: string;
        name: string | null;
        amount: number | null;
        price_cents: number | null;
      }[]
    ).map((r) => ({
      itemId: r.item_id,
      name: r.name,
      amount: r.amount ?? 1,
      unitCents: r.price_cents,
    }));
  }
}

function whereOf(filter: TradeQuery): { where: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    args.push(...values);
  };
  if (filter.environment) add(`${TRADE_ENVIRONMENT} = ?`, filter.environment);
  if (filter.runId) add('t.run_id = ?', filter.runId);
  if (filter.status) add('t.status = ?', filter.status);
  if (filter.accountId) add('t.account_id = ?', filter.accountId);
  if (filter.game) add('t.game = ?', filter.game);
  if (filter.from) add('t.api_created_at >= ?', filter.from);
  if (filter.to) add('t.api_created_at <= ?', filter.to);
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(
      "(t.id LIKE ? ESCAPE '\\' OR t.external_id LIKE ? ESCAPE '\\' OR t.offer_id LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM trade_items ti WHERE ti.trade_id = t.id AND ti.name LIKE ? ESCAPE '\\'))",
      like,
      like,
      like,
      like,
    );
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

/** yyyy-mm-dd of an instant in `timeZone`: AssetPay's createdAt, else when the app recorded the trade. */
function localDays(timeZone: string): (apiCreatedAt: string | null, createdAt: string) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (apiCreatedAt, createdAt) => {
    const at = Date.parse(apiCreatedAt ?? '');
    const parts = format.formatToParts(Number.isNaN(at) ? Date.parse(createdAt) : at);
    const part = (type: Intl.DateTimeFormatPartTypes) =>
      parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  };
}
