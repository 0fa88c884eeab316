import { describe, expect, it } from 'vitest';
import {
  fromInventoryColumns,
  inventoryColumnsSchema,
  toInventoryColumns,
} from '../../shared/inventory-columns';
import type { InventoryRow } from '../../shared/model';

const row = (i: number, patch: Partial<InventoryRow> = {}): InventoryRow => ({
  accountId: 'acc-1',
  game: '730',
  itemId: `730-1-${i}-abc`,
  name: i % 2 ? 'AK-47 | Redline' : 'AWP | Asiimov',
  marketHashName: i % 2 ? 'AK-47 | Redline (Field-Tested)' : 'AWP | Asiimov (Battle-Scarred)',
  type: 'Rifle',
  exterior: i % 3 ? 'Field-Tested' : null,
  wear: i % 3 ? '0.25432' : null,
  rarity: 'Classified',
  color: '#D32CE6',
  iconUrl: 'https://community.fastly.steamstatic.com/economy/image/abc',
  tradable: i % 4 !== 0,
  accepted: i % 5 !== 0,
  priceUsd: 10.75,
  priceCents: 1075,
  marketPriceCents: i % 2 ? 1250 : null,
  amount: 1,
  maxAmount: i % 2 ? 1 : null,
  taken: null,
  ...patch,
});

describe('inventory columns (the compact whole-inventory answer)', () => {
  it('round-trips every field of every row, each repeated text stored once', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i));
    const columns = toInventoryColumns('acc-1', '730', rows);
    expect(inventoryColumnsSchema.parse(columns)).toEqual(columns);
    expect(fromInventoryColumns(columns)).toEqual(rows);
    // 2 names + 2 market names + type + exterior + rarity + colour + icon.
    expect(columns.dictionary).toHaveLength(9);
    expect(columns.exterior.filter((c) => c === -1)).toHaveLength(17);
  });

  it('carries what was sold or is being sold since the fetch, for the few rows it touched', () => {
    const rows = [
      row(1),
      row(2, { amount: 0, taken: { soldUnits: 1, sellingUnits: 0, planName: 'Weekend' } }),
      row(3, { amount: 150, taken: { soldUnits: 0, sellingUnits: 50, planName: null } }),
    ];
    const columns = inventoryColumnsSchema.parse(toInventoryColumns('acc-1', '730', rows));
    expect(columns.taken).toEqual([
      { at: 1, soldUnits: 1, sellingUnits: 0, planName: 'Weekend' },
      { at: 2, soldUnits: 0, sellingUnits: 50, planName: null },
    ]);
    expect(fromInventoryColumns(columns)).toEqual(rows);
    expect(
      inventoryColumnsSchema.safeParse({ ...columns, taken: [{ ...columns.taken[0]!, at: 3 }] })
        .success,
    ).toBe(false);
  });

  it('keeps prices exactly as given (the number echoed back to AssetPay)', () => {
    const rows = [row(1, { priceUsd: 0.1 + 0.2, priceCents: 30 })];
    const back = fromInventoryColumns(
      inventoryColumnsSchema.parse(
        JSON.parse(JSON.stringify(toInventoryColumns('acc-1', '730', rows))),
      ),
    );
    expect(Object.is(back[0]!.priceUsd, 0.1 + 0.2)).toBe(true);
  });

  it('refuses columns of different lengths, codes outside the dictionary and wrong types', () => {
    const good = toInventoryColumns('acc-1', '730', [row(1), row(2)]);
    const bad = (patch: Record<string, unknown>) =>
      inventoryColumnsSchema.safeParse({ ...good, ...patch }).success;
    expect(bad({})).toBe(true);
    expect(bad({ priceCents: [1075] })).toBe(false);
    expect(bad({ name: [0, 99] })).toBe(false);
    expect(bad({ name: [0, -2] })).toBe(false);
    expect(bad({ priceCents: [1075, 10.5] })).toBe(false);
    expect(bad({ flags: [0, 4] })).toBe(false);
    expect(bad({ priceUsd: [10.75, Number.NaN] })).toBe(false);
    expect(bad({ extra: 1 })).toBe(false);
  });
});
