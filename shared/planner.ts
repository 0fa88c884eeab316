import type { GameId } from './api/games';
import { MAX_ITEMS_PER_SELL, type SellRequest } from './api/schemas';
import { isValidTradeUrl, TRADE_URL_PATTERN } from './api/trade-url';
import type { PlanItem } from './model';

/*
 * The planner (design §5): a plan's items → batches of one Steam account and
 * one game, at most `batchSize` (≤ 250, api §4.2) items each, no item twice.
 * Pure: it decides and returns values; the engine writes. The renderer's
 * preview of a draft (previewBatches) splits with the same code, so what the
 * trader previews is what is sent.
 */

export const DEFAULT_BATCH_SIZE = MAX_ITEMS_PER_SELL;
/** api §4.2: externalId 1–128 chars, no comma (it is a lookup separator, §4.5). */
export const MAX_EXTERNAL_ID_LENGTH = 128;

export type PlanError =
  | { kind: 'empty-plan'; message: string }
  | { kind: 'batch-size-too-large'; message: string; batchSize: number }
  | { kind: 'invalid-batch-size'; message: string; batchSize: number }
  | { kind: 'duplicate-item'; message: string; itemIds: string[] }
  | { kind: 'invalid-price'; message: string; itemIds: string[] }
  | { kind: 'invalid-amount'; message: string; itemIds: string[] }
  | { kind: 'invalid-item-id'; message: string; itemIds: string[] };

export interface PlannedBatch {
  /** 1-based order inside the run. */
  seq: number;
  accountId: string;
  game: GameId;
  items: PlanItem[];
  totalCents: number;
}

export type PlanResult = { ok: true; batches: PlannedBatch[] } | { ok: false; error: PlanError };

const SAMPLE = 10;
function sample(ids: string[]): string {
  return ids.length <= SAMPLE
    ? ids.join(', ')
    : `${ids.slice(0, SAMPLE).join(', ')} and ${ids.length - SAMPLE} more`;
}

/**
 * Splits items into batches. Groups keep the order in which their (account,
 * game) first appears; items keep their order inside a group. A group of n
 * items becomes ceil(n / batchSize) batches of near-equal size (260 → 130 +
 * 130, not 250 + 10), so no batch is a tiny tail.
 */
export function planBatches(
  items: readonly PlanItem[],
  options: { batchSize?: number } = {},
): PlanResult {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    return {
      ok: false,
      error: {
        kind: 'invalid-batch-size',
        message: `Batch size must be a whole number from 1 to ${MAX_ITEMS_PER_SELL}.`,
        batchSize,
      },
    };
  }
  if (batchSize > MAX_ITEMS_PER_SELL) {
    return {
      ok: false,
      error: {
        kind: 'batch-size-too-large',
        message: `A batch can hold at most ${MAX_ITEMS_PER_SELL} items (AssetPay's limit per sell); ${batchSize} was asked.`,
        batchSize,
      },
    };
  }
  if (items.length === 0)
    return { ok: false, error: { kind: 'empty-plan', message: 'The plan has no items.' } };

  const badIds = items
    .filter((i) => typeof i.itemId !== 'string' || i.itemId.length < 5 || i.itemId.length > 256)
    .map((i) => String(i.itemId));
  if (badIds.length)
    return {
      ok: false,
      error: {
        kind: 'invalid-item-id',
        message: `Item ids must be 5–256 characters: ${sample(badIds)}.`,
        itemIds: badIds,
      },
    };
  const badPrices = items
    .filter(
      (i) =>
        !(Number.isFinite(i.priceUsd) && i.priceUsd > 0) ||
        !Number.isSafeInteger(i.priceCents) ||
        i.priceCents < 0,
    )
    .map((i) => i.itemId);
  if (badPrices.length) {
    return {
      ok: false,
      error: {
        kind: 'invalid-price',
        message: `Every price must be more than $0: ${sample(badPrices)}.`,
        itemIds: badPrices,
      },
    };
  }
  const badAmounts = items
    .filter((i) => !Number.isInteger(i.amount) || i.amount < 1 || i.amount > 10_000)
    .map((i) => i.itemId);
  if (badAmounts.length) {
    return {
      ok: false,
      error: {
        kind: 'invalid-amount',
        message: `Amounts must be whole numbers from 1 to 10,000: ${sample(badAmounts)}.`,
        itemIds: badAmounts,
      },
    };
  }
  // One item is one Steam asset: the same id twice in a plan (even under two
  // accounts, which cannot both own it) would sell it twice.
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const i of items) {
    if (seen.has(i.itemId)) dup.add(i.itemId);
    seen.add(i.itemId);
  }
  if (dup.size) {
    const ids = [...dup];
    return {
      ok: false,
      error: {
        kind: 'duplicate-item',
        message: `These items are in the plan more than once: ${sample(ids)}.`,
        itemIds: ids,
      },
    };
  }

  const batches: PlannedBatch[] = [];
  for (const group of groupsInOrder(items)) {
    let at = 0;
    for (const size of chunkSizes(group.items.length, batchSize)) {
      const part = group.items.slice(at, at + size);
      at += size;
      batches.push({
        seq: batches.length + 1,
        accountId: group.accountId,
        game: group.game,
        items: part,
        totalCents: part.reduce((sum, i) => sum + i.priceCents * i.amount, 0),
      });
    }
  }
  return { ok: true, batches };
}

