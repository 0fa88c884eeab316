import { afterEach, describe, expect, it } from 'vitest';
import type { PlanItem } from '../../shared/contract/views';
import { Harness } from './engine-support/harness';

/*
 * A run's batches are written a chunk at a time (engine/batch-creation.ts):
 * the first chunk with the run, so the first requests leave at once, the rest
 * while those are in flight. These tests pin what must not change because of
 * that: plan order, restarts, cancel, and items nobody else may take.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CONCURRENCY = 2;
/** What the engine writes with the run: the first round of sends. */
const FIRST_CHUNK = CONCURRENCY;

/** 120 items over two accounts: 24 batches of 5, in two groups of 12. */
async function twoAccounts(h: Harness): Promise<PlanItem[]> {
  const items: PlanItem[] = [];
  for (const partner of [61_001, 61_011]) {
    const id = h.addAccount(partner);
    await h.fetchInventory(id);
    items.push(...h.sellable(id).slice(0, 60));
  }
  return items;
}

function start(latencyMs: number, concurrency = CONCURRENCY): Promise<Harness> {
  return Harness.start({
    emulator: { latencyMs, lifecycle: { stepMs: 40 } },
    engine: { concurrency },
  });
}

describe('engine: a run’s batches are written a chunk at a time', () => {
  it('writes the first chunk with the run and the rest while it sells, in plan order', async () => {
    h = await start(60);
    const items = await twoAccounts(h);
    await h.engine.start();
    // 60 items per account in batches of at most 7: 9 batches each, six of 7 then three of 6,
    // so chunks of 2 cross from one account to the next (9–10) and from one size to the other (15–16).
    const { runId } = await h.submit(items, { batchSize: 7 });

    expect(h.store.batches.countByRun(runId)).toBe(FIRST_CHUNK);
    expect(h.store.runs.summary(runId).totals).toMatchObject({ batches: 18, items: 120 });
    await h.waitForBatches(runId, ['settled']);

    const batches = h.store.batches.listByRun(runId);
    expect(batches.map((b) => b.seq)).toEqual(Array.from({ length: 18 }, (_, k) => k + 1));
    expect(batches.map((b) => b.itemCount)).toEqual([
      7, 7, 7, 7, 7, 7, 6, 6, 6, 7, 7, 7, 7, 7, 7, 6, 6, 6,
    ]);
    // Batch after batch, the items are the plan's, in its order, one account per batch.
    expect(batches.flatMap((b) => h!.store.batches.items(b.id).map((i) => i.itemId))).toEqual(
      items.map((i) => i.itemId),
    );
    const accountOf = new Map(items.map((i) => [i.itemId, i.accountId]));
    for (const b of batches)
      expect(new Set(h.store.batches.items(b.id).map((i) => accountOf.get(i.itemId)))).toEqual(
        new Set([b.accountId]),
      );
    expect(h.store.runs.get(runId)!.state).toBe('finished');
    expect(h.store.runs.get(runId)!.batchesPending).toBe(false);
    expect(h.check({ runId }).violations).toEqual([]);
    expect(h.soldTwice()).toEqual([]);
  });

  it('a restart before the rest is written picks up where the run’s batches stop', async () => {
    h = await start(40);
    const items = await twoAccounts(h);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 5 });
    await h.engine.stop();
    expect(h.store.batches.countByRun(runId)).toBe(FIRST_CHUNK);
    expect(h.store.runs.get(runId)!.batchesPending).toBe(true);

    await h.restart();
    await h.waitForBatches(runId, ['settled']);
    expect(h.store.batches.countByRun(runId)).toBe(24);
    expect(h.store.runs.get(runId)!.state).toBe('finished');
    expect(h.check({ runId }).violations).toEqual([]);
    expect(h.check().positions).toMatchObject({ settled: 120 });
    expect(h.soldTwice()).toEqual([]);
  });

  it('cancel while batches are still being written: every planned item gets its batch, the unsent ones canceled', async () => {
    h = await start(200, 1);
    const items = await twoAccounts(h);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 5 });
    h.engine.cancelRun(runId);

    const states = h.batchStates(runId);
    expect(Object.values(states).reduce((a, b) => a + b, 0)).toBe(24);
    expect(states.canceled).toBeGreaterThanOrEqual(22);
    expect(h.store.runs.get(runId)!.batchesPending).toBe(false);
    await h.waitForSendsDone();
    await h.waitForBatches(runId, ['settled', 'canceled']);
    expect(h.store.runs.get(runId)!.state).toBe('canceled');
    expect(h.check({ runId }).violations).toEqual([]);
  });

  it('another plan cannot take an item whose batch is not written yet', async () => {
    h = await start(40);
    const items = await twoAccounts(h);
    await h.engine.start();
    // The other plan's price check is accepted first, while nothing holds the item.
    const last = items[items.length - 1]!;
    const other = h.store.plans.create({ name: 'other', items: [last] });
    const diff = await h.engine.runPreflight(other.id);
    const confirmation = h.engine.acceptPreflight(other.id, diff.preflightId, []);

    const { runId } = await h.submit(items, { batchSize: 5 });
    await h.engine.stop();
    // Stopped, so nothing writes the rest meanwhile: the item has no batch yet.
    expect(h.store.batches.countByRun(runId)).toBe(FIRST_CHUNK);
    expect(h.store.batches.liveItemIds().has(last.itemId)).toBe(true);
    expect(() => h!.engine.createRun(other.id, confirmation)).toThrow(
      /1 item is already in a batch/,
    );
    expect(h.store.runs.byPlan(other.id)).toEqual([]);

    await h.restart();
    await h.waitForBatches(runId, ['settled']);
    expect(h.soldTwice()).toEqual([]);
  });
});
