import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import { fakeInventoryRow, type FakeBulkSeller } from '../../testing/fake-bulk-seller';
import { useInventory } from './inventory-store';
import { filterInventory, rowIndexOf } from './inventory-view';
import { selectAllShown, visibleRows } from './selection';

let fake: FakeBulkSeller;
const view = { accountId: 'acc-1', game: '730' as const };
beforeEach(() => {
  fake = useFakeBridge();
  fake.state.inventory = Array.from({ length: 30 }, (_, i) =>
    fakeInventoryRow(i, { tradable: i !== 3 }),
  );
});

describe('inventory store', () => {
  it('loads the whole cached inventory in one compact call, in main’s name order', async () => {
    await useInventory.getState().open(view);
    const s = useInventory.getState();
    expect(s.prepared?.rows).toHaveLength(30);
    expect(s.status).toBe('idle');
    expect(
      fake.calls
        .filter((c) => c.method.startsWith('inventory') || c.method === 'listInventory')
        .map((c) => [c.method, c.request]),
    ).toEqual([['inventoryColumns', { accountId: 'acc-1', game: '730' }]]);
    const names = [...s.prepared!.byName].map((i) => s.prepared!.rows[i]!.name);
    expect(names).toEqual([...names].sort());
    // The columns decode to exactly the rows main holds.
    const first = fake.state.inventory.find((r) => r.itemId === s.prepared!.rows[0]!.itemId);
    expect(s.prepared!.rows[0]).toEqual(first);
  });

  it('a large inventory arrives whole: every row, key and order at once', async () => {
    fake.state.inventory = Array.from({ length: 60_000 }, (_, i) => fakeInventoryRow(i));
    const seen: number[] = [];
    const off = useInventory.subscribe((s) => seen.push(s.prepared?.rows.length ?? 0));
    await useInventory.getState().open(view);
    off();
    // Never a partial table: nothing, then all of it.
    expect(new Set(seen.filter((n) => n > 0))).toEqual(new Set([60_000]));
    const done = useInventory.getState().prepared!;
    expect(done.byName).toHaveLength(60_000);
    expect(done.keys).toHaveLength(60_000);
    expect(useInventory.getState().status).toBe('idle');
    expect(fake.calls.filter((c) => c.method === 'inventoryColumns')).toHaveLength(1);
  });

  it('fetch stores the snapshot and shows the rows', async () => {
    await useInventory.getState().fetch(view);
    expect(useInventory.getState().snapshots).toHaveLength(1);
    expect(useInventory.getState().prepared?.rows).toHaveLength(30);
  });

  it('fetch offline shows main’s message and keeps the cached rows', async () => {
    await useInventory.getState().open(view);
    fake.state.online = false;
    await useInventory.getState().fetch(view, true);
    expect(useInventory.getState().error).toMatch(/offline/i);
    expect(useInventory.getState().prepared?.rows).toHaveLength(30);
    expect(useInventory.getState().status).toBe('idle');
  });

  it('select all matching selects only sellable rows; selectedRows returns them', async () => {
    await useInventory.getState().open(view);
    const p = useInventory.getState().prepared!;
    const order = filterInventory(p, useInventory.getState().filter);
    const rows = visibleRows(order, p.keys, p.sellable, (k) => rowIndexOf(p, k));
    useInventory.getState().setSelection(selectAllShown(useInventory.getState().selection, rows));
    expect(useInventory.getState().selection.selected.size).toBe(29);
    expect(
      useInventory
        .getState()
        .selectedRows()
        .map((r) => r.itemId),
    ).not.toContain('item-000003');
  });

  it('a reload keeps selections that still exist and are still sellable', async () => {
    await useInventory.getState().open(view);
    const keep = fake.state.inventory[1]!.itemId;
    const lose = fake.state.inventory[2]!.itemId;
    useInventory.getState().setSelection({ selected: new Set([keep, lose]), anchor: keep });
    fake.state.inventory[2] = { ...fake.state.inventory[2]!, accepted: false };
    await useInventory.getState().open(view);
    expect([...useInventory.getState().selection.selected]).toEqual([keep]);
  });

  it('switching account clears the selection and ignores a late answer for the old view', async () => {
    await useInventory.getState().open(view);
    useInventory
      .getState()
      .setSelection({ selected: new Set([fake.state.inventory[0]!.itemId]), anchor: null });
    const slow = useInventory.getState().open({ accountId: 'acc-2', game: '730' });
    expect(useInventory.getState().selection.selected.size).toBe(0);
    await slow;
    expect(useInventory.getState().prepared?.rows).toHaveLength(0);
  });
});

describe('inventory store: filters per game', () => {
  it('a CS2 filter does not follow the trader to Rust; another CS2 account keeps it', async () => {
    await useInventory.getState().open(view);
    useInventory.getState().setFilter({ type: 'Pistol', search: 'ak', sort: 'priceDesc' });
    await useInventory.getState().open({ accountId: 'acc-2', game: '730' });
    expect(useInventory.getState().filter).toMatchObject({ type: 'Pistol', search: 'ak' });
    await useInventory.getState().open({ accountId: 'acc-2', game: '252490' });
    // The sort is a preference, not a filter: it stays.
    expect(useInventory.getState().filter).toMatchObject({
      type: '',
      search: '',
      sort: 'priceDesc',
    });
  });

  it('rows sold since the fetch are not sellable; a stack keeps the units left', async () => {
    fake.state.inventory = [
      fakeInventoryRow(1, { amount: 0, taken: { soldUnits: 1, sellingUnits: 0, planName: 'A' } }),
      fakeInventoryRow(2, {
        amount: 150,
        taken: { soldUnits: 50, sellingUnits: 0, planName: 'A' },
      }),
    ];
    await useInventory.getState().open(view);
    const p = useInventory.getState().prepared!;
    const sellable = (itemId: string) => p.sellable[rowIndexOf(p, itemId)];
    expect(sellable('item-000001')).toBe(0);
    expect(sellable('item-000002')).toBe(1);
  });
});