/**
 * Groups items by (account, game) in the order each group first appears;
 * items keep their order inside a group.
 */
export function groupsInOrder<T extends { accountId: string; game: GameId }>(
  items: readonly T[],
): { accountId: string; game: GameId; items: T[] }[] {
  const groups = new Map<string, { accountId: string; game: GameId; items: T[] }>();
  // Items come in long runs of one account and game: skip the map lookup for those.
  let last: { accountId: string; game: GameId; items: T[] } | undefined;
  for (const item of items) {
    if (!last || last.accountId !== item.accountId || last.game !== item.game) {
      const key = `${item.accountId}\u0000${item.game}`;
      last = groups.get(key);
      if (!last)
        groups.set(key, (last = { accountId: item.accountId, game: item.game, items: [] }));
    }
    last.items.push(item);
  }
  return [...groups.values()];
}

/**
 * How n items of one account and game split into batches of at most
 * `batchSize`: ceil(n / batchSize) batches of near-equal size, the larger
 * ones first (260 → [130, 130]; 251 → [126, 125]).
 */
export function chunkSizes(n: number, batchSize: number): number[] {
  if (n <= 0) return [];
  const count = Math.ceil(n / batchSize);
  const base = Math.floor(n / count);
  const extra = n % count;
  return Array.from({ length: count }, (_, b) => base + (b < extra ? 1 : 0));
}

/** Number of batches a plan makes, without building them. */
export function countBatches(
  items: readonly Pick<PlanItem, 'accountId' | 'game'>[],
  batchSize: number,
): number {
  return groupsInOrder(items).reduce((n, g) => n + Math.ceil(g.items.length / batchSize), 0);
}

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

export type GroupPreview = Omit<BatchPreview, 'seq'> & { batchCount: number };

export type PlanPreview = {
  itemCount: number;
  batchCount: number;
  totalCents: number;
  groups: GroupPreview[];
  batches: BatchPreview[];
};

/** A batch size the trader typed, as the engine will use it (1–250). */
export function clampBatchSize(size: number): number {
  if (!Number.isFinite(size)) return MAX_ITEMS_PER_SELL;
  return Math.min(MAX_ITEMS_PER_SELL, Math.max(1, Math.floor(size)));
}

/**
 * What the engine will send for a draft, computed from it (never stored):
 * the planner's groups and split, with integer-cent totals (design §4).
 */
