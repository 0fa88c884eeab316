import { describe, expect, it } from 'vitest';
import { decodeItemId, encodeItemId, generateInventory } from '../../emulator/inventory/generator';
import { InventoryStore } from '../../emulator/inventory/inventory-store';
import { queryInventory, type InventoryQuery } from '../../emulator/inventory/query';
import { inventoryItemSchema } from '../../shared/api';

const all: InventoryQuery = { acceptedOnly: false, sort: 'relevance', page: 1, limit: -1 };

describe('emulator inventory generator', () => {
  it('is deterministic per (seed, game, partner) and prefix-stable', () => {
    const a = generateInventory(1, '730', '12345', 300);
    expect(generateInventory(1, '730', '12345', 300)).toEqual(a);
    expect(generateInventory(1, '730', '12345', 100)).toEqual(a.slice(0, 100));
    expect(generateInventory(2, '730', '12345', 300)).not.toEqual(a);
    expect(generateInventory(1, '730', '12346', 300)).not.toEqual(a);
  });

  it('produces CS2 rows shaped like the API with sane prices and shares', () => {
    const items = generateInventory(1, '730', '12345', 4000);
    for (const item of items) {
      expect(inventoryItemSchema.safeParse(item).success).toBe(true);
      expect(item.id.length).toBeGreaterThanOrEqual(5);
      expect(item.appid).toBe(730);
      expect(item.iconUrl).toBe('');
      expect(item.offer.price).toBeGreaterThan(0);
      // At most two decimals, exactly as JSON will carry them.
      expect(String(item.offer.price)).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(item.offer.maxAmount).toBe(1);
      expect(item.amount).toBe(1);
    }
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(new Set(items.map((i) => i.assetId)).size).toBe(items.length);
    const share = (f: (i: (typeof items)[number]) => boolean) =>
      items.filter(f).length / items.length;
    expect(share((i) => !i.offer.accepted)).toBeGreaterThan(0.03);
    expect(share((i) => !i.offer.accepted)).toBeLessThan(0.07);
    expect(share((i) => !i.tradable)).toBeGreaterThan(0.03);
    expect(share((i) => !i.tradable)).toBeLessThan(0.07);
    const skins = items.filter((i) => i.exterior !== undefined);
    expect(skins.length).toBeGreaterThan(items.length / 2);
    for (const skin of skins) {
      expect(skin.marketHashName).toBe(
        `${skin.marketHashName.startsWith('StatTrak™ ') ? 'StatTrak™ ' : ''}${skin.name} (${skin.exterior})`,
      );
      expect(Number(skin.wear)).toBeGreaterThanOrEqual(0);
      expect(Number(skin.wear)).toBeLessThanOrEqual(1);
    }
    const types = new Set(items.map((i) => i.type));
    for (const type of [
      'Rifle',
      'Pistol',
      'Knife',
      'Gloves',
      'SMG',
      'Sniper Rifle',
      'Sticker',
      'Container',
    ]) {
      expect(types).toContain(type);
    }
    const prices = new Set(items.map((i) => i.offer.price));
    expect([...prices].some((p) => p === 0.03 || p === 10.75 || p === 1234.5)).toBe(true);
  });

  it('produces Rust stacks with amounts 1–500 and a per-offer cap', () => {
    const items = generateInventory(1, '252490', '12345', 2000);
    for (const item of items) {
      expect(item.appid).toBe(252490);
      expect(item.amount).toBeGreaterThanOrEqual(1);
      expect(item.amount).toBeLessThanOrEqual(500);
      expect(item.offer.maxAmount).toBeLessThanOrEqual(item.amount);
      expect(item.offer.maxAmount).toBeGreaterThanOrEqual(1);
    }
    expect(items.some((i) => i.amount > 100)).toBe(true);
    expect(items.some((i) => i.offer.maxAmount < i.amount)).toBe(true);
  });

  it('encodes ids that decode back only under the same seed', () => {
    const id = encodeItemId(7, '252490', '99', 42);
    expect(decodeItemId(7, id)).toEqual({ game: '252490', partner: '99', index: 42 });
    expect(decodeItemId(8, id)).toBeUndefined();
    expect(decodeItemId(7, id.replace('-42-', '-43-'))).toBeUndefined();
    expect(decodeItemId(7, 'garbage-id')).toBeUndefined();
    expect(decodeItemId(7, id.replace('-99-', '-099-'))).toBeUndefined();
  });
});

