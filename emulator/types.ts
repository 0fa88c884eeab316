import type { GameId } from './api/games';
import type { TradeStatus } from './api/trade-statuses';
import type { WireInventoryItem, WireTrade } from './api/wire';
import type { FleetStats } from './capacity/bot-fleet';

export type { GameId, TradeStatus };

/** An inventory row as GET /secure/inventory serves it (api §4.1). */
export type InventoryItem = WireInventoryItem;

/** A trade as the emulator serves it (api §5); `relatedTrades` only on a create answer (api §4.2). */
export type Trade = WireTrade & { relatedTrades?: WireTrade[] };

/** Random, seeded faults (see README "Faults"). Rates are probabilities per request, 0..1. */
export interface FaultSpec {
  /** Round trip of every /secure request, ms: half before the work, the rest after it (the work overlaps it). */
  latencyMs?: number;
  /** SERVER_ERROR 500 on any /secure request; on sells half of them land after the trade was created. */
  serverErrorRate?: number;
  /** Sells only: the trade is created, then the socket is destroyed without an answer. */
  resetAfterCommitRate?: number;
  /** Sells only: NO_BOTS_AVAILABLE after validation; consumes the externalId (records a failed trade). */
  noBotsRate?: number;
  /** Sells only: FLEET_DEGRADED before any side effect. */
  fleetDegradedRate?: number;
  /** Any /secure request: an HTML 502 from the "proxy", before any side effect. */
  html502Rate?: number;
  /** Out of every `every` /secure requests the last `length` get 429 RATE_LIMITED. */
  rateLimitBurst?: { every: number; length: number };
}

export type OneShotFault =
  | 'server-error'
  | 'server-error-no-key'
  | 'server-error-after-commit'
  | 'html-502'
  | 'reset-before-commit'
  | 'reset-after-commit'
  | 'hang-after-commit'
  | 'no-bots'
  | 'fleet-degraded'
  | 'deposits-paused'
  | 'maintenance'
  | 'rate-limited'
  | 'rate-limited-no-retry-after'
  | 'price-changed'
  | 'overstocked'
  | 'trade-offer-failed'
  | 'invalid-api-key'
  | 'scope-denied'
  | { delayMs: number };

export type FaultEndpoint = 'sell' | 'inventory' | 'trades' | 'check-tradeurl' | 'any';

export interface LifecycleOptions {
  /** Time between steps (initiated → active → hold/completed …), ms. ≤ 0: no time-based advance. */
  stepMs: number;
  /** Shares (0..1) of trades that end declined / failed / canceled from `active`. */
  declineShare?: number;
  failShare?: number;
  cancelShare?: number;
  /** Share of completed trades that are later reverted. */
  revertShare?: number;
  /** CS2 Steam hold length (hold → completed), ms. Default: stepMs. */
  holdMs?: number;
}

/**
 * A bot fleet of finite capacity (README "Capacity model"). Off unless given:
 * without it every sell is served at once, as before.
 */
export interface CapacityOptions {
  /** Bots; each serves one sell at a time (0..10000; 0 = every sell waits or is refused). */
  bots: number;
  /** Service time of a one-item sell, ms. */
  serviceMs: number;
  /** Sells that may wait for a bot (FIFO); one more gets NO_BOTS_AVAILABLE. */
  queue: number;
  /** Seeded spread of service times, ± this share (0..1). Default 0.1. */
  jitter?: number;
  /** Extra ms per item after the first. Default serviceMs / 10000 (a 250-item basket takes ~2.5 % longer). */
  perItemMs?: number;
  /** FLEET_DEGRADED while at least this many NO_BOTS refusals fall within degradeWindowMs. Default 5. */
  degradeAfter?: number;
  /** Default max(1000, 5 × serviceMs). */
  degradeWindowMs?: number;
}

/** `capacity` in EmulatorState: the fleet now and since start. */
export type CapacityState = FleetStats;

export interface EmulatorOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  itemsPerInventory?: number;
  latencyMs?: number;
  seed?: number;
  tier?: 'verified' | 'unverified';
  rateLimit?: boolean;
  lifecycle?: LifecycleOptions;
  splitShare?: number;
  splitAbove?: number;
  priceDrift?: { everyMs: number; share: number; maxPct: number };
  /** Random faults as a FaultSpec or in the CLI string syntax. */
  faults?: FaultSpec | string;
  retryAfter?: boolean;
  clock?: () => number;
  onSellCommitted?: (trade: Trade) => void;
  /**
   * Keep the state (trades, used externalIds, sold items, hand-set offers, the
   * lifecycle schedule) in this JSON file across restarts: restored on start
   * when the file is valid and of the same seed / itemsPerInventory (else set
   * aside as `<path>.corrupt-…` / `<path>.mismatch-…` and started fresh),
   * saved atomically at most every 200 ms after a change and on stop().
   */
  persistPath?: string;
  /** Informational messages (state restored, file set aside, save failed). Default: stderr. */
  onNotice?: (message: string) => void;
  /** Finite bot capacity for sells (README "Capacity model"); off when absent. */
  capacity?: CapacityOptions;
  /**
   * Items carry `iconUrl`s of small deterministic PNGs this server serves at
   * `/icons/…` (default true); false = every `iconUrl` is "" (a source without pictures).
   */
  pictures?: boolean;
}

export interface EmulatorTradeSummary {
  id: string;
  externalId?: string;
  status: TradeStatus;
  game: GameId;
  partner: string;
  itemIds: string[];
  amounts: number[];
  totalPrice: number;
  createdAt: string;
  updatedAt: string;
  /** Set on the extra trades of a split basket: the id of the trade carrying the externalId. */
  relatedTo?: string;
}

export interface EmulatorState {
  /** The emulator's notion of now (clock + any advanceLifecycle(ms) skew), ISO. */
  now: string;
  /** Every trade, in creation order. */
  trades: EmulatorTradeSummary[];
  /** Every externalId the merchant can no longer use (successful and NO_BOTS/TRADE_OFFER_FAILED sells). */
  consumedExternalIds: string[];
  /** Requests per endpoint family (`sell`, `inventory`, `trades`, `trade-lookup`, `check-tradeurl`, `admin`, `icon`, `other`) and `total`. */
  requestCounts: Record<string, number>;
  /** Ids of items currently held by a live or completed trade (each once). */
  soldItemIds: string[];
  /** Items sold beyond what the account held (a CS2 item in two live/completed trades, an oversold Rust stack). Always empty unless the emulator is broken. */
  duplicateSoldItemIds: string[];
  statusCounts: Record<TradeStatus, number>;
  faults: FaultSpec;
  pendingInjections: number;
  /** The bot fleet, when the emulator runs with `capacity`. */
  capacity?: CapacityState;
}

export interface Emulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  state(): EmulatorState;
  setFaults(spec: FaultSpec | string): void;
  injectNext(endpoint: FaultEndpoint, fault: OneShotFault, count?: number): void;
  setPrice(itemId: string, priceUsd: number): void;
  setAccepted(itemId: string, accepted: boolean): void;
  advanceLifecycle(ms?: number): void;
  setTradeStatus(tradeId: string, status: TradeStatus): void;
  inventoryOf(tradeUrl: string, game: GameId): InventoryItem[];
  /** Resizes the bot fleet now (needs `capacity`; throws otherwise). */
  setBots(bots: number): void;
}
