import { centsToUsd } from '../api/money';
import { parseTradeUrl } from '../api/trade-url';
import type { WireCreatedTrade, WireInventoryItem, WireTrade } from '../api/wire';
import { accountRefusal } from '../accounts';
import { fail, type Reply } from '../envelope';
import type { StoredItem } from '../inventory/inventory-store';
import { unitFrom, uuidFrom } from '../random';
import { planOutcome } from '../trades/lifecycle';
import { iso, type TradeRecord } from '../trades/trade-book';
import type { World } from '../world';
import type { SellBody, SellLine } from './validate-body';

/*
 * The business side of POST /secure/sell once the body is well formed:
 * refusals in the order a client can act on them, then creating the trade(s).
 * Order matters for reconciliation (api §8): EXTERNAL_ID_EXISTS is checked
 * before the items, so an ambiguous-failure resend is told the first attempt
 * landed instead of "items unavailable".
 */

export interface ResolvedLine {
  line: SellLine;
  stored: StoredItem;
}

export interface CheckedSell {
  body: SellBody;
  partner: string;
  steamId64: string;
  lines: ResolvedLine[];
}

export type SellCheck = { ok: true; sell: CheckedSell } | { ok: false; reply: Reply };

/** The create response: the primary trade plus the extra trades of a split basket (api §4.2). */
export type CreatedSell = WireCreatedTrade;

export function checkSell(world: World, body: SellBody, now: number): SellCheck {
  const url = parseTradeUrl(body.tradeUrl);
  if (!url) return { ok: false, reply: fail('INVALID_TRADEURL') };
  const partner = url.partner;
  const refusal = accountRefusal(partner, body.game, true);
  if (refusal) return { ok: false, reply: fail(refusal) };
  if (body.externalId !== undefined && world.book.hasExternalId(body.externalId)) {
    return {
      ok: false,
      reply: fail('EXTERNAL_ID_EXISTS', { details: { externalId: body.externalId } }),
    };
  }

  const lines: ResolvedLine[] = [];
  const unavailable: Array<{ itemId: string; marketHashName?: string }> = [];
  for (const line of body.items) {
    const stored = world.inventories.find(line.itemId, now);
    if (!stored || stored.partner !== partner || stored.game !== body.game) {
      unavailable.push({ itemId: line.itemId });
    } else if (
      !stored.item.tradable ||
      world.availableUnits(line.itemId, stored.item.amount) <= 0
    ) {
      unavailable.push({ itemId: line.itemId, marketHashName: stored.item.marketHashName });
    } else lines.push({ line, stored });
  }
  if (unavailable.length > 0)
    return { ok: false, reply: fail('ITEMS_UNAVAILABLE', { details: { items: unavailable } }) };

  const notAccepted = lines.filter((r) => !r.stored.item.offer.accepted).map(named);
  if (notAccepted.length > 0)
    return { ok: false, reply: fail('ITEMS_NOT_ACCEPTED', { details: { items: notAccepted } }) };

  const overMax = lines
    .filter((r) => r.line.amount > r.stored.item.offer.maxAmount)
    .map((r) => ({ ...named(r), amount: r.line.amount, maxAmount: r.stored.item.offer.maxAmount }));
  if (overMax.length > 0)
    return { ok: false, reply: fail('EXCEEDS_MAX_AMOUNT', { details: { items: overMax } }) };

  const short = lines
    .map((r) => ({ r, available: world.availableUnits(r.line.itemId, r.stored.item.amount) }))
    .filter(({ r, available }) => r.line.amount > available)
    .map(({ r, available }) => ({ ...named(r), amount: r.line.amount, available }));
  if (short.length > 0)
    return { ok: false, reply: fail('INSUFFICIENT_ITEM_AMOUNT', { details: { items: short } }) };

  // The submitted price must be exactly the current offer (api §4.2); no rounding tolerance.
  const changed = lines
    .filter((r) => r.line.price !== r.stored.item.offer.price)
    .map((r) => ({ ...named(r), submitted: r.line.price, current: r.stored.item.offer.price }));
  if (changed.length > 0)
    return { ok: false, reply: fail('PRICE_CHANGED', { details: { items: changed } }) };

  return { ok: true, sell: { body, partner, steamId64: url.steamId64, lines } };
}

/**
 * ITEM_OVERSTOCKED for the first item of the sell (one-shot fault; no side effect).
 * AssetPay still takes half the units asked for, rounded down: none of a single
 * item, 3 of a 7-unit stack.
 */
