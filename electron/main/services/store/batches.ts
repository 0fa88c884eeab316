import { asBatchState, asGame } from './enums';
import { z } from 'zod';
import type { GameId } from '../../../../shared/api/games';
import type { BatchView } from '../../../../shared/model';
import {
  NEXT_ACTIONS,
  type BatchState,
  type Environment,
  type NextAction,
} from '../../../../shared/domain';
import { describeBatch } from '../../../../shared/batch-words';
import { notFound, type StoreContext } from './context';
import { parseJsonColumn, toJson } from './json';
import {
  ACTIVE_RUN_STATES_SQL,
  environmentOfRun,
  LIVE_BATCH_STATES_SQL,
  placeholders,
} from './sql';
import type { TradesRepo } from './trades';

export { NEXT_ACTIONS, type NextAction };
const nextActionsSchema = z.array(z.enum(NEXT_ACTIONS));
const detailsSchema = z.record(z.string(), z.unknown()).nullable();

export interface BatchRecord {
  id: string;
  runId: string;
  planId: string;
  seq: number;
  accountId: string;
  game: GameId;
  state: BatchState;
  attempt: number;
  externalId: string;
  requestBody: string;
  itemCount: number;
  totalCents: number;
  isInstant: boolean;
  /** The next send must first prove the current externalId not live, then start attempt + 1. */
  rotatePending: boolean;
  retryStreak: number;
  lastErrorKey: string | null;
  lastErrorMessage: string | null;
  lastErrorDetails: Record<string, unknown> | null;
  nextActions: NextAction[];
  nextAttemptAt: number | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface BatchItem {
  itemId: string;
  name: string;
  amount: number;
  priceUsd: number;
  priceCents: number;
  droppedReason: string | null;
}

/** Columns the engine's transition function may change (store-internal; see engine/batch-states.ts). */
export interface BatchPatch {
  state?: BatchState;
  attempt?: number;
  externalId?: string;
  requestBody?: string;
  itemCount?: number;
  totalCents?: number;
  rotatePending?: boolean;
  retryStreak?: number;
  lastErrorKey?: string | null;
  lastErrorMessage?: string | null;
  lastErrorDetails?: Record<string, unknown> | null;
  nextActions?: NextAction[];
  nextAttemptAt?: number | null;
  sentAt?: string | null;
}

export interface NewBatch {
  id: string;
  runId: string;
  planId: string;
  seq: number;
  accountId: string;
  game: GameId;
  state: BatchState;
  attempt: number;
  externalId: string;
  requestBody: string;
  totalCents: number;
  isInstant: boolean;
  items: readonly Omit<BatchItem, 'droppedReason'>[];
}

export interface LiveConflict {
  itemId: string;
  batchId: string;
  runId: string;
  planId: string;
  state: BatchState;
}

interface Row {
  id: string;
  run_id: string;
  plan_id: string;
  seq: number;
  account_id: string;
  game: string;
  state: string;
  attempt: number;
  external_id: string;
  request_body: string;
  item_count: number;
  total_cents: number;
  is_instant: number;
  rotate_pending: number;
  retry_streak: number;
  last_error_key: string | null;
  last_error_message: string | null;
  last_error_details: string | null;
  next_actions: string;
  next_attempt_at: number | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

function toRecord(r: Row): BatchRecord {
  return {
    id: r.id,
    runId: r.run_id,
    planId: r.plan_id,
    seq: r.seq,
    accountId: r.account_id,
    game: asGame(r.game),
    state: asBatchState(r.state),
    attempt: r.attempt,
    externalId: r.external_id,
    requestBody: r.request_body,
    itemCount: r.item_count,
    totalCents: r.total_cents,
    isInstant: r.is_instant === 1,
    rotatePending: r.rotate_pending === 1,
    retryStreak: r.retry_streak,
    lastErrorKey: r.last_error_key,
    lastErrorMessage: r.last_error_message,
    lastErrorDetails:
      r.last_error_details === null
        ? null
        : parseJsonColumn(detailsSchema, r.last_error_details, 'batches.last_error_details'),
    nextActions:
      r.next_actions === '[]'
        ? []
        : parseJsonColumn(nextActionsSchema, r.next_actions, 'batches.next_actions'),
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
  };
}

const PATCH_COLUMNS: Record<keyof BatchPatch, string> = {
  state: 'state',
  attempt: 'attempt',
  externalId: 'external_id',
  requestBody: 'request_body',
  itemCount: 'item_count',
  totalCents: 'total_cents',
  rotatePending: 'rotate_pending',
  retryStreak: 'retry_streak',
  lastErrorKey: 'last_error_key',
  lastErrorMessage: 'last_error_message',
  lastErrorDetails: 'last_error_details',
  nextActions: 'next_actions',
  nextAttemptAt: 'next_attempt_at',
  sentAt: 'sent_at',
};

/** Canonical item set of a sell body: what the invariant compares across sends of one externalId. */
export function itemsKeyOf(
  items: readonly { itemId: string; amount?: number | undefined }[],
): string {
  return items
    .map((i) => `${i.itemId}*${i.amount ?? 1}`)
    .sort()
    .join('|');
}

/** Batches, their items and every send (batch_attempts). Writes of state go through engine/batch-states.ts. */
export class BatchesRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly trades: TradesRepo,
    /** The selected environment: only its batches are due for the engine. */
    private readonly environment: () => Environment,
  ) {}

