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
 *     retryBatch(batchId): Promise<BatchView>  skipBatch(batchId): Promise<BatchView>   (needs-review / blocked)
 *     setOnline(bool)  setConcurrency(n)  setTier(tier)  environmentChanged()  keyChanged()  stats()
 *   events: EngineEvent stream, coalesced to ≤ 5/s per batch/run/trade, trailing edge guaranteed.
 *
 * How a sell flows through the parts (ARCHITECTURE.md has the picture):
 *   scheduler.ts        claims what is due, one timer for the next due time (read from rows)
 *   send-worker.ts      prove the previous attempt dead → rate limiter → last check → write-ahead → send → apply
 *   outcome-reducer.ts  pure: an answer → the batch's next state (api §8 retry matrix; sell-policy.ts decides)
 *   reconciler.ts       `unknown` batches: resend once, look up, proveDead (the one proof), requeue
 *   related-trades.ts   split baskets seen by lookup: scan GET /secure/trades (api §8 step 4)
 *   tracker.ts          adopt trades, poll them, settle batches
 *   run-control.ts      start, arm, disarm, pause, resume, cancel; run-admission.ts checks; run-state.ts derives
 *   trader-actions.ts   retry, skip, the fixed key
 * Pure parts: planBatches / externalIdFor / buildSellRequest (shared/planner.ts), diffPlan (preflight-diff.ts),
 * decideSell (sell-policy.ts), reduceOutcome (outcome-reducer.ts), BATCH_TRANSITIONS (batch-states.ts),
 * nextPoll (tracking.ts), deriveRunState (run-state.ts), inFlightUntil / resendDue (reconciler.ts),
 * checkInvariant (invariant.ts), Coalescer (coalescer.ts).
 */
export { SellEngine, type SellEngineDeps, type SellEngineOptions } from './sell-engine';
export {
  DEFAULT_TIMING,
  type EngineHooks,
  type EngineHookInfo,
  type EngineTiming,
  type EngineClient,
} from './context';
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
  countBatches,
  externalIdFor,
  buildSellRequest,
  DEFAULT_BATCH_SIZE,
  type PlannedBatch,
  type PlanError,
  type PlanResult,
} from '../../../../shared/planner';
export { diffPlan, keptItems, withinTolerance } from './preflight-diff';
export { runPreflight, acceptPreflight, confirmationFor } from './preflight';
export { decideSell, decideDefinitive, ITEM_PROBLEM_KEYS, type SellDecision } from './sell-policy';
export { reduceOutcome, type OutcomeInput, type OutcomeStep } from './outcome-reducer';
export { inFlightUntil, resendDue } from './reconciler';
export { deriveRunState } from './run-state';
export { checkInvariant, type InvariantReport } from './invariant';
export { Coalescer } from './coalescer';
export { nextPoll, DEFAULT_TRACKING, type TrackingTiming } from './tracking';
