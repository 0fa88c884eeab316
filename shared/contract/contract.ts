import { z } from 'zod';
import { gameIdSchema } from '../api/games';
import { tradeStatusSchema } from '../api/schemas';
import { environmentSchema, merchantTierSchema } from '../domain';
import { inventoryColumnsSchema } from '../inventory-columns';
import {
  accountSchema,
  batchReviewSchema,
  batchViewSchema,
  historyTotalsSchema,
  importErrorSchema,
  importPriceDiffSchema,
  inventoryRowSchema,
  inventorySnapshotSchema,
  keyStatusSchema,
  keyValidationSchema,
  localIdSchema,
  planItemProblemSchema,
  planItemSchema,
  planOptionsSchema,
  planSchema,
  planSummarySchema,
  preflightDiffSchema,
  reachabilitySchema,
  reviewChoicesSchema,
  runSummarySchema,
  sellConfirmationSchema,
  settingsSchema,
  tradeViewSchema,
} from './views';

/*
 * The IPC contract: every request the renderer can make, declared once with
 * the schema main parses it with and the schema of the answer. The preload,
 * the renderer client and the WebSocket test host are all derived from this
 * object, so adding a channel is one entry here and one handler in main.
 * Requests are strict (unknown fields refused) and bounded (no unbounded
 * strings or arrays), because a compromised renderer is an attacker.
 */

const empty = z.strictObject({});
const ok = z.strictObject({ ok: z.literal(true) });
const shortText = z.string().max(200);
/** An IANA time zone this runtime knows ("Europe/Berlin", "UTC"). */
const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'not a time zone this computer knows');
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const MAX_PLAN_ITEMS = 100_000;

const inventoryFilterSchema = z.strictObject({
  accountId: localIdSchema.optional(),
  game: gameIdSchema.optional(),
  search: shortText.optional(),
  type: shortText.optional(),
  exterior: shortText.optional(),
  minCents: z.number().int().min(0).optional(),
  maxCents: z.number().int().min(0).optional(),
  sellableOnly: z.boolean().optional(),
  sort: z.enum(['name', 'priceAsc', 'priceDesc', 'type']).optional(),
});

/** A planned item as the renderer proposes it; main fills name and price from the cached inventory. */
const planItemInputSchema = z.strictObject({
  accountId: localIdSchema,
  game: gameIdSchema,
  itemId: z.string().min(5).max(256),
  amount: z.number().int().min(1).max(10_000).optional(),
});

const historyFilterSchema = z.strictObject({
  environment: environmentSchema.optional(),
  runId: localIdSchema.optional(),
  status: tradeStatusSchema.optional(),
  accountId: localIdSchema.optional(),
  game: gameIdSchema.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  search: shortText.optional(),
});

function channel<Req extends z.ZodType, Res extends z.ZodType>(
  name: string,
  request: Req,
  response: Res,
) {
  return { channel: name, request, response } as const;
}