  /** Inside the caller's transaction (run creation). */
  insert(batch: NewBatch): void {
    const at = this.ctx.iso();
    this.ctx
      .stmt(
        `INSERT INTO batches (id, run_id, plan_id, seq, account_id, game, state, attempt, external_id, request_body, item_count, total_cents, is_instant, next_actions, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', NULL, ?, ?)`,
      )
      .run(
        batch.id,
        batch.runId,
        batch.planId,
        batch.seq,
        batch.accountId,
        batch.game,
        batch.state,
        batch.attempt,
        batch.externalId,
        batch.requestBody,
        batch.items.length,
        batch.totalCents,
        batch.isInstant ? 1 : 0,
        at,
        at,
      );
    const item = this.ctx.stmt(
      'INSERT INTO batch_items (batch_id, item_id, name, amount, price_usd, price_cents) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const i of batch.items)
      item.run(batch.id, i.itemId, i.name, i.amount, i.priceUsd, i.priceCents);
  }

  /**
   * Run creation, one chunk of one (account, game) group of a plan at a time
   * (inside the caller's transaction): the batch rows with their bodies, and
   * their items copied from plan_items in SQL. `split` is the planner's split of
   * the whole group (batch k holds the next split[k] items in plan order);
   * `batches` are its batches from index `first` on. No item passes through JS.
   */
  insertGroup(input: {
    runId: string;
    planId: string;
    accountId: string;
    game: GameId;
    isInstant: boolean;
    split: readonly number[];
    first: number;
    batches: readonly {
      id: string;
      seq: number;
      externalId: string;
      requestBody: string;
      itemCount: number;
      totalCents: number;
    }[];
  }): void {
    const at = this.ctx.iso();
    const row = this.ctx.stmt(
      `INSERT INTO batches (id, run_id, plan_id, seq, account_id, game, state, attempt, external_id, request_body, item_count, total_cents, is_instant, next_actions, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', 1, ?, ?, ?, ?, ?, '[]', NULL, ?, ?)`,
    );
    // The planner's balanced split (the first `extra` batches one larger) makes an item's batch
    // arithmetic on its row number, so the copy is one statement.
    const { split, first } = input;
    const base = Math.min(...split);
    const extra = split.filter((n) => n === base + 1).length;
    if (split.some((n, k) => n !== (k < extra ? base + 1 : base))) {
      throw new Error(
        'insertGroup: batch sizes must be the planner split (larger first, differing by one)',
      );
    }
    if (input.batches.some((b, k) => b.itemCount !== split[first + k])) {
      throw new Error('insertGroup: a batch does not hold its share of the split');
    }
    this.ctx.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS batch_slots (idx INTEGER PRIMARY KEY, batch_id TEXT NOT NULL)',
    );
    this.ctx.db.exec('DELETE FROM temp.batch_slots');
    const slot = this.ctx.stmt('INSERT INTO temp.batch_slots (idx, batch_id) VALUES (?, ?)');
    input.batches.forEach((b, k) => {
      row.run(
        b.id,
        input.runId,
        input.planId,
        b.seq,
        input.accountId,
        input.game,
        b.externalId,
        b.requestBody,
        b.itemCount,
        b.totalCents,
        input.isInstant ? 1 : 0,
        at,
        at,
      );
      slot.run(first + k, b.id);
    });
    // Only the chunk's rows are read: plan order is the (plan, account, game, seq) index, rowid breaks ties.
    const offset = split.slice(0, first).reduce((a, b) => a + b, 0);
    const count = input.batches.reduce((n, b) => n + b.itemCount, 0);
    const copied = this.ctx
      .stmt(
        `INSERT INTO batch_items (batch_id, item_id, name, amount, price_usd, price_cents)
         SELECT s.batch_id, p.item_id, p.name, p.amount, p.price_usd, p.price_cents
         FROM (SELECT item_id, name, amount, price_usd, price_cents,
                      CAST(@offset AS INTEGER) + ROW_NUMBER() OVER (ORDER BY seq, rid) - 1 AS rn
               FROM (SELECT rowid AS rid, seq, item_id, name, amount, price_usd, price_cents FROM plan_items
                     WHERE plan_id = @plan AND account_id = @account AND game = @game
                     ORDER BY seq, rowid LIMIT @count OFFSET @offset)) p
         JOIN temp.batch_slots s
           ON s.idx = CASE WHEN p.rn < CAST(@big AS INTEGER) THEN p.rn / (CAST(@base AS INTEGER) + 1)
                           ELSE CAST(@extra AS INTEGER) + (p.rn - CAST(@big AS INTEGER)) / CAST(@base AS INTEGER) END`,
      )
      .run({
        plan: input.planId,
        account: input.accountId,
        game: input.game,
        offset,
        count,
        big: extra * (base + 1),
        base,
        extra,
      });
    if (copied.changes !== count) {
      throw new Error(`insertGroup: copied ${copied.changes} items for ${count} planned`);
    }
    this.ctx.db.exec('DELETE FROM temp.batch_slots');
  }