export function overstocked(sell: CheckedSell): Reply {
  const first = sell.lines[0]!;
  const remaining = Math.floor(first.line.amount / 2);
  return fail('ITEM_OVERSTOCKED', { details: { items: [{ ...named(first), remaining }] } });
}

/** Creates the trade(s): one per chunk; the first carries the externalId. */
export function commitSell(world: World, sell: CheckedSell, now: number): CreatedSell {
  const chunks = splitLines(world, sell.lines);
  const primary = createRecord(world, sell, chunks[0]!, now, 'initiated', undefined);
  const related = chunks
    .slice(1)
    .map((chunk) => createRecord(world, sell, chunk, now, 'initiated', primary.wire.id));
  return { ...primary.wire, relatedTrades: related.map((record) => record.wire) };
}

/**
 * NO_BOTS_AVAILABLE and TRADE_OFFER_FAILED: the trade record is written (and
 * the externalId consumed, api §8) but ends `failed` at once; items stay in the account.
 */
export function recordFailedSell(world: World, sell: CheckedSell, now: number): WireTrade {
  return createRecord(world, sell, sell.lines, now, 'failed', undefined).wire;
}

function createRecord(
  world: World,
  sell: CheckedSell,
  lines: ResolvedLine[],
  now: number,
  status: 'initiated' | 'failed',
  relatedTo: string | undefined,
): TradeRecord {
  const { body } = sell;
  const seq = world.book.nextSeq;
  let cents = 0;
  const items: WireInventoryItem[] = lines.map(({ line, stored }) => {
    cents += stored.cents * line.amount;
    return {
      ...stored.item,
      amount: line.amount,
      offer: { ...stored.item.offer, price: line.price },
    };
  });
  const total = centsToUsd(cents);
  // A restored book (persistPath) holds ids of earlier runs; never hand one out twice.
  let id = uuidFrom(world.tradeIds);
  while (world.book.get(id)) id = uuidFrom(world.tradeIds);
  const wire: WireTrade = {
    id,
    type: 'deposit',
    source: 'self',
    status,
    game: body.game,
    ...(relatedTo === undefined && body.externalId !== undefined
      ? { externalId: body.externalId }
      : {}),
    merchantId: world.merchantId,
    clientUserId: world.clientUserId(sell.partner),
    clientSteamID: sell.steamId64,
    clientTradeUrl: body.tradeUrl,
    items,
    totalPrice: total,
    // Self-trades are fully trusted: everything is pre-credited (api §4.2).
    preCredit: total,
    pendingCredit: 0,
    isInstant: body.isInstant,
    collateral: { merchant: 0, provider: 0 },
    createdAt: iso(now),
    updatedAt: iso(now),
  };
  if (status === 'failed') wire.error = 'SERVICE_UNAVAILABLE';
  const plan =
    status === 'failed'
      ? { outcome: 'failed' as const, reverts: false }
      : planOutcome({ seed: world.config.seed, ...world.config.lifecycle }, seq);
  const record: TradeRecord = {
    seq,
    wire,
    partner: sell.partner,
    lines: lines.map(({ line }) => ({ itemId: line.itemId, amount: line.amount })),
    outcome: plan.outcome,
    reverts: plan.reverts,
    updatedMs: now,
    version: 0,
    ...(relatedTo === undefined ? {} : { relatedTo }),
  };
  world.book.add(record);
  if (status === 'initiated') world.lifecycle.start(record);
  return record;
}

/**
 * Basket splitting (api §4.2 relatedTrades; when it happens is undocumented,
 * api §10.8): baskets above `splitAbove` items go out in trades of at most that
 * many items, and a seeded `splitShare` of the rest is split in two.
 */
function splitLines(world: World, lines: ResolvedLine[]): ResolvedLine[][] {
  const { splitAbove, splitShare, seed } = world.config;
  let chunks: ResolvedLine[][] = [lines];
  if (splitAbove !== undefined && splitAbove > 0 && lines.length > splitAbove) {
    chunks = [];
    for (let i = 0; i < lines.length; i += splitAbove) chunks.push(lines.slice(i, i + splitAbove));
  }
  if (
    chunks.length === 1 &&
    lines.length >= 2 &&
    splitShare > 0 &&
    unitFrom(seed, 'split', world.book.nextSeq) < splitShare
  ) {
    const half = Math.ceil(lines.length / 2);
    chunks = [lines.slice(0, half), lines.slice(half)];
  }
  return chunks;
}

function named(r: ResolvedLine): { itemId: string; marketHashName: string } {
  return { itemId: r.line.itemId, marketHashName: r.stored.item.marketHashName };
}
