import { describe, expect, it } from 'vitest';
import { fakeInventoryRow } from '../../testing/fake-bulk-seller';
import { DEFAULT_FILTER, filterInventory, prepareInventory } from './inventory-view';
import { groupEntries, groupInventory, pickFromGroup, sellableKeys } from './grouping';

const door = (i: number, cents: number, wear: string | null, patch = {}) =>
  fakeInventoryRow(i, {
    game: '252490',
    name: 'Alien Red',
    marketHashName: 'Alien Red',
    type: 'Door',
    exterior: null,
    wear,
    priceCents: cents,
    priceUsd: cents / 100,
    marketPriceCents: cents * 2,
    ...patch,
  });
const rows = [
  door(0, 500, null),
  fakeInventoryRow(1, {
    name: 'AK-47 | Redline',
    marketHashName: 'AK-47 | Redline (Field-Tested)',
    exterior: 'Field-Tested',
    wear: '0.30',
    priceCents: 1000,
    marketPriceCents: 1250,
  }),
  door(2, 300, null),
  fakeInventoryRow(3, {
    name: 'AK-47 | Redline',
    marketHashName: 'AK-47 | Redline (Field-Tested)',
    exterior: 'Field-Tested',
    wear: '0.16',
    priceCents: 1200,
    marketPriceCents: 1250,
  }),
  fakeInventoryRow(4, {
    name: 'AK-47 | Redline',
    marketHashName: 'AK-47 | Redline (Minimal Wear)',
    exterior: 'Minimal Wear',
    wear: '0.08',
    priceCents: 2000,
    marketPriceCents: null,
  }),
  door(5, 300, null, { tradable: false }),
  door(6, 700, null, { amount: 4, maxAmount: 4 }),
  fakeInventoryRow(7, {
    name: 'AK-47 | Redline',
    marketHashName: 'AK-47 | Redline (Field-Tested)',
    exterior: 'Field-Tested',
    wear: '0.21',
    priceCents: 1000,
    marketPriceCents: 1250,
  }),
];
const p = prepareInventory(rows);
const all = filterInventory(p, DEFAULT_FILTER);

describe('groups of identical items', () => {
  it('groups by market hash name (exterior included), in the order of their first item', () => {
    const groups = groupInventory(p, all);
    expect(groups.map((g) => rows[g.first]!.marketHashName)).toEqual([
      'AK-47 | Redline (Field-Tested)',
      'AK-47 | Redline (Minimal Wear)',
      'Alien Red',
    ]);
    const ft = groups[0]!;
    expect([...ft.rows].map((i) => rows[i]!.itemId)).toEqual([
      'item-000001',
      'item-000003',
      'item-000007',
    ]);
    expect(ft).toMatchObject({
      sellableCount: 3,
      units: 3,
      minCents: 1000,
      maxCents: 1200,
      sellableCents: 3200,
    });
    expect(ft.shareBp).toBe(Math.floor((3200 * 10_000) / 3750));
    // Rust: 4 items, one not tradable; the stack of 4 counts its units.
    expect(groups[2]).toMatchObject({
      sellableCount: 3,
      units: 7,
      sellableUnits: 6,
      minCents: 300,
      maxCents: 700,
      sellableCents: 500 + 300 + 700 * 4,
    });
    expect(groups[1]!.shareBp).toBeNull();
  });

  it('follows the filter and the sort of the items', () => {
    const dearFirst = groupInventory(
      p,
      filterInventory(p, { ...DEFAULT_FILTER, sort: 'priceDesc' }),
    );
    expect(rows[dearFirst[0]!.first]!.marketHashName).toBe('AK-47 | Redline (Minimal Wear)');
    const sellable = groupInventory(
      p,
      filterInventory(p, { ...DEFAULT_FILTER, search: 'alien', sellableOnly: true }),
    );
    expect(sellable).toHaveLength(1);
    expect(sellable[0]!.rows).toHaveLength(3);
  });

  it('lists headers, and the items of open groups under them', () => {
    const groups = groupInventory(p, all);
    expect([...groupEntries(groups, new Set())]).toEqual([-1, -2, -3]);
    expect([...groupEntries(groups, new Set([groups[0]!.key]))]).toEqual([-1, 1, 3, 7, -2, -3]);
  });

  it('picks N cheapest, dearest or lowest float first, skipping what the plan holds', () => {
    const [ft, , doors] = groupInventory(p, all);
    expect(pickFromGroup(p, doors!, 2, 'cheapest')).toEqual(['item-000002', 'item-000000']);
    expect(pickFromGroup(p, doors!, 1, 'dearest')).toEqual(['item-000006']);
    expect(pickFromGroup(p, ft!, 2, 'lowest-float')).toEqual(['item-000003', 'item-000007']);
    expect(pickFromGroup(p, ft!, 5, 'cheapest', (k) => k === 'item-000001')).toEqual([
      'item-000007',
      'item-000003',
    ]);
    // Ties keep the table's order; never an unsellable item; never more than asked.
    expect(pickFromGroup(p, doors!, 10, 'cheapest')).not.toContain('item-000005');
    expect(pickFromGroup(p, doors!, 0, 'cheapest')).toEqual([]);
    expect(sellableKeys(p, doors!)).toEqual(['item-000000', 'item-000002', 'item-000006']);
  });

  it('groups 50,000 items in one linear pass', () => {
    const many = Array.from({ length: 50_000 }, (_, i) =>
      fakeInventoryRow(i, { marketHashName: `Skin ${i % 700}`, exterior: null }),
    );
    const big = prepareInventory(many);
    const groups = groupInventory(big, filterInventory(big, DEFAULT_FILTER));
    expect(groups).toHaveLength(700);
    expect(groups.reduce((n, g) => n + g.rows.length, 0)).toBe(50_000);
  });
});
