import { asEnvironment, asTradeStatus } from './enums';
import { gameIdSchema } from '../../../../shared/api/games';
import type { Trade, TradeStatus } from '../../../../shared/api/schemas';
import type { TradeView } from '../../../../shared/model';
import { TRADE_STATUS_RANK, type Environment } from '../../../../shared/domain';
import { usdToCents } from '../../../../shared/money';
import type { StoreContext } from './context';
import { environmentOfRun } from './sql';

export interface TradeLink {
  batchId: string | null;
  runId: string | null;
  attempt: number | null;
  accountId: string | null;
  parentTradeId?: string | null;
}

export interface TradeRecord {
  id: string;
  batchId: string | null;
  runId: string | null;
  attempt: number | null;
  accountId: string | null;
  externalId: string | null;
  parentTradeId: string | null;
  game: string;
  status: TradeStatus;
  offerId: string | null;
  holdEndDate: string | null;
  totalCents: number;
  itemCount: number;
  apiUpdatedAt: string;
  /** When AssetPay created it, in AssetPay's time. */
  apiCreatedAt: string;
  nextPollAt: number | null;
  watchUntil: number | null;
  createdAt: string;
  updatedAt: string;
}

export type RecordResult =
  | { result: 'inserted'; status: TradeStatus }
  | { result: 'updated'; status: TradeStatus; previous: TradeStatus }
  /** Older or backward information (api §8 "statuses only move forward"): nothing written. */
  | { result: 'ignored'; status: TradeStatus };

interface Row {
  id: string;
  batch_id: string | null;
  run_id: string | null;
  attempt: number | null;
  account_id: string | null;
  external_id: string | null;
  parent_trade_id: string | null;
  game: string;
  status: string;
  offer_id: string | null;
  hold_end_date: string | null;
  total_cents: number;
  item_count: number;
  api_created_at: string | null;
  api_updated_at: string;
  next_poll_at: number | null;
  watch_until: number | null;
  created_at: string;
  updated_at: string;
}

/** A row as views read it: the trade, AssetPay's reason if it failed (api §5 Trade.error), its batch's number. */
export interface TradeViewRow extends Row {
  error: string | null;
  batch_seq: number | null;
  environment: string | null;
}

/** A trade's environment is its run's plan's (`t` is the trades table). */
export const TRADE_ENVIRONMENT = environmentOfRun('t.run_id');

/** SELECT list for TradeViewRow (`t` is the trades table). */
export const TRADE_VIEW_COLUMNS = `t.*,
  CASE WHEN json_type(t.raw, '$.error') = 'text' THEN json_extract(t.raw, '$.error') END AS error,
  (SELECT seq FROM batches b WHERE b.id = t.batch_id) AS batch_seq,
  ${TRADE_ENVIRONMENT} AS environment`;

