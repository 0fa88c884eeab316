import type { WireInventoryItem } from '../api/wire';
import type { Inventory, StoredItem } from './inventory-store';

/* Filtering, sorting and pagination of GET /secure/inventory (api §4.1). O(n) per request, sorts cached. */

export const SORT_KEYS = ['relevance', 'priceAsc', 'priceDesc', 'nameAsc', 'nameDesc'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface InventoryQuery {
  acceptedOnly: boolean;
  search?: string;
  sort: SortKey;
  minCents?: number;
  maxCents?: number;
  /** 1-based. */
  page: number;
  /** -1 = everything. */
  limit: number;
}

/** Units of an item still in the account (stack minus what live or completed trades hold). */
export type AvailableUnits = (stored: StoredItem) => number;

export function queryInventory(
  inventory: Inventory,
  available: AvailableUnits,
  query: InventoryQuery,
): { inventory: WireInventoryItem[]; count: number } {
  const search = query.search?.toLowerCase();
  const from = query.limit === -1 ? 0 : (query.page - 1) * query.limit;
  const to = query.limit === -1 ? Infinity : from + query.limit;
  const page: WireInventoryItem[] = [];
  let count = 0;
  for (const stored of sortedItems(inventory, query.sort)) {
    const units = available(stored);
    if (units <= 0) continue;
    if (query.acceptedOnly && !stored.item.offer.accepted) continue;
    if (search !== undefined && !stored.nameKey.includes(search)) continue;
    if (query.minCents !== undefined && stored.cents < query.minCents) continue;
    if (query.maxCents !== undefined && stored.cents > query.maxCents) continue;
    if (count >= from && count < to) page.push(view(stored, units));
    count++;
  }
  return { inventory: page, count };
}

/** The row a client sees: a partly sold Rust stack shows the units left. */
export function view(stored: StoredItem, units: number): WireInventoryItem {
  return units === stored.item.amount ? stored.item : { ...stored.item, amount: units };
}

function sortedItems(inventory: Inventory, sort: SortKey): StoredItem[] {
  if (sort === 'relevance') return inventory.items;
  const cached = inventory.sorted.get(sort);
  if (cached && cached.version === inventory.version) return cached.items;
  const items = inventory.items.slice();
  const byName = (a: StoredItem, b: StoredItem) =>
    a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0;
  switch (sort) {
    case 'priceAsc':
      items.sort((a, b) => a.cents - b.cents || byName(a, b));
      break;
    case 'priceDesc':
      items.sort((a, b) => b.cents - a.cents || byName(a, b));
      break;
    case 'nameAsc':
      items.sort(byName);
      break;
    case 'nameDesc':
      items.sort((a, b) => byName(b, a));
      break;
  }
  inventory.sorted.set(sort, { version: inventory.version, items });
  return items;
}
