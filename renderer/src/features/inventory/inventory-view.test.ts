import { describe, expect, it } from 'vitest';
import { fakeInventoryRow } from '../../testing/fake-bulk-seller';
import {
  DEFAULT_FILTER,
  filterInventory,
  isSellable,
  NO_EXTERIOR,
  prepareInventory,
  rowIndexOf,
} from './inventory-view';

const rows = [
  fakeInventoryRow(0, {
    name: 'AK-47 | Redline',
    type: 'Rifle',
    exterior: 'Field-Tested',
    priceCents: 1075,
  }),
  fakeInventoryRow(1, {
    name: 'AWP | Asiimov',
    type: 'Sniper Rifle',
    exterior: 'Battle-Scarred',
    priceCents: 5000,
  }),
  fakeInventoryRow(2, {
    name: 'Glock-18 | Fade',
    type: 'Pistol',
    exterior: 'Factory New',
    priceCents: 300,
    tradable: false,
  }),
  fakeInventoryRow(3, {
    name: 'ak-47 | Vulcan',
    type: 'Rifle',
    exterior: 'Field-Tested',
    priceCents: 2000,
    accepted: false,
  }),
  fakeInventoryRow(4, { name: 'Sticker | Crown', type: 'Sticker', exterior: null, priceCents: 99 }),
];
const prepared = prepareInventory(rows);
const names = (order: Int32Array) => [...order].map((i) => rows[i]!.name);

describe('inventory filter and sort', () => {
  it('sorts by name case-insensitively by default', () => {
    expect(names(filterInventory(prepared, DEFAULT_FILTER))).toEqual([
      'AK-47 | Redline',
      'ak-47 | Vulcan',
      'AWP | Asiimov',
      'Glock-18 | Fade',
      'Sticker | Crown',
    ]);
  });

  it('sorts by price both ways', () => {
    expect(names(filterInventory(prepared, { ...DEFAULT_FILTER, sort: 'priceAsc' }))[0]).toBe(
      'Sticker | Crown',
    );
    expect(names(filterInventory(prepared, { ...DEFAULT_FILTER, sort: 'priceDesc' }))[0]).toBe(
      'AWP | Asiimov',
    );
  });

  it('searches every term in name, market name and item id', () => {
    expect(names(filterInventory(prepared, { ...DEFAULT_FILTER, search: 'AK vulc' }))).toEqual([
      'ak-47 | Vulcan',
    ]);
    expect(
      names(filterInventory(prepared, { ...DEFAULT_FILTER, search: rows[1]!.itemId })),
    ).toEqual(['AWP | Asiimov']);
  });

  it('finds an item by its full market hash name, exterior included (what traders paste)', () => {
    const skins = [
      fakeInventoryRow(0, {
        name: 'AK-47 | Redline',
        marketHashName: 'AK-47 | Redline (Field-Tested)',
      }),
      fakeInventoryRow(1, {
        name: 'AK-47 | Redline',
        marketHashName: 'AK-47 | Redline (Minimal Wear)',
      }),
    ];
    const p = prepareInventory(skins);
    const found = filterInventory(p, {
      ...DEFAULT_FILTER,
      search: 'AK-47 | Redline (Field-Tested)',
    });
    expect([...found].map((i) => skins[i]!.itemId)).toEqual([skins[0]!.itemId]);
  });

  it('filters by type, exterior (including none) and price range in cents', () => {
    expect(filterInventory(prepared, { ...DEFAULT_FILTER, type: 'Rifle' })).toHaveLength(2);
    expect(names(filterInventory(prepared, { ...DEFAULT_FILTER, exterior: NO_EXTERIOR }))).toEqual([
      'Sticker | Crown',
    ]);
    expect(
      names(filterInventory(prepared, { ...DEFAULT_FILTER, minCents: 1000, maxCents: 2000 })),
    ).toEqual(['AK-47 | Redline', 'ak-47 | Vulcan']);
  });

  it('"sellable only" keeps tradable items whose offer is accepted', () => {
    expect(names(filterInventory(prepared, { ...DEFAULT_FILTER, sellableOnly: true }))).toEqual([
      'AK-47 | Redline',
      'AWP | Asiimov',
      'Sticker | Crown',
    ]);
    expect(isSellable(rows[2]!)).toBe(false);
    expect(isSellable(rows[3]!)).toBe(false);
  });

  it('lists the distinct types and exteriors for the filter menus', () => {
    expect(prepared.types).toEqual(['Pistol', 'Rifle', 'Sniper Rifle', 'Sticker']);
    expect(prepared.exteriors).toContain(NO_EXTERIOR);
    expect(rowIndexOf(prepared, rows[3]!.itemId)).toBe(3);
    expect(rowIndexOf(prepared, 'nope')).toBe(-1);
  });

  // Timings are for bench/ui.ts; this checks the 50,000-row case is right.
  it('prepares and filters 50,000 rows', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => fakeInventoryRow(i));
    const p = prepareInventory(big);
    const hits = filterInventory(p, {
      ...DEFAULT_FILTER,
      search: 'awp skin 12',
      sort: 'priceDesc',
    });
    // AWP rows are i ≡ 2 (mod 4) whose name contains "12".
    const expected = big.filter(
      (r) => r.name.toLowerCase().includes('awp') && r.name.includes('12'),
    ).length;
    expect(hits.length).toBe(expected);
    for (let k = 1; k < hits.length; k++)
      expect(big[hits[k - 1]!]!.priceCents).toBeGreaterThanOrEqual(big[hits[k]!]!.priceCents);
  });

  it('sorts and filters by % of market; items without a market price come last and never match', () => {
    const priced = [
      fakeInventoryRow(0, { name: 'A', priceCents: 820, marketPriceCents: 1000 }),
      fakeInventoryRow(1, { name: 'B', priceCents: 640, marketPriceCents: 1000 }),
      fakeInventoryRow(2, { name: 'C', priceCents: 900, marketPriceCents: null }),
      fakeInventoryRow(3, { name: 'D', priceCents: 850, marketPriceCents: 1000 }),
    ];
    const p = prepareInventory(priced);
    const order = (patch: Partial<typeof DEFAULT_FILTER>) =>
      [...filterInventory(p, { ...DEFAULT_FILTER, ...patch })].map((i) => priced[i]!.name);
    expect([...p.shareBp]).toEqual([8200, 6400, -1, 8500]);
    expect(order({ sort: 'shareDesc' })).toEqual(['D', 'A', 'B', 'C']);
    expect(order({ sort: 'shareAsc' })).toEqual(['B', 'A', 'D', 'C']);
    expect(order({ minShareBp: 8500 })).toEqual(['D']);
    expect(order({ minShareBp: 8200 })).toEqual(['A', 'D']);
    expect(order({ minShareBp: 0 })).toEqual(['A', 'B', 'D']);
  });
});
