import type { GameId } from '../../../../shared/api/games';
import type { InventoryRow, PlanItem, PreflightDiff, PreflightRow } from '../../../../shared/model';
import { changeBasisPoints } from '../../../../shared/money';

/*
 * The pre-flight's decisions (design §1 flow 4), pure: how a plan compares with
 * a fresh inventory, item by item, and which items an acceptance keeps at
 * which price. Price drops up to the plan's tolerance and every rise are
 * accepted by themselves; other drops wait for the trader.
 */

export interface PreflightDiffResult {
  rows: PreflightRow[];
  counts: PreflightDiff['counts'];
  needsConfirmation: boolean;
  /** itemId → the price to send, exactly as the inventory gave it (rows that can be kept). */
  prices: Record<string, number>;
}

/** A drop is inside the tolerance when (planned − current) / planned ≤ tolerance, in exact integer math. */
export function withinTolerance(
  plannedCents: number,
  currentCents: number,
  toleranceBp: number,
): boolean {
  if (currentCents >= plannedCents) return true;
  return (plannedCents - currentCents) * 10_000 <= toleranceBp * plannedCents;
}

/** What the diff reads of an inventory row. */
export type DiffInventory = Pick<
  InventoryRow,
  'tradable' | 'accepted' | 'priceUsd' | 'priceCents' | 'amount' | 'maxAmount'
>;

/** Pure: the per-item diff of a plan against fresh inventory rows. */
export function diffPlan(
  items: readonly PlanItem[],
  inventory: (accountId: string, game: GameId, itemId: string) => DiffInventory | undefined,
  toleranceBp: number,
): PreflightDiffResult {
  const rows: PreflightRow[] = [];
  const counts = { unchanged: 0, priceUp: 0, priceDown: 0, unavailable: 0, notAccepted: 0 };
  const prices: Record<string, number> = {};
  for (const item of items) {
    const inv = inventory(item.accountId, item.game, item.itemId);
    const base = {
      accountId: item.accountId,
      game: item.game,
      itemId: item.itemId,
      name: item.name,
      plannedCents: item.priceCents,
    };
    const available = inv ? Math.min(inv.amount, inv.maxAmount ?? Number.MAX_SAFE_INTEGER) : 0;
    if (!inv || !inv.tradable || inv.priceUsd <= 0 || item.amount > available) {
      counts.unavailable++;
      rows.push({
        ...base,
        change: 'unavailable',
        currentCents: inv && inv.priceUsd > 0 ? inv.priceCents : null,
        changeCents: null,
        changeBp: null,
        autoAccepted: false,
      });
      continue;
    }
    if (!inv.accepted) {
      counts.notAccepted++;
      rows.push({
        ...base,
        change: 'not-accepted',
        currentCents: inv.priceCents,
        changeCents: null,
        changeBp: null,
        autoAccepted: false,
      });
      continue;
    }
    prices[item.itemId] = inv.priceUsd;
    const delta = inv.priceCents - item.priceCents;
    const bp = changeBasisPoints(item.priceCents, inv.priceCents);
    const changeBp = Number.isFinite(bp) ? bp : null;
    if (delta === 0) {
      counts.unchanged++;
      rows.push({
        ...base,
        change: 'unchanged',
        currentCents: inv.priceCents,
        changeCents: 0,
        changeBp: 0,
        autoAccepted: true,
      });
    } else if (delta > 0) {
      counts.priceUp++;
      rows.push({
        ...base,
        change: 'price-up',
        currentCents: inv.priceCents,
        changeCents: delta,
        changeBp,
        autoAccepted: true,
      });
    } else {
      counts.priceDown++;
      rows.push({
        ...base,
        change: 'price-down',
        currentCents: inv.priceCents,
        changeCents: delta,
        changeBp,
        autoAccepted: withinTolerance(item.priceCents, inv.priceCents, toleranceBp),
      });
    }
  }
  return { rows, counts, prices, needsConfirmation: rows.some((r) => !r.autoAccepted) };
}

/** Pure: which items an acceptance keeps, at which price. */
export function keptItems(
  rows: readonly PreflightRow[],
  prices: Readonly<Record<string, number>>,
  acceptedItemIds: readonly string[],
): Map<string, { priceUsd: number; priceCents: number }> {
  const accepted = new Set(acceptedItemIds);
  const keep = new Map<string, { priceUsd: number; priceCents: number }>();
  for (const row of rows) {
    if (row.change === 'unavailable' || row.change === 'not-accepted') continue;
    if (!row.autoAccepted && !accepted.has(row.itemId)) continue;
    const priceUsd = prices[row.itemId];
    if (priceUsd === undefined || row.currentCents === null) continue;
    keep.set(row.itemId, { priceUsd, priceCents: row.currentCents });
  }
  return keep;
}
