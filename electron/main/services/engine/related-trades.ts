import type { Trade } from '../../../../shared/api/schemas';
import type { BatchRecord } from '../store';
import type { EngineContext } from './context';

/*
 * Split baskets whose create answer was lost (api §8 step 4): a lookup by
 * externalId returns only the primary trade, so the others are found by
 * scanning GET /secure/trades for trades of the same account and game,
 * created in the attempt's time window, that hold the batch's other items.
 */

/** How far before the attempt's first send a related trade may be stamped (clocks differ). */
const CLOCK_SKEW_MS = 120_000;

export type RelatedScan =
  /** Every wanted item was found (`missing` empty), or the scan proved the rest are in no trade. */
  | { kind: 'complete'; trades: Trade[]; missing: string[] }
  /** Not known yet: the scan failed, or trades may still be created. */
  | { kind: 'incomplete'; why: string };

/** When the attempt's requests went out: [first, last] epoch ms (null: never sent). */
export function sendWindow(
  sends: readonly { sentAt: string }[],
): { first: number; last: number } | null {
  if (sends.length === 0) return null;
  const times = sends.map((s) => Date.parse(s.sentAt));
  return { first: Math.min(...times), last: Math.max(...times) };
}

/**
 * Looks for the trades that hold `wanted` (items of the batch's current
 * attempt that no known trade holds). `exclude`: trades already known.
 */
export async function findRelated(
  ctx: EngineContext,
  b: BatchRecord,
  wanted: ReadonlySet<string>,
  exclude: ReadonlySet<string>,
): Promise<RelatedScan> {
  if (wanted.size === 0) return { kind: 'complete', trades: [], missing: [] };
  const account = ctx.store.accounts.get(b.accountId);
  const window = sendWindow(ctx.store.batches.sendsOf(b.externalId));
  if (!account || !window) return { kind: 'complete', trades: [], missing: [...wanted] };
  const since = window.first - CLOCK_SKEW_MS;
  const left = new Set(wanted);
  const found: Trade[] = [];
  let cursor: string | undefined;
  let seenAll = false;
  for (let page = 0; page < ctx.timing.relatedScanPages && left.size > 0; page++) {
    const r = await ctx.client.listTrades({
      game: b.game,
      type: 'deposit',
      limit: 100,
      ...(cursor ? { cursor } : {}),
      signal: ctx.signal,
    });
    ctx.noteReachability(r);
    if (r.kind !== 'ok') return { kind: 'incomplete', why: `trade list: ${r.kind}` };
    for (const t of r.data.items) {
      if (Date.parse(t.createdAt) < since) seenAll = true;
      else if (isRelated(t, b, account, left, exclude) && !ownedElsewhere(ctx, t.id, b.id)) {
        found.push(t);
        for (const i of t.items) left.delete(i.id);
      }
    }
    if (!r.data.nextCursor) seenAll = true;
    if (seenAll) break;
    cursor = r.data.nextCursor ?? undefined;
  }
  if (left.size === 0) return { kind: 'complete', trades: found, missing: [] };
  // Whatever is still missing is in no trade once every trade of the window was seen and no
  // request of the attempt can still be creating one.
  if (seenAll && ctx.clock.now() >= window.last + ctx.timing.inFlightWindowMs)
    return { kind: 'complete', trades: found, missing: [...left] };
  return { kind: 'incomplete', why: `${left.size} item(s) in no known trade yet` };
}

function isRelated(
  t: Trade,
  b: BatchRecord,
  account: { tradeUrl: string; steamId64: string },
  wanted: ReadonlySet<string>,
  exclude: ReadonlySet<string>,
): boolean {
  if (exclude.has(t.id)) return false;
  if (t.clientTradeUrl !== account.tradeUrl && t.clientSteamID !== account.steamId64) return false;
  // The emulator's related trades carry no externalId; whether AssetPay's do is undocumented (api §10.8).
  if (t.externalId !== undefined && t.externalId !== b.externalId) return false;
  return t.items.some((i) => wanted.has(i.id));
}

/** A trade the app already links to another batch is that batch's, not a related one of this. */
function ownedElsewhere(ctx: EngineContext, tradeId: string, batchId: string): boolean {
  const local = ctx.store.trades.get(tradeId);
  return local !== null && local.batchId !== null && local.batchId !== batchId;
}
