import { ITEM_POSITIONS, type BatchState, type ItemPosition } from '../../../../shared/domain';
import { itemsKeyOf, type Store } from '../store';
import { LIVE_BATCH_STATES } from '../store';

/*
 * The engine's invariant (checked by the tests after every scenario, and
 * cheap enough to run on demand):
 *  1. every planned item is in exactly one position: not-submitted,
 *     in-live-trade, settled, refused-or-skipped or unknown;
 *  2. no item is ever in two live (or completed) trades, nor in two live batches;
 *  3. no externalId was ever sent with two different item sets (batch_attempts),
 *     nor by two batches, and every queued body matches its batch's items.
 */

export interface InvariantReport {
  ok: boolean;
  violations: string[];
  positions: Record<ItemPosition, number>;
}

const HELD_TRADE_STATUSES = ['initiated', 'pending', 'active', 'hold', 'completed'];
const IN_FLIGHT = new Set(['initiated', 'pending', 'active', 'hold']);

function emptyPositions(): Record<ItemPosition, number> {
  return Object.fromEntries(ITEM_POSITIONS.map((p) => [p, 0])) as Record<ItemPosition, number>;
}

interface BatchItemRow {
  item_id: string;
  dropped_reason: string | null;
  batch_id: string;
  state: BatchState;
  attempt: number;
  created_at: string;
  run_id: string;
}