describe('emulator inventory store and query', () => {
  const store = () => new InventoryStore(1, 500, undefined, 0);

  it('filters, sorts, counts and pages', () => {
    const inventory = store().get('12345', '730', 0);
    const units = (s: { item: { amount: number } }) => s.item.amount;
    const full = queryInventory(inventory, units, all);
    expect(full.count).toBe(500);
    expect(full.inventory).toHaveLength(500);

    const page2 = queryInventory(inventory, units, { ...all, page: 2, limit: 50 });
    expect(page2.count).toBe(500);
    expect(page2.inventory).toEqual(full.inventory.slice(50, 100));
    expect(queryInventory(inventory, units, { ...all, page: 11, limit: 50 }).inventory).toEqual([]);

    const accepted = queryInventory(inventory, units, { ...all, acceptedOnly: true });
    expect(accepted.inventory.every((i) => i.offer.accepted)).toBe(true);
    expect(accepted.count).toBe(full.inventory.filter((i) => i.offer.accepted).length);

    const asc = queryInventory(inventory, units, { ...all, sort: 'priceAsc' }).inventory.map(
      (i) => i.offer.price,
    );
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = queryInventory(inventory, units, { ...all, sort: 'priceDesc' }).inventory.map(
      (i) => i.offer.price,
    );
    expect(desc).toEqual([...asc].reverse().sort((a, b) => b - a));
    const names = queryInventory(inventory, units, { ...all, sort: 'nameAsc' }).inventory.map((i) =>
      i.marketHashName.toLowerCase(),
    );
    expect(names).toEqual([...names].sort());

    const ak = queryInventory(inventory, units, { ...all, search: 'ak-47' });
    expect(ak.count).toBeGreaterThan(0);
    expect(ak.inventory.every((i) => i.marketHashName.includes('AK-47'))).toBe(true);

    const band = queryInventory(inventory, units, { ...all, minCents: 100, maxCents: 1000 });
    expect(band.inventory.every((i) => i.offer.price >= 1 && i.offer.price <= 10)).toBe(true);
    expect(band.count).toBe(
      full.inventory.filter((i) => i.offer.price >= 1 && i.offer.price <= 10).length,
    );
  });

  it('hides items with no units left and shows the rest of a partly sold stack', () => {
    const inventory = store().get('12345', '252490', 0);
    const stack = inventory.items.find((s) => s.item.amount > 10)!;
    const first = inventory.items[0]!;
    const held = new Map([
      [first.item.id, first.item.amount],
      [stack.item.id, 3],
    ]);
    const result = queryInventory(
      inventory,
      (s) => s.item.amount - (held.get(s.item.id) ?? 0),
      all,
    );
    expect(result.count).toBe(499);
    expect(result.inventory.find((i) => i.id === first.item.id)).toBeUndefined();
    expect(result.inventory.find((i) => i.id === stack.item.id)!.amount).toBe(
      stack.item.amount - 3,
    );
    // The stored row keeps the full stack.
    expect(stack.item.amount).toBeGreaterThan(10);
  });

  it('re-sorts after a price change and resolves ids across inventories', () => {
    const s = store();
    const inventory = s.get('12345', '730', 0);
    const id = inventory.items[10]!.item.id;
    s.setPrice(id, 99999.99, 0);
    const top = queryInventory(inventory, (x) => x.item.amount, {
      ...all,
      sort: 'priceDesc',
      limit: 1,
    });
    expect(top.inventory[0]!.id).toBe(id);
    expect(s.find(id, 0)!.cents).toBe(9_999_999);
    expect(() => s.setPrice('730-1-1-zzzzzz', 1, 0)).toThrow(/Unknown item/);
    expect(() => s.setPrice(id, 0, 0)).toThrow(RangeError);
    s.setAccepted(id, false, 0);
    expect(s.find(id, 0)!.item.offer.accepted).toBe(false);
    expect(s.find(encodeItemId(1, '730', '12345', 500), 0)).toBeUndefined(); // beyond itemsPerInventory
  });

  it('drifts a share of prices per epoch, deterministically', () => {
    const drifted = () => {
      const s = new InventoryStore(1, 1000, { everyMs: 1000, share: 0.1, maxPct: 5 }, 0);
      const before = s.get('1', '730', 0).items.map((x) => x.item.offer.price);
      s.applyDrift(999);
      const same = s.get('1', '730', 0).items.map((x) => x.item.offer.price);
      expect(same).toEqual(before);
      s.applyDrift(1000);
      const after = s.get('1', '730', 0).items.map((x) => x.item.offer.price);
      const changed = after.filter((p, i) => p !== before[i]).length;
      expect(changed).toBeGreaterThan(50);
      expect(changed).toBeLessThan(150);
      after.forEach((p, i) => {
        expect(String(p)).toMatch(/^\d+(\.\d{1,2})?$/);
        expect(Math.abs(p - before[i]!)).toBeLessThanOrEqual(before[i]! * 0.05 + 0.011);
      });
      return after;
    };
    expect(drifted()).toEqual(drifted());
  });
});
