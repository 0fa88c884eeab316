import type { Trade } from '../../../../shared/api/schemas';
import type { BatchRecord } from '../store';
import type { EngineContext } from './context';

/*
 * Split baskets whose create answer was lost (api §8 step 4): a lookup by
 * externalId returns only the primary trade, so the others are found by
 * scanning GET /secure/trades for trades of the same account and game,
 * created with the primary, that hold the batch's other items.
 *
 * The window is read in AssetPay's own time (the primary's createdAt): the
 * PC's clock may be minutes off. The list is newest first (api §4.4) and a
 * busy merchant may have thousands of newer trades, so a scan reads a few
 * pages per pass and the next pass goes on where it stopped.
 */

/** Related trades are created with the primary; this margin allows for AssetPay's own spread. */
const CREATED_WITH_PRIMARY_MS = 5 * 60_000;

export type RelatedScan =
  /** Every wanted item was found (`missing` empty), or the scan proved the rest are in no trade. */
  | { kind: 'complete'; trades: Trade[]; missing: string[] }
  /** Not known yet: the scan failed, is not through the list yet, or trades may still be created. */
  | { kind: 'incomplete'; why: string };

/** Where an unfinished scan of one attempt stands. */
interface ScanState {
  cursor: string | undefined;
  found: Trade[];
}

export class RelatedTrades {
  /** By externalId (one attempt). Memory only: after a restart a scan starts from the top again. */
  private readonly scans = new Map<string, ScanState>();

  constructor(private readonly ctx: EngineContext) {}

  /**
   * Looks for the trades that hold `wanted` (items of the batch's current
   * attempt that no known trade holds): `primary` is the attempt's trade as
   * AssetPay stamped it, `exclude` the trades already known.
   */
  async find(
    b: BatchRecord,
    primary: { createdAt: string },
    wanted: ReadonlySet<string>,
    exclude: ReadonlySet<string>,
  ): Promise<RelatedScan> {
    const { ctx } = this;
    if (wanted.size === 0) return { kind: 'complete', trades: [], missing: [] };
    const account = ctx.store.accounts.get(b.accountId);
    const sends = ctx.store.batches.sendsOf(b.externalId);
    if (!account || sends.length === 0)
      return { kind: 'complete', trades: [], missing: [...wanted] };
    const since = Date.parse(primary.createdAt) - CREATED_WITH_PRIMARY_MS;
    const state = this.scans.get(b.externalId) ?? { cursor: undefined, found: [] };
    const left = new Set(wanted);
    for (const t of state.found) for (const i of t.items) left.delete(i.id);
    let throughWindow = false;
    for (let page = 0; page < ctx.timing.relatedScanPages && left.size > 0; page++) {
      const r = await ctx.client.listTrades({
        game: b.game,
        type: 'deposit',
        limit: 100,
        ...(state.cursor ? { cursor: state.cursor } : {}),
        signal: ctx.signal,
      });
      ctx.noteReachability(r);
      if (r.kind !== 'ok') {
        this.scans.set(b.externalId, state);
        return { kind: 'incomplete', why: `trade list: ${r.kind}` };
      }
      for (const t of r.data.items) {
        if (Date.parse(t.createdAt) < since) throughWindow = true;
        else if (isRelated(t, b, account, left, exclude) && !this.ownedElsewhere(t.id, b.id)) {
          state.found.push(t);
          for (const i of t.items) left.delete(i.id);
        }
      }
      state.cursor = r.data.nextCursor ?? undefined;
      if (!r.data.nextCursor) throughWindow = true;
      if (throughWindow) break;
    }
    const found = state.found;
    if (left.size === 0) {
      this.scans.delete(b.externalId);
      return { kind: 'complete', trades: found, missing: [] };
    }
    if (!throughWindow) {
      // Not through the newer trades yet: the next pass goes on from here.
      this.scans.set(b.externalId, state);
      return {
        kind: 'incomplete',
        why: `${left.size} item(s) in no known trade yet (scan goes on)`,
      };
    }
    // Through the window: whatever is still missing is in no trade, once no request of the
    // attempt can still be creating one (the PC's own clock, against its own send times).
    const lastSent = Math.max(...sends.map((s) => Date.parse(s.sentAt)));
    if (ctx.clock.now() >= lastSent + ctx.timing.inFlightWindowMs) {
      this.scans.delete(b.externalId);
      return { kind: 'complete', trades: found, missing: [...left] };
    }
    // A request may still create a trade: the next pass reads the list from the top again.
    this.scans.set(b.externalId, { cursor: undefined, found });
    return { kind: 'incomplete', why: `${left.size} item(s) in no known trade yet` };
  }

  /** A trade the app already links to another batch is that batch's, not a related one of this. */
  private ownedElsewhere(tradeId: string, batchId: string): boolean {
    const local = this.ctx.store.trades.get(tradeId);
    return local !== null && local.batchId !== null && local.batchId !== batchId;
  }
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
