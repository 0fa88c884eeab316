import { afterEach, describe, expect, it } from 'vitest';
import type { PlanItem } from '../../shared/contract/views';
import { Harness } from './engine-support/harness';

/*
 * Losing the network mid-run (design §5 "Offline"): a TCP proxy between the
 * client and the emulator is cut (listener closed, every connection reset)
 * and restored on the same port. The run waits with its state intact and
 * resumes by itself; nothing is sold twice and no batch is lost.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function twoAccounts(h: Harness, perAccount: number): Promise<PlanItem[]> {
  const items: PlanItem[] = [];
  for (const partner of [61616, 62626]) {
    const id = h.addAccount(partner);
    await h.fetchInventory(id);
    items.push(...h.sellable(id).slice(0, perAccount));
  }
  return items;
}

describe('engine: network loss', () => {
  it('the connection drops mid-run (requests in flight are reset): the run waits, resumes, nothing twice, nothing lost', async () => {
    h = await Harness.start({
      proxy: true,
      emulator: { latencyMs: 60, lifecycle: { stepMs: 80 } },
      engine: { concurrency: 4 },
    });
    const items = await twoAccounts(h, 200);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 20 });
    expect(h.store.runs.summary(runId).totals.batches).toBe(20);
    await h.waitFor(
      'a few batches sent',
      () => (h!.batchStates(runId).tracking ?? 0) + (h!.batchStates(runId).settled ?? 0) >= 4,
    );
    await h.proxy!.cut();
    await h.waitFor('run waiting', () => h!.store.runs.get(runId)!.state === 'waiting');
    // Requests that were in flight when the connection dropped may still be committed by the
    // server after their latency (that is why they are ambiguous): let them land first.
    await new Promise((r) => setTimeout(r, 250));
    const tradesAtCut = h.emulator.state().trades.length;
    const sellsAtCut = h.emulator.state().requestCounts.sell ?? 0;
    await new Promise((r) => setTimeout(r, 600));
    // Nothing reached AssetPay while the network was down; the batches kept their state.
    expect(h.emulator.state().requestCounts.sell ?? 0).toBe(sellsAtCut);
    expect(h.emulator.state().trades.length).toBe(tradesAtCut);
    const during = h.batchStates(runId);
    expect(Object.values(during).reduce((a, b) => a + b, 0)).toBe(20);
    expect(during.sending ?? 0).toBe(0);
    await h.proxy!.restore();
    await h.waitForBatches(runId, ['settled']);
    expect(h.store.runs.get(runId)!.state).toBe('finished');
    const report = h.check({ runId });
    expect(report.violations).toEqual([]);
    expect(report.positions.settled).toBe(400);
    const state = h.emulator.state();
    const sold = state.trades.filter((t) => t.status === 'completed').flatMap((t) => t.itemIds);
    expect(sold).toHaveLength(400);
    expect(new Set(sold)).toEqual(new Set(items.map((i) => i.itemId)));
    expect(h.store.events.list({ runId }).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['run:running->waiting', 'run:waiting->running']),
    );
    // The cut hit requests in flight (ambiguous) and refused new connects (not sent).
    const sends = h.store.batches.listByRun(runId).flatMap((b) => h!.store.batches.sends(b.id));
    expect(sends.some((s) => s.outcomeKind === 'not-sent')).toBe(true);
    expect(sends.some((s) => s.outcomeKind === 'ambiguous')).toBe(true);
    // Every batch used one externalId for one item set (also in the invariant).
    for (const b of h.store.batches.listByRun(runId))
      expect(new Set(h.store.batches.sends(b.id).map((s) => s.itemsKey)).size).toBe(1);
  });

  it('the app goes offline (setOnline(false)): runs wait with their state intact and resume by themselves', async () => {
    h = await Harness.start({
      emulator: { latencyMs: 40, lifecycle: { stepMs: 80 } },
      engine: { concurrency: 2 },
    });
    const items = await twoAccounts(h, 100);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 10 });
    await h.waitFor(
      'some sent',
      () => (h!.batchStates(runId).tracking ?? 0) + (h!.batchStates(runId).settled ?? 0) >= 2,
    );
    h.engine.setOnline(false);
    await h.waitFor('run waiting', () => h!.store.runs.get(runId)!.state === 'waiting');
    await h.waitForSendsDone();
    const sells = h.emulator.state().requestCounts.sell;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.emulator.state().requestCounts.sell).toBe(sells);
    expect(h.store.runs.get(runId)!.message).toMatch(/Offline/);
    h.engine.setOnline(true);
    await h.waitForBatches(runId, ['settled']);
    expect(h.check({ runId }).violations).toEqual([]);
  });

  it('"submit when online": an armed plan is checked and sent by itself when the connection returns', async () => {
    h = await Harness.start({ engine: { concurrency: 2 } });
    const items = await twoAccounts(h, 30);
    await h.engine.start();
    h.engine.setOnline(false);
    const plan = h.store.plans.create({
      name: 'armed',
      items,
      options: { batchSize: 15, priceToleranceBp: 500 },
    });
    expect(h.engine.armPlan(plan.id).status).toBe('armed');
    const [armed] = h.store.runs.byPlan(plan.id);
    expect(armed!.state).toBe('armed');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.emulator.state().requestCounts.sell ?? 0).toBe(0);
    h.engine.setOnline(true);
    await h.waitFor('batches', () => h!.store.batches.listByRun(armed!.id).length === 4);
    await h.waitForBatches(armed!.id, ['settled']);
    expect(h.store.runs.get(armed!.id)!.state).toBe('finished');
    expect(h.store.preflights.latest(plan.id)!.acceptedAt).not.toBeNull();
    expect(h.check({ runId: armed!.id }).violations).toEqual([]);
  });

  it('an armed plan whose prices fell beyond the tolerance is not sent; the trader is told', async () => {
    h = await Harness.start({ engine: { concurrency: 2 } });
    const items = await twoAccounts(h, 10);
    await h.engine.start();
    h.engine.setOnline(false);
    const plan = h.store.plans.create({
      name: 'armed',
      items,
      options: { batchSize: 10, priceToleranceBp: 0 },
    });
    h.engine.armPlan(plan.id);
    h.emulator.setPrice(items[0]!.itemId, Math.max(0.01, (items[0]!.priceCents - 5) / 100));
    h.engine.setOnline(true);
    const [run] = h.store.runs.byPlan(plan.id);
    await h.waitFor('armed run ended', () => h!.store.runs.get(run!.id)!.state === 'canceled');
    expect(h.store.runs.get(run!.id)!.message).toMatch(/beyond your tolerance/);
    expect(h.store.plans.summary(plan.id).status).toBe('draft');
    expect(h.events.some((e) => e.type === 'attention' && e.runId === run!.id)).toBe(true);
    expect(h.emulator.state().requestCounts.sell ?? 0).toBe(0);
  });
});