export function checkInvariant(
  store: Store,
  scope: { runId?: string; planId?: string } = {},
): InvariantReport {
  const db = store.db;
  const violations: string[] = [];
  const positions = emptyPositions();

  // Trades of each batch's current attempt and the items in them.
  const tradeOfItem = (batchId: string, attempt: number): Map<string, string> => {
    const rows = db
      .prepare(
        'SELECT ti.item_id, t.status FROM trade_items ti JOIN trades t ON t.id = ti.trade_id WHERE t.batch_id = ? AND t.attempt = ?',
      )
      .all(batchId, attempt) as { item_id: string; status: string }[];
    return new Map(rows.map((r) => [r.item_id, r.status]));
  };

  let rows: BatchItemRow[];
  let planned: string[] | null = null;
  if (scope.runId) {
    rows = db
      .prepare(
        `SELECT bi.item_id, bi.dropped_reason, b.id AS batch_id, b.state, b.attempt, b.created_at, b.run_id FROM batch_items bi JOIN batches b ON b.id = bi.batch_id WHERE b.run_id = ?`,
      )
      .all(scope.runId) as BatchItemRow[];
  } else if (scope.planId) {
    rows = db
      .prepare(
        `SELECT bi.item_id, bi.dropped_reason, b.id AS batch_id, b.state, b.attempt, b.created_at, b.run_id FROM batch_items bi JOIN batches b ON b.id = bi.batch_id WHERE b.plan_id = ?`,
      )
      .all(scope.planId) as BatchItemRow[];
    planned = (
      db.prepare('SELECT item_id FROM plan_items WHERE plan_id = ?').all(scope.planId) as {
        item_id: string;
      }[]
    ).map((r) => r.item_id);
  } else {
    rows = db
      .prepare(
        `SELECT bi.item_id, bi.dropped_reason, b.id AS batch_id, b.state, b.attempt, b.created_at, b.run_id FROM batch_items bi JOIN batches b ON b.id = bi.batch_id`,
      )
      .all() as BatchItemRow[];
  }

  // 1. Positions. Per run, an item sits in exactly one batch (dropped or not).
  const perRunItem = new Map<string, BatchItemRow[]>();
  for (const r of rows) {
    const k = `${r.run_id}\u0000${r.item_id}`;
    const list = perRunItem.get(k);
    if (list) list.push(r);
    else perRunItem.set(k, [r]);
  }
  for (const [k, list] of perRunItem) {
    if (list.length > 1)
      violations.push(
        `item ${k.split('\u0000')[1]} is in ${list.length} batches of run ${list[0]!.run_id}`,
      );
  }
  const tradeCache = new Map<string, Map<string, string>>();
  const positionOf = (r: BatchItemRow): ItemPosition => {
    if (r.dropped_reason !== null) return 'refused-or-skipped';
    switch (r.state) {
      case 'draft':
      case 'queued':
        return 'not-submitted';
      case 'sending':
      case 'unknown':
        return 'unknown';
      case 'needs-review':
      case 'blocked':
      case 'skipped':
      case 'canceled':
        return 'refused-or-skipped';
      case 'created':
      case 'tracking':
      case 'settled': {
        const key = `${r.batch_id}:${r.attempt}`;
        let m = tradeCache.get(key);
        if (!m) tradeCache.set(key, (m = tradeOfItem(r.batch_id, r.attempt)));
        const status = m.get(r.item_id);
        if (status === undefined) {
          if (r.state === 'settled')
            violations.push(
              `item ${r.item_id} of settled batch ${r.batch_id} is in none of its trades`,
            );
          return 'unknown';
        }
        return IN_FLIGHT.has(status) ? 'in-live-trade' : 'settled';
      }
    }
  };
  // The latest batch of each item decides its position (a canceled run's item may be in a later run).
  const latest = new Map<string, BatchItemRow>();
  for (const r of rows) {
    const cur = latest.get(r.item_id);
    if (
      !cur ||
      r.created_at > cur.created_at ||
      (r.created_at === cur.created_at && r.dropped_reason === null)
    )
      latest.set(r.item_id, r);
  }
  if (planned) {
    for (const itemId of planned) {
      const r = latest.get(itemId);
      positions[r ? positionOf(r) : 'not-submitted']++;
    }
  } else {
    for (const r of latest.values()) positions[positionOf(r)]++;
  }

  // 2. No item in two live batches; no item in two live-or-completed trades.
  const scopeItems = new Set(rows.map((r) => r.item_id));
  const liveStates = LIVE_BATCH_STATES.map((s) => `'${s}'`).join(',');
  const twiceLive = db
    .prepare(
      `SELECT bi.item_id, COUNT(*) AS n FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
       WHERE bi.dropped_reason IS NULL AND b.state IN (${liveStates}) GROUP BY bi.item_id HAVING n > 1`,
    )
    .all() as { item_id: string; n: number }[];
  for (const r of twiceLive)
    if (!scope.runId && !scope.planId ? true : scopeItems.has(r.item_id))
      violations.push(`item ${r.item_id} is in ${r.n} live batches`);
  const twiceTraded = db
    .prepare(
      `SELECT ti.item_id, COUNT(DISTINCT ti.trade_id) AS n FROM trade_items ti JOIN trades t ON t.id = ti.trade_id
       WHERE t.status IN (${HELD_TRADE_STATUSES.map((s) => `'${s}'`).join(',')}) GROUP BY ti.item_id HAVING n > 1`,
    )
    .all() as { item_id: string; n: number }[];
  for (const r of twiceTraded)
    violations.push(`item ${r.item_id} is in ${r.n} live or completed trades`);

  // 3. externalIds: one item set, one batch each.
  const multiSet = db
    .prepare(
      'SELECT external_id, COUNT(DISTINCT items_key) AS sets, COUNT(DISTINCT batch_id) AS batches FROM batch_attempts GROUP BY external_id HAVING sets > 1 OR batches > 1',
    )
    .all() as { external_id: string; sets: number; batches: number }[];
  for (const r of multiSet)
    violations.push(
      `externalId ${r.external_id} was sent with ${r.sets} item sets by ${r.batches} batches`,
    );
  const bodyMismatch = db
    .prepare(
      "SELECT id, external_id FROM batch_attempts WHERE json_extract(body, '$.externalId') != external_id",
    )
    .all() as { id: number; external_id: string }[];
  for (const r of bodyMismatch)
    violations.push(`send ${r.id} carried a body whose externalId is not ${r.external_id}`);
  const queued = db
    .prepare(
      `SELECT id, external_id, request_body FROM batches WHERE (state IN ('sending','unknown') OR (state = 'queued' AND rotate_pending = 0)) ${scope.runId ? 'AND run_id = ?' : ''}`,
    )
    .all(...(scope.runId ? [scope.runId] : [])) as {
    id: string;
    external_id: string;
    request_body: string;
  }[];
  // A queued batch waiting for its next attempt (rotate_pending) gets its body rebuilt at rotation.
  for (const b of queued) {
    const body = JSON.parse(b.request_body) as {
      externalId: string;
      items: { itemId: string; amount?: number }[];
    };
    if (body.externalId !== b.external_id)
      violations.push(`batch ${b.id}: body externalId ${body.externalId} ≠ ${b.external_id}`);
    const items = store.batches.items(b.id);
    if (itemsKeyOf(body.items) !== itemsKeyOf(items))
      violations.push(`batch ${b.id}: body items differ from the batch's items`);
  }

  return { ok: violations.length === 0, violations, positions };
}
