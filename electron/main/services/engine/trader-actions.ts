import type { GameId } from '../../../../shared/api/games';
import { ACTIVE_RUN_STATES } from '../../../../shared/domain';
import { ITEM_PROBLEM_KEYS } from '../../../../shared/api/error-keys';
import { AppError } from '../../../../shared/errors';
import type { BatchReview, BatchView, InventoryRow, ReviewChoices } from '../../../../shared/model';
import { describeOutcome } from '../assetpay/outcome';
import type { BatchRecord } from '../store';
import {
  checkItems,
  decideItems,
  NO_CHOICES,
  refusalOf,
  reviewOf,
  type CheckedItem,
  type Choices,
} from './batch-review';
import { nowIso, type EngineContext } from './context';
import { EXTERNAL_ID_UNFINDABLE, type Reconciler } from './reconciler';
import { lastAttemptUnproven, refreshRunState } from './run-state';

/*
 * What the trader does to a batch that waits for them (needs review, or
 * blocked): review it against AssetPay's current offers; retry — with the
 * trader's choices from that review, or else after fixing its items from a
 * fresh inventory within the plan's tolerance — as a new attempt once the old
 * one is proven not live; or skip. And the key: once it is fixed, every batch
 * blocked on it goes again. Whatever the trader does, a refused attempt that
 * may have left a trade is proven dead first: live, it is followed instead.
 */

export class TraderActions {
  constructor(
    private readonly ctx: EngineContext,
    private readonly reconciler: Pick<Reconciler, 'proveDead'>,
  ) {}

  /**
   * Checks a batch that needs review against AssetPay's current offers (a
   * fresh inventory) and keeps what the trader is shown, so a retry with their
   * choices sells at exactly those prices.
   */
  async reviewBatch(batchId: string): Promise<BatchReview> {
    const { store } = this.ctx;
    const b = store.batches.require(batchId);
    if (b.state !== 'needs-review')
      throw new AppError(
        'conflict',
        `Only a batch that needs review can be reviewed (this one is ${b.state}).`,
        { reason: 'batch-not-reviewable' },
      );
    await this.proveLastAttemptDead(b, 'review');
    const items = store.batches.items(batchId);
    const before = store.inventory.getItems(
      b.accountId,
      b.game,
      items.map((i) => i.itemId),
    );
    const { checked, offers } = await this.checkAgainstInventory(b);
    const checkedAt = nowIso(this.ctx);
    store.transaction(() => {
      store.reviews.save(batchId, { externalId: b.externalId, checkedAt, items: checked });
      store.events.append({
        kind: 'batch:reviewed',
        runId: b.runId,
        batchId,
        payload: { problems: checked.filter((c) => c.problem !== null).length },
      });
    });
    return reviewOf({
      batch: b,
      items,
      checked,
      looks: new Map([...before, ...offers]),
      named: refusalOf(b.lastErrorKey, b.lastErrorDetails).named,
      toleranceBp: this.toleranceOf(b),
      checkedAt,
    });
  }

