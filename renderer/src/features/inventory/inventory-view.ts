import type { InventoryRow } from '../../../../shared/contract';
import { formatShare, marketShareBp } from '../../../../shared/market-share';
import { formatUsd } from '../../../../shared/money';

/*
 * The inventory table works on the whole cached inventory of one account and
 * game in memory (up to 100,000 rows), so everything a keystroke touches is
 * precomputed once per load: the name order first (the table needs it to
 * paint), then lower-case search text and the key index right after the first
 * paint, and the price/type orders on first use. A filter is then one pass
 * over an Int32Array.
 */

export type InventorySort = 'name' | 'priceAsc' | 'priceDesc' | 'type' | 'shareDesc' | 'shareAsc';

export type InventoryFilter = {
  search: string;
  /** '' = any */
  type: string;
  /** '' = any, '—' = items without an exterior */
  exterior: string;
  minCents: number | null;
  maxCents: number | null;
  /** "At least X % of market", in basis points; items without a market price then do not match. */
  minShareBp: number | null;
  sellableOnly: boolean;
  sort: InventorySort;
};

export const DEFAULT_FILTER: InventoryFilter = {
  search: '',
  type: '',
  exterior: '',
  minCents: null,
  maxCents: null,
  minShareBp: null,
  sellableOnly: false,
  sort: 'name',
};

export const NO_EXTERIOR = '—';

/** The filters in use, in words ("search “ak”", "type Pistol"…): what hides rows. */
export function describeFilters(f: InventoryFilter): string[] {
  const out: string[] = [];
  if (f.search.trim()) out.push(`search “${f.search.trim()}”`);
  if (f.type) out.push(`type ${f.type}`);
  if (f.exterior) out.push(f.exterior === NO_EXTERIOR ? 'no exterior' : `exterior ${f.exterior}`);
  if (f.minCents !== null) out.push(`price ≥ ${formatUsd(f.minCents)}`);
  if (f.maxCents !== null) out.push(`price ≤ ${formatUsd(f.maxCents)}`);
  if (f.minShareBp !== null) out.push(`at least ${formatShare(f.minShareBp)} of market`);
  if (f.sellableOnly) out.push('sellable only');
  return out.length > 0 ? out : ['the filters'];
}

export type PreparedInventory = {
  rows: readonly InventoryRow[];
  /** Selection key of each row: its itemId (unique within one account and game). */
  keys: readonly string[];
  sellable: Uint8Array;
  /** Offer ÷ market price in basis points (shared/market-share.ts); -1 without a market price. */
  shareBp: Int32Array;
  /** Lower-case names. */
  names: readonly string[];
  /** Row indices in name order. */
  byName: Int32Array;
  /** Position of each row in name order: the tie-break of every other sort, as an integer. */
  nameRank: Int32Array;
  types: readonly string[];
  exteriors: readonly string[];
  /** Built lazily (see warmUp). */
  lazy: {
    haystack?: string[];
    indexOfKey?: Map<string, number>;
    price?: Int32Array;
    type?: Int32Array;
    shareAsc?: Int32Array;
    shareDesc?: Int32Array;
  };
};

/** Unique across accounts and games; the key a plan item has. */
export function itemKey(item: { accountId: string; game: string; itemId: string }): string {
  return `${item.accountId}|${item.game}|${item.itemId}`;
}

/**
 * Only tradable items whose offer is accepted can be sold (design §1 flow 2), and only
 * while units are left: what the app sold since the copy was fetched is off the stack.
 */
export function isSellable(row: InventoryRow): boolean {
  return row.tradable && row.accepted && row.priceCents > 0 && row.amount > 0;
}

function identity(count: number): Int32Array {
  const idx = new Int32Array(count);
  for (let i = 0; i < count; i++) idx[i] = i;
  return idx;
}

