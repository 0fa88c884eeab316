/*
 * The sell engine (design §5) — public API:
 *   new SellEngine({ store, client, limiter, clock, events, logger?, options?: { concurrency, tier, hooks, timing, random } })
 *     start(): Promise<void>            reconciles every batch left in sending/unknown first, then resumes runs
 *     stop(): Promise<void>             stops taking work; in-flight HTTP is abandoned (reconciled at next start)
 *     runPreflight(planId): Promise<PreflightDiff>
 *     acceptPreflight(planId, preflightId, acceptedItemIds): SellConfirmation
 *     createRun(planId, confirmation): RunSummary          (refused unless the latest pre-flight was accepted)
 *     armPlan(planId) / disarmPlan(planId): PlanSummary    ("submit when online")
 *     pauseRun / resumeRun / cancelRun(runId): RunSummary
 *     retryBatch(batchId): Promise<BatchView>  skipBatch(batchId): BatchView   (needs-review / blocked)
 *     setOnline(bool)  setConcurrency(n)  setTier(tier)  stats()
 *   events: EngineEvent stream, coalesced to ≤ 5/s per batch/run/trade, trailing edge guaranteed.
 * Pure parts: planBatches / externalIdFor / buildSellRequest (planner.ts), diffPlan (preflight.ts),
 * decideSell (sell-policy.ts), BATCH_TRANSITIONS (batch-states.ts), nextPoll (tracking.ts),
 * checkInvariant (invariant.ts), Coalescer (coalescer.ts).
 */
export {
  SellEngine,
  DEFAULT_TIMING,
  type SellEngineDeps,
  type SellEngineOptions,
  type EngineHooks,
  type EngineHookInfo,
  type EngineTiming,
  type EngineClient,
} from './engine';
export type { EngineEvent, EngineEventSink } from './events';
export {
  BATCH_TRANSITIONS,
  FINAL_BATCH_STATES,
  canTransition,
  transitionBatch,
  IllegalTransitionError,
  StaleBatchError,
} from './batch-states';
export {
  planBatches,
  chunkSizes,
  sellBodyText,
  countBatches,
  externalIdFor,
  buildSellRequest,
  DEFAULT_BATCH_SIZE,
  type PlannedBatch,
  type PlanError,
  type PlanResult,
} from './planner';
export {
  diffPlan,
  keptItems,
  withinTolerance,
  runPreflight,
  acceptPreflight,
  confirmationFor,
} from './preflight';
export { decideSell, decideDefinitive, ITEM_PROBLEM_KEYS, type SellDecision } from './sell-policy';
export { checkInvariant, type InvariantReport } from './invariant';
export { Coalescer } from './coalescer';
export { nextPoll, DEFAULT_TRACKING, type TrackingTiming } from './tracking';
