import { z } from 'zod';
import { gameIdSchema } from './api/games';
import { tradeStatusSchema } from './api/schemas';
import { batchStateSchema, environmentSchema, merchantTierSchema, runStateSchema } from './domain';

/*
 * The product's data as both sides see it: what the store keeps and returns,
 * what the engine takes, and — re-exported by the IPC contract
 * (shared/contract/views.ts) — what crosses IPC: plain data the renderer can show. Money is integer cents
 * (`…Cents`); a price as the inventory gave it is `priceUsd` and only travels
 * so it can be echoed back exactly. Nothing here ever carries the API key.
 */

const cents = z.number().int().safe();
const isoDate = z.string().max(40);
const id = z.string().min(1).max(128);
export const localIdSchema = id;

export const settingsSchema = z.strictObject({
  environment: environmentSchema,
  tier: merchantTierSchema,
  defaultGame: gameIdSchema,
  isInstant: z.boolean(),
  /** Sells in flight: 'auto' finds how many AssetPay takes from its answers; a number is a fixed limit. */
  concurrency: z.union([z.literal('auto'), z.number().int().min(1).max(64)]),
  /** Price drops up to this many basis points are accepted without asking (100 bp = 1 %). */
  priceToleranceBp: z.number().int().min(0).max(10_000),
  batchSize: z.number().int().min(1).max(250),
});
export type Settings = z.infer<typeof settingsSchema>;

export const keyStatusSchema = z.strictObject({
  environment: environmentSchema,
  present: z.boolean(),
  /** At most the last 4 characters of the key. */
  hint: z.string().max(4).nullable(),
});
export type KeyStatus = z.infer<typeof keyStatusSchema>;

export const keyValidationSchema = z.strictObject({
  result: z.enum(['valid', 'invalid-key', 'missing-scope', 'unreachable', 'no-key']),
  message: z.string(),
});
export type KeyValidation = z.infer<typeof keyValidationSchema>;

export const accountSchema = z.strictObject({
  id,
  label: z.string().max(100),
  tradeUrl: z.string(),
  steamId64: z.string(),
  createdAt: isoDate,
  lastCheck: z
    .strictObject({
      at: isoDate,
      state: z.number().int(),
      canTrade: z.boolean().nullable(),
      message: z.string(),
    })
    .nullable(),
});
export type Account = z.infer<typeof accountSchema>;

export const inventoryRowSchema = z.strictObject({
  accountId: id,
  game: gameIdSchema,
  itemId: z.string(),
  name: z.string(),
  marketHashName: z.string(),
  type: z.string(),
  exterior: z.string().nullable(),
  wear: z.string().nullable(),
  rarity: z.string().nullable(),
  color: z.string().nullable(),
  iconUrl: z.string(),
  tradable: z.boolean(),
  accepted: z.boolean(),
  priceUsd: z.number(),
  priceCents: cents,
  marketPriceCents: cents.nullable(),
  /** Units in a Rust stack (1 for CS2). */
  amount: z.number().int(),
  maxAmount: z.number().int().nullable(),
});
export type InventoryRow = z.infer<typeof inventoryRowSchema>;

export const inventorySnapshotSchema = z.strictObject({
  accountId: id,
  game: gameIdSchema,
  itemCount: z.number().int(),
  fetchedAt: isoDate,
});
export type InventorySnapshot = z.infer<typeof inventorySnapshotSchema>;

export const planOptionsSchema = z.strictObject({
  batchSize: z.number().int().min(1).max(250),
  isInstant: z.boolean(),
  priceToleranceBp: z.number().int().min(0).max(10_000),
  /**
   * "Leave out items whose offer is below X % of market" (basis points; null/absent = off).
   * Applied when items go into the plan and again at pre-flight with the fresh prices
   * (shared/market-share.ts belowMarketShare).
   */
  minMarketShareBp: z.number().int().min(0).max(100_000).nullable().optional(),
});
export type PlanOptions = z.infer<typeof planOptionsSchema>;

export const planItemSchema = z.strictObject({
  accountId: id,
  game: gameIdSchema,
  itemId: z.string().min(5).max(256),
  name: z.string(),
  priceUsd: z.number().positive(),
  priceCents: cents,
  amount: z.number().int().min(1).max(10_000),
  /** The item's market price in the cached inventory (a reference for "% of market"); not stored with the plan. */
  marketPriceCents: cents.nullable().optional(),
});
export type PlanItem = z.infer<typeof planItemSchema>;

export const PLAN_STATUSES = ['draft', 'armed', 'submitted', 'archived'] as const;

