import { afterEach, describe, expect, it } from 'vitest';
import type { BatchRecord } from '../../electron/main/services/store';
import { Harness } from './engine-support/harness';

/*
 * The send pipeline (engine.ts fillSends): behind each request in flight the
 * next batch is already written ahead, so it leaves the moment the answer's
 * head is in. A batch written ahead is durable and in `sending`; if it may no
 * longer go, it must go back to `queued` unsent — never sent by surprise,
 * never left looking ambiguous.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Four batches of 10 at concurrency 1, started; resolves once the second one is written ahead. */
async function secondWrittenAhead(
  latencyMs: number,
): Promise<{ h: Harness; runId: string; second: BatchRecord }> {
  const harness = await Harness.start({
    emulator: { latencyMs, lifecycle: { stepMs: 40 } },
    engine: { concurrency: 1 },
  });
  const id = harness.addAccount(62_001);
  await harness.fetchInventory(id);
  await harness.engine.start();
  const { runId } = await harness.submit(harness.sellable(id).slice(0, 40), { batchSize: 10 });
  await harness.waitFor(
    'second batch written ahead',
    () => harness.store.batches.listByRun(runId)[1]?.state === 'sending',
  );
  return { h: harness, runId, second: harness.store.batches.listByRun(runId)[1]! };
}

describe('engine: the send pipeline', () => {
  it('writes the next batch ahead while the request before it is in flight; nothing is sent twice', async () => {
    const started = await secondWrittenAhead(150);
    h = started.h;
    // One request in flight (concurrency 1), the next one written and waiting for its slot.
    expect(h.emulator.state().requestCounts.sell).toBe(1);
    await h.waitForBatches(started.runId, ['settled']);
    expect(h.emulator.state().requestCounts.sell).toBe(4);
    for (const b of h.store.batches.listByRun(started.runId))
      expect(h.store.batches.sends(b.id).map((x) => x.outcomeKind)).toEqual(['ok']);
    expect(h.check({ runId: started.runId }).violations).toEqual([]);
  });

  it('a batch written ahead goes back to queued unsent when the run is paused, and leaves as it was on resume', async () => {
    const { runId, second, ...rest } = await secondWrittenAhead(200);
    h = rest.h;
    h.engine.pauseRun(runId);
    await h.waitForSendsDone();

    const back = h.store.batches.get(second.id)!;
    expect(back.state).toBe('queued');
    expect(back.externalId).toBe(second.externalId);
    expect(h.store.batches.sends(second.id).map((x) => x.outcomeKind)).toEqual(['not-sent']);
    expect(h.emulator.state().requestCounts.sell).toBe(1);
    expect(h.check({ runId }).violations).toEqual([]);

    h.engine.resumeRun(runId);
    await h.waitForBatches(runId, ['settled']);
    // The same body and externalId, attempt 1: it never left before.
    expect(h.store.batches.get(second.id)).toMatchObject({
      attempt: 1,
      externalId: second.externalId,
    });
    expect(h.emulator.state().requestCounts.sell).toBe(4);
    expect(h.soldTwice()).toEqual([]);
  });

  it('stopping the engine puts a batch written ahead back to queued (nothing to reconcile at the next start)', async () => {
    const { runId, second, ...rest } = await secondWrittenAhead(200);
    h = rest.h;
    await h.engine.stop();
    expect(h.store.batches.get(second.id)!.state).toBe('queued');

    await h.restart();
    await h.waitForBatches(runId, ['settled']);
    expect(h.soldTwice()).toEqual([]);
    expect(h.check({ runId }).violations).toEqual([]);
  });
});
