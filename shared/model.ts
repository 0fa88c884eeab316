import { z } from 'zod';
import { gameIdSchema } from './api/games';
import { tradeStatusSchema } from './api/schemas';
import {
  batchStateSchema,
  environmentSchema,
  merchantTierSchema,
  NEXT_ACTIONS,
  runStateSchema,
} from './domain';

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

/** Whether AssetPay itself answers (not only whether the computer has a network). */
export const reachabilitySchema = z.strictObject({
  state: z.enum(['unknown', 'reachable', 'unreachable']),
  /** Why it cannot be reached, in plain words; null otherwise. */
  message: z.string().nullable(),
});
export type Reachability = z.infer<typeof reachabilitySchema>;

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
  /** The last "can trade" check in the selected environment (each environment keeps its own). */
  lastCheck: z
    .strictObject({
      environment: environmentSchema,
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
  /**
   * Units the app can still sell (1 for a CS2 item): the cached stack minus what the app knows
   * left or is leaving since the copy was fetched (`taken`); 0 when nothing is left.
   */
  amount: z.number().int(),
  maxAmount: z.number().int().nullable(),
  /** Units sold or being sold since the copy was fetched (null: none); a refresh clears it. */
  taken: z
    .strictObject({
      /** In a trade AssetPay made (in flight, on hold or completed). */
      soldUnits: z.number().int(),
      /** In a batch that is being sent or waits for the trader, with no trade yet. */
      sellingUnits: z.number().int(),
      /** The plan of the run that took them (the newest, when several did). */
      planName: z.string().nullable(),
    })
    .nullable(),
});
export type InventoryRow = z.infer<typeof inventoryRowSchema>;

export const inventorySnapshotSchema = z.strictObject({
  accountId: id,
  environment: environmentSchema,
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
  /** How the trader tells equal names apart (from the inventory when the item was planned). */
  exterior: z.string().max(100).nullable().optional(),
  /** The float, as the inventory gave it. */
  wear: z.string().max(40).nullable().optional(),
  /** The item's market price in the cached inventory (a reference for "% of market"); not stored with the plan. */
  marketPriceCents: cents.nullable().optional(),
});
export type PlanItem = z.infer<typeof planItemSchema>;

export const PLAN_STATUSES = ['draft', 'armed', 'submitted', 'archived'] as const;

