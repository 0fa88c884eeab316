import { setMaxListeners } from 'node:events';
import { ACTIVE_RUN_STATES } from '../../../../shared/domain';
import type {
  BatchReview,
  BatchView,
  PlanSummary,
  PreflightDiff,
  ReviewChoices,
  RunPace,
  RunSummary,
  SellConfirmation,
} from '../../../../shared/model';
import type { MerchantTier } from '../../../../shared/domain';
import type { Clock } from '../assetpay/clock';
import type { ApiOutcome } from '../assetpay/outcome';
import type { RateLimiter } from '../assetpay/rate-limiter';
import { silentLogger, type Logger } from '../log';
import type { Store } from '../store';
import { transitionBatch, type TransitionRequest } from './batch-states';
import { BatchCreator } from './batch-creation';
import { Coalescer } from './coalescer';
import {
  backoff,
  DEFAULT_TIMING,
  type Conditions,
  type EngineClient,
  type EngineContext,
  type EngineHooks,
  type EngineTiming,
} from './context';
import { eventKey, type EngineEvent, type EngineEventSink } from './events';
import { acceptPreflight, runPreflight, type RunPreflightOptions } from './preflight';
import { Reconciler } from './reconciler';
import { assertNotRunning } from './run-admission';
import { RelatedTrades } from './related-trades';
import { RunControl } from './run-control';
import { refreshRunState } from './run-state';
import type { Concurrency } from './in-flight';
import { Scheduler } from './scheduler';
import { Tracker } from './tracker';
import { TraderActions } from './trader-actions';

/*
 * The sell engine (design §5), the one object the app talks to. It wires the
 * parts — run control, the scheduler with its send workers, the reconciler,
 * the tracker, the trader's actions — around one EngineContext, and holds the
 * three conditions only memory knows: online, the key refused, connections
 * failing. Everything else lives in rows, so a restart forgets nothing.
 */

export interface SellEngineOptions {
  /** Sells in flight at once: 'auto' (default: found from AssetPay's answers) or at most this many. */
  concurrency?: Concurrency;
  tier?: MerchantTier;
  hooks?: EngineHooks;
  timing?: Partial<EngineTiming>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  newId?: () => string;
}

export interface SellEngineDeps {
  store: Store;
  client: EngineClient;
  limiter: RateLimiter;
  clock: Clock;
  events: EngineEventSink;
  logger?: Logger;
  options?: SellEngineOptions;
}

export class SellEngine {
  private readonly ctx: EngineContext;
  private readonly conditions: Conditions = {
    online: true,
    keyRefused: null,
    lookupsHeld: null,
    netTrouble: null,
  };
  private readonly abort = new AbortController();
  private readonly coalescer: Coalescer<EngineEvent>;
  private readonly runs: RunControl;
  private readonly actions: TraderActions;
  private readonly scheduler: Scheduler;
  private started = false;
  private stopped = false;
  private readonly runsToRefresh = new Set<string>();

