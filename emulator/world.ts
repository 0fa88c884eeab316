import type { GameId } from './api/games';
import { InventoryStore, type PriceDrift } from './inventory/inventory-store';
import { createRng, hash32, uuidFrom, type Rng } from './random';
import { Lifecycle, type LifecycleConfig } from './trades/lifecycle';
import { TradeBook } from './trades/trade-book';
import type { Trade } from './types';

/*
 * The emulated AssetPay domain for one merchant: inventories, trades, their
 * lifecycle and the emulator's clock. No HTTP here. `sync()` brings time-based
 * state (lifecycle steps, price drift) up to now; every request and every
 * programmatic read calls it first, so no timer is needed.
 */

export interface WorldConfig {
  seed: number;
  apiKey: string;
  itemsPerInventory: number;
  /** The server's URL: items' iconUrl point at its /icons/ pictures ('' = items without pictures). */
  iconBaseUrl: string;
  lifecycle: Omit<LifecycleConfig, 'seed'>;
  splitShare: number;
  splitAbove: number | undefined;
  priceDrift: PriceDrift | undefined;
  clock: () => number;
  onSellCommitted: ((trade: Trade) => void) | undefined;
}

export class World {
  readonly inventories: InventoryStore;
  readonly book = new TradeBook();
  readonly lifecycle: Lifecycle;
  readonly merchantId: string;
  /**
   * Trade ids come from one stream seeded by the seed and the clock's value at
   * start: reproducible under a controlled `clock`, and never repeated by a
   * sandbox restarted in real time (the app keeps trades in its database).
   */
  readonly tradeIds: Rng;
  /** Mixed into ids and offer numbers; see tradeIds. */
  readonly instanceSalt: number;
  private skewMs = 0;
  private readonly clientUserIds = new Map<string, string>();
  /** Called when advanceLifecycle(ms) moves emulated time; set by the optional persistence. */
  onChange: (() => void) | undefined = undefined;

  /** `resume`: continuing from a saved state (emulator/persistence.ts) — its time skew, and how many trades it held. */
  constructor(
    readonly config: WorldConfig,
    resume?: { skewMs: number; tradeCount: number },
  ) {
    const start = config.clock();
    this.instanceSalt = start;
    this.inventories = new InventoryStore(
      config.seed,
      config.itemsPerInventory,
      config.priceDrift,
      start,
      config.iconBaseUrl,
    );
    this.lifecycle = new Lifecycle(this.book, {
      seed: config.seed,
      salt: start,
      ...config.lifecycle,
    });
    this.merchantId = uuidFrom(createRng(hash32(config.seed, 'merchant', config.apiKey)));
    // A resumed world draws from another stream than a fresh one started at the same clock value.
    this.tradeIds = createRng(
      resume
        ? hash32(config.seed, 'trade-ids', start, 'resume', resume.tradeCount)
        : hash32(config.seed, 'trade-ids', start),
    );
    if (resume) this.skewMs = resume.skewMs;
  }

  /** What advanceLifecycle(ms) has added to the clock so far. */
  get skew(): number {
    return this.skewMs;
  }

  /** Emulated now: the clock plus whatever advanceLifecycle(ms) added. */
  now(): number {
    return this.config.clock() + this.skewMs;
  }

  sync(): number {
    const now = this.now();
    this.inventories.applyDrift(now);
    this.lifecycle.tick(now);
    return now;
  }

  /** Moves emulated time forward (ms > 0) or, without ms, steps every live trade once. */
  advance(ms?: number): void {
    if (ms === undefined) {
      this.sync();
      this.lifecycle.forceStep(this.now());
      return;
    }
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance needs ms ≥ 0, got ${ms}`);
    this.skewMs += ms;
    if (ms > 0) this.onChange?.();
    this.sync();
  }

  clientUserId(partner: string): string {
    let id = this.clientUserIds.get(partner);
    if (!id) {
      id = uuidFrom(createRng(hash32(this.config.seed, 'client-user', partner)));
      this.clientUserIds.set(partner, id);
    }
    return id;
  }

  /** Units of an inventory item still in the account. */
  availableUnits(itemId: string, stack: number): number {
    return stack - this.book.heldUnits(itemId);
  }

  inventory(partner: string, game: GameId) {
    return this.inventories.get(partner, game, this.now());
  }
}