export const contract = {
  // ── Settings and the API key ──────────────────────────────────────────────
  getSettings: channel('settings:get', empty, settingsSchema),
  updateSettings: channel('settings:update', settingsSchema.partial().strict(), settingsSchema),
  setApiKey: channel(
    'key:set',
    z.strictObject({
      environment: environmentSchema,
      apiKey: z.string().min(8).max(512).regex(/^\S+$/, 'API key must not contain spaces'),
    }),
    keyStatusSchema,
  ),
  getKeyStatus: channel(
    'key:status',
    z.strictObject({ environment: environmentSchema }),
    keyStatusSchema,
  ),
  deleteApiKey: channel(
    'key:delete',
    z.strictObject({ environment: environmentSchema }),
    keyStatusSchema,
  ),
  validateApiKey: channel(
    'key:validate',
    z.strictObject({ environment: environmentSchema }),
    keyValidationSchema,
  ),

  // ── Accounts ─────────────────────────────────────────────────────────────
  listAccounts: channel('accounts:list', empty, z.array(accountSchema)),
  addAccount: channel(
    'accounts:add',
    z.strictObject({ label: z.string().min(1).max(100), tradeUrl: z.string().max(300) }),
    accountSchema,
  ),
  updateAccount: channel(
    'accounts:update',
    z.strictObject({
      accountId: localIdSchema,
      label: z.string().min(1).max(100).optional(),
      tradeUrl: z.string().max(300).optional(),
    }),
    accountSchema,
  ),
  removeAccount: channel('accounts:remove', z.strictObject({ accountId: localIdSchema }), ok),
  checkAccount: channel(
    'accounts:check',
    z.strictObject({ accountId: localIdSchema }),
    accountSchema,
  ),
  /** How long a trade-URL check waits for the tier's limit before it leaves (api §3). */
  tradeUrlCheckWait: channel(
    'accounts:check-wait',
    empty,
    z.strictObject({
      waitMs: z.number().int().min(0),
      limit: z.number().int(),
      windowMs: z.number().int(),
      tier: merchantTierSchema,
    }),
  ),

  // ── Inventory ────────────────────────────────────────────────────────────
  fetchInventory: channel(
    'inventory:fetch',
    z.strictObject({
      accountId: localIdSchema,
      game: gameIdSchema,
      refresh: z.boolean().optional(),
    }),
    inventorySnapshotSchema,
  ),
  listSnapshots: channel('inventory:snapshots', empty, z.array(inventorySnapshotSchema)),
  /** The whole cached inventory of one account and game, as compact columns in name order (the inventory screen). */
  inventoryColumns: channel(
    'inventory:columns',
    z.strictObject({ accountId: localIdSchema, game: gameIdSchema }),
    inventoryColumnsSchema,
  ),
  listInventory: channel(
    'inventory:list',
    inventoryFilterSchema.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(MAX_PLAN_ITEMS).default(500),
    }),
    z.strictObject({ total: z.number().int(), rows: z.array(inventoryRowSchema) }),
  ),

  // ── Plans (all offline) ──────────────────────────────────────────────────
  listPlans: channel('plans:list', empty, z.array(planSummarySchema)),
  getPlan: channel('plans:get', z.strictObject({ planId: localIdSchema }), planSchema),
  createPlan: channel(
    'plans:create',
    z.strictObject({
      name: z.string().min(1).max(100),
      options: planOptionsSchema.partial().strict().optional(),
      items: z.array(planItemInputSchema).max(MAX_PLAN_ITEMS).optional(),
    }),
    planSchema,
  ),
  updatePlan: channel(
    'plans:update',
    z.strictObject({
      planId: localIdSchema,
      name: z.string().min(1).max(100).optional(),
      options: planOptionsSchema.partial().strict().optional(),
      /** Replaces the plan's items (autosave sends the whole draft). */
      items: z.array(planItemInputSchema).max(MAX_PLAN_ITEMS).optional(),
    }),
    planSchema,
  ),
  deletePlan: channel('plans:delete', z.strictObject({ planId: localIdSchema }), ok),
  /** A new draft with the plan's items and options, in the plan's environment. */
  duplicatePlan: channel(
    'plans:duplicate',
    z.strictObject({ planId: localIdSchema, name: z.string().min(1).max(100).optional() }),
    planSchema,
  ),
  /** Puts a plan away (archived: true) or brings it back. */
  archivePlan: channel(
    'plans:archive',
    z.strictObject({ planId: localIdSchema, archived: z.boolean() }),
    planSummarySchema,
  ),
  /** Why each item of the plan can no longer be sold as planned (empty: all can). */
  checkPlan: channel(
    'plans:check',
    z.strictObject({ planId: localIdSchema }),
    z.array(planItemProblemSchema),
  ),
  /** Removes items from a draft (the trader's "remove these"). */
  removePlanItems: channel(
    'plans:remove-items',
    z.strictObject({
      planId: localIdSchema,
      items: z
        .array(
          z.strictObject({
            accountId: localIdSchema,
            game: gameIdSchema,
            itemId: z.string().max(256),
          }),
        )
        .max(MAX_PLAN_ITEMS),
    }),
    planSchema,
  ),
  /** A new draft with the items the plan's runs did not sell, at today's cached offers. */
  planUnsold: channel(
    'plans:from-unsold',
    z.strictObject({ planId: localIdSchema }),
    z.strictObject({
      plan: planSchema,
      /** Unsold items that cannot go into a plan now, and why. */
      left: z.array(z.strictObject({ itemId: z.string(), reason: z.string() })),
    }),
  ),
  importPlanItems: channel(
    'plans:import',
    z.strictObject({
      planId: localIdSchema,
      /** Defaults for rows that do not name their account and game. */
      accountId: localIdSchema,
      game: gameIdSchema,
      format: z.enum(['csv', 'json']),
      text: z.string().max(MAX_IMPORT_BYTES),
    }),
    z.strictObject({
      plan: planSchema,
      /** added + updated. */
      imported: z.number().int(),
      /** Items new to the plan. */
      added: z.number().int(),
      /** Items already in the plan, now at the file's price and amount. */
      updated: z.number().int(),
      errors: z.array(importErrorSchema),
      /** Imported rows whose price is not AssetPay's cached offer, in file order. */
      priceDiffers: z.array(importPriceDiffSchema),
    }),
  ),
  exportPlan: channel(
    'plans:export',
    z.strictObject({ planId: localIdSchema, format: z.enum(['csv', 'json']) }),
    z.strictObject({ fileName: z.string(), text: z.string() }),
  ),

  // ── Submitting ───────────────────────────────────────────────────────────
  runPreflight: channel(
    'preflight:run',
    z.strictObject({ planId: localIdSchema }),
    preflightDiffSchema,
  ),
  acceptPreflight: channel(
    'preflight:accept',
    z.strictObject({
      planId: localIdSchema,
      preflightId: localIdSchema,
      acceptedItemIds: z.array(z.string().max(256)).max(MAX_PLAN_ITEMS),
    }),
    sellConfirmationSchema,
  ),
  /** Sells. The renderer echoes the confirmation the trader saw; main refuses if it no longer matches. */
  startRun: channel(
    'run:start',
    z.strictObject({ confirmation: sellConfirmationSchema }),
    runSummarySchema,
  ),
  armPlan: channel('run:arm', z.strictObject({ planId: localIdSchema }), planSummarySchema),
  disarmPlan: channel('run:disarm', z.strictObject({ planId: localIdSchema }), planSummarySchema),
  pauseRun: channel('run:pause', z.strictObject({ runId: localIdSchema }), runSummarySchema),
  resumeRun: channel('run:resume', z.strictObject({ runId: localIdSchema }), runSummarySchema),
  cancelRun: channel('run:cancel', z.strictObject({ runId: localIdSchema }), runSummarySchema),
  /** A batch that needs review, checked against AssetPay's current offers (online). */
  reviewBatch: channel(
    'batch:review',
    z.strictObject({ batchId: localIdSchema }),
    batchReviewSchema,
  ),
  /** Without choices: fixed within the plan's tolerance. With them: as the trader decided on the review. */
  retryBatch: channel(
    'batch:retry',
    reviewChoicesSchema.extend({ batchId: localIdSchema }),
    batchViewSchema,
  ),
  skipBatch: channel('batch:skip', z.strictObject({ batchId: localIdSchema }), batchViewSchema),

  // ── Queries ──────────────────────────────────────────────────────────────
  listRuns: channel('runs:list', empty, z.array(runSummarySchema)),
  getRun: channel(
    'runs:get',
    z.strictObject({ runId: localIdSchema }),
    z.strictObject({ run: runSummarySchema, batches: z.array(batchViewSchema) }),
  ),
  queryTrades: channel(
    'trades:query',
    historyFilterSchema.extend({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5_000).default(200),
    }),
    z.strictObject({ total: z.number().int(), trades: z.array(tradeViewSchema) }),
  ),
  historyTotals: channel(
    'history:totals',
    historyFilterSchema.extend({
      /** The trader's local days: their IANA time zone (daylight saving included). */
      timeZone: timeZoneSchema,
    }),
    historyTotalsSchema,
  ),
  /** Trades waiting for the trader to accept AssetPay's offer in Steam, oldest first. */
  listOffersToAccept: channel('offers:list', empty, z.array(tradeViewSchema)),
  exportHistory: channel(
    'history:export',
    historyFilterSchema,
    z.strictObject({ fileName: z.string(), text: z.string() }),
  ),

  // ── App ──────────────────────────────────────────────────────────────────
  getAppInfo: channel(
    'app:info',
    empty,
    z.strictObject({
      version: z.string(),
      online: z.boolean(),
      assetpay: reachabilitySchema,
      environment: environmentSchema,
      /** Where item pictures are served from: `<picturesUrl><pictureKey(iconUrl)>` (shared/pictures.ts). */
      picturesUrl: z.string().max(200),
    }),
  ),
  /** Main opens only allowlisted URLs (Steam trade offers, the AssetPay dashboard). */
  openExternal: channel('app:open-external', z.strictObject({ url: z.string().max(2_000) }), ok),
} as const;

/** Pushed main → renderer. Coalesced by main (at most 5 per second per batch). */
export const events = {
  batchUpdated: { channel: 'event:batch-updated', payload: batchViewSchema },
  runProgress: { channel: 'event:run-progress', payload: runSummarySchema },
  tradeUpdated: { channel: 'event:trade-updated', payload: tradeViewSchema },
  /** The network (`online`) and whether AssetPay itself answers in the selected environment. */
  connectivity: {
    channel: 'event:connectivity',
    payload: z.strictObject({ online: z.boolean(), assetpay: reachabilitySchema }),
  },
  attention: {
    channel: 'event:attention',
    payload: z.strictObject({ runId: localIdSchema, title: z.string(), body: z.string() }),
  },
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type RequestOf<M extends Method> = z.input<Contract[M]['request']>;
export type ParsedRequestOf<M extends Method> = z.output<Contract[M]['request']>;
export type ResponseOf<M extends Method> = z.output<Contract[M]['response']>;
/** What main must implement: one function per contract method, receiving the parsed request. */
export type Handlers = {
  [M in Method]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M>;
};
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]['payload']>;

export { planItemInputSchema, inventoryFilterSchema, historyFilterSchema, planItemSchema };