  get(id: string): BatchRecord | null {
    const r = this.ctx.stmt('SELECT * FROM batches WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  require(id: string): BatchRecord {
    const b = this.get(id);
    if (!b) throw notFound('Batch', id);
    return b;
  }

  byExternalId(externalId: string): BatchRecord | null {
    const r = this.ctx.stmt('SELECT * FROM batches WHERE external_id = ?').get(externalId) as
      Row | undefined;
    return r ? toRecord(r) : null;
  }

  listByRun(runId: string): BatchRecord[] {
    return (
      this.ctx.stmt('SELECT * FROM batches WHERE run_id = ? ORDER BY seq').all(runId) as Row[]
    ).map(toRecord);
  }

  listByStates(states: readonly BatchState[], runId?: string): BatchRecord[] {
    if (states.length === 0) return [];
    const sql = `SELECT * FROM batches WHERE state IN (${placeholders(states.length)}) ${runId ? 'AND run_id = ?' : ''} ORDER BY created_at, seq`;
    const args: unknown[] = [...states];
    if (runId) args.push(runId);
    return (this.ctx.stmt(sql).all(...args) as Row[]).map(toRecord);
  }

  /**
   * Queued batches a send may claim now, oldest run first: their run sells
   * (running, waiting or attention) and is not waiting, they are due, and no
   * batch of their account in that run is blocked (the trader must act first).
   */
  dueToSend(now: number, limit: number): string[] {
    return this.ctx
      .stmt(
        `SELECT b.id FROM batches b JOIN runs r ON r.id = b.run_id
           JOIN plans p ON p.id = r.plan_id AND p.environment = @environment
         WHERE b.state = 'queued' AND r.state IN ${ACTIVE_RUN_STATES_SQL}
           AND (r.wait_until IS NULL OR r.wait_until <= @now)
           AND (b.next_attempt_at IS NULL OR b.next_attempt_at <= @now)
           AND NOT EXISTS (SELECT 1 FROM batches x WHERE x.run_id = b.run_id AND x.account_id = b.account_id AND x.state = 'blocked')
         ORDER BY r.created_at, b.seq LIMIT @limit`,
      )
      .pluck()
      .all({ now, limit, environment: this.environment() }) as string[];
  }

  /** The selected environment's batches in `state` whose next step is due (unknown: reconcile; tracking: look for related trades). */
  due(state: 'unknown' | 'tracking', now: number, limit: number): string[] {
    const pending = state === 'tracking' ? 'next_attempt_at IS NOT NULL AND' : '';
    return this.ctx
      .stmt(
        `SELECT id FROM batches WHERE state = ? AND ${pending} (next_attempt_at IS NULL OR next_attempt_at <= ?)
           AND ${environmentOfRun('batches.run_id')} = ?
         ORDER BY next_attempt_at LIMIT ?`,
      )
      .pluck()
      .all(state, now, this.environment(), limit) as string[];
  }

  /** When the engine next has something to do with a batch of the selected environment (the earliest due time), or null. */
  nextDueAt(): number | null {
    return this.ctx
      .stmt(
        `SELECT MIN(t) FROM (
           SELECT MAX(COALESCE(b.next_attempt_at, 0), COALESCE(r.wait_until, 0)) AS t, b.run_id FROM batches b JOIN runs r ON r.id = b.run_id
           WHERE b.state = 'queued' AND r.state IN ${ACTIVE_RUN_STATES_SQL}
           UNION ALL SELECT COALESCE(next_attempt_at, 0), run_id FROM batches WHERE state = 'unknown'
           UNION ALL SELECT next_attempt_at, run_id FROM batches WHERE state = 'tracking' AND next_attempt_at IS NOT NULL) d
         WHERE ${environmentOfRun('d.run_id')} = ?`,
      )
      .pluck()
      .get(this.environment()) as number | null;
  }

  /** Every request sent with this externalId: when, and what came back (null: nothing yet, or a crash). */
  sendsOf(
    externalId: string,
  ): { sentAt: string; outcomeKind: string | null; outcomeKey: string | null }[] {
    return (
      this.ctx
        .stmt(
          'SELECT sent_at, outcome_kind, outcome_key FROM batch_attempts WHERE external_id = ? ORDER BY id',
        )
        .all(externalId) as {
        sent_at: string;
        outcome_kind: string | null;
        outcome_key: string | null;
      }[]
    ).map((r) => ({ sentAt: r.sent_at, outcomeKind: r.outcome_kind, outcomeKey: r.outcome_key }));
  }

  /** Items of the batch (not dropped) that no trade of its current attempt holds. */
  unaccountedItems(batchId: string, attempt: number): string[] {
    return this.ctx
      .stmt(
        `SELECT bi.item_id FROM batch_items bi WHERE bi.batch_id = ? AND bi.dropped_reason IS NULL
         AND NOT EXISTS (SELECT 1 FROM trades t JOIN trade_items ti ON ti.trade_id = t.id AND ti.item_id = bi.item_id
                         WHERE t.batch_id = bi.batch_id AND t.attempt = ?)`,
      )
      .pluck()
      .all(batchId, attempt) as string[];
  }

  /** A blocked batch of this account holds the run's other batches of it back (the trader must act). */
  accountBlocked(runId: string, accountId: string): boolean {
    return (
      this.ctx
        .stmt(
          "SELECT 1 FROM batches WHERE run_id = ? AND account_id = ? AND state = 'blocked' LIMIT 1",
        )
        .get(runId, accountId) !== undefined
    );
  }

  countByRun(runId: string): number {
    return this.ctx
      .stmt('SELECT COUNT(*) FROM batches WHERE run_id = ?')
      .pluck()
      .get(runId) as number;
  }

  countByState(runId: string): Partial<Record<BatchState, number>> {
    const rows = this.ctx
      .stmt('SELECT state, COUNT(*) AS n FROM batches WHERE run_id = ? GROUP BY state')
      .all(runId) as {
      state: BatchState;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** The batch's items; dropped ones (removed on review) only when asked. */
  items(batchId: string, options: { includeDropped?: boolean } = {}): BatchItem[] {
    const rows = this.ctx
      .stmt(
        `SELECT item_id, name, amount, price_usd, price_cents, dropped_reason FROM batch_items WHERE batch_id = ? ${options.includeDropped ? '' : 'AND dropped_reason IS NULL'} ORDER BY rowid`,
      )
      .all(batchId) as {
      item_id: string;
      name: string;
      amount: number;
      price_usd: number;
      price_cents: number;
      dropped_reason: string | null;
    }[];
    return rows.map((r) => ({
      itemId: r.item_id,
      name: r.name,
      amount: r.amount,
      priceUsd: r.price_usd,
      priceCents: r.price_cents,
      droppedReason: r.dropped_reason,
    }));
  }

  /** Low-level write used only by the engine's transition function (inside its transaction). */
  patch(id: string, patch: BatchPatch): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [key, value] of Object.entries(patch) as [keyof BatchPatch, unknown][]) {
      if (value === undefined) continue;
      sets.push(`${PATCH_COLUMNS[key]} = ?`);
      if (key === 'nextActions') args.push(toJson(value));
      else if (key === 'lastErrorDetails') args.push(value === null ? null : toJson(value));
      else if (typeof value === 'boolean') args.push(value ? 1 : 0);
      else args.push(value);
    }
    sets.push('updated_at = ?');
    args.push(this.ctx.iso(), id);
    this.ctx.stmt(`UPDATE batches SET ${sets.join(', ')} WHERE id = ?`).run(...args);
  }

  /** Item-level edits on review (inside the caller's transaction). */
  updateItem(
    batchId: string,
    itemId: string,
    change: {
      priceUsd?: number;
      priceCents?: number;
      amount?: number;
      droppedReason?: string | null;
    },
  ): void {
    const cur = this.ctx
      .stmt(
        'SELECT price_usd, price_cents, amount, dropped_reason FROM batch_items WHERE batch_id = ? AND item_id = ?',
      )
      .get(batchId, itemId) as
      | { price_usd: number; price_cents: number; amount: number; dropped_reason: string | null }
      | undefined;
    if (!cur) return;
    this.ctx
      .stmt(
        'UPDATE batch_items SET price_usd = ?, price_cents = ?, amount = ?, dropped_reason = ? WHERE batch_id = ? AND item_id = ?',
      )
      .run(
        change.priceUsd ?? cur.price_usd,
        change.priceCents ?? cur.price_cents,
        change.amount ?? cur.amount,
        change.droppedReason === undefined ? cur.dropped_reason : change.droppedReason,
        batchId,
        itemId,
      );
  }

  /** Writes the evidence of a send before it leaves (inside the caller's transaction); returns its row id. */
  recordSend(batch: {
    id: string;
    attempt: number;
    externalId: string;
    requestBody: string;
  }): number {
    const body = JSON.parse(batch.requestBody) as { items: { itemId: string; amount?: number }[] };
    const res = this.ctx
      .stmt(
        'INSERT INTO batch_attempts (batch_id, attempt, external_id, body, items_key, sent_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        batch.id,
        batch.attempt,
        batch.externalId,
        batch.requestBody,
        itemsKeyOf(body.items),
        this.ctx.iso(),
      );
    return Number(res.lastInsertRowid);
  }

  recordOutcome(sendId: number, outcome: { kind: string; key?: string | null }): void {
    this.ctx
      .stmt(
        'UPDATE batch_attempts SET outcome_kind = ?, outcome_key = ?, outcome_at = ? WHERE id = ?',
      )
      .run(outcome.kind, outcome.key ?? null, this.ctx.iso(), sendId);
  }

  sends(batchId: string): {
    id: number;
    attempt: number;
    externalId: string;
    itemsKey: string;
    sentAt: string;
    outcomeKind: string | null;
    outcomeKey: string | null;
  }[] {
    const rows = this.ctx
      .stmt(
        'SELECT id, attempt, external_id, items_key, sent_at, outcome_kind, outcome_key FROM batch_attempts WHERE batch_id = ? ORDER BY id',
      )
      .all(batchId) as {
      id: number;
      attempt: number;
      external_id: string;
      items_key: string;
      sent_at: string;
      outcome_kind: string | null;
      outcome_key: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      attempt: r.attempt,
      externalId: r.external_id,
      itemsKey: r.items_key,
      sentAt: r.sent_at,
      outcomeKind: r.outcome_kind,
      outcomeKey: r.outcome_key,
    }));
  }

  /** Items of `itemIds` that sit in a live batch (optionally not counting one run). */
  /** Every item id in a live batch (optionally not counting one run). */
  /**
   * Items another plan may not take: those in live batches, and every item of
   * a run whose batches are still being created (for the few seconds that takes).
   */
  liveItemIds(exceptRunId: string | null = null): Set<string> {
    const rows = this.ctx
      .stmt(
        `SELECT bi.item_id FROM batches b JOIN batch_items bi ON bi.batch_id = b.id
         WHERE b.state IN ${LIVE_BATCH_STATES_SQL} AND bi.dropped_reason IS NULL AND b.run_id IS NOT @run
         UNION
         SELECT p.item_id FROM runs r JOIN plan_items p ON p.plan_id = r.plan_id
         WHERE r.batches_pending = 1 AND r.id IS NOT @run`,
      )
      .pluck()
      .all({ run: exceptRunId }) as string[];
    return new Set(rows);
  }

  liveConflicts(
    itemIds: readonly string[],
    options: { exceptRunId?: string } = {},
  ): LiveConflict[] {
    // Live batches are few next to a 100,000-item plan: read their items once and look the plan's up in a set.
    const wanted = new Set(itemIds);
    const rows = this.ctx
      .stmt(
        `SELECT bi.item_id, b.id AS batch_id, b.run_id, b.plan_id, b.state FROM batches b JOIN batch_items bi ON bi.batch_id = b.id
         WHERE b.state IN ${LIVE_BATCH_STATES_SQL} AND bi.dropped_reason IS NULL AND b.run_id IS NOT ?`,
      )
      .all(options.exceptRunId ?? null) as {
      item_id: string;
      batch_id: string;
      run_id: string;
      plan_id: string;
      state: BatchState;
    }[];
    const out: LiveConflict[] = [];
    for (const r of rows)
      if (wanted.has(r.item_id))
        out.push({
          itemId: r.item_id,
          batchId: r.batch_id,
          runId: r.run_id,
          planId: r.plan_id,
          state: r.state,
        });
    return out;
  }

  view(id: string): BatchView {
    const b = this.require(id);
    return this.toView(b);
  }

  viewsByRun(runId: string): BatchView[] {
    return this.listByRun(runId).map((b) => this.toView(b));
  }

  toView(b: BatchRecord): BatchView {
    const trades = this.trades.viewsByBatch(b.id);
    return {
      id: b.id,
      runId: b.runId,
      seq: b.seq,
      accountId: b.accountId,
      game: b.game,
      state: b.state,
      attempt: b.attempt,
      externalId: b.externalId,
      itemCount: b.itemCount,
      totalCents: b.totalCents,
      trades,
      lastErrorKey: b.lastErrorKey,
      lastErrorMessage: b.lastErrorMessage,
      lastErrorDetails: b.lastErrorDetails,
      nextAttemptAt: b.nextAttemptAt,
      message: describeBatch({ ...b, trades }, this.ctx.now()),
      nextActions: b.nextActions,
      updatedAt: b.updatedAt,
    };
  }
}
