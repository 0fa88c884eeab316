import { afterEach, describe, expect, it } from 'vitest';
import type { PlanItem } from '../../shared/contract/views';
import { checkInvariant } from '../../electron/main/services/engine';
import { Harness } from './engine-support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function items(h: Harness, n: number): Promise<PlanItem[]> {
  const id = h.addAccount(71717);
  await h.fetchInventory(id);
  return h.sellable(id).slice(0, n);
}

describe('engine: run controls', () => {
  it('pause stops new sends (sent batches are still tracked); resume continues', async () => {
    h = await Harness.start({
      emulator: { latencyMs: 30, lifecycle: { stepMs: 60 } },
      engine: { concurrency: 1 },
    });
    const list = await items(h, 100);
    await h.engine.start();
    const { runId } = await h.submit(list, { batchSize: 10 });
    await h.waitFor('two sent', () => (h!.emulator.state().requestCounts.sell ?? 0) >= 2);
    expect(h.engine.pauseRun(runId).state).toBe('paused');
    await h.waitForSendsDone();
    const sells = h.emulator.state().requestCounts.sell;
    await h.waitFor(
      'sent ones settle while paused',
      () => (h!.batchStates(runId).settled ?? 0) >= 2,
    );
    expect(h.emulator.state().requestCounts.sell).toBe(sells);
    expect(h.store.runs.get(runId)!.state).toBe('paused');
    h.engine.resumeRun(runId);
    await h.waitForBatches(runId, ['settled']);
    expect(h.store.runs.get(runId)!.state).toBe('finished');
    expect(h.check({ runId }).violations).toEqual([]);
  });

  it('cancel cancels what was not sent; what was sent is tracked to the end', async () => {
    h = await Harness.start({
      emulator: { latencyMs: 30, lifecycle: { stepMs: 60 } },
      engine: { concurrency: 1 },
    });
    const list = await items(h, 100);
    await h.engine.start();
    const { runId } = await h.submit(list, { batchSize: 10 });
    await h.waitFor('three sent', () => (h!.emulator.state().requestCounts.sell ?? 0) >= 3);
    expect(h.engine.cancelRun(runId).state).toBe('canceled');
    await h.waitForBatches(runId, ['settled', 'canceled']);
    const counts = h.batchStates(runId);
    expect(counts.canceled).toBeGreaterThanOrEqual(5);
    expect((counts.settled ?? 0) + counts.canceled!).toBe(10);
    expect(h.emulator.state().trades).toHaveLength(counts.settled ?? 0);
    const report = h.check({ runId });
    expect(report.violations).toEqual([]);
    expect(report.positions['refused-or-skipped']).toBe(counts.canceled! * 10);
    expect(h.store.runs.get(runId)!.state).toBe('canceled');
    // The canceled items are free again for a new plan.
    const again = h.store.plans.create({ name: 'again', items: list.slice(90) });
    const diff = await h.engine.runPreflight(again.id);
    const run2 = h.engine.createRun(
      again.id,
      h.engine.acceptPreflight(again.id, diff.preflightId, []),
    );
    await h.waitForBatches(run2.id, ['settled']);
    expect(checkInvariant(h.store, { planId: again.id }).positions.settled).toBe(10);
  });

  it('stop and restart on the same database: nothing is sent twice, the run completes', async () => {
    h = await Harness.start({
      emulator: { latencyMs: 40, lifecycle: { stepMs: 60 } },
      engine: { concurrency: 3 },
    });
    const list = await items(h, 120);
    await h.engine.start();
    const { runId } = await h.submit(list, { batchSize: 10 });
    await h.waitFor('some sent', () => (h!.emulator.state().requestCounts.sell ?? 0) >= 4);
    await h.restart();
    await h.waitForBatches(runId, ['settled']);
    expect(h.check({ runId }).violations).toEqual([]);
    expect(h.emulator.state().trades.filter((t) => t.status === 'completed')).toHaveLength(12);
  });

  it('push events are coalesced (≤ 5/s per batch) and the last state of every batch is delivered', async () => {
    h = await Harness.start({
      emulator: { lifecycle: { stepMs: 30 } },
      engine: { concurrency: 4, timing: { coalesceMs: 200 } },
    });
    const list = await items(h, 200);
    await h.engine.start();
    const { runId } = await h.submit(list, { batchSize: 10 });
    await h.waitForBatches(runId, ['settled']);
    await new Promise((r) => setTimeout(r, 450));
    const perBatch = new Map<string, number>();
    for (const e of h.events)
      if (e.type === 'batch-updated') perBatch.set(e.batchId, (perBatch.get(e.batchId) ?? 0) + 1);
    expect(perBatch.size).toBe(20);
    const transitions = h.store.events
      .list({ runId, limit: 100_000 })
      .filter((e) => e.kind.startsWith('batch:')).length;
    const delivered = [...perBatch.values()].reduce((a, b) => a + b, 0);
    expect(delivered).toBeLessThan(transitions);
    // Per batch: deliveries at least 200 ms apart, and the last one after the batch's last transition.
    const times = new Map<string, number[]>();
    h.events.forEach((e, i) => {
      if (e.type !== 'batch-updated') return;
      const list = times.get(e.batchId) ?? [];
      list.push(h!.eventTimes[i]!);
      times.set(e.batchId, list);
    });
    for (const [batchId, list] of times) {
      for (let i = 1; i < list.length; i++)
        expect(list[i]! - list[i - 1]!).toBeGreaterThanOrEqual(190);
      const lastTransition = Date.parse(
        h.store.events
          .list({ batchId })
          .filter((e) => e.kind.startsWith('batch:'))
          .at(-1)!.at,
      );
      expect(list.at(-1)!).toBeGreaterThanOrEqual(lastTransition);
    }
    const runEvents = h.events.filter((e) => e.type === 'run-progress' && e.runId === runId);
    expect(runEvents.length).toBeGreaterThan(0);
    expect(h.store.runs.get(runId)!.state).toBe('finished');
  });
});