export const planSummarySchema = z.strictObject({
  id,
  name: z.string(),
  status: z.enum(PLAN_STATUSES),
  /** The environment whose inventory the plan was built on; it is only ever submitted there. */
  environment: environmentSchema,
  /** Drafts and armed plans: items that can no longer be sold as planned (null for other plans). */
  unavailableCount: z.number().int().nullable(),
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

/** An imported row kept at the file's price, which is not AssetPay's cached offer (the pre-flight asks). */
export const importPriceDiffSchema = z.strictObject({
  row: z.number().int(),
  itemId: z.string(),
  name: z.string(),
  fileCents: cents,
  offerCents: cents,
});
export type ImportPriceDiff = z.infer<typeof importPriceDiffSchema>;

/** Why a planned item cannot be sold as planned (issue 14 item 6), most decisive first. */
export const PLAN_ITEM_PROBLEMS = [
  'sold', // AssetPay holds or took it in a trade of a run
  'in-live-batch', // a run is selling it right now
  'gone', // the cached inventory no longer lists it
  'not-cached', // no inventory of this account and game is cached in this environment
  'not-tradable',
  'not-accepted',
  'no-price',
  'fewer-units', // a Rust stack holds fewer units than planned
] as const;
export type PlanItemProblemReason = (typeof PLAN_ITEM_PROBLEMS)[number];

export const planItemProblemSchema = z.strictObject({
  accountId: id,
  game: gameIdSchema,
  itemId: z.string(),
  name: z.string(),
  reason: z.enum(PLAN_ITEM_PROBLEMS),
  /** Plain words for the trader, naming the run or the units left. */
  message: z.string(),
  runId: id.nullable(),
});
export type PlanItemProblem = z.infer<typeof planItemProblemSchema>;

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
  exterior: z.string().nullable().optional(),
  wear: z.string().nullable().optional(),
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
  /** Batches whose trades are all final. */
  settledBatches: z.number().int(),
  /** Batches at their end: settled, skipped by the trader, or canceled with the run. */
  finishedBatches: z.number().int(),
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
  /** Its plan's environment: where it sells and is tracked. */
  environment: environmentSchema,
  state: runStateSchema,
  /** It wrote its batches (false: armed, or ended before it started; its totals are its plan's). */
  started: z.boolean(),
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
  /** Where it sold: its run's plan's environment (null for a trade of no run). */
  environment: environmentSchema.nullable(),
  /** Why a failed trade failed, as AssetPay's Trade.error gave it (api §5), if it did. */
  error: z.string().nullable(),
  /** The batch attempt this trade belongs to, and that batch's number in its run. */
  attempt: z.number().int().nullable(),
  batchSeq: z.number().int().nullable(),
  /** The primary trades of the same batch's other attempts (history links them). */
  otherAttempts: z.array(
    z.strictObject({ tradeId: z.string(), attempt: z.number().int(), status: tradeStatusSchema }),
  ),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type TradeView = z.infer<typeof tradeViewSchema>;

const tradeTotalsSchema = z.strictObject({
  trades: z.number().int(),
  items: z.number().int(),
  creditedCents: cents,
  pendingCents: cents,
  failedCents: cents,
});

/**
 * History's totals for a filter: per run and per local day (design §1 flow 6).
 * A day's trades are added up per environment: sandbox money never joins real money.
 */
export const historyTotalsSchema = z.strictObject({
  runs: z.array(
    tradeTotalsSchema.extend({
      runId: id.nullable(),
      planName: z.string().nullable(),
      environment: environmentSchema.nullable(),
    }),
  ),
  days: z.array(
    tradeTotalsSchema.extend({
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      environment: environmentSchema.nullable(),
    }),
  ),
});
export type HistoryTotals = z.infer<typeof historyTotalsSchema>;

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
  /** What the words are derived from (shared/batch-words.ts), so the board can derive them as time passes. */
  lastErrorMessage: z.string().nullable(),
  lastErrorDetails: z.record(z.string(), z.unknown()).nullable(),
  nextAttemptAt: z.number().int().nullable(),
  /** Plain words for the trader as of this read. */
  message: z.string().nullable(),
  nextActions: z.array(z.enum(NEXT_ACTIONS)),
  updatedAt: isoDate,
});
export type BatchView = z.infer<typeof batchViewSchema>;

/** Why an item of a refused batch is in its review (checked against a fresh inventory). */
export const REVIEW_PROBLEMS = [
  'unavailable',
  'not-accepted',
  'overstocked',
  'amount-capped',
  'price-changed',
] as const;
export type ReviewProblem = (typeof REVIEW_PROBLEMS)[number];

export const reviewItemSchema = z.strictObject({
  itemId: z.string(),
  name: z.string(),
  exterior: z.string().nullable(),
  wear: z.string().nullable(),
  /** Units planned (1 for CS2). */
  amount: z.number().int(),
  /** Units AssetPay takes now (0: none). */
  units: z.number().int(),
  /** The stack's size and AssetPay's cap per item (offer.maxAmount), when known. */
  stack: z.number().int().nullable(),
  maxAmount: z.number().int().nullable(),
  /** Per unit. */
  plannedCents: cents,
  currentCents: cents.nullable(),
  changeCents: cents.nullable(),
  changeBp: z.number().int().nullable(),
  problem: z.enum(REVIEW_PROBLEMS),
  /** A price change the plan's tolerance would take without asking. */
  withinTolerance: z.boolean(),
  /** AssetPay named the item in its refusal (error.details.items). */
  named: z.boolean(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

/** A refused batch checked against AssetPay's current offers, for the trader to decide item by item. */
export const batchReviewSchema = z.strictObject({
  batchId: id,
  runId: id,
  seq: z.number().int(),
  game: gameIdSchema,
  key: z.string().nullable(),
  checkedAt: isoDate,
  toleranceBp: z.number().int(),
  items: z.array(reviewItemSchema),
  /** Items with nothing to decide: they go as they are. */
  unchanged: z.strictObject({ count: z.number().int(), totalCents: cents }),
});
export type BatchReview = z.infer<typeof batchReviewSchema>;

/** The trader's decisions on a review: sell these at AssetPay's current offer; leave these out. */
export const reviewChoicesSchema = z.strictObject({
  accept: z.array(z.string().max(256)).max(250).optional(),
  leaveOut: z.array(z.string().max(256)).max(250).optional(),
});
export type ReviewChoices = z.infer<typeof reviewChoicesSchema>;
