import type { Trade } from '../../../../shared/api/schemas';
import { isInFlight } from '../../../../shared/domain';
import type { BatchRecord } from '../store';
import type { EngineContext } from './context';
import type { RelatedTrades } from './related-trades';
import { nextPoll } from './tracking';

/*
 * Following trades to their end (design §5 "Tracking"): a batch's trades are
 * adopted with every relatedTrades id, polled by id (≤ 100 refs a call) on
 * the cadence of tracking.ts, and a batch settles when all its current
 * attempt's trades are final and none of its items is unaccounted for. A
 * split basket seen only by lookup gets its other trades looked for by a
 * scan (related-trades.ts), scheduled in the batch's row.
 */

const POLL_BATCH = 100;

export class Tracker {
  constructor(
    private readonly ctx: EngineContext,
    private readonly related: RelatedTrades,
  ) {}

  /**
   * The batch's trades exist: `trades[0]` is the primary (carrying the
   * externalId), the rest and its relatedTrades are the other trades of a
   * split basket (api §4.2). Written with `also` in one transaction.
   */
  adopt(
    batchId: string,
    from: readonly ('sending' | 'unknown' | 'queued')[],
    trades: readonly Trade[],
    reason: string,
    also?: () => void,
  ): void {
    const { store } = this.ctx;
    const [primary, ...others] = trades;
    if (!primary) throw new Error('adopt: no trade');
    const related = [...others, ...((primary.relatedTrades ?? []) as Trade[])];
    store.transaction(() => {
      const b = this.ctx.transition(batchId, {
        to: 'created',
        from,
        reason,
        payload: { tradeId: primary.id, related: related.map((r) => r.id), status: primary.status },
        patch: { rotatePending: false, retryStreak: 0, nextAttemptAt: null, nextActions: [] },
        also: (before) => {
          also?.();
          this.record(primary, before, null);
          for (const r of related) this.record(r, before, primary.id);
          if (store.runs.get(before.runId)?.waitStreak)
            store.runs.patch(before.runId, { waitStreak: 0 });
        },
      });
      const unaccounted = store.batches.unaccountedItems(batchId, b.attempt).length > 0;
      this.ctx.transition(batchId, {
        to: 'tracking',
        from: ['created'],
        reason: unaccounted
          ? 'tracking; looking for the other trades of a split basket'
          : 'tracking its trades',
        patch: { nextAttemptAt: unaccounted ? this.ctx.clock.now() : null },
      });
    });
    const runId = store.batches.require(batchId).runId;
    for (const t of [primary, ...related])
      this.ctx.emit({ type: 'trade-updated', runId, tradeId: t.id });
    this.settleIfDone(batchId);
    this.ctx.kick();
  }

  /** Writes a trade as the batch's (its current attempt), and when to poll it next. */
  record(t: Trade, b: BatchRecord, parentTradeId: string | null): void {
    const { store, clock, timing } = this.ctx;
    const res = store.trades.record(t, {
      batchId: b.id,
      runId: b.runId,
      attempt: b.attempt,
      accountId: b.accountId,
      parentTradeId,
    });
    const cur = store.trades.get(t.id)!;
    const next = nextPoll(res.status, clock.now(), timing, cur.holdEndDate, cur.watchUntil);
    store.trades.setPolling(t.id, next.nextPollAt, next.watchUntil);
  }

  /** Tracking batches due for a related-trade scan, then trades due for a poll. */
  async pass(): Promise<void> {
    const { store, clock } = this.ctx;
    for (const id of store.batches.due('tracking', clock.now(), 20)) {
      if (this.ctx.stopped()) return;
      await this.scanRelated(id);
    }
    if (!this.ctx.stopped()) await this.poll();
  }