/** `presorted`: the rows come in main's name order (listInventory sort 'name'), which then is the table's. */
export function prepareInventory(
  rows: readonly InventoryRow[],
  options: { presorted?: boolean } = {},
): PreparedInventory {
  const n = rows.length;
  const keys = new Array<string>(n);
  const names = new Array<string>(n);
  const sellable = new Uint8Array(n);
  const shareBp = new Int32Array(n);
  const types = new Set<string>();
  const exteriors = new Set<string>();
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    keys[i] = row.itemId;
    names[i] = row.name.toLowerCase();
    sellable[i] = isSellable(row) ? 1 : 0;
    shareBp[i] = marketShareBp(row.priceCents, row.marketPriceCents) ?? -1;
    types.add(row.type);
    exteriors.add(row.exterior ?? NO_EXTERIOR);
  }
  // At most one string sort; every other order compares integers.
  const byName = options.presorted
    ? identity(n)
    : identity(n).sort((a, b) => {
        const x = names[a]!;
        const y = names[b]!;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
  const nameRank = new Int32Array(n);
  for (let p = 0; p < n; p++) nameRank[byName[p]!] = p;
  return {
    rows,
    keys,
    sellable,
    shareBp,
    names,
    byName,
    nameRank,
    types: [...types].sort(),
    exteriors: [...exteriors].sort(),
    lazy: {},
  };
}

/** Lower-case "name, market name, item id" per row, for search. */
export function searchIndex(p: PreparedInventory): readonly string[] {
  if (p.lazy.haystack) return p.lazy.haystack;
  const hay = new Array<string>(p.rows.length);
  for (let i = 0; i < p.rows.length; i++) {
    const r = p.rows[i]!;
    // The market name ("StatTrak™ name (exterior)") is what traders paste and what groups are named by.
    const extra = r.marketHashName === r.name ? '' : `\n${r.marketHashName.toLowerCase()}`;
    hay[i] = `${p.names[i]}${extra}\n${r.itemId.toLowerCase()}`;
  }
  p.lazy.haystack = hay;
  return hay;
}

export function rowIndexOf(p: PreparedInventory, key: string): number {
  if (!p.lazy.indexOfKey) {
    const map = new Map<string, number>();
    for (let i = 0; i < p.keys.length; i++) map.set(p.keys[i]!, i);
    p.lazy.indexOfKey = map;
  }
  return p.lazy.indexOfKey.get(key) ?? -1;
}

/** Builds what the first keystroke or shift-click would need, after the first paint. */
export function warmUp(p: PreparedInventory): void {
  searchIndex(p);
  rowIndexOf(p, '');
}

function orderFor(p: PreparedInventory, sort: InventorySort): Int32Array {
  if (sort === 'name') return p.byName;
  const which =
    sort === 'type' ? 'type' : sort === 'shareAsc' || sort === 'shareDesc' ? sort : 'price';
  const cached = p.lazy[which];
  if (cached) return cached;
  const { rows, nameRank } = p;
  const rank = new Int32Array(rows.length);
  if (which === 'price') {
    for (let i = 0; i < rows.length; i++) rank[i] = rows[i]!.priceCents;
  } else if (which === 'type') {
    const typeIndex = new Map(p.types.map((t, k) => [t, k]));
    for (let i = 0; i < rows.length; i++) rank[i] = typeIndex.get(rows[i]!.type)!;
  } else {
    // Items without a market price come last either way.
    const sign = which === 'shareAsc' ? 1 : -1;
    for (let i = 0; i < rows.length; i++) {
      const bp = p.shareBp[i]!;
      rank[i] = bp < 0 ? 2_000_000_000 : sign * bp;
    }
  }
  const built = identity(rows.length).sort(
    (a, b) => rank[a]! - rank[b]! || nameRank[a]! - nameRank[b]!,
  );
  p.lazy[which] = built;
  return built;
}

/** Row indices that pass the filter, in display order. */
export function filterInventory(p: PreparedInventory, f: InventoryFilter): Int32Array {
  const terms = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  const base = orderFor(p, f.sort);
  const hay = terms.length > 0 ? searchIndex(p) : null;
  const reverse = f.sort === 'priceDesc';
  const n = base.length;
  const out = new Int32Array(n);
  let count = 0;
  const min = f.minCents;
  const max = f.maxCents;
  const minShare = f.minShareBp;
  const noExterior = f.exterior === NO_EXTERIOR;
  for (let k = 0; k < n; k++) {
    // priceDesc walks the ascending order backwards; equal prices then read Z→A, which is fine.
    const i = base[reverse ? n - 1 - k : k]!;
    if (f.sellableOnly && p.sellable[i] === 0) continue;
    const row = p.rows[i]!;
    if (f.type && row.type !== f.type) continue;
    if (f.exterior && (noExterior ? row.exterior !== null : row.exterior !== f.exterior)) continue;
    if (min !== null && row.priceCents < min) continue;
    if (max !== null && row.priceCents > max) continue;
    // shareBp is rounded down, so "≥ X %" here is exactly shared/market-share.ts reachesMarketShare.
    if (minShare !== null && p.shareBp[i]! < minShare) continue;
    if (hay) {
      const text = hay[i]!;
      let hit = true;
      for (const term of terms) {
        if (!text.includes(term)) {
          hit = false;
          break;
        }
      }
      if (!hit) continue;
    }
    out[count++] = i;
  }
  return out.subarray(0, count);
}
