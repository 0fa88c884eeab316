import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import { fakeInventoryRow, type FakeBulkSeller } from '../../testing/fake-bulk-seller';
import type { PreflightDiff } from '../../../../shared/contract';
import { usePlan } from './plan-store';
import { acceptedItemIds, goingAheadCount, useSubmit } from './submit-store';

let fake: FakeBulkSeller;
beforeEach(async () => {
  fake = useFakeBridge();
  fake.state.inventory = Array.from({ length: 600 }, (_, i) =>
    fakeInventoryRow(i, { priceCents: 100 }),
  );
  await usePlan.getState().addRows(fake.state.inventory);
});

describe('submit flow', () => {
  it('pre-flight → accept ticked changes → confirmation → run', async () => {
    fake.state.currentPrices.set('item-000005', 0.9); // down
    fake.state.currentPrices.set('item-000006', 1.2); // up
    fake.state.currentPrices.set('item-000007', null); // gone
    const planId = usePlan.getState().draft!.id;
    await useSubmit.getState().preflight(planId);
    const s = useSubmit.getState();
    expect(s.step).toBe('review');
    expect(s.diff?.counts).toMatchObject({ priceDown: 1, priceUp: 1, unavailable: 1 });
    // The diff lists the changed items only; nothing ticked: none of them is accepted.
    expect(s.diff!.rows.map((r) => r.itemId).sort()).toEqual([
      'item-000005',
      'item-000006',
      'item-000007',
    ]);
    expect(acceptedItemIds(s.diff!, s.ticked)).toEqual([]);
    // The 597 unchanged items are counted, not listed: they go ahead.
    expect(goingAheadCount(s.diff!, s.ticked)).toBe(597);
    useSubmit.getState().toggle('item-000005');
    await useSubmit.getState().accept();
    expect(useSubmit.getState().step).toBe('confirm');
    const accepted = fake.calls.find((c) => c.method === 'acceptPreflight')!.request as {
      acceptedItemIds: string[];
    };
    expect(accepted.acceptedItemIds).toEqual(['item-000005']);
    expect(accepted.acceptedItemIds).not.toContain('item-000006');
    expect(accepted.acceptedItemIds).not.toContain('item-000007');
    const confirmation = useSubmit.getState().confirmation!;
    expect(confirmation).toMatchObject({ itemCount: 598, batchCount: 3 });
    const runId = await useSubmit.getState().confirm();
    expect(runId).toBeTruthy();
    expect(
      (fake.calls.find((c) => c.method === 'startRun')!.request as { confirmation: unknown })
        .confirmation,
    ).toEqual(confirmation);
    expect(useSubmit.getState().step).toBe('idle');
  });

  it('nothing starts a run before the trader confirms', async () => {
    await useSubmit.getState().preflight(usePlan.getState().draft!.id);
    await useSubmit.getState().accept();
    expect(fake.calls.some((c) => c.method === 'startRun')).toBe(false);
    useSubmit.getState().reset();
    expect(useSubmit.getState().confirmation).toBeNull();
  });

  it('pre-flight offline shows main’s message', async () => {
    fake.state.online = false;
    await useSubmit.getState().preflight(usePlan.getState().draft!.id);
    expect(useSubmit.getState()).toMatchObject({
      step: 'idle',
      error: 'Pre-flight needs a connection.',
    });
  });

  it('a stale confirmation refused by main keeps the dialog with the reason', async () => {
    await useSubmit.getState().preflight(usePlan.getState().draft!.id);
    await useSubmit.getState().accept();
    fake.failNext('startRun', {
      code: 'conflict',
      message: 'The plan changed since you confirmed.',
    });
    expect(await useSubmit.getState().confirm()).toBeNull();
    expect(useSubmit.getState()).toMatchObject({
      step: 'confirm',
      error: 'The plan changed since you confirmed.',
    });
  });

  it('auto-accepted changes go ahead without a tick', () => {
    const diff = {
      rows: [
        { itemId: 'a', change: 'price-down', autoAccepted: true },
        { itemId: 'b', change: 'price-down', autoAccepted: false },
        { itemId: 'c', change: 'not-accepted', autoAccepted: false },
        { itemId: 'd', change: 'unchanged', autoAccepted: false },
      ],
    } as unknown as PreflightDiff;
    expect(acceptedItemIds(diff, new Set())).toEqual(['a', 'd']);
    expect(acceptedItemIds(diff, new Set(['b', 'c']))).toEqual(['a', 'b', 'd']);
  });
});
