import { z } from 'zod';
import { tradeStatusSchema, type TradeStatus } from './api/schemas';

/*
 * The product's vocabulary, shared by the engine, the IPC contract and the UI.
 * The allowed transitions live with the engine (electron/main/services/engine/batch-states.ts);
 * here are only the names, so the renderer can show them.
 */

export const ENVIRONMENTS = ['production', 'staging', 'sandbox'] as const;
export const environmentSchema = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof environmentSchema>;
/** How the trader calls each environment (Setup, badges, messages). */
export const ENVIRONMENT_NAMES: Record<Environment, string> = {
  production: 'Production',
  staging: 'Staging',
  sandbox: 'Local sandbox',
};

export const MERCHANT_TIERS = ['verified', 'unverified'] as const;
export const merchantTierSchema = z.enum(MERCHANT_TIERS);
export type MerchantTier = z.infer<typeof merchantTierSchema>;

/**
 * A batch's life (design §5). `unknown` = the sell may or may not have created a
 * trade; its items are frozen until reconciliation proves one or the other.
 */
export const BATCH_STATES = [
  'draft',
  'queued',
  'sending',
  'unknown',
  'created',
  'tracking',
  'settled',
  'needs-review',
  'blocked',
  'skipped',
  'canceled',
] as const;
export const batchStateSchema = z.enum(BATCH_STATES);
export type BatchState = z.infer<typeof batchStateSchema>;

export const RUN_STATES = [
  'armed', // "submit when online": starts by itself when the connection returns
  'running',
  'paused', // by the trader
  'waiting', // paused by the engine: offline, throttled, bots unavailable, deposits paused
  'attention', // something needs the trader (review, blocked)
  'finished',
  'canceled',
] as const;
export const runStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof runStateSchema>;

/** Runs that may still send (design §5); a paused run only tracks what it sent. */
export const ACTIVE_RUN_STATES: readonly RunState[] = ['running', 'waiting', 'attention'];
/** Runs that own their plan: sending or paused (the plan cannot be edited or sold again meanwhile). */
export const OPEN_RUN_STATES: readonly RunState[] = [...ACTIVE_RUN_STATES, 'paused'];
/** Runs not over yet, armed ones included (an environment switch waits for them). */
export const UNFINISHED_RUN_STATES: readonly RunState[] = [...OPEN_RUN_STATES, 'armed'];

/** Trades not accepted yet: the offer is being made or waits for the trader in Steam (api §5). */
export const AWAITING_TRADE_STATUSES: readonly TradeStatus[] = ['initiated', 'pending', 'active'];
/** Trade statuses that can still change (api §5). `completed` is final but reversible. */
export const IN_FLIGHT_TRADE_STATUSES: readonly TradeStatus[] = [
  ...AWAITING_TRADE_STATUSES,
  'hold',
];
/** Trades whose items AssetPay holds or took: in flight or completed (api §5). */
export const HELD_TRADE_STATUSES: readonly TradeStatus[] = [
  ...IN_FLIGHT_TRADE_STATUSES,
  'completed',
];
/** Trades whose value is (or was) in the merchant's wallet: accepted and held by Steam, or completed (api §5). */
export const CREDITED_TRADE_STATUSES: readonly TradeStatus[] = ['hold', 'completed'];
/** Trades that ended without selling: the items are back in the account (api §5). */
export const UNSOLD_TRADE_STATUSES: readonly TradeStatus[] = ['failed', 'canceled', 'declined'];
/** Trades that paid nothing in the end (a reverted trade was paid, then taken back). */
export const FAILED_TRADE_STATUSES: readonly TradeStatus[] = [...UNSOLD_TRADE_STATUSES, 'reverted'];

export const isInFlight = (status: TradeStatus): boolean =>
  IN_FLIGHT_TRADE_STATUSES.includes(status);
export const isUnsold = (status: TradeStatus): boolean => UNSOLD_TRADE_STATUSES.includes(status);
export const isActiveRun = (state: RunState): boolean => ACTIVE_RUN_STATES.includes(state);
export { tradeStatusSchema, type TradeStatus };

/** Forward order of trade statuses; a status never moves to a lower rank (api §8). */
export const TRADE_STATUS_RANK: Record<TradeStatus, number> = {
  initiated: 0,
  pending: 1,
  active: 2,
  hold: 3,
  completed: 4,
  failed: 4,
  canceled: 4,
  declined: 4,
  reverted: 5,
};

/**
 * What the trader can do about a batch that waits for them. The engine stores
 * them (sell-policy.ts); the run board shows one button each, worded by
 * shared/batch-words.ts. `review-prices` is only for PRICE_CHANGED; every other
 * refusal about items is `review-items`.
 */
export const NEXT_ACTIONS = [
  'review-prices',
  'review-items',
  'retry',
  'skip',
  'fix-account',
  'fix-key',
] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];

/** Where each planned item stands (the invariant of issue 3). */
export const ITEM_POSITIONS = [
  'not-submitted',
  'in-live-trade',
  'settled',
  'refused-or-skipped',
  'unknown',
] as const;
export type ItemPosition = (typeof ITEM_POSITIONS)[number];
