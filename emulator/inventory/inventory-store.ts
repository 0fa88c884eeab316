import type { GameId } from '../api/games';
import { usdToCents } from '../api/money';
import type { WireInventoryItem } from '../api/wire';
import { unitFrom } from '../random';
import { decodeItemId, generateInventory } from './generator';

/*
 * Owns every generated inventory and the *current* offer of each item (price
 * and accepted flag change via setPrice / setAccepted / price drift). Which
 * items are sold is not known here — the trade book holds that.
 */

export interface StoredItem {
  /** The row as served; its `offer` is the live offer. `amount` is the full stack. */
  readonly item: WireInventoryItem;
  readonly game: GameId;
  readonly partner: string;
  /** Lower-cased marketHashName, for search and name sorting. */
  readonly nameKey: string;
  /** Current offer price in cents (kept in step with item.offer.price). */
  cents: number;
}

export interface Inventory {
  readonly game: GameId;
  readonly partner: string;
  readonly items: StoredItem[];
  /** When the "cached Steam inventory" was last refreshed (api §4.1 `updatedAt`), ms. */
  refreshedAt: number;
  /** Bumped on any price/accepted change so sorted views can be cached. */
  version: number;
  readonly sorted: Map<string, { version: number; items: StoredItem[] }>;
}

export interface PriceDrift {
  everyMs: number;
  share: number;
  /** Largest move per drift, percent of the current price. */
  maxPct: number;
}

/** Catching up on drift after a long idle spell replays at most this many epochs. */
const MAX_DRIFT_CATCH_UP = 5;

export class InventoryStore {
  private readonly inventories = new Map<string, Inventory>();
  private driftEpoch = 0;
  /** Items whose offer was set by hand (setPrice / setAccepted / the price-changed fault). */
  readonly overridden = new Set<string>();
  /** Called after every setPrice / setAccepted; set by the optional persistence. */
  onChange: (() => void) | undefined = undefined;

  constructor(
    private readonly seed: number,
    private readonly itemsPerInventory: number,
    private readonly drift: PriceDrift | undefined,
    private readonly startedAt: number,
    /** The server's own URL, so items carry pictures it serves ('' = no pictures). */
    private readonly iconBaseUrl = '',
  ) {}

  /** The inventory of (partner, game), generated on first use. `partner` must be canonical (no leading zeros). */
  get(partner: string, game: GameId, now: number): Inventory {
    const key = `${game}:${partner}`;
    let inventory = this.inventories.get(key);
    if (!inventory) {
      const items = generateInventory(
        this.seed,
        game,
        partner,
        this.itemsPerInventory,
        this.iconBaseUrl,
      ).map((item): StoredItem => ({
        item,
        game,
        partner,
        nameKey: item.marketHashName.toLowerCase(),
        // Generated prices are whole cents divided by 100, so this is exact.
        cents: Math.round(item.offer.price * 100),
      }));
      inventory = { game, partner, items, refreshedAt: now, version: 0, sorted: new Map() };
      this.inventories.set(key, inventory);
    }
    return inventory;
  }

  /** Resolves an item id minted by this emulator (any partner, any game). */
  find(itemId: string, now: number): StoredItem | undefined {
    const decoded = decodeItemId(this.seed, itemId);
    if (!decoded || decoded.index >= this.itemsPerInventory) return undefined;
    return this.get(decoded.partner, decoded.game, now).items[decoded.index];
  }

  setPrice(itemId: string, priceUsd: number, now: number): StoredItem {
    if (!Number.isFinite(priceUsd) || priceUsd <= 0)
      throw new RangeError(`Price must be > 0, got ${priceUsd}`);
    const stored = this.require(itemId, now);
    stored.item.offer.price = priceUsd;
    stored.cents = usdToCents(priceUsd);
    this.touch(stored);
    this.overridden.add(itemId);
    this.onChange?.();
    return stored;
  }

  setAccepted(itemId: string, accepted: boolean, now: number): void {
    const stored = this.require(itemId, now);
    stored.item.offer.accepted = accepted;
    this.touch(stored);
    this.overridden.add(itemId);
    this.onChange?.();
  }

  /** Applies the drift epochs that elapsed up to `now` (lazily, on each request). */
  applyDrift(now: number): void {
    const drift = this.drift;
    if (!drift || drift.everyMs <= 0 || drift.share <= 0) return;
    const epoch = Math.floor((now - this.startedAt) / drift.everyMs);
    if (epoch <= this.driftEpoch) return;
    const first = Math.max(this.driftEpoch + 1, epoch - MAX_DRIFT_CATCH_UP + 1);
    this.driftEpoch = epoch;
    for (let e = first; e <= epoch; e++) {
      for (const inventory of this.inventories.values()) {
        let changed = false;
        for (const stored of inventory.items) {
          if (unitFrom(this.seed, 'drift', stored.item.id, e) >= drift.share) continue;
          const move =
            (unitFrom(this.seed, 'drift-move', stored.item.id, e) * 2 - 1) * (drift.maxPct / 100);
          let cents = Math.max(1, Math.round(stored.cents * (1 + move)));
          if (cents === stored.cents)
            cents = stored.cents > 1 && move < 0 ? stored.cents - 1 : stored.cents + 1;
          stored.cents = cents;
          stored.item.offer.price = cents / 100;
          changed = true;
        }
        if (changed) inventory.version++;
      }
    }
  }

  private require(itemId: string, now: number): StoredItem {
    const stored = this.find(itemId, now);
    if (!stored) throw new Error(`Unknown item id: ${itemId}`);
    return stored;
  }

  private touch(stored: StoredItem): void {
    const inventory = this.inventories.get(`${stored.game}:${stored.partner}`);
    if (inventory) inventory.version++;
  }
}