export function previewBatches<T extends Omit<PreviewItem, 'amount'>>(
  items: readonly T[],
  batchSize: number,
  /** Units sold of an item; default its `amount`. */
  unitsOf: (item: T) => number = (item) => (item as unknown as PreviewItem).amount,
): PlanPreview {
  const batches: BatchPreview[] = [];
  const groups: GroupPreview[] = [];
  let totalCents = 0;
  for (const g of groupsInOrder(items)) {
    const sizes = chunkSizes(g.items.length, clampBatchSize(batchSize));
    let at = 0;
    let groupTotal = 0;
    for (const itemCount of sizes) {
      let batchTotal = 0;
      for (let k = at; k < at + itemCount; k++)
        batchTotal += g.items[k]!.priceCents * unitsOf(g.items[k]!);
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
    groups.push({
      accountId: g.accountId,
      game: g.game,
      itemCount: g.items.length,
      batchCount: sizes.length,
      totalCents: groupTotal,
    });
  }
  return { itemCount: items.length, batchCount: batches.length, totalCents, groups, batches };
}

/**
 * The externalId of one attempt of one batch: `bs-<batchId>-<attempt>`
 * (api §8 "externalId policy": one id per attempt; an ambiguous resend reuses
 * it, a deliberate new attempt gets attempt + 1). Stable: the same batch and
 * attempt always give the same id.
 */
export function externalIdFor(batchId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a positive integer: ${attempt}`);
  if (!/^[A-Za-z0-9_-]+$/.test(batchId))
    throw new RangeError(`batch id must be [A-Za-z0-9_-]: ${batchId}`);
  const id = `bs-${batchId}-${attempt}`;
  if (id.length > MAX_EXTERNAL_ID_LENGTH)
    throw new RangeError(`externalId longer than ${MAX_EXTERNAL_ID_LENGTH}: ${id}`);
  return id;
}

export type BodyResult =
  { ok: true; body: SellRequest; text: string } | { ok: false; reason: string; message: string };

/**
 * The exact sell body of one attempt (api §4.2): one trade URL, one game, the
 * items with their prices exactly as the inventory gave them. Validated with
 * the strict wire schema; the JSON text returned is byte for byte what the
 * client sends (it serialises the parsed object, whose key order is the
 * schema's).
 */
export function buildSellRequest(input: {
  tradeUrl: string;
  game: GameId;
  externalId: string;
  isInstant: boolean;
  items: readonly {
    itemId: string;
    priceUsd: number;
    amount: number;
    game?: GameId;
    accountId?: string;
  }[];
  accountId?: string;
}): BodyResult {
  if (!isValidTradeUrl(input.tradeUrl)) {
    return {
      ok: false,
      reason: 'invalid-trade-url',
      message:
        'The account’s trade URL does not match the Steam pattern AssetPay requires (api §7).',
    };
  }
  const otherGame = input.items
    .filter((i) => i.game !== undefined && i.game !== input.game)
    .map((i) => i.itemId);
  if (otherGame.length) {
    return {
      ok: false,
      reason: 'mixed-games',
      message: `A sell carries one game; these items are of another: ${sample(otherGame)}.`,
    };
  }
  const otherAccount = input.items
    .filter(
      (i) =>
        i.accountId !== undefined &&
        input.accountId !== undefined &&
        i.accountId !== input.accountId,
    )
    .map((i) => i.itemId);
  if (otherAccount.length) {
    return {
      ok: false,
      reason: 'mixed-accounts',
      message: `A sell carries one account; these items belong to another: ${sample(otherAccount)}.`,
    };
  }
  if (input.items.length > MAX_ITEMS_PER_SELL) {
    return {
      ok: false,
      reason: 'batch-size-too-large',
      message: `A sell carries at most ${MAX_ITEMS_PER_SELL} items; this one has ${input.items.length}.`,
    };
  }
  // The wire rules of sellRequestSchema (strict, api §4.2), checked by hand: this runs for every batch
  // of a 100,000-item plan. tests/unit/planner-batches.test.ts holds it equal to the zod schema.
  const problem = wireProblem(input);
  if (problem)
    return {
      ok: false,
      reason: 'invalid-body',
      message: `The sell request is invalid at ${problem}`,
    };
  const body: SellRequest = {
    tradeUrl: input.tradeUrl,
    items: input.items.map((i) =>
      i.amount === 1 && input.game === '730'
        ? { itemId: i.itemId, price: i.priceUsd }
        : { itemId: i.itemId, price: i.priceUsd, amount: i.amount },
    ),
    game: input.game,
    externalId: input.externalId,
    isInstant: input.isInstant,
  };
  return { ok: true, body, text: JSON.stringify(body) };
}

/** Where a body breaks sellRequestSchema, or null. Key order of the object built above = the schema's. */
function wireProblem(input: {
  tradeUrl: string;
  game: string;
  externalId: string;
  isInstant: boolean;
  items: readonly { itemId: string; priceUsd: number; amount: number }[];
}): string | null {
  if (!TRADE_URL_PATTERN.test(input.tradeUrl))
    return 'tradeUrl: does not match the trade URL pattern';
  if (input.items.length < 1 || input.items.length > MAX_ITEMS_PER_SELL)
    return `items: 1–${MAX_ITEMS_PER_SELL} entries`;
  for (let k = 0; k < input.items.length; k++) {
    const i = input.items[k]!;
    if (typeof i.itemId !== 'string' || i.itemId.length < 5 || i.itemId.length > 256)
      return `items.${k}.itemId: 5–256 characters`;
    if (typeof i.priceUsd !== 'number' || !Number.isFinite(i.priceUsd) || i.priceUsd <= 0)
      return `items.${k}.price: a number > 0`;
    if (!Number.isInteger(i.amount) || i.amount < 1 || i.amount > 10_000)
      return `items.${k}.amount: an integer 1–10000`;
  }
  if (input.game !== '730' && input.game !== '252490') return 'game: "730" or "252490"';
  if (
    typeof input.externalId !== 'string' ||
    input.externalId.length < 1 ||
    input.externalId.length > MAX_EXTERNAL_ID_LENGTH ||
    input.externalId.includes(',')
  ) {
    return 'externalId: 1–128 characters without a comma';
  }
  if (typeof input.isInstant !== 'boolean') return 'isInstant: a boolean';
  return null;
}