export const planSummarySchema = z.strictObject({
  id,
  name: z.string(),
  status: z.enum(PLAN_STATUSES),
  itemCount: z.number().int(),
  batchCount: z.number().int(),
  totalCents: cents,
  updatedAt: isoDate,
  options: planOptionsSchema,
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

export const planSchema = planSummarySchema.extend({ items: z.array(planItemSchema) });
export type Plan = z.infer<typeof planSchema>;

export const importErrorSchema = z.strictObject({
  row: z.number().int(),
  reason: z.string(),
});
export type ImportRowError = z.infer<typeof importErrorSchema>;

export const preflightRowSchema = z.strictObject({
  accountId: id,
  game: gameIdSchema,
  itemId: z.string(),
  name: z.string(),
  change: z.enum([
    'unchanged',
    'price-up',
    'price-down',
    'unavailable',
    'not-accepted',
    /** Left out by the plan's "below X % of market" rule, with the fresh prices. */
    'below-market-share',
  ]),
  plannedCents: cents,
  currentCents: cents.nullable(),
  changeCents: cents.nullable(),
  changeBp: z.number().int().nullable(),
  autoAccepted: z.boolean(),
});
export type PreflightRow = z.infer<typeof preflightRowSchema>;

export const preflightDiffSchema = z.strictObject({
  preflightId: id,
  planId: id,
  checkedAt: isoDate,
  /** Items whose price or availability changed; unchanged ones are only counted. */
  rows: z.array(preflightRowSchema),
  counts: z.strictObject({
    unchanged: z.number().int(),
    priceUp: z.number().int(),
    priceDown: z.number().int(),
    unavailable: z.number().int(),
    notAccepted: z.number().int(),
    /** Left out by the plan's market-share rule (absent in checks made before the rule existed). */
    belowMarketShare: z.number().int().optional(),
  }),
  needsConfirmation: z.boolean(),
});
export type PreflightDiff = z.infer<typeof preflightDiffSchema>;

/** What the trader confirms before anything is sold (design §1 flow 4). */
export const sellConfirmationSchema = z.strictObject({
  planId: id,
  preflightId: id,
  itemCount: z.number().int(),
  batchCount: z.number().int(),
  accounts: z.array(
    z.strictObject({ accountId: id, label: z.string(), itemCount: z.number().int() }),
  ),
  totalCents: cents,
});
export type SellConfirmation = z.infer<typeof sellConfirmationSchema>;

export const runTotalsSchema = z.strictObject({
  batches: z.number().int(),
  items: z.number().int(),
  totalCents: cents,
  submittedCents: cents,
  creditedCents: cents,
  pendingCents: cents,
  failedCents: cents,
  settledBatches: z.number().int(),
});

/** How a run is going right now (issue 13); only while it sells or is paused. */
export const runPaceSchema = z.strictObject({
  /** Sells of this run on the wire now. */
  inFlight: z.number().int(),
  /** Sells that may be in flight now (all runs together). */
  limit: z.number().int(),
  /** The limit is found from AssetPay's answers ("automatic"), not a fixed setting. */
  automatic: z.boolean(),
  /** Items whose trades were created in the last minute. */
  itemsPerMinute: z.number().int(),
  /** At that pace, seconds until every item is sent; null while there is no pace yet. */
  etaSeconds: z.number().int().nullable(),
});
export type RunPace = z.infer<typeof runPaceSchema>;

export const runSummarySchema = z.strictObject({
  id,
  planId: id,
  planName: z.string(),
  state: runStateSchema,
  message: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  totals: runTotalsSchema,
  pace: runPaceSchema.nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const tradeViewSchema = z.strictObject({
  tradeId: z.string(),
  batchId: id.nullable(),
  runId: id.nullable(),
  accountId: id.nullable(),
  externalId: z.string().nullable(),
  status: tradeStatusSchema,
  game: gameIdSchema,
  offerId: z.string().nullable(),
  holdEndDate: z.string().nullable(),
  totalCents: cents,
  itemCount: z.number().int(),
  itemNames: z.array(z.string()),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type TradeView = z.infer<typeof tradeViewSchema>;

export const batchViewSchema = z.strictObject({
  id,
  runId: id,
  seq: z.number().int(),
  accountId: id,
  game: gameIdSchema,
  state: batchStateSchema,
  attempt: z.number().int(),
  externalId: z.string(),
  itemCount: z.number().int(),
  totalCents: cents,
  trades: z.array(tradeViewSchema),
  lastErrorKey: z.string().nullable(),
  /** Plain words for the trader, with the next action. */
  message: z.string().nullable(),
  nextActions: z.array(z.enum(['review-prices', 'retry', 'skip', 'fix-account', 'fix-key'])),
  updatedAt: isoDate,
});
export type BatchView = z.infer<typeof batchViewSchema>;
