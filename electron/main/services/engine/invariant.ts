import { ITEM_POSITIONS, isInFlight, type ItemPosition } from '../../../../shared/domain';
import type { TradeStatus } from '../../../../shared/api/schemas';
import { itemsKeyOf, type AuditItemRow, type Store } from '../store';

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

function emptyPositions(): Record<ItemPosition, number> {
  return Object.fromEntries(ITEM_POSITIONS.map((p) => [p, 0])) as Record<ItemPosition, number>;
}

export function checkInvariant(
  store: Store,
  scope: { runId?: string; planId?: string } = {},
): InvariantReport {
  const audit = store.audit;
  const violations: string[] = [];
  const positions = emptyPositions();
  const rows = audit.batchItems(scope);
  const planned = scope.planId && !scope.runId ? audit.plannedItemIds(scope.planId) : null;

  // 1. Positions. Per run, an item sits in exactly one batch (dropped or not).
  const perRunItem = new Map<string, AuditItemRow[]>();
  for (const r of rows) {
    const k = `${r.runId}\u0000${r.itemId}`;
    const list = perRunItem.get(k);
    if (list) list.push(r);
    else perRunItem.set(k, [r]);
  }
  for (const [k, list] of perRunItem) {
    if (list.length > 1)
      violations.push(
        `item ${k.split('\u0000')[1]} is in ${list.length} batches of run ${list[0]!.runId}`,
      );
  }
  const tradeCache = new Map<string, Map<string, string>>();
  const positionOf = (r: AuditItemRow): ItemPosition => {
    if (r.droppedReason !== null) return 'refused-or-skipped';
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
        const key = `${r.batchId}:${r.attempt}`;
        let m = tradeCache.get(key);
        if (!m) tradeCache.set(key, (m = audit.tradeStatusOfItems(r.batchId, r.attempt)));
        const status = m.get(r.itemId);
        if (status === undefined) {
          if (r.state === 'settled')
            violations.push(
              `item ${r.itemId} of settled batch ${r.batchId} is in none of its trades`,
            );
          return 'unknown';
        }
        return isInFlight(status as TradeStatus) ? 'in-live-trade' : 'settled';
      }
    }
  };
  // The latest batch of each item decides its position (a canceled run's item may be in a later run).
  const latest = new Map<string, AuditItemRow>();
  for (const r of rows) {
    const cur = latest.get(r.itemId);
    if (
      !cur ||
      r.createdAt > cur.createdAt ||
      (r.createdAt === cur.createdAt && r.droppedReason === null)
    )
      latest.set(r.itemId, r);
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
  const scoped = !scope.runId && !scope.planId ? null : new Set(rows.map((r) => r.itemId));
  for (const r of audit.itemsInSeveralLiveBatches())
    if (!scoped || scoped.has(r.itemId))
      violations.push(`item ${r.itemId} is in ${r.n} live batches`);
  for (const r of audit.itemsInSeveralHeldTrades())
    violations.push(`item ${r.itemId} is in ${r.n} live or completed trades`);

  // 3. externalIds: one item set, one batch each; a stored body matches its batch.
  for (const r of audit.externalIdsReused())
    violations.push(
      `externalId ${r.externalId} was sent with ${r.sets} item sets by ${r.batches} batches`,
    );
  for (const r of audit.sendsWithForeignBody())
    violations.push(`send ${r.id} carried a body whose externalId is not ${r.externalId}`);
  // A queued batch waiting for its next attempt (rotate_pending) gets its body rebuilt at rotation.
  for (const b of audit.bodiesInUse(scope.runId)) {
    const body = JSON.parse(b.requestBody) as {
      externalId: string;
      items: { itemId: string; amount?: number }[];
    };
    if (body.externalId !== b.externalId)
      violations.push(`batch ${b.id}: body externalId ${body.externalId} ≠ ${b.externalId}`);
    if (itemsKeyOf(body.items) !== itemsKeyOf(store.batches.items(b.id)))
      violations.push(`batch ${b.id}: body items differ from the batch's items`);
  }

  return { ok: violations.length === 0, violations, positions };
}
