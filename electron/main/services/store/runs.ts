import {
  AWAITING_TRADE_STATUSES,
  HELD_TRADE_STATUSES,
  CREDITED_TRADE_STATUSES,
  FAILED_TRADE_STATUSES,
} from '../../../../shared/domain';
import { sqlList } from './sql';
import { asRunState } from './enums';
import type { RunSummary } from '../../../../shared/model';
import type { Environment, RunState } from '../../../../shared/domain';
import { notFound, type StoreContext } from './context';
import type { PlansRepo } from './plans';

export interface RunRecord {
  id: string;
  planId: string;
  preflightId: string | null;
  state: RunState;
  message: string | null;
  /** Engine back-off for the whole run (bots unavailable, maintenance…), epoch ms. */
  waitUntil: number | null;
  waitStreak: number;
  /** Why the run waits (the words the run shows while wait_until lies ahead). */
  waitReason: string | null;
  /** True until every batch of the run exists (they are created a chunk at a time). */
  batchesPending: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a run will hold once all its batches exist. */
export interface RunPlan {
  batches: number;
  items: number;
  totalCents: number;
}

export interface RunPatch {
  state?: RunState;
  message?: string | null;
  waitUntil?: number | null;
  waitStreak?: number;
  waitReason?: string | null;
}

interface Row {
  id: string;
  plan_id: string;
  preflight_id: string | null;
  state: string;
  message: string | null;
  wait_until: number | null;
  wait_streak: number;
  wait_reason: string | null;
  planned_batches: number | null;
  planned_items: number | null;
  planned_cents: number | null;
  batches_pending: number;
  created_at: string;
  updated_at: string;
}

function toRecord(r: Row): RunRecord {
  return {
    id: r.id,
    planId: r.plan_id,
    preflightId: r.preflight_id,
    state: asRunState(r.state),
    message: r.message,
    waitUntil: r.wait_until,
    waitStreak: r.wait_streak,
    waitReason: r.wait_reason,
    batchesPending: r.batches_pending === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Runs: one submission of a plan. State writes go through the engine (it emits the events). */
export class RunsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly plans: PlansRepo,
  ) {}

  insert(run: {
    id: string;
    planId: string;
    preflightId: string | null;
    state: RunState;
    message?: string | null;
  }): void {
    const at = this.ctx.iso();
    this.ctx
      .stmt(
        'INSERT INTO runs (id, plan_id, preflight_id, state, message, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(run.id, run.planId, run.preflightId, run.state, run.message ?? null, at, at);
  }

  /** An armed run starts selling from the pre-flight it just passed. */
  start(id: string, preflightId: string): void {
    this.ctx
      .stmt(
        "UPDATE runs SET state = 'running', message = NULL, wait_until = NULL, wait_reason = NULL, preflight_id = ?, updated_at = ? WHERE id = ?",
      )
      .run(preflightId, this.ctx.iso(), id);
  }

  /** Records what the run will hold; its batches are pending until `batchesCreated`. */
  setPlan(id: string, plan: RunPlan): void {
    this.ctx
      .stmt(
        'UPDATE runs SET planned_batches = ?, planned_items = ?, planned_cents = ?, batches_pending = 1 WHERE id = ?',
      )
      .run(plan.batches, plan.items, plan.totalCents, id);
  }

  batchesCreated(id: string): void {
    this.ctx.stmt('UPDATE runs SET batches_pending = 0 WHERE id = ?').run(id);
  }

  /**
   * Items sold by the run since `sinceIso` (its recent pace): in trades of each
   * batch's current attempt that hold them — not the ended records of earlier attempts.
   */
  itemsSoldSince(id: string, sinceIso: string): number {
    return this.ctx
      .stmt(
        `SELECT COALESCE(SUM(t.item_count), 0) FROM trades t JOIN batches b ON b.id = t.batch_id AND b.attempt = t.attempt
         WHERE b.run_id = ? AND t.created_at >= ? AND t.status IN ${sqlList(HELD_TRADE_STATUSES)}`,
      )
      .pluck()
      .get(id, sinceIso) as number;
  }

  /** Items not sent yet: in batches still to go (or going), and in batches not written yet. */
  itemsLeftToSend(id: string): number {
    const r = this.ctx
      .stmt(
        `SELECT r.planned_items AS planned, r.batches_pending AS pending,
                COALESCE((SELECT SUM(item_count) FROM batches WHERE run_id = r.id), 0) AS written,
                COALESCE((SELECT SUM(item_count) FROM batches WHERE run_id = r.id
                          AND state IN ('draft','queued','sending','unknown')), 0) AS waiting
         FROM runs r WHERE r.id = ?`,
      )
      .get(id) as
      { planned: number | null; pending: number; written: number; waiting: number } | undefined;
    if (!r) return 0;
    const unwritten =
      r.pending === 1 && r.planned !== null ? Math.max(0, r.planned - r.written) : 0;
    return r.waiting + unwritten;
  }

  /** Runs whose batches are still being created, oldest first. */
  withBatchesPending(): RunRecord[] {
    return (
      this.ctx
        .stmt('SELECT * FROM runs WHERE batches_pending = 1 ORDER BY created_at, id')
        .all() as Row[]
    ).map(toRecord);
  }

  get(id: string): RunRecord | null {
    const r = this.ctx.stmt('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  }

  require(id: string): RunRecord {
    const r = this.get(id);
    if (!r) throw notFound('Run', id);
    return r;
  }

  listByStates(states: readonly RunState[]): RunRecord[] {
    if (states.length === 0) return [];
    return (
      this.ctx
        .stmt(
          `SELECT * FROM runs WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY created_at, id`,
        )
        .all(...states) as Row[]
    ).map(toRecord);
  }

  /** Runs in `state` whose wait is over (a waiting run resumes; an armed run is checked again). */
  waitOver(state: 'waiting' | 'armed', now: number): RunRecord[] {
    return (
      this.ctx
        .stmt(
          'SELECT * FROM runs WHERE state = ? AND (wait_until IS NULL OR wait_until <= ?) ORDER BY created_at, id',
        )
        .all(state, now) as Row[]
    ).map(toRecord);
  }

  /** The end of the soonest wait of a waiting or armed run, or null. */
  nextWaitEnd(): number | null {
    return this.ctx
      .stmt(
        "SELECT MIN(wait_until) FROM runs WHERE state IN ('waiting','armed') AND wait_until IS NOT NULL",
      )
      .pluck()
      .get() as number | null;
  }

  byPlan(planId: string): RunRecord[] {
    return (
      this.ctx
        .stmt('SELECT * FROM runs WHERE plan_id = ? ORDER BY created_at, id')
        .all(planId) as Row[]
    ).map(toRecord);
  }

  /** Low-level write (the engine wraps it with the event log and the event). */
  patch(id: string, patch: RunPatch): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (patch.state !== undefined) {
      sets.push('state = ?');
      args.push(patch.state);
    }
    if (patch.message !== undefined) {
      sets.push('message = ?');
      args.push(patch.message);
    }
    if (patch.waitUntil !== undefined) {
      sets.push('wait_until = ?');
      args.push(patch.waitUntil);
    }
    if (patch.waitStreak !== undefined) {
      sets.push('wait_streak = ?');
      args.push(patch.waitStreak);
    }
    if (patch.waitReason !== undefined) {
      sets.push('wait_reason = ?');
      args.push(patch.waitReason);
    }
    sets.push('updated_at = ?');
    args.push(this.ctx.iso(), id);
    this.ctx.stmt(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args);
  }

  summary(id: string): RunSummary {
    const r = this.ctx.stmt('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw notFound('Run', id);
    return this.toSummary(r);
  }

  /** Newest first. */
  list(): RunSummary[] {
    return (this.ctx.stmt('SELECT * FROM runs ORDER BY created_at DESC, id').all() as Row[]).map(
      (r) => this.toSummary(r),
    );
  }

  private toSummary(r: Row): RunSummary {
    const plan = this.ctx
      .stmt('SELECT name, environment FROM plans WHERE id = ?')
      .get(r.plan_id) as { name: string; environment: Environment } | undefined;
    const b = this.ctx
      .stmt(
        `SELECT COUNT(*) AS batches, COALESCE(SUM(item_count), 0) AS items, COALESCE(SUM(total_cents), 0) AS total,
                COALESCE(SUM(state = 'settled'), 0) AS settled,
                COALESCE(SUM(state IN ('settled', 'skipped', 'canceled')), 0) AS finished
         FROM batches WHERE run_id = ?`,
      )
      .get(r.id) as {
      batches: number;
      items: number;
      total: number;
      settled: number;
      finished: number;
    };
    // Only the trades of each batch's current attempt count (an earlier attempt may have left a failed record).
    const t = this.ctx
      .stmt(
        `SELECT
           COALESCE(SUM(t.total_cents), 0) AS submitted,
           COALESCE(SUM(CASE WHEN t.status IN ${sqlList(CREDITED_TRADE_STATUSES)} THEN t.total_cents ELSE 0 END), 0) AS credited,
           COALESCE(SUM(CASE WHEN t.status IN ${sqlList(AWAITING_TRADE_STATUSES)} THEN t.total_cents ELSE 0 END), 0) AS pending,
           COALESCE(SUM(CASE WHEN t.status IN ${sqlList(FAILED_TRADE_STATUSES)} THEN t.total_cents ELSE 0 END), 0) AS failed
         FROM trades t JOIN batches b ON b.id = t.batch_id AND b.attempt = t.attempt WHERE b.run_id = ?`,
      )
      .get(r.id) as { submitted: number; credited: number; pending: number; failed: number };
    // While its batches are still being created, a run shows what it will hold; a run that
    // never started (armed, or disarmed / not submitted before it did) shows its plan.
    const pending = r.batches_pending === 1;
    const started = b.batches > 0 || pending || (r.state !== 'armed' && r.state !== 'canceled');
    const plan0 = started ? null : this.plans.summary(r.plan_id);
    const planned = plan0
      ? { batches: plan0.batchCount, items: plan0.itemCount, total: plan0.totalCents }
      : pending
        ? {
            batches: r.planned_batches ?? b.batches,
            items: r.planned_items ?? b.items,
            total: r.planned_cents ?? b.total,
          }
        : b;
    return {
      id: r.id,
      planId: r.plan_id,
      planName: plan?.name ?? '',
      environment: plan?.environment ?? 'sandbox',
      state: asRunState(r.state),
      started,
      message: r.message,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      totals: {
        batches: planned.batches,
        items: planned.items,
        totalCents: planned.total,
        submittedCents: t.submitted,
        creditedCents: t.credited,
        pendingCents: t.pending,
        failedCents: t.failed,
        settledBatches: b.settled,
        finishedBatches: b.finished,
      },
      // Only the engine knows the pace (sells in flight); the app adds it.
      pace: null,
    };
  }
}
