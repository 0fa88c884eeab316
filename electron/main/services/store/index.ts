/*
 * Local store (design §6): SQLite through better-sqlite3, WAL, foreign keys,
 * synchronous=NORMAL with FULL for write-ahead commits (why: db.ts),
 * versioned migrations (migrations.ts).
 * Money is integer cents; `priceUsd` is the inventory's dollar number, kept
 * exactly so it can be echoed back to /secure/sell. JSON columns are parsed
 * with zod on read. Expected refusals throw `AppError` (shared/contract/result)
 * with `details.reason` set to a stable code; the IPC dispatcher passes them on.
 *
 * API summary — `const store = new Store(dbPath)` (or `Store.open(path, { now })`):
 *   store.settings   get(): Settings                       (defaults filled in)
 *                    update(patch: Partial<Settings>): Settings   environment(): the selected one
 *                    getValue(key, schema) / setValue(key, schema, value)   (other app values; never secrets)
 *   — accounts' checks, inventories and new plans belong to the selected environment (read at each use).
 *   store.accounts   add({label, tradeUrl}): Account        (trade URL validated, api §7; duplicate → conflict)
 *                    list(): Account[]   get(id): Account|null   require(id)
 *                    update(id, {label?, tradeUrl?}): Account   setLastCheck(id, {at,state,canTrade,message})
 *                    remove(id)                             (refused while a batch of it is live; soft delete)
 *   store.inventory  replaceSnapshot(accountId, game, items: InventoryItem[], fetchedAt, {count?, apiUpdatedAt?}): InventorySnapshot
 *                    listSnapshots(): InventorySnapshot[]    getSnapshot(accountId, game)
 *                    query({accountId?, game?, search?, type?, exterior?, minCents?, maxCents?, sellableOnly?, sort?, offset?, limit?}): {total, rows: InventoryRow[]}
 *                    getItems(accountId, game, itemIds, {marked?}): Map<itemId, InventoryRow>
 *                      (query and marked rows: units sold or being sold since the fetch are off; taken-items.ts)
 *                    resolvePlanItems([{accountId, game, itemId, amount?}]): {items: PlanItem[], errors: ResolveError[]}
 *   store.plans      create({name, options?, items?: PlanItem[]}): Plan     get(id): Plan|null   require(id)
 *                    list(): PlanSummary[]   summary(id)   items(id): PlanItem[]   status(id)   revision(id)
 *                    update(id, {name?, options?}): Plan    replaceItems(id, items: PlanItem[]): Plan
 *                    appendItems(id, items): PlanSummary    (large imports, account by account)
 *                    delete(id) (refused once submitted)    setStatus(id, 'draft'|'armed'|'submitted'|'archived')
 *                    duplicate(id, name)   archive(id)   unarchive(id)   removeItems(id, keys)   environmentOf(id)
 *                    — edits are refused (conflict 'plan-is-running') while a run of the plan is active.
 *   store.planHealth problems(planId, environment): PlanItemProblem[]   unsold(planId): UnsoldItem[]
 *   store.preflights get(id)  latest(planId)  latestId(planId)  diff(id): PreflightDiff   (written by the engine's pre-flight)
 *   store.runs       list(): RunSummary[]   summary(id): RunSummary   get(id): RunRecord|null
 *   store.batches    viewsByRun(runId): BatchView[]   view(id): BatchView   get(id): BatchRecord|null
 *                    items(batchId)   sends(batchId)   liveConflicts(itemIds)
 *   store.reviews    save(batchId, StoredReview)   get(batchId): StoredReview|null   (the trader's review of a refused batch)
 *   store.trades     view(tradeId): TradeView|null   byBatch(batchId)   record(trade, link)
 *   store.history    query({runId?, status?, accountId?, game?, from?, to?, search?, offset?, limit?}): {total, trades: TradeView[]}
 *                    totals(filter, timeZone): HistoryTotals   items(tradeId)   (per-item rows for the CSV)
 *   store.events     append({kind, planId?, runId?, batchId?, tradeId?, payload?}): id   (payload redacted)
 *                    list({planId?, runId?, batchId?, tradeId?, kind?, afterId?, limit?}): EventLogEntry[]
 *   store.transaction(fn)   store.durableTransaction(fn) (fsynced: write-ahead)   store.close()
 * Batch and run state changes are written only by the sell engine
 * (engine/batch-states.ts), never by the IPC layer directly.
 */
export { Store, type StoreOptions } from './store';
export { openDatabase, migrate, schemaVersion, type Db } from './db';
export { MIGRATIONS, type Migration } from './migrations';
export { DEFAULT_SETTINGS } from './settings';
export { DEFAULT_PLAN_OPTIONS, batchCountFor, validatePlanItems, type PlanStatus } from './plans';
export type { InventoryFilter, PlanItemInput, ResolveError } from './inventory';
export type { AccountCheck } from './accounts';
export type {
  BatchRecord,
  BatchItem,
  BatchPatch,
  NewBatch,
  LiveConflict,
  NextAction,
} from './batches';
export { itemsKeyOf, NEXT_ACTIONS } from './batches';
export type { StoredReview } from './batch-reviews';
export type { TradeRecord, TradeLink, RecordResult } from './trades';
export type { TradeQuery, TradeItemRow } from './history';
export type { RunRecord, RunPatch } from './runs';
export type { PreflightRecord } from './preflights';
export type { EventLogEntry, EventLogInput } from './events';
export type { AuditItemRow } from './audit';
export { LIVE_BATCH_STATES } from './sql';
