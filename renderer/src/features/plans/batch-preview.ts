import type { GameId } from '../../../../shared/api/games';

/*
 * What the engine will send, computed from the draft (never stored): one
 * batch = one Steam account + one game + at most `batchSize` items, because
 * POST /secure/sell takes a single tradeUrl, a single game and ≤ 250 items
 * (api §4.2). Totals are integer-cent sums (design §4).
 */

export const MAX_BATCH_SIZE = 250;

export type PreviewItem = {
  accountId: string;
  game: GameId;
  /** Price of one unit, as offered. */
  priceCents: number;
  /** Units of a Rust stack; 1 for CS2. */
  amount: number;
};

export type BatchPreview = {
  /** 1-based within the plan, in send order. */
  seq: number;
  accountId: string;
  game: GameId;
  itemCount: number;
  totalCents: number;
};

export type GroupPreview = {
  accountId: string;
  game: GameId;
  itemCount: number;
  batchCount: number;
  totalCents: number;
};

export type PlanPreview = {
  itemCount: number;
  batchCount: number;
  totalCents: number;
  groups: GroupPreview[];
  batches: BatchPreview[];
};

export function clampBatchSize(size: number): number {
  if (!Number.isFinite(size)) return MAX_BATCH_SIZE;
  return Math.min(MAX_BATCH_SIZE, Math.max(1, Math.floor(size)));
}

export function itemTotalCents(item: Pick<PreviewItem, 'priceCents' | 'amount'>): number {
  return item.priceCents * item.amount;
}

/**
 * Mirrors the engine's planner (electron/main/services/engine/planner.ts):
 * groups keep the order in which their (account, game) first appears, items
 * keep their order inside a group, and a group of n items becomes
 * ceil(n / batchSize) batches of near-equal size (260 → 130 + 130, never
 * 250 + 10), so what the trader previews is what is sent.
 */
export function previewBatches<T extends Omit<PreviewItem, 'amount'>>(
  items: readonly T[],
  batchSize: number,
  /** Units sold of an item; default its `amount`. */
  unitsOf: (item: T) => number = (item) => (item as unknown as PreviewItem).amount,
): PlanPreview {
  const size = clampBatchSize(batchSize);
  type Group = { accountId: string; game: GameId; cents: number[] };
  const groups = new Map<string, Group>();
  // Items come in long runs of one account and game: skip the map lookup for those.
  let last: Group | null = null;
  for (const item of items) {
    let group: Group | undefined = last ?? undefined;
    if (!group || group.accountId !== item.accountId || group.game !== item.game) {
      const key = `${item.accountId}|${item.game}`;
      group = groups.get(key);
      if (!group) {
        group = { accountId: item.accountId, game: item.game, cents: [] };
        groups.set(key, group);
      }
      last = group;
    }
    group.cents.push(item.priceCents * unitsOf(item));
  }
  const batches: BatchPreview[] = [];
  const groupPreviews: GroupPreview[] = [];
  let totalCents = 0;
  for (const g of groups.values()) {
    const n = g.cents.length;
    const count = Math.ceil(n / size);
    const base = Math.floor(n / count);
    let extra = n % count;
    let at = 0;
    let groupTotal = 0;
    for (let b = 0; b < count; b++) {
      const itemCount = base + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
      let batchTotal = 0;
      for (let k = at; k < at + itemCount; k++) batchTotal += g.cents[k]!;
      at += itemCount;
      groupTotal += batchTotal;
      batches.push({
        seq: batches.length + 1,
        accountId: g.accountId,
        game: g.game,
        itemCount,
        totalCents: batchTotal,
      });
    }
    totalCents += groupTotal;
    groupPreviews.push({
      accountId: g.accountId,
      game: g.game,
      itemCount: n,
      batchCount: count,
      totalCents: groupTotal,
    });
  }
  return {
    itemCount: items.length,
    batchCount: batches.length,
    totalCents,
    groups: groupPreviews,
    batches,
  };
}
