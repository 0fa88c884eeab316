import { afterEach, describe, expect, it } from 'vitest';
import type { PlanItem } from '../../shared/contract/views';
import { Harness, sleep } from './engine-support/harness';

/*
 * Sells in flight found automatically (issue 13) against an AssetPay whose
 * bot fleet has finite capacity (emulator "Capacity model"). The fleet
 * shrinks mid-run from 32 bots to 8: the engine must follow it down, and
 * sell every item exactly once, whatever the fleet refused meanwhile.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('engine: sells in flight against a fleet of finite capacity', () => {
  it('the fleet shrinks mid-run (32 → 8 bots): the limit follows; nothing sold twice, nothing lost', async () => {
    h = await Harness.start({
      emulator: {
        // 32 bots of 400 ms serve 80 sells a second, under the verified tier's 79 a second.
        capacity: { bots: 32, serviceMs: 400, queue: 64 },
        lifecycle: { stepMs: 100 },
      },
      engine: { concurrency: 'auto' },
    });
    const items: PlanItem[] = [];
    for (const partner of [71_001, 71_011]) {
      const id = h.addAccount(partner);
      await h.fetchInventory(id);
      items.push(...h.sellable(id).slice(0, 240));
    }
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 3 });
    const limits: { t: number; limit: number }[] = [];
    const t0 = Date.now();
    const sampler = setInterval(
      () => limits.push({ t: Date.now() - t0, limit: h!.engine.stats().inFlightLimit }),
      50,
    );
    try {
      await h.waitFor('a third of the batches sold', () => {
        const c = h!.batchStates(runId);
        return (c.tracking ?? 0) + (c.settled ?? 0) >= 53;
      });
      const shrunkAt = Date.now() - t0;
      h.emulator.setBots(8);
      await h.waitForBatches(runId, ['settled'], 90_000);
      await sleep(100);
      const before = limits.filter((p) => p.t < shrunkAt);
      const late = limits.filter((p) => p.t > shrunkAt + 4_000);
      // It found the 32 bots, then came down to about 8 (a short queue on top is fine).
      expect(Math.max(...before.map((p) => p.limit))).toBeGreaterThanOrEqual(24);
      expect(late.length).toBeGreaterThan(0);
      expect(Math.max(...late.map((p) => p.limit))).toBeLessThanOrEqual(16);
    } finally {
      clearInterval(sampler);
    }
    const report = h.check({ runId });
    expect(report.violations).toEqual([]);
    expect(report.positions.settled).toBe(480);
    expect(h.soldTwice()).toEqual([]);
    const fleet = h.emulator.state().capacity!;
    const sells = h.store.batches
      .listByRun(runId)
      .reduce((n, b) => n + h!.store.batches.sends(b.id).length, 0);
    // The refusals the shrink caused were retried as new attempts; they stay a small share.
    expect(fleet.refusedNoBots + fleet.refusedDegraded).toBeLessThan(sells * 0.1);
  });
});