function toRecord(r: Row): TradeRecord {
  return {
    id: r.id,
    batchId: r.batch_id,
    runId: r.run_id,
    attempt: r.attempt,
    accountId: r.account_id,
    externalId: r.external_id,
    parentTradeId: r.parent_trade_id,
    game: r.game,
    status: asTradeStatus(r.status),
    offerId: r.offer_id,
    holdEndDate: r.hold_end_date,
    totalCents: r.total_cents,
    itemCount: r.item_count,
    apiUpdatedAt: r.api_updated_at,
    apiCreatedAt: r.api_created_at ?? r.created_at,
    nextPollAt: r.next_poll_at,
    watchUntil: r.watch_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function cents(usd: number | undefined): number | null {
  if (usd === undefined || !Number.isFinite(usd)) return null;
  return usdToCents(usd);
}

/** What we keep of the API trade besides the columns (items live in trade_items, related trades in their own rows). */
function rawOf(trade: Trade): string {
  const {
    items: _items,
    relatedTrades: _related,
    ...rest
  } = trade as Trade & { relatedTrades?: unknown };
  return JSON.stringify(rest);
}

const MAX_ITEM_NAMES = 50;

/** AssetPay trades we created (or adopted), with their items. Statuses only move forward. */
export class TradesRepo {
  constructor(
    private readonly ctx: StoreContext,
    /** The selected environment: only its trades are due for a poll. */
    private readonly environment: () => Environment,
  ) {}

  /**
   * Inserts or advances a trade (inside the caller's transaction). A response
   * whose status ranks lower, or whose updatedAt is not newer for the same
   * status, is ignored (api §8). Links (batch/run/attempt) are set only once.
   */
  record(trade: Trade, link: TradeLink): RecordResult {
    const existing = this.ctx
      .stmt('SELECT status, api_updated_at, batch_id FROM trades WHERE id = ?')
      .get(trade.id) as
      { status: TradeStatus; api_updated_at: string; batch_id: string | null } | undefined;
    const at = this.ctx.iso();
    if (!existing) {
      this.ctx
        .stmt(
          `INSERT INTO trades (id, batch_id, run_id, attempt, account_id, external_id, parent_trade_id, game, status, offer_id, hold_end_date,
           total_cents, pre_credit_cents, pending_credit_cents, item_count, raw, api_created_at, api_updated_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          trade.id,
          link.batchId,
          link.runId,
          link.attempt,
          link.accountId,
          trade.externalId ?? null,
          link.parentTradeId ?? null,
          trade.game,
          trade.status,
          trade.offerID ?? null,
          trade.holdEndDate ?? null,
          cents(trade.totalPrice) ?? 0,
          cents(trade.preCredit),
          cents(trade.pendingCredit),
          trade.items.length,
          rawOf(trade),
          trade.createdAt,
          trade.updatedAt,
          at,
          at,
        );
      const item = this.ctx.stmt(
        'INSERT OR IGNORE INTO trade_items (trade_id, item_id, name, amount, price_cents) VALUES (?, ?, ?, ?, ?)',
      );
      for (const i of trade.items)
        item.run(
          trade.id,
          i.id,
          i.name ?? i.marketHashName ?? null,
          i.amount ?? 1,
          cents(i.offer?.price),
        );
      return { result: 'inserted', status: trade.status };
    }
    if (existing.batch_id === null && link.batchId !== null) {
      this.ctx
        .stmt(
          'UPDATE trades SET batch_id = ?, run_id = ?, attempt = ?, account_id = ?, parent_trade_id = COALESCE(parent_trade_id, ?) WHERE id = ?',
        )
        .run(
          link.batchId,
          link.runId,
          link.attempt,
          link.accountId,
          link.parentTradeId ?? null,
          trade.id,
        );
    }
    const oldRank = TRADE_STATUS_RANK[existing.status];
    const newRank = TRADE_STATUS_RANK[trade.status];
    const forward =
      newRank > oldRank ||
      (trade.status === existing.status &&
        Date.parse(trade.updatedAt) > Date.parse(existing.api_updated_at));
    if (!forward) return { result: 'ignored', status: existing.status };
    this.ctx
      .stmt(
        `UPDATE trades SET status = ?, offer_id = COALESCE(?, offer_id), hold_end_date = COALESCE(?, hold_end_date), total_cents = ?,
         pre_credit_cents = ?, pending_credit_cents = ?, raw = ?, api_updated_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        trade.status,
        trade.offerID ?? null,
        trade.holdEndDate ?? null,
        cents(trade.totalPrice) ?? 0,
        cents(trade.preCredit),
        cents(trade.pendingCredit),
        rawOf(trade),
        trade.updatedAt,
        at,
        trade.id,
      );
    return { result: 'updated', status: trade.status, previous: existing.status };
  }

  setPolling(id: string, nextPollAt: number | null, watchUntil?: number | null): void {
    if (watchUntil === undefined)
      this.ctx.stmt('UPDATE trades SET next_poll_at = ? WHERE id = ?').run(nextPollAt, id);
    else
      this.ctx
        .stmt('UPDATE trades SET next_poll_at = ?, watch_until = ? WHERE id = ?')
        .run(nextPollAt, watchUntil, id);
  }

  get(id: string): TradeRecord | null {
    const r = this.ctx.stmt('SELECT * FROM trades WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  byExternalId(externalId: string): TradeRecord | null {
    const r = this.ctx
      .stmt('SELECT * FROM trades WHERE external_id = ? ORDER BY created_at LIMIT 1')
      .get(externalId) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  /** Trades of a batch; of one attempt when given (the current attempt's trades decide the batch). */
  byBatch(batchId: string, attempt?: number): TradeRecord[] {
    const rows = (
      attempt === undefined
        ? this.ctx
            .stmt('SELECT * FROM trades WHERE batch_id = ? ORDER BY created_at, id')
            .all(batchId)
        : this.ctx
            .stmt('SELECT * FROM trades WHERE batch_id = ? AND attempt = ? ORDER BY created_at, id')
            .all(batchId, attempt)
    ) as Row[];
    return rows.map(toRecord);
  }

  itemIds(tradeId: string): string[] {
    return (
      this.ctx.stmt('SELECT item_id FROM trade_items WHERE trade_id = ?').all(tradeId) as {
        item_id: string;
      }[]
    ).map((r) => r.item_id);
  }

  /** Trades whose poll time has come, soonest first. */
  /** The selected environment's trades due for a poll. */
  due(now: number, limit: number): TradeRecord[] {
    return (
      this.ctx
        .stmt(
          `SELECT * FROM trades t WHERE next_poll_at IS NOT NULL AND next_poll_at <= ? AND ${TRADE_ENVIRONMENT} = ?
           ORDER BY next_poll_at LIMIT ?`,
        )
        .all(now, this.environment(), limit) as Row[]
    ).map(toRecord);
  }

  nextPollAt(): number | null {
    const r = this.ctx
      .stmt(
        `SELECT MIN(next_poll_at) AS t FROM trades t WHERE next_poll_at IS NOT NULL AND ${TRADE_ENVIRONMENT} = ?`,
      )
      .get(this.environment()) as { t: number | null };
    return r.t;
  }

  view(id: string): TradeView | null {
    const r = this.ctx.stmt(`SELECT ${TRADE_VIEW_COLUMNS} FROM trades t WHERE t.id = ?`).get(id) as
      TradeViewRow | undefined;
    return r ? this.toView(r) : null;
  }

  viewsByBatch(batchId: string): TradeView[] {
    const rows = this.ctx
      .stmt(
        `SELECT ${TRADE_VIEW_COLUMNS} FROM trades t JOIN batches b ON b.id = t.batch_id AND t.attempt = b.attempt WHERE t.batch_id = ? ORDER BY t.parent_trade_id IS NOT NULL, t.created_at, t.id`,
      )
      .all(batchId) as TradeViewRow[];
    return rows.map((r) => this.toView(r));
  }

  /**
   * Offers waiting for the trader in Steam (api §4.2: a sell completes only
   * when the selling account accepts AssetPay's offer): `active` trades with
   * an offerID, oldest first. While a trade is active, its updatedAt is when
   * it became active, i.e. since when the offer waits.
   */
  awaitingAcceptance(limit = 500): TradeView[] {
    const rows = this.ctx
      .stmt(
        `SELECT ${TRADE_VIEW_COLUMNS} FROM trades t WHERE t.status = 'active' AND t.offer_id IS NOT NULL ORDER BY t.api_updated_at, t.id LIMIT ?`,
      )
      .all(limit) as TradeViewRow[];
    return rows.map((r) => this.toView(r));
  }

  toView(r: TradeViewRow): TradeView {
    const names = (
      this.ctx
        .stmt('SELECT name FROM trade_items WHERE trade_id = ? LIMIT ?')
        .all(r.id, MAX_ITEM_NAMES) as { name: string | null }[]
    )
      .map((n) => n.name ?? '')
      .filter((n) => n.length > 0);
    const game = gameIdSchema.safeParse(r.game);
    return {
      tradeId: r.id,
      batchId: r.batch_id,
      runId: r.run_id,
      accountId: r.account_id,
      externalId: r.external_id,
      status: asTradeStatus(r.status),
      game: game.success ? game.data : '730',
      offerId: r.offer_id,
      holdEndDate: r.hold_end_date,
      totalCents: r.total_cents,
      itemCount: r.item_count,
      itemNames: names,
      environment: r.environment === null ? null : asEnvironment(r.environment),
      error: r.error,
      attempt: r.attempt,
      batchSeq: r.batch_seq,
      otherAttempts: r.batch_id === null ? [] : this.otherAttempts(r.batch_id, r.attempt),
      createdAt: r.api_created_at ?? r.created_at,
      updatedAt: r.api_updated_at,
    };
  }

  /** The first trade of each other attempt of a batch (a split basket's related trades are not attempts). */
  private otherAttempts(
    batchId: string,
    attempt: number | null,
  ): { tradeId: string; attempt: number; status: TradeStatus }[] {
    const rows = this.ctx
      .stmt(
        `SELECT id, attempt, status FROM trades WHERE batch_id = ? AND attempt IS NOT ? AND attempt IS NOT NULL
         AND parent_trade_id IS NULL ORDER BY attempt, created_at`,
      )
      .all(batchId, attempt) as { id: string; attempt: number; status: string }[];
    const seen = new Set<number>();
    return rows.flatMap((x) => {
      if (seen.has(x.attempt)) return [];
      seen.add(x.attempt);
      return [{ tradeId: x.id, attempt: x.attempt, status: asTradeStatus(x.status) }];
    });
  }
}
