import type { GameId } from '../../../../shared/api/games';
import { ACTIVE_RUN_STATES } from '../../../../shared/domain';
import { ITEM_PROBLEM_KEYS } from '../../../../shared/api/error-keys';
import { AppError } from '../../../../shared/errors';
import type { BatchView } from '../../../../shared/model';
import { describeOutcome } from '../assetpay/outcome';
import type { BatchRecord } from '../store';
import { nowIso, type EngineContext } from './context';
import { withinTolerance } from './preflight-diff';
import { refreshRunState } from './run-state';

/*
 * What the trader does to a batch that waits for them (needs review, or
 * blocked): retry — after fixing its items from a fresh inventory, as a new
 * attempt once the old one is proven not live — or skip. And the key: once it
 * is fixed, every batch blocked on it goes again.
 */

export class TraderActions {
  constructor(private readonly ctx: EngineContext) {}

  async retryBatch(batchId: string): Promise<BatchView> {
    const { store } = this.ctx;
    const b = this.requireWaiting(batchId, 'retried');
    const run = store.runs.require(b.runId);
    if (run.state === 'canceled')
      throw new AppError('conflict', 'The run was canceled.', { reason: 'run-canceled' });
    if (b.state === 'blocked' && b.nextActions.includes('fix-key')) {
      this.releaseKey();
      return store.batches.view(batchId);
    }
    const fix =
      b.lastErrorKey && ITEM_PROBLEM_KEYS.has(b.lastErrorKey)
        ? await this.repairItems(b)
        : { dropped: [], repriced: 0 };
    const items = store.batches.items(batchId);
    const left = store.batches.get(batchId);
    // Canceled (or retried twice) while the inventory was being fetched: nothing more to do.
    if (!left || (left.state !== 'needs-review' && left.state !== 'blocked'))
      return store.batches.view(batchId);
    this.ctx.transition(batchId, {
      to: items.length === 0 ? 'skipped' : 'queued',
      from: ['needs-review', 'blocked'],
      reason: items.length === 0 ? 'retry left no item' : 'retried by the trader',
      payload: fix,
      patch: {
        rotatePending: true,
        retryStreak: 0,
        nextAttemptAt: null,
        nextActions: [],
        itemCount: items.length,
        totalCents: items.reduce((s, i) => s + i.priceCents * i.amount, 0),
      },
    });
    refreshRunState(this.ctx, b.runId);
    this.ctx.kick();
    return store.batches.view(batchId);
  }

  skipBatch(batchId: string): BatchView {
    const { store } = this.ctx;
    const b = this.requireWaiting(batchId, 'skipped');
    this.ctx.transition(batchId, {
      to: 'skipped',
      from: ['needs-review', 'blocked'],
      reason: 'skipped by the trader',
      patch: { nextActions: [] },
    });
    const keyStillBlocked = store.batches
      .listByStates(['blocked'])
      .some((x) => x.nextActions.includes('fix-key'));
    if (this.ctx.conditions.keyRefused && !keyStillBlocked) this.releaseKey();
    refreshRunState(this.ctx, b.runId);
    this.ctx.kick();
    return store.batches.view(batchId);
  }

  /** The key is fixed: nothing holds the sends back, and batches blocked on it go again (same body). */
  releaseKey(): void {
    const { store } = this.ctx;
    this.ctx.conditions.keyRefused = null;
    for (const b of store.batches.listByStates(['blocked'])) {
      if (!b.nextActions.includes('fix-key')) continue;
      this.ctx.transition(b.id, {
        to: 'queued',
        from: ['blocked'],
        reason: 'key fixed: retried by the trader',
        patch: { nextAttemptAt: null, nextActions: [], retryStreak: 0 },
      });
    }
    for (const run of store.runs.listByStates(ACTIVE_RUN_STATES)) refreshRunState(this.ctx, run.id);
    this.ctx.kick();
  }

