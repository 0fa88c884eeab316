import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './engine-support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('engine: happy path', () => {
  it('sells 1,000 items in 4 batches to completed, with exact bodies and a clean invariant', async () => {
    h = await Harness.start();
    await h.engine.start();
    const items = [];
    for (const partner of [11111, 22222, 33333, 44444]) {
      const id = h.addAccount(partner);
      await h.fetchInventory(id);
      items.push(...h.sellable(id).slice(0, 250));
    }
    expect(items).toHaveLength(1000);
    const { runId, planId } = await h.submit(items);
    const batches = h.store.batches.listByRun(runId);
    expect(batches).toHaveLength(4);
    expect(
      batches.every((b) => b.itemCount === 250 && /^bs-[0-9a-f-]{36}-1$/.test(b.externalId)),
    ).toBe(true);

    await h.waitForBatches(runId, ['settled']);
    const run = h.store.runs.summary(runId);
    expect(run.state).toBe('finished');
    expect(run.totals.items).toBe(1000);
    expect(run.totals.creditedCents).toBe(items.reduce((s, i) => s + i.priceCents, 0));

    const state = h.emulator.state();
    expect(state.trades).toHaveLength(4);
    expect(state.trades.every((t) => t.status === 'completed')).toBe(true);
    // Exactly one send per batch, and the body the emulator saw priced every item exactly as the inventory did.
    for (const b of h.store.batches.listByRun(runId)) {
      expect(h.store.batches.sends(b.id)).toHaveLength(1);
      const t = state.trades.find((x) => x.externalId === b.externalId)!;
      expect(t.itemIds.sort()).toEqual(
        h.store.batches
          .items(b.id)
          .map((i) => i.itemId)
          .sort(),
      );
    }
    const report = h.check({ runId });
    expect(report.violations).toEqual([]);
    expect(report.positions.settled).toBe(1000);
    expect(h.check({ planId }).positions.settled).toBe(1000);
    // Events: every batch got its last state delivered; coalescing kept them few.
    const lastBatchEvents = h.events.filter((e) => e.type === 'batch-updated');
    expect(new Set(lastBatchEvents.map((e) => (e as { batchId: string }).batchId)).size).toBe(4);
    expect(h.store.events.list({ runId }).some((e) => e.kind === 'batch:tracking->settled')).toBe(
      true,
    );
  });

  it('tracks a split basket through all its trades', async () => {
    h = await Harness.start({ emulator: { splitAbove: 100, lifecycle: { stepMs: 80 } } });
    await h.engine.start();
    const id = h.addAccount(55555);
    await h.fetchInventory(id);
    const items = h.sellable(id).slice(0, 240);
    const { runId } = await h.submit(items);
    await h.waitForBatches(runId, ['settled']);
    const [batch] = h.store.batches.listByRun(runId);
    const trades = h.store.trades.byBatch(batch!.id, batch!.attempt);
    expect(trades).toHaveLength(3);
    expect(trades.filter((t) => t.parentTradeId !== null)).toHaveLength(2);
    expect(trades.every((t) => t.status === 'completed')).toBe(true);
    expect(trades.reduce((n, t) => n + t.itemCount, 0)).toBe(240);
    expect(h.emulator.state().trades).toHaveLength(3);
    const report = h.check({ runId });
    expect(report.violations).toEqual([]);
    expect(report.positions.settled).toBe(240);
    expect(h.store.batches.view(batch!.id).trades).toHaveLength(3);
  });
});