  private async scanRelated(batchId: string): Promise<void> {
    const { store, clock, timing } = this.ctx;
    const b = store.batches.get(batchId);
    if (!b || b.state !== 'tracking') return;
    const known = store.trades.byBatch(b.id, b.attempt);
    const primary = known.find((t) => t.parentTradeId === null) ?? known[0];
    if (!primary) return;
    const wanted = new Set(store.batches.unaccountedItems(b.id, b.attempt));
    const scan = await this.related.find(
      b,
      { createdAt: primary.apiCreatedAt },
      wanted,
      new Set(known.map((t) => t.id)),
    );
    if (this.ctx.stopped()) return;
    if (scan.kind === 'incomplete') {
      this.ctx.transition(b.id, {
        to: 'tracking',
        from: ['tracking'],
        reason: `split basket: ${scan.why}`,
        patch: { nextAttemptAt: clock.now() + timing.missingPollMs },
      });
      return;
    }
    this.ctx.transition(b.id, {
      to: 'tracking',
      from: ['tracking'],
      reason: `split basket: ${scan.trades.length} related trade(s) found`,
      payload: { related: scan.trades.map((t) => t.id), inNoTrade: scan.missing },
      patch: { nextAttemptAt: null },
      also: (before) => {
        for (const t of scan.trades) this.record(t, before, primary.id);
        // AssetPay put these in no trade at all: they were not sold.
        for (const itemId of scan.missing)
          store.batches.updateItem(b.id, itemId, { droppedReason: 'in-no-trade' });
      },
    });
    for (const t of scan.trades)
      this.ctx.emit({ type: 'trade-updated', runId: b.runId, tradeId: t.id });
    this.settleIfDone(b.id);
  }

  private async poll(): Promise<void> {
    const { store, clock, timing } = this.ctx;
    const due = store.trades.due(clock.now(), POLL_BATCH);
    if (due.length === 0) return;
    const r = await this.ctx.client.getTrades(
      due.map((t) => t.id),
      { signal: this.ctx.signal },
    );
    if (this.ctx.stopped()) return;
    this.ctx.noteReachability(r);
    const later = clock.now();
    if (r.kind !== 'ok') {
      store.transaction(() => {
        for (const t of due)
          store.trades.setPolling(
            t.id,
            later + Math.min(timing.activePollMs, timing.missingPollMs),
          );
      });
      return;
    }
    const byId = new Map(r.data.trades.map((t) => [t.id, t]));
    const changed: { tradeId: string; runId: string | null; batchId: string | null }[] = [];
    store.transaction(() => {
      for (const t of due) {
        const fresh = byId.get(t.id);
        if (!fresh) {
          store.trades.setPolling(t.id, later + timing.missingPollMs);
          continue;
        }
        const res = store.trades.record(fresh, {
          batchId: null,
          runId: null,
          attempt: null,
          accountId: null,
        });
        const cur = store.trades.get(t.id)!;
        const next = nextPoll(cur.status, later, timing, cur.holdEndDate, cur.watchUntil);
        store.trades.setPolling(t.id, next.nextPollAt, next.watchUntil);
        if (res.result !== 'updated') continue;
        store.events.append({
          kind: `trade:${res.previous}->${res.status}`,
          runId: t.runId,
          batchId: t.batchId,
          tradeId: t.id,
          payload: { updatedAt: fresh.updatedAt },
        });
        changed.push({ tradeId: t.id, runId: t.runId, batchId: t.batchId });
      }
    });
    for (const c of changed) {
      if (!c.runId) continue;
      this.ctx.emit({ type: 'trade-updated', runId: c.runId, tradeId: c.tradeId });
      this.ctx.emit({ type: 'run-progress', runId: c.runId });
    }
    // A trade that moved changes its batch's words; a batch whose trades all ended settles.
    for (const batchId of new Set(changed.map((c) => c.batchId))) {
      const b = batchId ? store.batches.get(batchId) : null;
      if (!b) continue;
      this.ctx.emit({ type: 'batch-updated', runId: b.runId, batchId: b.id });
      this.settleIfDone(b.id);
    }
  }

  /** tracking → settled once every trade of the current attempt is final and every item accounted for. */
  settleIfDone(batchId: string): void {
    const { store } = this.ctx;
    const b = store.batches.get(batchId);
    if (!b || b.state !== 'tracking') return;
    const trades = store.trades.byBatch(batchId, b.attempt);
    if (trades.length === 0 || trades.some((t) => isInFlight(t.status))) return;
    if (store.batches.unaccountedItems(batchId, b.attempt).length > 0) return;
    const statuses: Record<string, number> = {};
    for (const t of trades) statuses[t.status] = (statuses[t.status] ?? 0) + 1;
    this.ctx.transition(batchId, {
      to: 'settled',
      from: ['tracking'],
      reason: 'every trade is final',
      payload: { statuses },
      patch: { nextAttemptAt: null },
    });
  }
}
