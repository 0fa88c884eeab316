import type { GameId } from '../api/games';
import type { TradeStatus } from '../api/trade-statuses';
import type { WireTrade } from '../api/wire';
import { holdsItems } from './statuses';

export type Outcome = 'completed' | 'declined' | 'failed' | 'canceled';

export interface TradeRecord {
  /** Creation order, 0-based; also the cursor position and the lifecycle's random stream. */
  readonly seq: number;
  /** The trade as the API sends it; mutated in place as it advances. */
  readonly wire: WireTrade;
  readonly partner: string;
  /** What the trade takes out of the account: item id and units. */
  readonly lines: ReadonlyArray<{ itemId: string; amount: number }>;
  /** For the extra trades of a split basket: the primary trade's id. */
  readonly relatedTo?: string;
  /** Where the lifecycle takes this trade (seeded at creation). */
  readonly outcome: Outcome;
  readonly reverts: boolean;
  updatedMs: number;
  /** Bumped on every status change so stale scheduled steps are ignored. */
  version: number;
}

/** A deep copy of a wire trade (flat fields plus a few small objects), much cheaper than structuredClone. */
export function copyTrade<T extends WireTrade>(trade: T): T {
  const copy: T = {
    ...trade,
    items: trade.items.map((item) => ({ ...item, offer: { ...item.offer } })),
    collateral: { ...trade.collateral },
  };
  if (trade.botInfo) copy.botInfo = { ...trade.botInfo };
  return copy;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Every trade of the (single) merchant with the indexes the API needs:
 * id, externalId, per-game creation order, and units held per item.
 */
export class TradeBook {
  readonly all: TradeRecord[] = [];
  private readonly byId = new Map<string, TradeRecord>();
  private readonly byExternalId = new Map<string, TradeRecord>();
  private readonly byGame = new Map<GameId, TradeRecord[]>();
  private readonly held = new Map<string, number>();
  /** Called after every change (trade added, status moved); set by the optional persistence. */
  onChange: (() => void) | undefined = undefined;

  get nextSeq(): number {
    return this.all.length;
  }

  add(record: TradeRecord): void {
    if (record.seq !== this.all.length)
      throw new Error(`Trade sequence out of order: ${record.seq}`);
    this.all.push(record);
    this.byId.set(record.wire.id, record);
    if (record.wire.externalId !== undefined) this.byExternalId.set(record.wire.externalId, record);
    let list = this.byGame.get(record.wire.game);
    if (!list) this.byGame.set(record.wire.game, (list = []));
    list.push(record);
    if (holdsItems(record.wire.status)) this.hold(record, 1);
    this.onChange?.();
  }

  get(id: string): TradeRecord | undefined {
    return this.byId.get(id);
  }

  /** A ref is a trade id or an externalId (api §4.5). */
  lookup(ref: string): TradeRecord | undefined {
    return this.byId.get(ref) ?? this.byExternalId.get(ref);
  }

  hasExternalId(externalId: string): boolean {
    return this.byExternalId.has(externalId);
  }

  externalIds(): string[] {
    return [...this.byExternalId.keys()];
  }

  /** Units of the item inside live or completed trades. */
  heldUnits(itemId: string): number {
    return this.held.get(itemId) ?? 0;
  }

  heldItems(): ReadonlyMap<string, number> {
    return this.held;
  }

  /** Records the new status (the caller checked the move is allowed) and keeps item holds in step. */
  setStatus(record: TradeRecord, status: TradeStatus, atMs: number): void {
    const before = holdsItems(record.wire.status);
    const after = holdsItems(status);
    if (before && !after) this.hold(record, -1);
    if (!before && after) this.hold(record, 1);
    record.wire.status = status;
    // updatedAt strictly increases with each step so clients can order responses (api §8).
    record.updatedMs = Math.max(atMs, record.updatedMs + 1);
    record.wire.updatedAt = iso(record.updatedMs);
    record.version++;
    this.onChange?.();
  }

  /** Newest first, strictly older than `beforeSeq` when given (api §4.4). */
  page(
    game: GameId,
    beforeSeq: number | undefined,
    limit: number,
  ): { records: TradeRecord[]; more: boolean } {
    const list = this.byGame.get(game) ?? [];
    let end = list.length; // exclusive
    if (beforeSeq !== undefined) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.seq < beforeSeq) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    const records: TradeRecord[] = [];
    for (let i = end - 1; i >= 0 && records.length < limit; i--) records.push(list[i]!);
    return { records, more: end - records.length > 0 };
  }

  private hold(record: TradeRecord, sign: 1 | -1): void {
    for (const line of record.lines) {
      const units = (this.held.get(line.itemId) ?? 0) + sign * line.amount;
      if (units > 0) this.held.set(line.itemId, units);
      else this.held.delete(line.itemId);
    }
  }
}
