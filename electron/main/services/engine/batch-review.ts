import type { BatchReview, InventoryRow, ReviewItem } from '../../../../shared/model';
import { refusedItems } from '../../../../shared/api/refused-items';
import { changeBasisPoints } from '../../../../shared/money';
import type { BatchItem, BatchRecord, StoredReview } from '../store';
import { withinTolerance } from './preflight-diff';

/*
 * A refused batch, item by item, against AssetPay's current offers (issue 14):
 * pure functions from the batch's items, a fresh inventory and the refusal's
 * details to (1) what each item is now, (2) the review the trader reads, and
 * (3) what a retry does with each item. The trader's explicit choice wins;
 * where they made none, the plan's tolerance decides — it stands in for the
 * trader when nobody is looking.
 */

export type CheckedItem = StoredReview['items'][number];

/** What the check reads of an inventory row. */
export type OfferRow = Pick<
  InventoryRow,
  'tradable' | 'accepted' | 'priceUsd' | 'priceCents' | 'amount' | 'maxAmount'
>;

/** What AssetPay's refusal says (api §2 error.details.items): the items it named and, for ITEM_OVERSTOCKED, how many it still takes. */
export function refusalOf(
  key: string | null,
  details: Record<string, unknown> | null,
): { named: Set<string>; remaining: Map<string, number> } {
  const items = refusedItems(details);
  return {
    named: new Set(items.map((i) => i.itemId)),
    remaining:
      key === 'ITEM_OVERSTOCKED'
        ? new Map(items.map((i) => [i.itemId, i.remaining ?? 0]))
        : new Map(),
  };
}

/** Pure: each item of the batch as AssetPay offers it now. */
export function checkItems(
  items: readonly BatchItem[],
  offers: ReadonlyMap<string, OfferRow>,
  remaining: ReadonlyMap<string, number>,
): CheckedItem[] {
  return items.map((item) => {
    const row = offers.get(item.itemId);
    if (!row || !row.tradable || row.priceUsd <= 0)
      return {
        itemId: item.itemId,
        priceUsd: null,
        priceCents: null,
        units: 0,
        problem: 'unavailable',
      };
    const price = { itemId: item.itemId, priceUsd: row.priceUsd, priceCents: row.priceCents };
    if (!row.accepted) return { ...price, units: 0, problem: 'not-accepted' };
    const over = remaining.get(item.itemId);
    const cap = Math.min(item.amount, row.amount, row.maxAmount ?? Number.MAX_SAFE_INTEGER);
    const units = Math.max(0, over === undefined ? cap : Math.min(cap, over));
    const repriced = row.priceCents !== item.priceCents || row.priceUsd !== item.priceUsd;
    const problem =
      over !== undefined
        ? 'overstocked'
        : units < item.amount
          ? 'amount-capped'
          : repriced
            ? 'price-changed'
            : null;
    return { ...price, units, problem };
  });
}

export interface ItemDecision {
  itemId: string;
  /** Why the item leaves the batch; null: it goes, at `priceUsd` × `amount`. */
  drop: string | null;
  priceUsd: number;
  priceCents: number;
  amount: number;
  repriced: boolean;
}

export interface Choices {
  accept: ReadonlySet<string>;
  leaveOut: ReadonlySet<string>;
}

export const NO_CHOICES: Choices = { accept: new Set(), leaveOut: new Set() };

/** Pure: what a retry does with each item. */
export function decideItems(
  items: readonly BatchItem[],
  checked: readonly CheckedItem[],
  choices: Choices,
  toleranceBp: number,
): ItemDecision[] {
  const byId = new Map(checked.map((c) => [c.itemId, c]));
  return items.map((item) => {
    const c = byId.get(item.itemId);
    const drop = (reason: string): ItemDecision => ({
      itemId: item.itemId,
      drop: reason,
      priceUsd: item.priceUsd,
      priceCents: item.priceCents,
      amount: item.amount,
      repriced: false,
    });
    if (choices.leaveOut.has(item.itemId)) return drop('left-out-by-trader');
    if (!c || c.problem === 'unavailable' || c.priceUsd === null || c.priceCents === null)
      return drop('unavailable');
    if (c.problem === 'not-accepted') return drop('not-accepted');
    if (c.units < 1) return drop(c.problem === 'overstocked' ? 'overstocked' : 'no-units-left');
    const repriced = c.priceCents !== item.priceCents || c.priceUsd !== item.priceUsd;
    if (
      repriced &&
      !choices.accept.has(item.itemId) &&
      !withinTolerance(item.priceCents, c.priceCents, toleranceBp)
    )
      return drop('price-dropped-beyond-tolerance');
    return {
      itemId: item.itemId,
      drop: null,
      priceUsd: c.priceUsd,
      priceCents: c.priceCents,
      amount: Math.min(item.amount, c.units),
      repriced,
    };
  });
}

/** Pure: the review the trader reads — the items with something to decide, and what goes as it is. */
export function reviewOf(input: {
  batch: Pick<BatchRecord, 'id' | 'runId' | 'seq' | 'game' | 'lastErrorKey'>;
  items: readonly BatchItem[];
  checked: readonly CheckedItem[];
  /** Inventory rows for the item's looks and stack (the fresh one, else the one cached before). */
  looks: ReadonlyMap<string, Pick<InventoryRow, 'exterior' | 'wear' | 'amount' | 'maxAmount'>>;
  named: ReadonlySet<string>;
  toleranceBp: number;
  checkedAt: string;
}): BatchReview {
  const byId = new Map(input.checked.map((c) => [c.itemId, c]));
  const items: ReviewItem[] = [];
  let count = 0;
  let totalCents = 0;
  for (const item of input.items) {
    const c = byId.get(item.itemId);
    if (c && c.problem === null) {
      count++;
      totalCents += item.priceCents * item.amount;
      continue;
    }
    const look = input.looks.get(item.itemId);
    const current = c?.priceCents ?? null;
    const bp = current === null ? null : changeBasisPoints(item.priceCents, current);
    items.push({
      itemId: item.itemId,
      name: item.name,
      exterior: look?.exterior ?? null,
      wear: look?.wear ?? null,
      amount: item.amount,
      units: c?.units ?? 0,
      stack: look && look.amount > 1 ? look.amount : null,
      maxAmount: look?.maxAmount ?? null,
      plannedCents: item.priceCents,
      currentCents: current,
      changeCents: current === null ? null : current - item.priceCents,
      changeBp: bp !== null && Number.isFinite(bp) ? bp : null,
      problem: c?.problem ?? 'unavailable',
      withinTolerance:
        current !== null && withinTolerance(item.priceCents, current, input.toleranceBp),
      named: input.named.has(item.itemId),
    });
  }
  const { batch } = input;
  return {
    batchId: batch.id,
    runId: batch.runId,
    seq: batch.seq,
    game: batch.game,
    key: batch.lastErrorKey,
    checkedAt: input.checkedAt,
    toleranceBp: input.toleranceBp,
    items,
    unchanged: { count, totalCents },
  };
}