  constructor(deps: SellEngineDeps) {
    const options = deps.options ?? {};
    // Every request in flight listens to the engine's stop signal (up to 64 sells, plus lookups).
    setMaxListeners(1_000, this.abort.signal);
    const timing = { ...DEFAULT_TIMING, ...(options.timing ?? {}) };
    if (options.tier) deps.limiter.setTier(options.tier);
    this.coalescer = new Coalescer(deps.clock, timing.coalesceMs, deps.events);
    const store = deps.store;
    const ctx: EngineContext = {
      store,
      client: deps.client,
      limiter: deps.limiter,
      clock: deps.clock,
      logger: deps.logger ?? silentLogger,
      hooks: options.hooks ?? {},
      timing,
      random: options.random ?? Math.random,
      newId: options.newId ?? (() => store.ctx.newId()),
      conditions: this.conditions,
      signal: this.abort.signal,
      stopped: () => this.stopped || !store.isOpen,
      transition: (batchId, req) => this.transition(batchId, req),
      emit: (event) => this.emit(event),
      kick: () => this.scheduler.kick(),
      refreshRun: (runId) => refreshRunState(this.ctx, runId),
      refuseKey: (key, message, runId) => this.refuseKey(key, message, runId),
      noteReachability: (outcome) => this.noteReachability(outcome),
      sellsInFlight: () => this.scheduler.inFlight(),
      sellAnswered: (sample) => this.scheduler.sellAnswered(sample),
    };
    this.ctx = ctx;
    const creator = new BatchCreator(store, ctx.newId);
    const related = new RelatedTrades(ctx);
    const tracker = new Tracker(ctx, related);
    const reconciler = new Reconciler(ctx, tracker, related);
    this.actions = new TraderActions(ctx, reconciler);
    this.scheduler = new Scheduler(ctx, {
      creator,
      tracker,
      reconciler,
      concurrency: options.concurrency ?? 4,
    });
    this.runs = new RunControl({
      ctx,
      creator,
      firstBatches: () => this.scheduler.limit,
      stopUnsentSends: (runId) => this.scheduler.stopUnsentSends(runId),
      releaseKey: () => this.actions.releaseKey(),
    });
    this.scheduler.processArmed = () => this.runs.processArmed();
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────

  /** Reconciles every batch left in `sending` or `unknown` before anything new is sent, then resumes. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const keyBlocked = this.ctx.store.batches
      .listByStates(['blocked'])
      .find((b) => b.nextActions.includes('fix-key'));
    if (keyBlocked)
      this.conditions.keyRefused = { key: keyBlocked.lastErrorKey ?? 'UNAUTHORIZED', message: '' };
    await this.scheduler.start();
  }

  /** Stops taking work. Requests in flight are abandoned; the next start reconciles them. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await this.scheduler.stop();
    this.coalescer.dispose();
  }

  /** Connectivity from the app: offline runs wait with their state intact and resume by themselves. */
  setOnline(online: boolean): void {
    if (this.conditions.online === online) return;
    this.conditions.online = online;
    if (online) this.conditions.netTrouble = null;
    else this.scheduler.stopUnsentSends(null);
    this.refreshActiveRuns();
    this.scheduler.onlineChanged();
  }

  get isOnline(): boolean {
    return this.conditions.online;
  }

  setConcurrency(value: Concurrency): void {
    this.scheduler.concurrency = value;
  }

  /** How a run is going now (issue 13): sells in flight, items sold per minute, time left. */
  pace(runId: string): RunPace {
    const { store, clock } = this.ctx;
    const now = clock.now();
    const perMinute = store.runs.itemsSoldSince(runId, new Date(now - 60_000).toISOString());
    const left = store.runs.itemsLeftToSend(runId);
    return {
      inFlight: this.scheduler.inFlight(runId),
      limit: this.scheduler.limit,
      automatic: this.scheduler.concurrency === 'auto',
      itemsPerMinute: perMinute,
      etaSeconds: left === 0 ? 0 : perMinute > 0 ? Math.ceil((left / perMinute) * 60) : null,
    };
  }

  setTier(tier: MerchantTier): void {
    this.ctx.limiter.setTier(tier);
  }

  /** For tests and diagnostics. */
  stats() {
    return {
      ...this.scheduler.stats(),
      online: this.conditions.online,
      netTrouble: this.conditions.netTrouble !== null,
      authBlocked: this.conditions.keyRefused !== null,
    };
  }

  // ── The trader's decisions ───────────────────────────────────────────────

  runPreflight(planId: string, options: RunPreflightOptions = {}): Promise<PreflightDiff> {
    const { store, client, clock, newId } = this.ctx;
    // A plan being sold keeps its items: its remaining batches are still read from them.
    assertNotRunning(store, planId, null);
    return runPreflight(
      { store, client, now: () => clock.now(), newId, signal: this.abort.signal },
      planId,
      options,
    );
  }

  acceptPreflight(
    planId: string,
    preflightId: string,
    acceptedItemIds: readonly string[],
  ): SellConfirmation {
    assertNotRunning(this.ctx.store, planId, null);
    const confirmation = acceptPreflight(
      { store: this.ctx.store },
      planId,
      preflightId,
      acceptedItemIds,
    );
    // The price check wrote a snapshot and a diff: fold them in now, not in the first sell's commit.
    this.ctx.store.checkpoint();
    return confirmation;
  }

  createRun(planId: string, confirmation: SellConfirmation): RunSummary {
    return this.runs.createRun(planId, confirmation);
  }
  armPlan(planId: string): PlanSummary {
    return this.runs.armPlan(planId);
  }
  disarmPlan(planId: string): PlanSummary {
    return this.runs.disarmPlan(planId);
  }
  pauseRun(runId: string): RunSummary {
    return this.runs.pauseRun(runId);
  }
  resumeRun(runId: string): RunSummary {
    return this.runs.resumeRun(runId);
  }
  cancelRun(runId: string): RunSummary {
    return this.runs.cancelRun(runId);
  }
  retryBatch(batchId: string, choices?: ReviewChoices): Promise<BatchView> {
    return this.actions.retryBatch(batchId, choices);
  }
  reviewBatch(batchId: string): Promise<BatchReview> {
    return this.actions.reviewBatch(batchId);
  }
  skipBatch(batchId: string): Promise<BatchView> {
    return this.actions.skipBatch(batchId);
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────

  private transition(batchId: string, req: TransitionRequest) {
    return transitionBatch(
      {
        store: this.ctx.store,
        emit: (b) => {
          this.emit({ type: 'batch-updated', runId: b.runId, batchId: b.id });
          this.emit({ type: 'run-progress', runId: b.runId });
        },
      },
      batchId,
      req,
    );
  }

  private emit(event: EngineEvent): void {
    this.coalescer.push(eventKey(event), event);
    // A batch's move may change its run's state: derived again once this turn's writes are done.
    if (event.type !== 'batch-updated' || this.runsToRefresh.has(event.runId)) return;
    this.runsToRefresh.add(event.runId);
    queueMicrotask(() => {
      this.runsToRefresh.delete(event.runId);
      if (this.ctx.store.isOpen && !this.ctx.store.db.inTransaction)
        refreshRunState(this.ctx, event.runId);
    });
  }

  private refreshActiveRuns(): void {
    for (const run of this.ctx.store.runs.listByStates(ACTIVE_RUN_STATES))
      refreshRunState(this.ctx, run.id);
  }

  private refuseKey(key: string, message: string, runId: string): void {
    const first = this.conditions.keyRefused === null;
    const streak = (this.conditions.lookupsHeld?.streak ?? 0) + 1;
    const { lookupBaseMs, lookupCapMs } = this.ctx.timing;
    this.conditions.keyRefused = { key, message };
    this.conditions.lookupsHeld = {
      streak,
      retryAt: this.ctx.clock.now() + backoff(this.ctx, streak - 1, lookupBaseMs, lookupCapMs),
    };
    if (first)
      this.emit({
        type: 'attention',
        runId,
        title: 'The API key was refused',
        body: `AssetPay refused the API key (${key}). Enter a valid key in Settings, then retry.`,
      });
    this.refreshActiveRuns();
  }

  /**
   * The trader switched environment (refused while runs are unfinished): the engine now
   * works on that environment's batches and trades only (the store reads it at each use),
   * and what it knew of the other AssetPay — a refused key — says nothing of this one.
   */
  environmentChanged(): void {
    this.conditions.keyRefused = null;
    this.conditions.lookupsHeld = null;
    this.scheduler.kick();
  }

  /** The trader changed the API key: try it at once. */
  keyChanged(): void {
    if (this.conditions.keyRefused || this.conditions.lookupsHeld) this.actions.releaseKey();
  }

  private noteReachability(outcome: ApiOutcome<unknown>): void {
    const c = this.conditions;
    // An answer past the key (created, or refused for another reason) proves the key works again:
    // lookups go on; sends too, unless a batch refused for the key waits for the trader's retry.
    if (c.lookupsHeld && (outcome.kind === 'ok' || outcome.kind === 'definitive')) {
      c.lookupsHeld = null;
      if (
        !this.ctx.store.batches
          .listByStates(['blocked'])
          .some((b) => b.nextActions.includes('fix-key'))
      )
        this.actions.releaseKey();
    }
    if (outcome.kind === 'not-sent') {
      if (outcome.reason === 'aborted') return;
      const streak = (c.netTrouble?.streak ?? 0) + 1;
      const first = c.netTrouble === null;
      const { notSentRetryMs, notSentRetryCapMs } = this.ctx.timing;
      c.netTrouble = {
        streak,
        until:
          this.ctx.clock.now() + backoff(this.ctx, streak - 1, notSentRetryMs, notSentRetryCapMs),
      };
      if (first) this.refreshActiveRuns();
      return;
    }
    if (outcome.kind === 'ambiguous' || !c.netTrouble) return;
    c.netTrouble = null;
    this.refreshActiveRuns();
  }
}