  private requireWaiting(batchId: string, verb: string): BatchRecord {
    const b = this.ctx.store.batches.require(batchId);
    if (b.state !== 'needs-review' && b.state !== 'blocked')
      throw new AppError(
        'conflict',
        `Only a batch that needs review or is blocked can be ${verb} (this one is ${b.state}).`,
        { reason: verb === 'retried' ? 'batch-not-retryable' : 'batch-not-skippable' },
      );
    return b;
  }

  /**
   * Fixes a refused batch's items from a fresh inventory: unavailable, not
   * accepted or overstocked items leave it, prices move to the current offer
   * when they rose or fell within the plan's tolerance, amounts are capped.
   */
  private async repairItems(
    b: BatchRecord,
  ): Promise<{ dropped: { itemId: string; reason: string }[]; repriced: number }> {
    const { store } = this.ctx;
    const account = store.accounts.require(b.accountId);
    const outcome = await this.ctx.client.getInventory(account.tradeUrl, b.game, {
      refresh: true,
      signal: this.ctx.signal,
    });
    this.ctx.noteReachability(outcome);
    if (outcome.kind !== 'ok')
      throw new AppError(
        outcome.kind === 'not-sent' ? 'offline' : 'api-error',
        `Could not re-check the inventory: ${describeOutcome(outcome)}`,
        { reason: 'inventory-fetch-failed' },
      );
    store.inventory.replaceSnapshot(b.accountId, b.game, outcome.data.items, nowIso(this.ctx), {
      count: outcome.data.count,
      apiUpdatedAt: outcome.data.updatedAt,
    });
    const items = store.batches.items(b.id);
    const inv = store.inventory.getItems(
      b.accountId,
      b.game as GameId,
      items.map((i) => i.itemId),
    );
    const tolerance = store.plans.get(b.planId)?.options.priceToleranceBp ?? 0;
    const overstock =
      b.lastErrorKey === 'ITEM_OVERSTOCKED'
        ? overstockedItems(b.lastErrorDetails)
        : new Map<string, number>();
    const dropped: { itemId: string; reason: string }[] = [];
    let repriced = 0;
    store.transaction(() => {
      for (const item of items) {
        const row = inv.get(item.itemId);
        const drop = (reason: string) => {
          dropped.push({ itemId: item.itemId, reason });
          store.batches.updateItem(b.id, item.itemId, { droppedReason: reason });
        };
        if (!row || !row.tradable || row.priceUsd <= 0) {
          drop('unavailable');
          continue;
        }
        if (!row.accepted) {
          drop('not-accepted');
          continue;
        }
        const over = overstock.get(item.itemId);
        let amount = Math.min(item.amount, row.amount, row.maxAmount ?? Number.MAX_SAFE_INTEGER);
        if (over !== undefined) amount = Math.min(amount, over);
        if (amount < 1) {
          drop(over !== undefined ? 'overstocked' : 'no-units-left');
          continue;
        }
        if (row.priceCents !== item.priceCents || row.priceUsd !== item.priceUsd) {
          if (!withinTolerance(item.priceCents, row.priceCents, tolerance)) {
            drop('price-dropped-beyond-tolerance');
            continue;
          }
          repriced++;
        }
        store.batches.updateItem(b.id, item.itemId, {
          priceUsd: row.priceUsd,
          priceCents: row.priceCents,
          amount,
        });
      }
      store.events.append({
        kind: 'batch:repaired',
        runId: b.runId,
        batchId: b.id,
        payload: { dropped, repriced },
      });
    });
    return { dropped, repriced };
  }
}

/** ITEM_OVERSTOCKED names items with how many AssetPay still takes (`details.items[].remaining`). */
function overstockedItems(details: Record<string, unknown> | null): Map<string, number> {
  const out = new Map<string, number>();
  const items = details?.items;
  if (!Array.isArray(items)) return out;
  for (const i of items as unknown[]) {
    if (typeof i !== 'object' || i === null) continue;
    const { itemId, remaining } = i as { itemId?: unknown; remaining?: unknown };
    if (typeof itemId === 'string')
      out.set(itemId, typeof remaining === 'number' && remaining >= 0 ? Math.floor(remaining) : 0);
  }
  return out;
}
