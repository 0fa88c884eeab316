import type { BatchState } from '../../../../shared/domain';
import { HELD_TRADE_STATUSES } from '../../../../shared/domain';
import type { StoreContext } from './context';
import { LIVE_BATCH_STATES_SQL, sqlList } from './sql';

/*
 * The reads the engine's invariant check needs (engine/invariant.ts decides
 * what they mean). Read-only; cheap enough to run after every test scenario.
 */

export interface AuditItemRow {
  itemId: string;
  droppedReason: string | null;
  batchId: string;
  state: BatchState;
  attempt: number;
  createdAt: string;
  runId: string;
}

export class AuditRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Every batch item of a run, a plan, or everything. */
  batchItems(scope: { runId?: string; planId?: string }): AuditItemRow[] {
    const where = scope.runId ? 'WHERE b.run_id = ?' : scope.planId ? 'WHERE b.plan_id = ?' : '';
    const args = scope.runId ? [scope.runId] : scope.planId ? [scope.planId] : [];
    return (
      this.ctx
        .stmt(
          `SELECT bi.item_id, bi.dropped_reason, b.id AS batch_id, b.state, b.attempt, b.created_at, b.run_id
           FROM batch_items bi JOIN batches b ON b.id = bi.batch_id ${where}`,
        )
        .all(...args) as {
        item_id: string;
        dropped_reason: string | null;
        batch_id: string;
        state: BatchState;
        attempt: number;
        created_at: string;
        run_id: string;
      }[]
    ).map((r) => ({
      itemId: r.item_id,
      droppedReason: r.dropped_reason,
      batchId: r.batch_id,
      state: r.state,
      attempt: r.attempt,
      createdAt: r.created_at,
      runId: r.run_id,
    }));
  }

  plannedItemIds(planId: string): string[] {
    return this.ctx
      .stmt('SELECT item_id FROM plan_items WHERE plan_id = ?')
      .pluck()
      .all(planId) as string[];
  }

  /** itemId → trade status, for the trades of one attempt of a batch. */
  tradeStatusOfItems(batchId: string, attempt: number): Map<string, string> {
    const rows = this.ctx
      .stmt(
        'SELECT ti.item_id, t.status FROM trade_items ti JOIN trades t ON t.id = ti.trade_id WHERE t.batch_id = ? AND t.attempt = ?',
      )
      .all(batchId, attempt) as { item_id: string; status: string }[];
    return new Map(rows.map((r) => [r.item_id, r.status]));
  }

  itemsInSeveralLiveBatches(): { itemId: string; n: number }[] {
    return (
      this.ctx
        .stmt(
          `SELECT bi.item_id, COUNT(*) AS n FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
           WHERE bi.dropped_reason IS NULL AND b.state IN ${LIVE_BATCH_STATES_SQL} GROUP BY bi.item_id HAVING n > 1`,
        )
        .all() as { item_id: string; n: number }[]
    ).map((r) => ({ itemId: r.item_id, n: r.n }));
  }

  /** Items in more than one trade that holds them (live or completed). */
  itemsInSeveralHeldTrades(): { itemId: string; n: number }[] {
    return (
      this.ctx
        .stmt(
          `SELECT ti.item_id, COUNT(DISTINCT ti.trade_id) AS n FROM trade_items ti JOIN trades t ON t.id = ti.trade_id
           WHERE t.status IN ${sqlList(HELD_TRADE_STATUSES)} GROUP BY ti.item_id HAVING n > 1`,
        )
        .all() as { item_id: string; n: number }[]
    ).map((r) => ({ itemId: r.item_id, n: r.n }));
  }

  /** externalIds sent with more than one item set, or by more than one batch. */
  externalIdsReused(): { externalId: string; sets: number; batches: number }[] {
    return (
      this.ctx
        .stmt(
          'SELECT external_id, COUNT(DISTINCT items_key) AS sets, COUNT(DISTINCT batch_id) AS batches FROM batch_attempts GROUP BY external_id HAVING sets > 1 OR batches > 1',
        )
        .all() as { external_id: string; sets: number; batches: number }[]
    ).map((r) => ({ externalId: r.external_id, sets: r.sets, batches: r.batches }));
  }

  /** Sends whose body carried another externalId than the one recorded. */
  sendsWithForeignBody(): { id: number; externalId: string }[] {
    return (
      this.ctx
        .stmt(
          "SELECT id, external_id FROM batch_attempts WHERE json_extract(body, '$.externalId') != external_id",
        )
        .all() as { id: number; external_id: string }[]
    ).map((r) => ({ id: r.id, externalId: r.external_id }));
  }

  /** Batches whose stored body is what goes (or went) out next: sending, unknown, queued without a rotation pending. */
  bodiesInUse(runId?: string): { id: string; externalId: string; requestBody: string }[] {
    return (
      this.ctx
        .stmt(
          `SELECT id, external_id, request_body FROM batches
           WHERE (state IN ('sending','unknown') OR (state = 'queued' AND rotate_pending = 0)) ${runId ? 'AND run_id = ?' : ''}`,
        )
        .all(...(runId ? [runId] : [])) as {
        id: string;
        external_id: string;
        request_body: string;
      }[]
    ).map((r) => ({ id: r.id, externalId: r.external_id, requestBody: r.request_body }));
  }
}
