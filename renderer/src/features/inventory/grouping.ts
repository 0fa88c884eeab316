import { marketTotals } from '../../../../shared/market-share';
import type { PreparedInventory } from './inventory-view';

/*
 * "Groups" mode of the inventory (issue 11 deliverable 2): identical items —
 * same market hash name, which for CS2 carries the exterior and StatTrak™ —
 * shown as one line with counts, offer range, total and share of market. The
 * groups are built from the filtered, sorted item order, so search, filters
 * and sort mean the same in both modes, and a group sits where its first
 * matching item would. Pure and linear in the number of items.
 */

export type GroupPickOrder = 'cheapest' | 'dearest' | 'lowest-float';

export type InventoryGroup = {
  key: string;
  /** The group's first matching row: name, picture and type come from it. */
  first: number;
  /** The group's rows that pass the filter, in the table's order. */
  rows: Int32Array;
  sellableCount: number;
  /** Units (Rust stacks count their amount). */
  units: number;
  sellableUnits: number;
  /** Lowest and highest offer per unit among the matching rows. */
  minCents: number;
  maxCents: number;
  /** What the sellable rows would fetch (offer × units). */
  sellableCents: number;
  /** Share of market over the sellable rows that have a market price. */
  shareBp: number | null;
};

/** The same group for the same item whatever the source: market hash name (and exterior, in case a source leaves it out of the name). */
export function groupKeyOf(row: { marketHashName: string; exterior: string | null }): string {
  return `${row.marketHashName}\u0000${row.exterior ?? ''}`;
}

type GroupIndex = { groupOf: Int32Array; keys: string[] };
const indexes = new WeakMap<PreparedInventory, GroupIndex>();

/** Group number of every row (built once per loaded inventory). */
export function groupIndex(p: PreparedInventory): GroupIndex {
  const cached = indexes.get(p);
  if (cached) return cached;
  const groupOf = new Int32Array(p.rows.length);
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  for (let i = 0; i < p.rows.length; i++) {
    const key = groupKeyOf(p.rows[i]!);
    let g = byKey.get(key);
    if (g === undefined) {
      g = keys.length;
      keys.push(key);
      byKey.set(key, g);
    }
    groupOf[i] = g;
  }
  const built = { groupOf, keys };
  indexes.set(p, built);
  return built;
}

/** Groups of the rows in `order` (the filtered item order), in order of their first row. */
export function groupInventory(p: PreparedInventory, order: Int32Array): InventoryGroup[] {
  const { groupOf, keys } = groupIndex(p);
  const slotOf = new Int32Array(keys.length).fill(-1);
  const sizes: number[] = [];
  const firstRows: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const g = groupOf[i]!;
    let slot = slotOf[g]!;
    if (slot < 0) {
      slot = sizes.length;
      slotOf[g] = slot;
      sizes.push(0);
      firstRows.push(i);
    }
    sizes[slot]!++;
  }
  const members = sizes.map((size) => new Int32Array(size));
  const filled = new Int32Array(sizes.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const slot = slotOf[groupOf[i]!]!;
    members[slot]![filled[slot]!++] = i;
  }
  return members.map((rows, slot) => summarize(p, keys[groupOf[firstRows[slot]!]!]!, rows));
}

function summarize(p: PreparedInventory, key: string, rows: Int32Array): InventoryGroup {
  let sellableCount = 0;
  let units = 0;
  let sellableUnits = 0;
  let minCents = Number.MAX_SAFE_INTEGER;
  let maxCents = 0;
  const sellable: { priceCents: number; marketPriceCents: number | null; amount: number }[] = [];
  for (const i of rows) {
    const row = p.rows[i]!;
    units += row.amount;
    minCents = Math.min(minCents, row.priceCents);
    maxCents = Math.max(maxCents, row.priceCents);
    if (p.sellable[i] === 1) {
      sellableCount++;
      sellableUnits += row.amount;
      sellable.push(row);
    }
  }
  const totals = marketTotals(sellable);
  return {
    key,
    first: rows[0]!,
    rows,
    sellableCount,
    units,
    sellableUnits,
    minCents: rows.length > 0 ? minCents : 0,
    maxCents,
    sellableCents: totals.offerCents,
    shareBp: totals.shareBp,
  };
}

/** The rows a groups table shows: a header per group (−group−1), then its rows when expanded. */
export function groupEntries(
  groups: readonly InventoryGroup[],
  expanded: ReadonlySet<string>,
): Int32Array {
  let size = groups.length;
  for (const g of groups) if (expanded.has(g.key)) size += g.rows.length;
  const entries = new Int32Array(size);
  let at = 0;
  groups.forEach((g, index) => {
    entries[at++] = -index - 1;
    if (expanded.has(g.key)) {
      entries.set(g.rows, at);
      at += g.rows.length;
    }
  });
  return entries;
}

/** Selection keys of a group's sellable rows. */
export function sellableKeys(p: PreparedInventory, group: InventoryGroup): string[] {
  const out: string[] = [];
  for (const i of group.rows) if (p.sellable[i] === 1) out.push(p.keys[i]!);
  return out;
}

function wearOf(p: PreparedInventory, i: number): number {
  const wear = p.rows[i]!.wear;
  const value = wear === null ? Number.NaN : Number(wear);
  return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

/**
 * "Add N of this group": the keys of up to `n` sellable rows of the group,
 * cheapest first, dearest first or lowest float (wear) first; rows `skip`
 * says no to (already in the plan) are passed over. Ties keep the table's order.
 */
export function pickFromGroup(
  p: PreparedInventory,
  group: InventoryGroup,
  n: number,
  order: GroupPickOrder,
  skip: (key: string) => boolean = () => false,
): string[] {
  const candidates: number[] = [];
  for (const i of group.rows) if (p.sellable[i] === 1 && !skip(p.keys[i]!)) candidates.push(i);
  const position = new Map(candidates.map((i, k) => [i, k]));
  const by =
    order === 'lowest-float'
      ? (a: number, b: number) => wearOf(p, a) - wearOf(p, b)
      : order === 'cheapest'
        ? (a: number, b: number) => p.rows[a]!.priceCents - p.rows[b]!.priceCents
        : (a: number, b: number) => p.rows[b]!.priceCents - p.rows[a]!.priceCents;
  candidates.sort((a, b) => by(a, b) || position.get(a)! - position.get(b)!);
  return candidates.slice(0, Math.max(0, Math.floor(n))).map((i) => p.keys[i]!);
}
