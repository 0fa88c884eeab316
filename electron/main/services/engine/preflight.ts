import type { GameId } from '../../../../shared/api/games';
import { AppError } from '../../../../shared/errors';
import type { InventoryItem } from '../../../../shared/api/schemas';
import type { PreflightDiff, SellConfirmation } from '../../../../shared/model';
import { usdToCents } from '../../../../shared/money';
import type { AssetPayClient } from '../assetpay/client';
import { describeOutcome } from '../assetpay/outcome';
import type { Store } from '../store';
import { diffPlan, type DiffInventory } from './preflight-diff';

/*
 * Pre-flight (design §1 flow 4): re-fetch the inventory of the plan's accounts
 * and games, compare every planned item with it (preflight-diff.ts), and let
 * the trader accept the changes. Unavailable and no longer accepted items are
 * dropped. Nothing is sold before a pre-flight is accepted.
 */

export interface PreflightDeps {
  store: Store;
  client: Pick<AssetPayClient, 'getInventory'>;
  now: () => number;
  newId: () => string;
  signal?: AbortSignal;
}

/**
 * What the diff reads of a wire item, kept instead of the item itself: a
 * re-fetched inventory (megabytes) is garbage once it is stored.
 */
interface WireFields {
  tradable: boolean;
  accepted: boolean;
  price: number | undefined;
  amount: number | undefined;
  maxAmount: number | undefined;
}

function wireFieldsOf(item: InventoryItem): WireFields {
  return {
    tradable: item.tradable,
    accepted: item.offer?.accepted === true,
    price: item.offer?.price,
    amount: item.amount,
    maxAmount: item.offer?.maxAmount,
  };
}

/** The fields the diff needs, straight from the wire item (no second read from the database). */
function diffRowOf(item: WireFields): DiffInventory {
  const { price } = item;
  let priceCents = 0;
  let priceUsd = 0;
  if (price !== undefined && Number.isFinite(price) && price > 0) {
    priceUsd = price;
    priceCents = usdToCents(price);
  }
  return {
    tradable: item.tradable,
    accepted: item.accepted,
    priceUsd,
    priceCents,
    amount: Number.isInteger(item.amount) && item.amount! > 0 ? item.amount! : 1,
    maxAmount: Number.isInteger(item.maxAmount) ? item.maxAmount! : null,
  };
}

/** Diff rows are computed and written this many at a time (one transaction each). */
const DIFF_ROWS_PER_WRITE = 1_000;

/**
 * Re-fetches one account's inventory (refresh=true), stores it as the new
 * snapshot and returns what the diff reads of each item, by id. A step of its
 * own so the fetched items are garbage when it returns: code running after an
 * `await` keeps the awaited value reachable until it awaits again.
 */
