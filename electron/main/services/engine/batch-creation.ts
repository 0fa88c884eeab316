import type { GameId } from '../../../../shared/api/games';
import { AppError } from '../../../../shared/errors';
import type { Store } from '../store';
import { buildSellRequest, chunkSizes, externalIdFor } from '../../../../shared/planner';

/*
 * Creating a run's batches a chunk at a time (design §5, performance §9).
 * A 100,000-item run is 400 batches and their 100,000 item rows; writing them
 * all before the first sell would hold the first request back for a second.
 * The run records what it will hold (runs.planned_*), the first chunk is
 * written with the run, and the engine writes the rest while those requests
 * are in flight. Chunks follow plan order — group by group (one account and
 * game), each group split by the planner — so where the next chunk starts is
 * simply "how many batches the run has", and a restart picks up from there.
 */

interface Group {
  accountId: string;
  game: GameId;
  /** The planner's split of the group: batch k holds split[k] items. */
  split: number[];
}

interface Cursor {
  planId: string;
  isInstant: boolean;
  groups: Group[];
  /** Next group, and the next batch within it. */
  group: number;
  index: number;
  /** Batches the run has (= the seq of the last one). */
  created: number;
}

export class BatchCreator {
  /** Where each run with pending batches stands; rebuilt from the database when missing or stale. */
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly store: Store,
    private readonly newId: () => string,
  ) {}

  /** The batch count of a plan's run, from its groups (nothing is written). */
  static plannedBatches(groups: readonly { count: number }[], batchSize: number): number {
    return groups.reduce((n, g) => n + chunkSizes(g.count, batchSize).length, 0);
  }

  /** A new run's cursor from the groups its creation already read (saves reading them again). */
  begin(
    runId: string,
    planId: string,
    groups: readonly { accountId: string; game: string; count: number }[],
    options: { batchSize: number; isInstant: boolean },
  ): void {
    this.cursors.set(runId, {
      planId,
      isInstant: options.isInstant,
      groups: groups.map((g) => ({
        accountId: g.accountId,
        game: g.game as GameId,
        split: chunkSizes(g.count, options.batchSize),
      })),
      group: 0,
      index: 0,
      created: 0,
    });
  }

  /**
   * Writes up to `max` more batches of the run (inside the caller's
   * transaction) and returns true once every batch exists. A body that cannot
   * be built is refused with the batch and account named.
   */
  createNext(runId: string, max: number): boolean {
    const run = this.store.runs.require(runId);
    if (!run.batchesPending) return true;
    const cursor = this.cursorFor(runId, run.planId);
    try {
      for (let made = 0; made < max && cursor.group < cursor.groups.length;) {
        made += this.writeChunk(runId, cursor, max - made);
      }
    } catch (error) {
      this.cursors.delete(runId);
      throw error;
    }
    if (cursor.group < cursor.groups.length) return false;
    this.store.runs.batchesCreated(runId);
    this.cursors.delete(runId);
    return true;
  }

  private writeChunk(runId: string, cursor: Cursor, max: number): number {
    const group = cursor.groups[cursor.group]!;
    const account = this.store.accounts.require(group.accountId);
    const first = cursor.index;
    const last = Math.min(group.split.length, first + max);
    const offset = group.split.slice(0, first).reduce((a, b) => a + b, 0);
    const columns = this.store.plans.groupColumns(cursor.planId, group.accountId, group.game, {
      offset,
      count: group.split.slice(first, last).reduce((a, b) => a + b, 0),
    });
    let at = 0;
    const batches = [];
    for (let k = first; k < last; k++) {
      const size = group.split[k]!;
      const seq = cursor.created + 1 + (k - first);
      const id = this.newId();
      const externalId = externalIdFor(id, 1);
      const items = [];
      for (let i = at; i < at + size; i++)
        items.push({
          itemId: columns.itemIds[i]!,
          priceUsd: columns.prices[i]!,
          amount: columns.amounts[i]!,
        });
      const body = buildSellRequest({
        tradeUrl: account.tradeUrl,
        game: group.game,
        externalId,
        isInstant: cursor.isInstant,
        items,
      });
      if (!body.ok) {
        throw new AppError(
          'invalid-request',
          `Batch ${seq} (account “${account.label}”): ${body.message}`,
          { reason: body.reason, accountId: group.accountId },
        );
      }
      let totalCents = 0;
      for (let i = at; i < at + size; i++) totalCents += columns.cents[i]! * columns.amounts[i]!;
      batches.push({ id, seq, externalId, requestBody: body.text, itemCount: size, totalCents });
      at += size;
    }
    this.store.batches.insertGroup({
      runId,
      planId: cursor.planId,
      accountId: group.accountId,
      game: group.game,
      isInstant: cursor.isInstant,
      split: group.split,
      first,
      batches,
    });
    cursor.created += batches.length;
    cursor.index = last;
    if (cursor.index === group.split.length) {
      cursor.group++;
      cursor.index = 0;
    }
    return batches.length;
  }

  private cursorFor(runId: string, planId: string): Cursor {
    const created = this.store.batches.countByRun(runId);
    const cached = this.cursors.get(runId);
    if (cached && cached.created === created) return cached;
    const options = this.store.plans.optionsOf(planId);
    const groups = this.store.plans.groups(planId).map((g) => ({
      accountId: g.accountId,
      game: g.game as GameId,
      split: chunkSizes(g.count, options.batchSize),
    }));
    const cursor: Cursor = {
      planId,
      isInstant: options.isInstant,
      groups,
      group: 0,
      index: 0,
      created,
    };
    // The run's batches are a prefix of the plan's split, in order: skip what exists.
    let left = created;
    while (cursor.group < groups.length && left >= groups[cursor.group]!.split.length) {
      left -= groups[cursor.group]!.split.length;
      cursor.group++;
    }
    cursor.index = left;
    this.cursors.set(runId, cursor);
    return cursor;
  }
}
