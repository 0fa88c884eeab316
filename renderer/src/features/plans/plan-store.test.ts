import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import { fakeInventoryRow, type FakeBulkSeller } from '../../testing/fake-bulk-seller';
import { itemKey } from '../inventory/inventory-view';
import { AUTOSAVE_DELAY_MS, unitLimit, usePlan } from './plan-store';

let fake: FakeBulkSeller;
beforeEach(() => {
  fake = useFakeBridge();
  fake.state.inventory = [
    ...Array.from({ length: 10 }, (_, i) => fakeInventoryRow(i)),
    fakeInventoryRow(100, {
      game: '252490',
      name: 'Metal Fragments',
      amount: 500,
      maxAmount: 200,
      priceCents: 2,
    }),
    fakeInventoryRow(101, { tradable: false }),
  ];
});
afterEach(() => {
  vi.useRealTimers();
});

const updates = () => fake.calls.filter((c) => c.method === 'updatePlan');

describe('plan store', () => {
  it('adding rows without an open plan creates one and autosaves after a pause', async () => {
    vi.useFakeTimers();
    const result = await usePlan.getState().addRows(fake.state.inventory);
    expect(result).toEqual({ added: 11, skipped: 1, leftOut: 0 });
    expect(usePlan.getState().draft?.items).toHaveLength(11);
    expect(usePlan.getState().save).toBe('pending');
    expect(updates()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
    expect(updates()).toHaveLength(1);
    expect(usePlan.getState().save).toBe('saved');
    const saved = [...fake.state.plans.values()][0]!;
    expect(saved.items).toHaveLength(11);
  });

  it('debounces many edits into one save', async () => {
    vi.useFakeTimers();
    await usePlan.getState().create('P');
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 3));
    usePlan.getState().setOptions({ batchSize: 100 });
    usePlan.getState().rename('Weekend sell');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
    expect(updates()).toHaveLength(1);
    expect(updates()[0]!.request).toMatchObject({
      name: 'Weekend sell',
      options: { batchSize: 100 },
    });
  });

  it('does not add an item twice', async () => {
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 2));
    expect(await usePlan.getState().addRows(fake.state.inventory.slice(0, 3))).toEqual({
      leftOut: 0,
      added: 1,
      skipped: 2,
    });
    expect(usePlan.getState().draft?.items).toHaveLength(3);
  });

  it('bounds a Rust stack amount by the stack and offer.maxAmount', async () => {
    const rust = fake.state.inventory[10]!;
    expect(unitLimit(rust)).toBe(200);
    await usePlan.getState().addRows([rust]);
    const key = itemKey(rust);
    expect(usePlan.getState().draft?.items[0]?.amount).toBe(200);
    usePlan.getState().setAmount(key, 5000);
    expect(usePlan.getState().draft?.items[0]?.amount).toBe(200);
    usePlan.getState().setAmount(key, 0);
    expect(usePlan.getState().draft?.items[0]?.amount).toBe(1);
    usePlan.getState().setAmount(key, 42);
    await usePlan.getState().flush();
    expect(updates().at(-1)!.request).toMatchObject({
      items: [{ itemId: rust.itemId, amount: 42 }],
    });
  });

  it('edits made while a save is in flight are saved next, not lost', async () => {
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 1));
    const flushing = usePlan.getState().flush();
    await usePlan.getState().addRows(fake.state.inventory.slice(1, 2));
    await flushing;
    await usePlan.getState().flush();
    expect(usePlan.getState().draft?.items).toHaveLength(2);
    expect([...fake.state.plans.values()][0]!.items).toHaveLength(2);
    expect(usePlan.getState().save).toBe('saved');
  });

  it('a refused save shows main’s message and can be retried', async () => {
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 1));
    fake.failNext('updatePlan', { code: 'conflict', message: 'Item already in a live batch.' });
    await usePlan.getState().flush();
    expect(usePlan.getState()).toMatchObject({
      save: 'error',
      saveError: 'Item already in a live batch.',
    });
    await usePlan.getState().retrySave();
    expect(usePlan.getState().save).toBe('saved');
  });

  it('import saves pending edits first and reports every bad row with its number', async () => {
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 1));
    const csv = [
      'itemId,price',
      'item-000001,1.00',
      'nope-123,1.00',
      'item-000002,abc',
      'item-000003,2.5',
    ].join('\n');
    const report = await usePlan.getState().importText({
      source: 'list.csv',
      format: 'csv',
      text: csv,
      accountId: 'acc-1',
      game: '730',
    });
    const methods = fake.calls.map((c) => c.method);
    expect(methods.lastIndexOf('updatePlan')).toBeLessThan(methods.indexOf('importPlanItems'));
    expect(report?.imported).toBe(2);
    expect(report?.errors.map((e) => e.row)).toEqual([3, 4]);
    expect(usePlan.getState().draft?.items).toHaveLength(3);
    expect(usePlan.getState().importReport?.errors).toHaveLength(2);
  });

  it('arming flushes the draft and makes it read-only', async () => {
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 2));
    await usePlan.getState().arm();
    expect(usePlan.getState().draft?.status).toBe('armed');
    expect([...fake.state.plans.values()][0]!.items).toHaveLength(2);
    usePlan.getState().removeItems(new Set([itemKey(fake.state.inventory[0]!)]));
    expect(usePlan.getState().draft?.items).toHaveLength(2);
    await usePlan.getState().disarm();
    expect(usePlan.getState().draft?.status).toBe('draft');
  });

  it('export returns main’s file for download', async () => {
    await usePlan.getState().addRows(fake.state.inventory.slice(0, 2));
    const file = await usePlan.getState().exportPlan('csv');
    expect(file?.text.split('\n')).toHaveLength(3);
  });

  it("leaves out items whose offer is below the plan's % of market, when added and when the rule is set", async () => {
    const priced = [
      fakeInventoryRow(0, { priceCents: 850, marketPriceCents: 1000 }),
      fakeInventoryRow(1, { priceCents: 640, marketPriceCents: 1000 }),
      fakeInventoryRow(2, { priceCents: 500, marketPriceCents: null }),
      fakeInventoryRow(3, { priceCents: 800, marketPriceCents: 1000 }),
    ];
    await usePlan.getState().create('Rule');
    usePlan.getState().setOptions({ minMarketShareBp: 8000 });
    expect(await usePlan.getState().addRows(priced)).toEqual({ added: 3, skipped: 0, leftOut: 1 });
    const ids = () => usePlan.getState().draft!.items.map((i) => i.itemId);
    // No market price: cannot be judged, kept.
    expect(ids()).toEqual(['item-000000', 'item-000002', 'item-000003']);
    usePlan.getState().setOptions({ minMarketShareBp: 8500 });
    expect(ids()).toEqual(['item-000000', 'item-000002']);
    expect(usePlan.getState().draft!.options.minMarketShareBp).toBe(8500);
    // Switching the rule off keeps what is there (left-out items do not come back by themselves).
    usePlan.getState().setOptions({ minMarketShareBp: null });
    expect(ids()).toEqual(['item-000000', 'item-000002']);
  });
});
