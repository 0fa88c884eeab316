import type { GameId } from '../../../../shared/api/games';
import { MAX_ITEMS_PER_SELL, type SellRequest } from '../../../../shared/api/schemas';
import { isValidTradeUrl, TRADE_URL_PATTERN } from '../../../../shared/api/trade-url';
import type { PlanItem } from '../../../../shared/contract/views';

/*
 * The planner (design §5): a plan's items → batches of one Steam account and
 * one game, at most `batchSize` (≤ 250, api §4.2) items each, no item twice.
 * Pure: it decides and returns values; the engine writes.
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

  const groups = new Map<string, PlanItem[]>();
  for (const item of items) {
    const key = `${item.accountId}\u0000${item.game}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(item);
  }
  const batches: PlannedBatch[] = [];
  for (const group of groups.values()) {
    let at = 0;
    for (const size of chunkSizes(group.length, batchSize)) {
      const part = group.slice(at, at + size);
      at += size;
      batches.push({
        seq: batches.length + 1,
        accountId: part[0]!.accountId,
        game: part[0]!.game,
        items: part,
        totalCents: part.reduce((sum, i) => sum + i.priceCents * i.amount, 0),
      });
    }
  }
  return { ok: true, batches };
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
  const sizes = new Map<string, number>();
  for (const i of items)
    sizes.set(
      `${i.accountId}\u0000${i.game}`,
      (sizes.get(`${i.accountId}\u0000${i.game}`) ?? 0) + 1,
    );
  let n = 0;
  for (const s of sizes.values()) n += Math.ceil(s / batchSize);
  return n;
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