  /**
   * Without `choices`: items are fixed from a fresh inventory within the plan's
   * tolerance. With them (from a review): accepted items go at the reviewed
   * offer whatever the tolerance, left-out items leave the batch.
   */
  async retryBatch(batchId: string, choices?: ReviewChoices): Promise<BatchView> {
    const { store } = this.ctx;
    const b = this.requireWaiting(batchId, 'retried');
    const run = store.runs.require(b.runId);
    if (run.state === 'canceled')
      throw new AppError('conflict', 'The run was canceled.', { reason: 'run-canceled' });
    if (b.state === 'blocked' && b.nextActions.includes('fix-key')) {
      this.releaseKey();
      return store.batches.view(batchId);
    }
    await this.proveLastAttemptDead(b, 'retry');
    const checked = choices
      ? this.reviewed(b, choices)
      : b.lastErrorKey && ITEM_PROBLEM_KEYS.has(b.lastErrorKey)
        ? (await this.checkAgainstInventory(b)).checked
        : null;
    // Canceled (or retried twice) while AssetPay was asked: nothing more to do.
    if (!waitsForTheTrader(store.batches.get(batchId))) return store.batches.view(batchId);
    store.transaction(() => {
      const fix = checked
        ? this.repairItems(b, checked, choices ? choicesOf(choices) : NO_CHOICES)
        : { dropped: [], repriced: 0 };
      const items = store.batches.items(batchId);
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
          totalCents: items.reduce((sum, i) => sum + i.priceCents * i.amount, 0),
        },
      });
    });
    refreshRunState(this.ctx, b.runId);
    this.ctx.kick();
    return store.batches.view(batchId);
  }

  async skipBatch(batchId: string): Promise<BatchView> {
    const { store } = this.ctx;
    const b = this.requireWaiting(batchId, 'skipped');
    await this.proveLastAttemptDead(b, 'skip');
    // Canceled (or skipped twice) while AssetPay was asked: nothing more to do.
    if (!waitsForTheTrader(store.batches.get(batchId))) return store.batches.view(batchId);
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
    this.ctx.conditions.lookupsHeld = null;
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

  /**
   * A refused attempt may have left a trade (api §8: some refusals leave a
   * record), and a review's fresh inventory cannot tell: the items would look
   * gone. So it is looked up before the trader's review, retry or skip acts on
   * the batch. Live: the batch goes back to the lookups, which adopt it, and
   * the trader is told. Not provable now (no answer, a request that may still
   * land): the trader tries again shortly. The trader who checked an
   * externalId AssetPay could not find is believed.
   */
  private async proveLastAttemptDead(b: BatchRecord, verb: string): Promise<void> {
    if (!lastAttemptUnproven(this.ctx, b)) return;
    const proof = await this.reconciler.proveDead(b, {
      traderChecked: b.lastErrorKey === EXTERNAL_ID_UNFINDABLE,
    });
    if (proof.kind === 'dead') return;
    if (proof.kind === 'alive') {
      const now = this.ctx.store.batches.get(b.id);
      if (waitsForTheTrader(now))
        this.ctx.transition(b.id, {
          to: 'unknown',
          from: [now.state],
          reason: 'the refused attempt turned out live',
          patch: { nextAttemptAt: this.ctx.clock.now(), nextActions: [] },
        });
      this.ctx.kick();
      throw new AppError(
        'conflict',
        `AssetPay created the trade of batch #${b.seq} after all, so there is nothing to ${verb}: the app follows it now.`,
        { reason: 'attempt-alive' },
      );
    }
    throw new AppError(
      'conflict',
      `Batch #${b.seq} waits for AssetPay to confirm that its last attempt created no trade, so there is nothing to ${verb} yet. Try again in a moment.`,
      {
        reason: 'attempt-not-proven',
        why: proof.kind === 'not-yet' ? proof.why : 'AssetPay says the externalId exists',
      },
    );
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

  /** Re-fetches the account's inventory (it replaces the cached one) and checks the batch's items against it. */
  private async checkAgainstInventory(
    b: BatchRecord,
  ): Promise<{ checked: CheckedItem[]; offers: Map<string, InventoryRow> }> {
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
    const offers = store.inventory.getItems(
      b.accountId,
      b.game as GameId,
      items.map((i) => i.itemId),
    );
    return {
      checked: checkItems(items, offers, refusalOf(b.lastErrorKey, b.lastErrorDetails).remaining),
      offers,
    };
  }

  /** The review the trader decided on: it must be of the refused attempt, and name only the batch's items. */
  private reviewed(b: BatchRecord, choices: ReviewChoices): CheckedItem[] {
    const review = this.ctx.store.reviews.get(b.id);
    if (!review || review.externalId !== b.externalId)
      throw new AppError(
        'conflict',
        'Review this batch first: the prices to accept are the ones its review shows.',
        { reason: 'review-required' },
      );
    const ids = new Set(review.items.map((i) => i.itemId));
    const unknown = [...(choices.accept ?? []), ...(choices.leaveOut ?? [])].filter(
      (id) => !ids.has(id),
    );
    if (unknown.length > 0)
      throw new AppError(
        'invalid-request',
        `Not in this batch: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}.`,
        { reason: 'item-not-in-batch' },
      );
    return review.items;
  }

  /** Applies the decision on each item (one transaction): dropped items leave, kept ones take their price and amount. */
  private repairItems(
    b: BatchRecord,
    checked: readonly CheckedItem[],
    choices: Choices,
  ): { dropped: { itemId: string; reason: string }[]; repriced: number } {
    const { store } = this.ctx;
    const decisions = decideItems(store.batches.items(b.id), checked, choices, this.toleranceOf(b));
    const dropped = decisions.flatMap((d) =>
      d.drop ? [{ itemId: d.itemId, reason: d.drop }] : [],
    );
    const repriced = decisions.filter((d) => !d.drop && d.repriced).length;
    store.transaction(() => {
      for (const d of decisions)
        store.batches.updateItem(
          b.id,
          d.itemId,
          d.drop
            ? { droppedReason: d.drop }
            : { priceUsd: d.priceUsd, priceCents: d.priceCents, amount: d.amount },
        );
      store.events.append({
        kind: 'batch:repaired',
        runId: b.runId,
        batchId: b.id,
        payload: { dropped, repriced, accepted: [...choices.accept] },
      });
    });
    return { dropped, repriced };
  }

  private toleranceOf(b: BatchRecord): number {
    return this.ctx.store.plans.get(b.planId)?.options.priceToleranceBp ?? 0;
  }
}

function choicesOf(choices: ReviewChoices): Choices {
  return { accept: new Set(choices.accept ?? []), leaveOut: new Set(choices.leaveOut ?? []) };
}

function waitsForTheTrader(
  b: BatchRecord | null,
): b is BatchRecord & { state: 'needs-review' | 'blocked' } {
  return b !== null && (b.state === 'needs-review' || b.state === 'blocked');
}