async function refetchInventory(
  deps: PreflightDeps,
  account: { id: string; label: string; tradeUrl: string },
  game: GameId,
): Promise<Map<string, WireFields>> {
  const outcome = await deps.client.getInventory(account.tradeUrl, game, {
    refresh: true,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (outcome.kind !== 'ok') {
    const code = outcome.kind === 'not-sent' ? 'offline' : 'api-error';
    throw new AppError(
      code,
      `Could not re-fetch the inventory of “${account.label}”: ${describeOutcome(outcome)}`,
      {
        reason: 'inventory-fetch-failed',
        accountId: account.id,
        game,
        ...(outcome.kind === 'definitive' || outcome.kind === 'auth' || outcome.kind === 'throttled'
          ? { key: outcome.key }
          : {}),
      },
    );
  }
  deps.store.inventory.replaceSnapshot(
    account.id,
    game,
    outcome.data.items,
    new Date(deps.now()).toISOString(),
    {
      count: outcome.data.count,
      apiUpdatedAt: outcome.data.updatedAt,
    },
  );
  const fresh = new Map<string, WireFields>();
  for (const item of outcome.data.items) fresh.set(item.id, wireFieldsOf(item));
  return fresh;
}

export interface RunPreflightOptions {
  /** Return the diff without its rows (the engine's own use: armed plans); the rows stay in the store. */
  summaryOnly?: boolean;
}

/**
 * Re-fetches the plan's inventories (refresh=true), one account and game at a
 * time, stores each as the new snapshot, records the per-item diff and
 * returns it. A failure leaves no half-written check behind.
 */
export async function runPreflight(
  deps: PreflightDeps,
  planId: string,
  options: RunPreflightOptions = {},
): Promise<PreflightDiff> {
  const { store } = deps;
  const revision = store.plans.revision(planId);
  const planGroups = store.plans.groups(planId);
  if (planGroups.length === 0)
    throw new AppError('invalid-request', 'The plan has no items.', { reason: 'empty-plan' });
  const toleranceBp = store.plans.optionsOf(planId).priceToleranceBp;
  const preflightId = deps.newId();
  const checkedAt = new Date(deps.now()).toISOString();
  store.preflights.begin({ id: preflightId, planId, checkedAt, planRevision: revision });
  const counts = { unchanged: 0, priceUp: 0, priceDown: 0, unavailable: 0, notAccepted: 0 };
  let needsConfirmation = false;
  let seq = 0;
  try {
    for (const g of planGroups) {
      const account = store.accounts.get(g.accountId);
      if (!account || !store.accounts.isActive(g.accountId)) {
        throw new AppError(
          'invalid-request',
          `Account ${g.accountId} of this plan no longer exists.`,
          { reason: 'unknown-account', accountId: g.accountId },
        );
      }
      const game = g.game as GameId;
      const fresh = await refetchInventory(
        deps,
        { id: g.accountId, label: account.label, tradeUrl: account.tradeUrl },
        game,
      );
      const items = store.plans.groupItems(planId, g.accountId, game);
      // The diff is per item, so it is computed and stored a slice at a time.
      for (let from = 0; from < items.length; from += DIFF_ROWS_PER_WRITE) {
        const result = diffPlan(
          items.slice(from, from + DIFF_ROWS_PER_WRITE),
          (_a, _g, id) => {
            const item = fresh.get(id);
            return item ? diffRowOf(item) : undefined;
          },
          toleranceBp,
        );
        store.preflights.addRows(
          preflightId,
          seq,
          result.rows.map((r) => ({ ...r, priceUsd: result.prices[r.itemId] ?? null })),
        );
        seq += result.rows.length;
        for (const k of Object.keys(counts) as (keyof typeof counts)[])
          counts[k] += result.counts[k];
        needsConfirmation ||= result.needsConfirmation;
      }
    }
    store.transaction(() => {
      if (store.plans.revision(planId) !== revision) {
        throw new AppError(
          'conflict',
          'The plan changed while its prices were being checked; run the pre-flight again.',
          { reason: 'plan-changed' },
        );
      }
      store.preflights.complete(preflightId, { counts, needsConfirmation });
      store.events.append({
        kind: 'preflight:checked',
        planId,
        payload: { preflightId, counts, needsConfirmation },
      });
    });
  } catch (error) {
    store.preflights.discard(preflightId);
    throw error;
  }
  if (options.summaryOnly)
    return { preflightId, planId, checkedAt, rows: [], counts, needsConfirmation };
  return store.preflights.diff(preflightId);
}

/**
 * Accepts a pre-flight: kept items get the inventory's price (exactly), the
 * others leave the plan; returns what the trader confirms before selling.
 */
export function acceptPreflight(
  deps: Pick<PreflightDeps, 'store'>,
  planId: string,
  preflightId: string,
  acceptedItemIds: readonly string[],
): SellConfirmation {
  const { store } = deps;
  return store.transaction(() => {
    const pf = store.preflights.require(preflightId);
    if (pf.planId !== planId)
      throw new AppError('invalid-request', 'This pre-flight belongs to another plan.', {
        reason: 'preflight-plan-mismatch',
      });
    if (!pf.summary)
      throw new AppError('conflict', 'This pre-flight did not complete; run it again.', {
        reason: 'preflight-incomplete',
      });
    if (pf.acceptedAt)
      throw new AppError('conflict', 'This pre-flight was already accepted; run a new one.', {
        reason: 'preflight-already-accepted',
      });
    if (store.preflights.latestId(planId) !== pf.id)
      throw new AppError('conflict', 'A newer pre-flight exists for this plan; accept that one.', {
        reason: 'preflight-superseded',
      });
    if (store.plans.revision(planId) !== pf.planRevision) {
      throw new AppError(
        'conflict',
        'The plan changed after its prices were checked; run the pre-flight again.',
        { reason: 'plan-changed' },
      );
    }
    const before = store.plans.groups(planId).reduce((n, g) => n + g.count, 0);
    const revision = store.plans.applyPreflight(planId, preflightId, acceptedItemIds);
    const confirmation = confirmationFor(store, planId, preflightId);
    store.preflights.markAccepted(preflightId, confirmation, revision);
    store.events.append({
      kind: 'preflight:accepted',
      planId,
      payload: {
        preflightId,
        itemCount: confirmation.itemCount,
        batchCount: confirmation.batchCount,
        totalCents: confirmation.totalCents,
        dropped: before - confirmation.itemCount,
      },
    });
    return confirmation;
  });
}

/** The numbers the trader confirms: items, batches, accounts, total (SQL aggregates, no item list in memory). */
export function confirmationFor(
  store: Store,
  planId: string,
  preflightId: string,
): SellConfirmation {
  const batchSize = store.plans.optionsOf(planId).batchSize;
  const groups = store.plans.groups(planId);
  const perAccount = new Map<string, number>();
  for (const g of groups) perAccount.set(g.accountId, (perAccount.get(g.accountId) ?? 0) + g.count);
  return {
    planId,
    preflightId,
    itemCount: groups.reduce((n, g) => n + g.count, 0),
    batchCount: groups.reduce((n, g) => n + Math.ceil(g.count / batchSize), 0),
    accounts: [...perAccount].map(([accountId, itemCount]) => ({
      accountId,
      label: store.accounts.get(accountId)?.label ?? accountId,
      itemCount,
    })),
    totalCents: groups.reduce((n, g) => n + g.totalCents, 0),
  };
}
