import type { GameId } from '../../../../shared/api/games';
import type { SellRequest, Trade } from '../../../../shared/api/schemas';
import { parseTradeUrl } from '../../../../shared/api/trade-url';
import { AppError } from '../../../../shared/contract/result';
import type {
  BatchView,
  PlanSummary,
  PreflightDiff,
  RunSummary,
  SellConfirmation,
} from '../../../../shared/contract/views';
import type { MerchantTier, RunState } from '../../../../shared/domain';
import type { AssetPayClient } from '../assetpay/client';
import { backoffMs } from '../assetpay/backoff';
import type { Clock } from '../assetpay/clock';
import { describeOutcome, type ApiOutcome } from '../assetpay/outcome';
import type { RateLimiter } from '../assetpay/rate-limiter';
import { silentLogger, type Logger } from '../log';
import type { BatchPatch, BatchRecord, Store } from '../store';
import {
  FINAL_BATCH_STATES,
  StaleBatchError,
  transitionBatch,
  type TransitionRequest,
} from './batch-states';
import { BatchCreator } from './batch-creation';
import { Coalescer } from './coalescer';
import { eventKey, type EngineEvent, type EngineEventSink } from './events';
import { buildSellRequest, externalIdFor, planBatches } from './planner';
import {
  acceptPreflight,
  runPreflight,
  withinTolerance,
  type RunPreflightOptions,
} from './preflight';
import { QuietTurns } from './quiet-turns';
import { decideSell, ITEM_PROBLEM_KEYS, type SellDecision } from './sell-policy';
import {
  DEFAULT_TRACKING,
  FAILED_STATUSES,
  IN_FLIGHT_STATUSES,
  nextPoll,
  type TrackingTiming,
} from './tracking';

/*
 * The sell engine (design §5). It turns an accepted plan into batches, sends
 * them under the rate limit with several sells in flight, follows the retry
 * matrix of api §8 to the letter, reconciles every ambiguous outcome by
 * externalId, and tracks every trade to a final state.
 *
 * Rules it never bends:
 * - Write-ahead: the batch row with its exact body and externalId is committed
 *   (state `sending`, plus a batch_attempts row) before the request leaves.
 * - An externalId is only ever sent with one body; a new body gets a new
 *   attempt number, and only once the old externalId is proven not live
 *   (lookup → missing, or a failed/canceled/declined trade).
 * - Items of a batch whose outcome is unknown never go into another batch;
 *   at start-up every batch left in `sending`/`unknown` is reconciled before
 *   anything new is sent.
 * - Every batch state change goes through transitionBatch (batch-states.ts).
 */

export type EngineClient = Pick<
  AssetPayClient,
  'sell' | 'getTrades' | 'getInventory' | 'listTrades'
>;

export interface EngineHookInfo {
  batchId: string;
  runId: string;
  seq: number;
  attempt: number;
  externalId: string;
  /** True for the once-only resend of an ambiguous outcome. */
  resend: boolean;
}

/** Test seams (the crash test kills the process inside them). */
export interface EngineHooks {
  /** The write-ahead commit is done; the request has not left yet. */
  afterWriteAhead?(info: EngineHookInfo): void | Promise<void>;
  /** The answer was read; its outcome is not committed yet. */
  afterResponse?(
    info: EngineHookInfo & { outcome: ApiOutcome<Trade>['kind'] },
  ): void | Promise<void>;
}

export interface EngineTiming extends TrackingTiming {
  /** First delay before resending a request that provably never left; doubles up to the cap. */
  notSentRetryMs: number;
  notSentRetryCapMs: number;
  /** FLEET_DEGRADED / DEPOSIT_IN_PROGRESS / TRADE_OFFER_FAILED / 429 without Retry-After (api §3: 5–10 s, cap 60 s). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Run-level pause for NO_BOTS / maintenance / deposits paused / Steam. */
  waitBaseMs: number;
  waitCapMs: number;
  /** Short delay before the once-only resend of an ambiguous sell (api §8 step 2). */
  resendDelayMs: number;
  /** Lookups of a batch in `unknown`. */
  lookupBaseMs: number;
  lookupCapMs: number;
  /** How long a sent request may still be processed by the server (sell timeout 100 s + margin). */
  inFlightWindowMs: number;
  /** TRADE_OFFER_FAILED attempts before the batch waits for the trader. */
  maxAutoAttempts: number;
  /** Push events per key at most every… */
  coalesceMs: number;
  /** An accepted pre-flight older than this must be run again before selling. */
  preflightMaxAgeMs: number;
  /** An armed plan that could not be checked (offline) is tried again after… */
  armedRetryMs: number;
  /** Pages of GET /secure/trades scanned for related trades of a split basket (api §8 step 4). */
  relatedScanPages: number;
}

export const DEFAULT_TIMING: EngineTiming = {
  ...DEFAULT_TRACKING,
  notSentRetryMs: 1_000,
  notSentRetryCapMs: 30_000,
  backoffBaseMs: 5_000,
  backoffCapMs: 60_000,
  waitBaseMs: 15_000,
  waitCapMs: 300_000,
  resendDelayMs: 1_000,
  lookupBaseMs: 2_000,
  lookupCapMs: 60_000,
  inFlightWindowMs: 130_000,
  maxAutoAttempts: 5,
  coalesceMs: 200,
  preflightMaxAgeMs: 30 * 60_000,
  armedRetryMs: 30_000,
  relatedScanPages: 20,
};

export interface SellEngineOptions {
  /** Sells in flight at once (default 4). */
  concurrency?: number;
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

const ACTIVE_RUN_STATES: readonly RunState[] = ['running', 'waiting', 'attention'];
const RECONCILE_CONCURRENCY = 4;
/** A sell's answer writes ~150 KB (trade JSON, items, attempt): fold the WAL every ~1.2 MB, well before SQLite's own 4 MB. */
const CHECKPOINT_EVERY_ANSWERS = 8;

type Lookup =
  | { kind: 'found'; trade: Trade }
  | { kind: 'missing' }
  | { kind: 'failed'; outcome: ApiOutcome<unknown> };

export class SellEngine {
  private readonly store: Store;
  private readonly client: EngineClient;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hooks: EngineHooks;
  private readonly timing: EngineTiming;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly coalescer: Coalescer<EngineEvent>;

  private concurrency: number;
  private started = false;
  private stopped = false;
  private online = true;
  /** Set when a request provably could not leave (connect refused…); cleared by any answer. */
  private netTrouble: { streak: number; until: number } | null = null;
  /** The API key was refused: nothing is sent until the trader acts. */
  private authBlocked: { key: string; message: string } | null = null;
  private readonly claimed = new Set<string>();
  /** Batches written ahead or in flight (at most 2 × concurrency). */
  private activeSends = 0;
  /** Sells sent whose outcome is not written yet (a 200's slot is free before its trade is written). */
  private outcomesPending = 0;
  /** Requests in flight (at most concurrency), and the batches written ahead waiting for one. */
  private slotsBusy = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private writeAheadPass = false;
  private answersSinceCheckpoint = 0;
  /**
   * Background work (outcomes, batches written ahead and created, the WAL) runs
   * at quiet moments: never between a request and the wire, nor just as an
   * answer that would send the next batch is due.
   */
  private readonly turns: QuietTurns;
  private activeReconciles = 0;
  private polling = false;
  private armedBusy = false;
  private readonly armedRetryAt = new Map<string, number>();
  private readonly waitReasons = new Map<string, string>();
  private readonly relatedScanAt = new Map<string, number>();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private timer: AbortController | null = null;
  private timerAt = Infinity;
  private pumpQueued = false;
  /** Start-up rule (design §5): nothing new is sent before the first reconcile pass. */
  private startupReconciled = false;
  private startupPassRunning = false;
  private readonly batchCreator: BatchCreator;
  private readonly batchCreationFailed = new Set<string>();

  constructor(deps: SellEngineDeps) {
    this.store = deps.store;
    this.client = deps.client;
    this.limiter = deps.limiter;
    this.clock = deps.clock;
    this.logger = deps.logger ?? silentLogger;
    const options = deps.options ?? {};
    this.hooks = options.hooks ?? {};
    this.timing = { ...DEFAULT_TIMING, ...(options.timing ?? {}) };
    this.random = options.random ?? Math.random;
    this.newId = options.newId ?? (() => this.store.ctx.newId());
    this.concurrency = clampConcurrency(options.concurrency ?? 4);
    if (options.tier) this.limiter.setTier(options.tier);
    this.batchCreator = new BatchCreator(this.store, this.newId);
    this.turns = new QuietTurns({ headsMatter: () => this.slotWaiters.length > 0 });
    const sink = deps.events;
    this.coalescer = new Coalescer(this.clock, this.timing.coalesceMs, sink);
  }

  // ── Lifecycle ─────────────────────────────────────────────────────────────

  /**
   * Reconciles every batch left in `sending` or `unknown` (design §5) before
   * anything new is sent, then resumes the runs.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // A crash between "created" and "tracking" (two transactions) leaves a batch in created.
    for (const b of this.store.batches.listByStates(['created'])) {
      this.transition(b.id, {
        to: 'tracking',
        from: ['created'],
        reason: 'tracking its trades (after restart)',
      });
    }
    for (const b of this.store.batches.listByStates(['tracking'])) {
      if (this.unaccountedItems(b.id).length > 0) this.relatedScanAt.set(b.id, 0);
      else this.settleIfDone(b.id);
    }
    const keyBlocked = this.store.batches
      .listByStates(['blocked'])
      .find((b) => b.nextActions.includes('fix-key'));
    if (keyBlocked)
      this.authBlocked = {
        key: keyBlocked.lastErrorKey ?? 'UNAUTHORIZED',
        message: keyBlocked.message ?? 'AssetPay refused the API key.',
      };
    const interrupted = this.store.batches.listByStates(['sending', 'unknown']);
    for (const b of interrupted) {
      if (b.state === 'sending') {
        this.transition(b.id, {
          to: 'unknown',
          from: ['sending'],
          reason: 'interrupted while sending (app restarted)',
          patch: {
            message:
              'The app stopped while this batch was being sent; checking with AssetPay whether it went through.',
            nextAttemptAt: null,
          },
        });
      }
    }
    if (this.online) await this.reconcilePass();
    for (const run of this.store.runs.listByStates([...ACTIVE_RUN_STATES, 'paused']))
      this.refreshRunState(run.id);
    this.requestPump();
    this.scheduleBatchCreation();
  }

  /** One reconcile step for every batch in `unknown`; new sells wait until it is done. */
  private async reconcilePass(): Promise<void> {
    const ids = this.store.batches.listByStates(['unknown']).map((b) => b.id);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length && !this.stopped) {
        const id = ids[next++]!;
        if (this.claimed.has(id)) continue;
        this.claimed.add(id);
        try {
          await this.guard(id, () => this.reconcileBatch(id));
        } finally {
          this.claimed.delete(id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECONCILE_CONCURRENCY, ids.length) }, worker));
    this.startupReconciled = true;
  }

  /** Stops taking new work. In-flight HTTP is abandoned (it is reconciled at the next start). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.abort();
    this.abort.abort();
    // Batches written ahead and waiting for a slot go back to queued (they never left).
    for (const grant of this.slotWaiters.splice(0)) grant();
    this.turns.dispose();
    await Promise.allSettled([...this.tasks]);
    this.coalescer.dispose();
  }

  /** Connectivity from the app: offline runs wait with their state intact and resume by themselves. */
  setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    if (online) this.netTrouble = null;
    if (online && this.started && !this.startupReconciled && !this.startupPassRunning) {
      this.startupPassRunning = true;
      this.spawn(
        this.reconcilePass().finally(() => {
          this.startupPassRunning = false;
          this.requestPump();
        }),
      );
    }
    this.refreshActiveRuns();
    this.requestPump();
  }

  get isOnline(): boolean {
    return this.online;
  }

  setConcurrency(n: number): void {
    this.concurrency = clampConcurrency(n);
    this.requestPump();
  }

  setTier(tier: MerchantTier): void {
    this.limiter.setTier(tier);
  }

  /** For tests and diagnostics. */
  stats(): {
    activeSends: number;
    outcomesPending: number;
    activeReconciles: number;
    polling: boolean;
    online: boolean;
    netTrouble: boolean;
    authBlocked: boolean;
  } {
    return {
      activeSends: this.activeSends,
      outcomesPending: this.outcomesPending,
      activeReconciles: this.activeReconciles,
      polling: this.polling,
      online: this.online,
      netTrouble: this.netTrouble !== null,
      authBlocked: this.authBlocked !== null,
    };
  }

  // ── Pre-flight and runs ───────────────────────────────────────────────────

  runPreflight(planId: string, options: RunPreflightOptions = {}): Promise<PreflightDiff> {
    return runPreflight(
      {
        store: this.store,
        client: this.client,
        now: () => this.clock.now(),
        newId: this.newId,
        signal: this.abort.signal,
      },
      planId,
      options,
    );
  }

  acceptPreflight(
    planId: string,
    preflightId: string,
    acceptedItemIds: readonly string[],
  ): SellConfirmation {
    const confirmation = acceptPreflight(
      { store: this.store },
      planId,
      preflightId,
      acceptedItemIds,
    );
    // The price check wrote a snapshot and a diff: fold them in now, not in the first sell's commit.
    this.store.checkpoint();
    return confirmation;
  }

  /**
   * Starts selling a plan whose pre-flight the trader accepted; `confirmation`
   * must be exactly what acceptPreflight returned (what the trader saw).
   * All or nothing: a refusal writes nothing.
   */
  createRun(planId: string, confirmation: SellConfirmation): RunSummary {
    const runId = this.store.transaction(() => {
      for (const armed of this.store.runs.byPlan(planId).filter((r) => r.state === 'armed')) {
        this.store.runs.patch(armed.id, {
          state: 'canceled',
          message: 'Replaced by a manual submit.',
        });
        this.store.events.append({
          kind: 'run:canceled',
          planId,
          runId: armed.id,
          payload: { reason: 'replaced by manual submit' },
        });
      }
      return this.materializeRun(planId, confirmation, null);
    });
    // Offline, a new run says at once that it waits for the connection.
    this.refreshRunState(runId);
    this.emit({ type: 'run-progress', runId });
    this.requestPump();
    this.scheduleBatchCreation();
    return this.store.runs.summary(runId);
  }

  /** "Submit when online": the plan is checked and sent by itself when the connection is there. */
  armPlan(planId: string): PlanSummary {
    let runId: string | null = null;
    this.store.transaction(() => {
      const plan = this.store.plans.require(planId);
      if (plan.status === 'archived')
        throw new AppError('conflict', 'This plan is archived.', { reason: 'plan-archived' });
      if (this.store.runs.byPlan(planId).some((r) => r.state === 'armed')) return;
      if (
        this.store.runs
          .byPlan(planId)
          .some((r) => ACTIVE_RUN_STATES.includes(r.state) || r.state === 'paused')
      ) {
        throw new AppError('conflict', 'This plan is already being sold.', {
          reason: 'plan-already-running',
        });
      }
      const planned = planBatches(plan.items, { batchSize: plan.options.batchSize });
      if (!planned.ok)
        throw new AppError('invalid-request', planned.error.message, {
          reason: planned.error.kind,
        });
      this.assertAccounts(plan.items.map((i) => i.accountId));
      this.assertNoLiveConflicts(
        plan.items.map((i) => i.itemId),
        null,
      );
      runId = this.newId();
      this.store.runs.insert({
        id: runId,
        planId,
        preflightId: null,
        state: 'armed',
        message: 'Armed: will check prices and submit when online.',
      });
      this.store.plans.setStatus(planId, 'armed');
      this.store.events.append({ kind: 'run:armed', planId, runId, payload: {} });
    });
    if (runId) this.emit({ type: 'run-progress', runId });
    this.requestPump();
    return this.store.plans.summary(planId);
  }

  disarmPlan(planId: string): PlanSummary {
    const canceled: string[] = [];
    this.store.transaction(() => {
      for (const r of this.store.runs.byPlan(planId).filter((x) => x.state === 'armed')) {
        this.store.runs.patch(r.id, { state: 'canceled', message: 'Disarmed by you.' });
        this.store.events.append({ kind: 'run:disarmed', planId, runId: r.id, payload: {} });
        canceled.push(r.id);
      }
      if (this.store.plans.summary(planId).status === 'armed')
        this.store.plans.setStatus(planId, 'draft');
    });
    for (const id of canceled) this.emit({ type: 'run-progress', runId: id });
    return this.store.plans.summary(planId);
  }

  /** A finished, canceled or merely armed run cannot be paused or resumed. */
  private requireActiveRun(runId: string, verb: 'paused' | 'resumed') {
    const run = this.store.runs.require(runId);
    if (['finished', 'canceled', 'armed'].includes(run.state)) {
      throw new AppError('conflict', `This run is ${run.state}; it cannot be ${verb}.`, {
        reason: 'run-not-active',
      });
    }
    return run;
  }

  pauseRun(runId: string): RunSummary {
    this.requireActiveRun(runId, 'paused');
    this.setRunState(runId, 'paused', 'Paused by you. Batches already sent are still tracked.');
    return this.store.runs.summary(runId);
  }

  resumeRun(runId: string): RunSummary {
    const run = this.requireActiveRun(runId, 'resumed');
    if (this.authBlocked) this.releaseAuthBlock();
    if (run.state === 'paused') this.setRunState(runId, 'running', null);
    this.refreshRunState(runId);
    this.requestPump();
    return this.store.runs.summary(runId);
  }

  /** Cancels what was not sent yet; sent batches keep being tracked (a sell cannot be withdrawn, api §4.6). */
  cancelRun(runId: string): RunSummary {
    const run = this.store.runs.require(runId);
    if (run.state === 'finished' || run.state === 'canceled') return this.store.runs.summary(runId);
    this.store.transaction(() => {
      // Every planned item gets its batch (canceled), as if the run had been written whole.
      this.batchCreator.createNext(runId, Infinity);
      this.store.runs.patch(runId, {
        state: 'canceled',
        message: 'Canceled by you. Batches already sent are still tracked.',
      });
      this.store.events.append({ kind: 'run:canceled', planId: run.planId, runId, payload: {} });
      for (const b of this.store.batches.listByRun(runId)) {
        if ((b.state === 'queued' && !b.rotatePending) || b.state === 'draft') {
          this.transition(b.id, {
            to: 'canceled',
            from: ['queued', 'draft'],
            reason: 'run canceled',
            patch: { message: 'Canceled before it was sent.', nextActions: [] },
          });
        } else if (b.state === 'queued') {
          // Its previous attempt must first be proven not live (api §8); it is canceled right after that lookup.
          this.transition(b.id, {
            to: 'queued',
            from: ['queued'],
            reason: 'run canceled: checking the previous attempt first',
            patch: {
              nextAttemptAt: null,
              message: 'Canceling: checking first that the previous attempt created nothing.',
            },
          });
        } else if (b.state === 'needs-review' || b.state === 'blocked') {
          this.transition(b.id, {
            to: 'skipped',
            from: ['needs-review', 'blocked'],
            reason: 'run canceled',
            patch: { message: 'Skipped: the run was canceled.', nextActions: [] },
          });
        }
      }
    });
    this.emit({ type: 'run-progress', runId });
    return this.store.runs.summary(runId);
  }

  /**
   * The trader's retry of a batch in needs-review or blocked. Item problems
   * are fixed first from a fresh inventory (unavailable / not accepted /
   * overstocked items leave the batch, prices move to the current offer when
   * they rose or fell within the plan's tolerance, amounts are capped); the
   * send is then attempt + 1, after the old externalId is proven not live.
   */
  async retryBatch(batchId: string): Promise<BatchView> {
    const b = this.store.batches.require(batchId);
    if (b.state !== 'needs-review' && b.state !== 'blocked') {
      throw new AppError(
        'conflict',
        `Only a batch that needs review or is blocked can be retried (this one is ${b.state}).`,
        { reason: 'batch-not-retryable' },
      );
    }
    const run = this.store.runs.require(b.runId);
    if (run.state === 'canceled')
      throw new AppError('conflict', 'The run was canceled.', { reason: 'run-canceled' });
    if (b.state === 'blocked' && b.nextActions.includes('fix-key')) {
      this.releaseAuthBlock();
      return this.store.batches.view(batchId);
    }
    let dropped: { itemId: string; reason: string }[] = [];
    let repriced = 0;
    if (b.lastErrorKey && ITEM_PROBLEM_KEYS.has(b.lastErrorKey)) {
      const fix = await this.repairItems(b);
      dropped = fix.dropped;
      repriced = fix.repriced;
    }
    const left = this.store.batches.items(batchId).length;
    if (left === 0) {
      this.transition(batchId, {
        to: 'skipped',
        from: ['needs-review', 'blocked'],
        reason: 'retry left no item',
        payload: { dropped },
        patch: {
          message: 'No item of this batch can be sold any more; it was skipped.',
          nextActions: [],
        },
      });
    } else {
      const items = this.store.batches.items(batchId);
      this.transition(batchId, {
        to: 'queued',
        from: ['needs-review', 'blocked'],
        reason: 'retried by the trader',
        payload: { dropped, repriced },
        patch: {
          rotatePending: true,
          retryStreak: 0,
          nextAttemptAt: null,
          itemCount: items.length,
          totalCents: items.reduce((s, i) => s + i.priceCents * i.amount, 0),
          message: dropped.length
            ? `Retrying without ${dropped.length} item(s) that can no longer be sold.`
            : 'Retrying as a new attempt.',
          nextActions: [],
        },
      });
    }
    if (this.store.runs.get(b.runId)?.state === 'attention') this.refreshRunState(b.runId);
    this.requestPump();
    return this.store.batches.view(batchId);
  }

  skipBatch(batchId: string): BatchView {
    const b = this.store.batches.require(batchId);
    if (b.state !== 'needs-review' && b.state !== 'blocked') {
      throw new AppError(
        'conflict',
        `Only a batch that needs review or is blocked can be skipped (this one is ${b.state}).`,
        { reason: 'batch-not-skippable' },
      );
    }
    this.transition(batchId, {
      to: 'skipped',
      from: ['needs-review', 'blocked'],
      reason: 'skipped by the trader',
      patch: { message: 'Skipped by you; its items were not sold.', nextActions: [] },
    });
    if (
      this.authBlocked &&
      !this.store.batches.listByStates(['blocked']).some((x) => x.nextActions.includes('fix-key'))
    )
      this.releaseAuthBlock();
    this.requestPump();
    return this.store.batches.view(batchId);
  }

  // ── Scheduling ────────────────────────────────────────────────────────────

  private requestPump(): void {
    if (this.pumpQueued || this.stopped || !this.started) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      try {
        this.pump();
      } catch (error) {
        this.logger.error('engine pump failed', { error });
      }
    });
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    const now = this.clock.now();
    this.refreshExpiredWaits(now);
    if (this.online) {
      if (!this.authBlocked && this.startupReconciled) this.fillSends(now);
      this.fillReconciles(now);
      if (!this.polling && !this.authBlocked) this.maybePoll(now);
      if (!this.armedBusy) this.maybeProcessArmed(now);
    }
    this.armTimer(now);
  }

  /**
   * Sends are a pipeline: up to `concurrency` requests in flight, and behind
   * each one the next batch already written ahead (durable, state `sending`),
   * so when an answer's head is in the next request leaves with no database
   * work in between. A batch written ahead that may no longer go (paused,
   * offline, stopping) goes back to `queued` unsent.
   */
  private fillSends(now: number): void {
    if (this.netTrouble && now < this.netTrouble.until) return;
    // Batches for free slots first; the ones written ahead behind them after those requests left.
    const slots = this.netTrouble ? 1 : this.concurrency;
    const limit = this.netTrouble ? 1 : this.writeAheadPass ? this.concurrency * 2 : slots;
    while (this.activeSends < limit) {
      const id = this.nextQueued(now);
      if (!id) break;
      this.claimed.add(id);
      this.activeSends++;
      // The place is given back with the request's slot (the answer is in), so the next batch
      // is written ahead while this outcome is being read (the batch stays claimed).
      let done = false;
      const leave = () => {
        if (done) return;
        done = true;
        this.activeSends--;
        // After this turn of the event loop: the request that took the slot leaves first.
        setImmediate(() => this.requestPump());
      };
      this.spawn(
        this.guard(id, () => this.sendBatch(id, leave)).finally(() => {
          this.claimed.delete(id);
          leave();
        }),
      );
    }
    if (!this.netTrouble && !this.writeAheadPass && this.activeSends < this.concurrency * 2)
      this.scheduleWriteAheadPass();
  }

  /** Fills the places behind the requests in flight on a quiet turn. */
  private scheduleWriteAheadPass(): void {
    this.turns.once('write-ahead', () => {
      if (this.stopped || !this.online || this.authBlocked || !this.startupReconciled) return;
      this.writeAheadPass = true;
      try {
        this.fillSends(this.clock.now());
      } catch (error) {
        this.logger.error('engine write-ahead pass failed', { error });
      } finally {
        this.writeAheadPass = false;
      }
      // The requests just left and their answers are a latency away: a quiet moment for the WAL.
      if (this.answersSinceCheckpoint >= CHECKPOINT_EVERY_ANSWERS) {
        this.answersSinceCheckpoint = 0;
        this.store.checkpoint();
      }
    });
  }

  /** A slot for one request in flight; resolves with its release. */
  private takeSlot(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.slotsBusy++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.slotsBusy--;
          this.slotWaiters.shift()?.();
        });
      };
      if (this.stopped || this.slotsBusy < (this.netTrouble ? 1 : this.concurrency)) grant();
      else this.slotWaiters.push(grant);
    });
  }

  private fillReconciles(now: number): void {
    if (this.authBlocked) return;
    while (this.activeReconciles < RECONCILE_CONCURRENCY) {
      const rows = this.store.ctx
        .stmt(
          `SELECT id FROM batches WHERE state = 'unknown' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY next_attempt_at LIMIT ?`,
        )
        .all(now, this.claimed.size + 1) as { id: string }[];
      const id = rows.find((r) => !this.claimed.has(r.id))?.id;
      if (!id) break;
      this.claimed.add(id);
      this.activeReconciles++;
      this.spawn(
        this.guard(id, () => this.reconcileBatch(id)).finally(() => {
          this.claimed.delete(id);
          this.activeReconciles--;
          this.requestPump();
        }),
      );
    }
  }

  private nextQueued(now: number): string | null {
    const rows = this.store.ctx
      .stmt(
        `SELECT b.id FROM batches b JOIN runs r ON r.id = b.run_id
         WHERE b.state = 'queued'
           AND (r.state IN ('running','attention','waiting') OR (r.state = 'canceled' AND b.rotate_pending = 1))
           AND (r.wait_until IS NULL OR r.wait_until <= @now)
           AND (b.next_attempt_at IS NULL OR b.next_attempt_at <= @now)
           AND NOT EXISTS (SELECT 1 FROM batches x WHERE x.run_id = b.run_id AND x.account_id = b.account_id AND x.state = 'blocked')
         ORDER BY r.created_at, b.seq LIMIT @n`,
      )
      .all({ now, n: this.claimed.size + 1 }) as { id: string }[];
    return rows.find((r) => !this.claimed.has(r.id))?.id ?? null;
  }

  private maybePoll(now: number): void {
    const at = this.store.trades.nextPollAt();
    // A split basket whose related trades are still unaccounted for is due on its own,
    // even when every known trade is final and nothing else needs polling.
    const relatedDue = this.nextRelatedScanAt() <= now;
    if (!relatedDue && (at === null || at > now)) return;
    this.polling = true;
    this.spawn(
      this.pollDue()
        .catch((error: unknown) => this.logger.error('trade poll failed', { error }))
        .finally(() => {
          this.polling = false;
          this.requestPump();
        }),
    );
  }

  private maybeProcessArmed(now: number): void {
    const armed = this.store.runs
      .listByStates(['armed'])
      .filter((r) => (this.armedRetryAt.get(r.id) ?? 0) <= now);
    if (armed.length === 0) return;
    this.armedBusy = true;
    this.spawn(
      this.processArmed(armed.map((r) => r.id))
        .catch((error: unknown) => this.logger.error('armed plans failed', { error }))
        .finally(() => {
          this.armedBusy = false;
          this.requestPump();
        }),
    );
  }

  private nextRelatedScanAt(): number {
    let next = Infinity;
    for (const at of this.relatedScanAt.values()) next = Math.min(next, at);
    return next;
  }

  private armTimer(now: number): void {
    const candidates: number[] = [];
    const q = (sql: string, ...args: unknown[]) =>
      (this.store.ctx.stmt(sql).get(...args) as { t: number | null }).t;
    if (this.online) {
      const t1 = q(
        `SELECT MIN(MAX(COALESCE(b.next_attempt_at, 0), COALESCE(r.wait_until, 0))) AS t FROM batches b JOIN runs r ON r.id = b.run_id
         WHERE b.state = 'queued' AND (r.state IN ('running','attention','waiting') OR (r.state = 'canceled' AND b.rotate_pending = 1))`,
      );
      if (t1 !== null) candidates.push(t1);
      const t2 = q(
        `SELECT MIN(COALESCE(next_attempt_at, 0)) AS t FROM batches WHERE state = 'unknown'`,
      );
      if (t2 !== null) candidates.push(t2);
      const t3 = this.store.trades.nextPollAt();
      if (t3 !== null) candidates.push(t3);
      if (this.relatedScanAt.size > 0) candidates.push(this.nextRelatedScanAt());
      for (const at of this.armedRetryAt.values()) candidates.push(at);
      if (this.netTrouble) candidates.push(this.netTrouble.until);
    }
    const t4 = q(
      `SELECT MIN(wait_until) AS t FROM runs WHERE state = 'waiting' AND wait_until IS NOT NULL`,
    );
    if (t4 !== null) candidates.push(t4);
    const future = candidates.filter((t) => t > now);
    if (future.length === 0) return;
    const at = Math.min(...future);
    if (this.timer && this.timerAt <= at) return;
    this.timer?.abort();
    const timer = new AbortController();
    this.timer = timer;
    this.timerAt = at;
    this.clock.sleep(Math.max(1, at - now), timer.signal).then(
      () => {
        if (this.timer === timer) {
          this.timer = null;
          this.timerAt = Infinity;
        }
        this.requestPump();
      },
      () => undefined,
    );
  }

  private spawn(task: Promise<unknown>): void {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  /** Runs a batch step; a race (StaleBatchError) ends it quietly, a bug leaves the batch safe to reconcile. */
  private async guard(batchId: string, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (error instanceof StaleBatchError || this.stopped) return;
      this.logger.error('engine step failed', { batchId, error });
      try {
        this.store.events.append({
          kind: 'engine:error',
          batchId,
          payload: { message: error instanceof Error ? error.message : String(error) },
        });
        const b = this.store.batches.get(batchId);
        if (b?.state === 'sending') {
          this.transition(batchId, {
            to: 'unknown',
            from: ['sending'],
            reason: 'engine error after sending',
            patch: { nextAttemptAt: this.clock.now() + this.timing.lookupBaseMs },
          });
        }
      } catch {
        // The store is gone (shutdown); the next start reconciles.
      }
    }
  }

  // ── Sending ───────────────────────────────────────────────────────────────

  /** Checked again when a batch written ahead gets its slot: the answer before it may have changed things. */
  private mayStillSend(b: BatchRecord): boolean {
    if (this.stopped || !this.online || this.authBlocked) return false;
    const now = this.clock.now();
    if (this.netTrouble && now < this.netTrouble.until) return false;
    const run = this.store.runs.get(b.runId);
    return (
      !!run &&
      ACTIVE_RUN_STATES.includes(run.state) &&
      (run.waitUntil === null || run.waitUntil <= now) &&
      !this.store.batches.accountBlocked(b.runId, b.accountId)
    );
  }

  private async sendBatch(batchId: string, leave: () => void): Promise<void> {
    let b = this.store.batches.get(batchId);
    if (!b || b.state !== 'queued') return;
    if (b.rotatePending) {
      const next = await this.startNextAttempt(b);
      if (!next || this.stopped) return;
      b = next;
    }
    if (this.store.runs.get(b.runId)?.state === 'canceled') {
      // Canceled while its previous attempt was being proven not live: now it can go.
      this.afterRequeue(b.id);
      return;
    }
    if (!this.mayStillSend(b)) return;
    let sendId = 0;
    b = this.transition(b.id, {
      to: 'sending',
      from: ['queued'],
      reason: 'write-ahead',
      durable: true,
      patch: { sentAt: this.iso(), nextAttemptAt: null },
      also: (before) => {
        sendId = this.store.batches.recordSend(before);
      },
    });
    const release = await this.takeSlot();
    const releaseAll = () => {
      release();
      leave();
    };
    try {
      if (this.stopped || !this.mayStillSend(b)) {
        this.withdrawUnsent(b, sendId);
        return;
      }
      await this.sendAndApply(b, sendId, false, releaseAll);
    } finally {
      releaseAll();
    }
  }

  /** A batch written ahead that did not leave (paused, offline, stopping): back to queued, as it was. */
  private withdrawUnsent(b: BatchRecord, sendId: number): void {
    if (!this.store.isOpen) return;
    this.transition(b.id, {
      to: 'queued',
      from: ['sending'],
      reason: 'written ahead, not sent',
      also: () => this.store.batches.recordOutcome(sendId, { kind: 'not-sent', key: null }),
      patch: { sentAt: null },
    });
    this.afterRequeue(b.id);
  }

  private async sendAndApply(
    b: BatchRecord,
    sendId: number,
    resend: boolean,
    release: () => void = () => undefined,
  ): Promise<void> {
    const info: EngineHookInfo = {
      batchId: b.id,
      runId: b.runId,
      seq: b.seq,
      attempt: b.attempt,
      externalId: b.externalId,
      resend,
    };
    await this.hooks.afterWriteAhead?.(info);
    if (this.stopped) return;
    this.outcomesPending++;
    try {
      const outcome = await this.exchange(b, release);
      if (this.stopped) return;
      await this.hooks.afterResponse?.({ ...info, outcome: outcome.kind });
      if (this.stopped) return;
      this.noteReachability(outcome);
      await this.applySellOutcome(b, sendId, outcome, resend);
      this.answersSinceCheckpoint++;
    } finally {
      this.outcomesPending--;
    }
  }

  /**
   * One sell on the wire. A 200 is a created trade (api §4.2): its slot is
   * free at the answer's head, and reading its body and writing its trade
   * wait for quiet turns, so other answers' heads are read first. Any other
   * answer is read at once: it may pause the run or block the account before
   * the next send.
   */
  private async exchange(b: BatchRecord, release: () => void): Promise<ApiOutcome<Trade>> {
    const flight = this.turns.track();
    let created = false;
    let outcome: ApiOutcome<Trade>;
    try {
      outcome = await this.client.sell(JSON.parse(b.requestBody) as SellRequest, {
        signal: this.abort.signal,
        onIssued: flight.issued,
        onSent: flight.sent,
        onAnswerHead: (status) => {
          flight.answered();
          created = status === 200;
          if (created) release();
        },
        beforeParse: () => (created ? this.turns.turn() : undefined),
      });
    } finally {
      flight.ended();
    }
    if (outcome.kind === 'ok' && !this.stopped) {
      release();
      await this.turns.turn();
    }
    return outcome;
  }

  /** api §8 retry matrix, first send (`sending`) or the once-only resend of an ambiguous one (`unknown`). */
  private async applySellOutcome(
    b: BatchRecord,
    sendId: number,
    outcome: ApiOutcome<Trade>,
    resend: boolean,
  ): Promise<void> {
    const from = resend ? (['unknown'] as const) : (['sending'] as const);
    const now = this.clock.now();
    const record = () =>
      this.store.batches.recordOutcome(sendId, {
        kind: outcome.kind,
        key: 'key' in outcome ? (outcome.key ?? null) : null,
      });
    const d = decideSell(outcome);
    const errorPatch = (key: string | null, message: string): Omit<BatchPatch, 'state'> => ({
      lastErrorKey: key,
      lastErrorMessage: message,
    });

    switch (d.do) {
      case 'adopt':
        this.adopt(b.id, from, d.trade, 'created by this request', record);
        return;
      case 'resend-same': {
        if (!resend) {
          this.transition(b.id, {
            to: 'queued',
            from,
            reason: `not sent: ${d.reason}`,
            also: record,
            patch: {
              ...errorPatch('NOT_SENT', d.reason),
              retryStreak: b.retryStreak + 1,
              nextAttemptAt: this.netTrouble?.until ?? now + this.timing.notSentRetryMs,
              message: 'AssetPay could not be reached; the same request will be sent again.',
            },
          });
          this.afterRequeue(b.id);
        } else {
          this.stayUnknown(b, `resend not sent: ${d.reason}`, record);
        }
        return;
      }
      case 'reconcile':
        if (!resend) {
          this.transition(b.id, {
            to: 'unknown',
            from,
            reason: `ambiguous: ${d.reason}`,
            also: record,
            patch: {
              ...errorPatch('AMBIGUOUS', d.reason),
              nextAttemptAt: now + this.timing.resendDelayMs,
              message:
                'No clear answer from AssetPay; checking whether the sell went through before doing anything else.',
            },
          });
        } else {
          record();
          await this.lookupAndSettle(b, from, null, 'resend also ambiguous');
        }
        return;
      case 'throttled': {
        const wait =
          d.retryAfterMs ??
          backoffMs(b.retryStreak, {
            baseMs: this.timing.backoffBaseMs,
            capMs: this.timing.backoffCapMs,
            random: this.random,
          });
        if (!resend) {
          this.transition(b.id, {
            to: 'queued',
            from,
            reason: `throttled: ${d.key}`,
            also: record,
            patch: {
              ...errorPatch(d.key, 'rate limited'),
              retryStreak: b.retryStreak + 1,
              nextAttemptAt: now + wait,
              message: 'Rate limited by AssetPay; waiting before sending the same request again.',
            },
          });
          this.afterRequeue(b.id);
        } else {
          this.stayUnknown(b, `resend throttled (${d.key})`, record, now + wait);
        }
        return;
      }
      case 'backoff-same': {
        const wait = backoffMs(b.retryStreak, {
          baseMs: this.timing.backoffBaseMs,
          capMs: this.timing.backoffCapMs,
          random: this.random,
        });
        if (!resend) {
          this.transition(b.id, {
            to: 'queued',
            from,
            reason: `${d.key}: back off`,
            also: record,
            patch: {
              ...errorPatch(d.key, d.message),
              retryStreak: b.retryStreak + 1,
              nextAttemptAt: now + wait,
              message: `${d.key}: AssetPay asked to retry shortly; the same request will be sent again.`,
            },
          });
          this.afterRequeue(b.id);
        } else {
          // api §8 step 2: DEPOSIT_IN_PROGRESS → the first attempt is still being processed: wait, then look it up.
          this.stayUnknown(b, `resend refused (${d.key}); looking up later`, record, now + wait);
        }
        return;
      }
      case 'lookup-adopt':
        record();
        await this.lookupAndSettle(b, from, null, 'EXTERNAL_ID_EXISTS');
        return;
      case 'review':
      case 'wait-run':
      case 'next-attempt':
      case 'block':
        if (!resend) {
          this.applyRefusal(b.id, from, d, record);
        } else if (d.do === 'block' && d.cause === 'key') {
          this.blockAuth(d.key, d.message, b.runId);
          this.stayUnknown(b, `resend refused: ${d.key}`, record);
        } else {
          // api §8 step 2: any other definitive error → look up; found → adopt; not found → the batch was not created.
          record();
          await this.lookupAndSettle(b, from, d, `resend refused: ${d.key}`);
        }
        return;
    }
  }

  /** A definitive refusal of a request that created no live trade. */
  private applyRefusal(
    batchId: string,
    from: readonly ('sending' | 'unknown' | 'queued')[],
    d: SellDecision,
    also?: () => void,
  ): void {
    const now = this.clock.now();
    const b = this.store.batches.require(batchId);
    switch (d.do) {
      case 'review': {
        this.transition(batchId, {
          to: 'needs-review',
          from,
          reason: `${d.key}: needs review`,
          also,
          payload: { key: d.key, details: d.details },
          patch: {
            rotatePending: true,
            retryStreak: 0,
            nextAttemptAt: null,
            lastErrorKey: d.key,
            lastErrorMessage: d.message,
            lastErrorDetails: d.details,
            message: d.message,
            nextActions: d.actions,
          },
        });
        this.emit({
          type: 'attention',
          runId: b.runId,
          title: `Batch ${b.seq} needs review`,
          body: d.message,
        });
        this.afterRequeue(batchId);
        return;
      }
      case 'wait-run': {
        const run = this.store.runs.require(b.runId);
        const waitUntil = Math.max(
          run.waitUntil ?? 0,
          now +
            backoffMs(run.waitStreak, {
              baseMs: this.timing.waitBaseMs,
              capMs: this.timing.waitCapMs,
              random: this.random,
            }),
        );
        this.waitReasons.set(b.runId, d.message);
        this.transition(batchId, {
          to: 'queued',
          from,
          reason: `${d.key}: run waits`,
          also: () => {
            also?.();
            this.store.runs.patch(b.runId, { waitUntil, waitStreak: run.waitStreak + 1 });
          },
          patch: {
            rotatePending: true,
            nextAttemptAt: waitUntil,
            lastErrorKey: d.key,
            lastErrorMessage: d.message,
            message: `${d.message} A new attempt follows once the previous one is proven not live.`,
          },
        });
        this.afterRequeue(batchId);
        return;
      }
      case 'next-attempt': {
        if (b.attempt >= this.timing.maxAutoAttempts) {
          this.applyRefusal(
            batchId,
            from,
            {
              do: 'review',
              key: d.key,
              message: `${d.message} It failed ${b.attempt} times; retry when Steam works again, or skip.`,
              actions: ['retry', 'skip'],
              details: null,
              autoRetry: false,
            },
            also,
          );
          return;
        }
        this.transition(batchId, {
          to: 'queued',
          from,
          reason: `${d.key}: next attempt`,
          also,
          patch: {
            rotatePending: true,
            retryStreak: b.retryStreak + 1,
            nextAttemptAt:
              now +
              backoffMs(b.retryStreak, {
                baseMs: this.timing.backoffBaseMs,
                capMs: this.timing.backoffCapMs,
                random: this.random,
              }),
            lastErrorKey: d.key,
            lastErrorMessage: d.message,
            message: d.message,
          },
        });
        this.afterRequeue(batchId);
        return;
      }
      case 'block': {
        this.transition(batchId, {
          to: 'blocked',
          from,
          reason: `${d.key}: blocked`,
          also,
          patch: {
            // A refused key never reached the sell logic: the same body may go again. An account fix changes the body: new attempt.
            rotatePending: d.cause === 'account',
            nextAttemptAt: null,
            lastErrorKey: d.key,
            lastErrorMessage: d.message,
            message: d.message,
            nextActions: d.actions,
          },
        });
        if (d.cause === 'key') this.blockAuth(d.key, d.message, b.runId);
        else
          this.emit({
            type: 'attention',
            runId: b.runId,
            title: 'A Steam account needs fixing',
            body: d.message,
          });
        this.afterRequeue(batchId);
        this.refreshRunState(b.runId);
        return;
      }
      default:
        throw new Error(`applyRefusal: unexpected decision ${d.do}`);
    }
  }

  private stayUnknown(b: BatchRecord, reason: string, also?: () => void, at?: number): void {
    const cur = this.store.batches.require(b.id);
    this.transition(b.id, {
      to: 'unknown',
      from: ['unknown', 'sending'],
      reason,
      also,
      patch: {
        retryStreak: cur.retryStreak + 1,
        nextAttemptAt: at ?? this.clock.now() + this.lookupDelay(cur.retryStreak),
      },
    });
  }

  private lookupDelay(streak: number): number {
    return backoffMs(streak, {
      baseMs: this.timing.lookupBaseMs,
      capMs: this.timing.lookupCapMs,
      random: this.random,
    });
  }

  /** After a batch came back unsent: if its run was canceled meanwhile, it is canceled (or skipped) instead of resent. */
  private afterRequeue(batchId: string): void {
    const b = this.store.batches.get(batchId);
    if (!b || this.store.runs.get(b.runId)?.state !== 'canceled') return;
    if (b.state === 'queued') {
      this.transition(batchId, {
        to: 'canceled',
        from: ['queued'],
        reason: 'run canceled',
        patch: { message: 'Canceled: not sold.', nextActions: [] },
      });
    } else if (b.state === 'needs-review' || b.state === 'blocked') {
      this.transition(batchId, {
        to: 'skipped',
        from: ['needs-review', 'blocked'],
        reason: 'run canceled',
        patch: { message: 'Skipped: the run was canceled.', nextActions: [] },
      });
    }
  }

  // ── Reconciliation (api §8 "Procedure after a network failure") ─────────

  private async reconcileBatch(batchId: string): Promise<void> {
    const b = this.store.batches.get(batchId);
    if (!b || b.state !== 'unknown' || this.stopped) return;
    // Step 2: resend the identical body with the same externalId, once.
    if (this.store.batches.sendCount(b.externalId) < 2) {
      let sendId = 0;
      const cur = this.transition(batchId, {
        to: 'unknown',
        from: ['unknown'],
        reason: 'resend once with the same externalId',
        durable: true,
        patch: { sentAt: this.iso(), nextAttemptAt: null },
        also: (before) => {
          sendId = this.store.batches.recordSend(before);
        },
      });
      await this.sendAndApply(cur, sendId, true);
      return;
    }
    // Step 3: look it up.
    await this.lookupAndSettle(b, ['unknown'], null, 'look up by externalId');
  }

  private async lookup(externalId: string): Promise<Lookup> {
    const r = await this.client.getTrades([externalId], { signal: this.abort.signal });
    this.noteReachability(r);
    if (r.kind !== 'ok') return { kind: 'failed', outcome: r };
    const trade = r.data.trades.find((t) => t.externalId === externalId || t.id === externalId);
    return trade ? { kind: 'found', trade } : { kind: 'missing' };
  }

  /**
   * Looks the batch's current externalId up and settles what it can:
   * a live (or completed) trade is adopted; a failed/canceled/declined one
   * proves the attempt dead (next attempt); nothing found means not created
   * (apply `ifMissing`), unless the request may still be in flight.
   */
  private async lookupAndSettle(
    b: BatchRecord,
    from: readonly ('sending' | 'unknown')[],
    ifMissing: SellDecision | null,
    why: string,
  ): Promise<void> {
    const found = await this.lookup(b.externalId);
    if (this.stopped) return;
    const now = this.clock.now();
    if (found.kind === 'failed') {
      if (found.outcome.kind === 'auth')
        this.blockAuth(
          found.outcome.key,
          `AssetPay refused the API key (${found.outcome.key}). Enter a valid key in Settings.`,
          b.runId,
        );
      this.stayUnknown(b, `${why}; lookup failed: ${describeOutcome(found.outcome)}`);
      return;
    }
    if (found.kind === 'found') {
      const t = found.trade;
      if (FAILED_STATUSES.has(t.status)) {
        // Proven not live: the attempt is over (api §8 note). Keep the record as history.
        const record = () => this.recordTrade(t, b, null);
        if (ifMissing && ifMissing.do !== 'reconcile') {
          this.applyRefusal(b.id, from, ifMissing, record);
        } else {
          this.rotate(b.id, from, `attempt ${b.attempt} ended ${t.status}`, record, now);
        }
        return;
      }
      this.adopt(b.id, from, t, `adopted by lookup (${why})`);
      return;
    }
    // Missing.
    if (ifMissing) {
      this.applyRefusal(b.id, from, ifMissing);
      return;
    }
    const sentAt = b.sentAt ? Date.parse(b.sentAt) : 0;
    const mayBeInFlight = now - sentAt < this.timing.inFlightWindowMs;
    if (mayBeInFlight || from.includes('sending')) {
      this.stayUnknown(b, `${why}: not found yet, the request may still be in flight`);
      return;
    }
    // Not created and no request can still land: sending the same externalId again is safe (it is unique).
    this.transition(b.id, {
      to: 'queued',
      from,
      reason: 'proven not created; same externalId again',
      patch: {
        nextAttemptAt: now,
        retryStreak: 0,
        message: 'AssetPay has no trade for this batch; sending the same request again.',
      },
    });
    this.afterRequeue(b.id);
  }

  /**
   * Before a new attempt (rotatePending): prove the current externalId is not
   * live, then move to attempt + 1 with a rebuilt body. Returns the batch ready
   * to send, or null when it went elsewhere (adopted, rescheduled…).
   */
  private async startNextAttempt(b: BatchRecord): Promise<BatchRecord | null> {
    const found = await this.lookup(b.externalId);
    if (this.stopped) return null;
    const now = this.clock.now();
    if (found.kind === 'failed') {
      if (found.outcome.kind === 'auth') {
        this.blockAuth(
          found.outcome.key,
          `AssetPay refused the API key (${found.outcome.key}). Enter a valid key in Settings.`,
          b.runId,
        );
        return null;
      }
      this.transition(b.id, {
        to: 'queued',
        from: ['queued'],
        reason: `proof lookup failed: ${describeOutcome(found.outcome)}`,
        patch: {
          retryStreak: b.retryStreak + 1,
          nextAttemptAt: now + this.lookupDelay(b.retryStreak),
        },
      });
      return null;
    }
    if (found.kind === 'found' && !FAILED_STATUSES.has(found.trade.status)) {
      this.adopt(b.id, ['queued'], found.trade, 'the previous attempt turned out live');
      return null;
    }
    const record =
      found.kind === 'found' ? () => this.recordTrade(found.trade, b, null) : undefined;
    return this.rotate(
      b.id,
      ['queued'],
      found.kind === 'found'
        ? `attempt ${b.attempt} ended ${found.trade.status}`
        : `attempt ${b.attempt} not found`,
      record,
      now,
    );
  }

  /** attempt + 1: new externalId, body rebuilt from the batch's items and the account's trade URL. */
  private rotate(
    batchId: string,
    from: readonly ('sending' | 'unknown' | 'queued')[],
    reason: string,
    also: (() => void) | undefined,
    at: number,
  ): BatchRecord | null {
    const b = this.store.batches.require(batchId);
    const items = this.store.batches.items(batchId);
    if (items.length === 0) {
      this.transition(batchId, {
        to: 'queued',
        from,
        reason,
        also,
        patch: { rotatePending: false },
      });
      this.transition(batchId, {
        to: 'skipped',
        from: ['queued'],
        reason: 'no item left',
        patch: { message: 'No item left to sell in this batch.', nextActions: [] },
      });
      return null;
    }
    const attempt = b.attempt + 1;
    const externalId = externalIdFor(b.id, attempt);
    const account = this.store.accounts.get(b.accountId);
    const body = buildSellRequest({
      tradeUrl: account?.tradeUrl ?? '',
      game: b.game,
      externalId,
      isInstant: b.isInstant,
      items: items.map((i) => ({ itemId: i.itemId, priceUsd: i.priceUsd, amount: i.amount })),
    });
    if (!body.ok) {
      this.transition(batchId, {
        to: 'blocked',
        from,
        reason: `cannot build attempt ${attempt}: ${body.reason}`,
        also,
        patch: {
          rotatePending: true,
          lastErrorKey: body.reason,
          lastErrorMessage: body.message,
          message: `${body.message} Fix the account, then retry.`,
          nextActions: ['fix-account', 'retry', 'skip'],
        },
      });
      this.refreshRunState(b.runId);
      return null;
    }
    return this.transition(batchId, {
      to: 'queued',
      from,
      reason: `${reason}; attempt ${attempt}`,
      also,
      payload: { previousExternalId: b.externalId },
      patch: {
        attempt,
        externalId,
        requestBody: body.text,
        itemCount: items.length,
        totalCents: items.reduce((s, i) => s + i.priceCents * i.amount, 0),
        rotatePending: false,
        nextAttemptAt: Math.max(at, b.nextAttemptAt ?? 0),
      },
    });
  }

  // ── Adoption and tracking ────────────────────────────────────────────────

  private recordTrade(t: Trade, b: BatchRecord, parentTradeId: string | null): void {
    const res = this.store.trades.record(t, {
      batchId: b.id,
      runId: b.runId,
      attempt: b.attempt,
      accountId: b.accountId,
      parentTradeId,
    });
    const cur = this.store.trades.get(t.id)!;
    const { nextPollAt, watchUntil } = nextPoll(
      res.status,
      this.clock.now(),
      this.timing,
      cur.holdEndDate,
      cur.watchUntil,
    );
    this.store.trades.setPolling(t.id, nextPollAt, watchUntil);
  }

  /** The batch's trade exists: store it and every relatedTrades id (api §4.2), then track. */
  private adopt(
    batchId: string,
    from: readonly ('sending' | 'unknown' | 'queued')[],
    trade: Trade,
    reason: string,
    also?: () => void,
  ): void {
    const b = this.store.batches.require(batchId);
    const related = trade.relatedTrades ?? [];
    this.transition(batchId, {
      to: 'created',
      from,
      reason,
      payload: { tradeId: trade.id, related: related.map((r) => r.id), status: trade.status },
      also: () => {
        also?.();
        this.recordTrade(trade, b, null);
        for (const r of related) this.recordTrade(r as Trade, b, trade.id);
        if (this.store.runs.get(b.runId)?.waitStreak)
          this.store.runs.patch(b.runId, { waitStreak: 0 });
      },
      patch: {
        rotatePending: false,
        retryStreak: 0,
        nextAttemptAt: null,
        message: null,
        nextActions: [],
      },
    });
    this.transition(batchId, { to: 'tracking', from: ['created'], reason: 'tracking its trades' });
    this.emit({ type: 'trade-updated', runId: b.runId, tradeId: trade.id });
    for (const r of related) this.emit({ type: 'trade-updated', runId: b.runId, tradeId: r.id });
    if (this.unaccountedItems(batchId).length > 0) this.relatedScanAt.set(batchId, 0);
    this.settleIfDone(batchId);
    this.requestPump();
  }

  /** Active items of a tracking batch that none of its current trades holds (a split basket seen only by lookup). */
  private unaccountedItems(batchId: string): string[] {
    const b = this.store.batches.get(batchId);
    if (!b) return [];
    const rows = this.store.ctx
      .stmt(
        `SELECT bi.item_id FROM batch_items bi WHERE bi.batch_id = ? AND bi.dropped_reason IS NULL
         AND NOT EXISTS (SELECT 1 FROM trades t JOIN trade_items ti ON ti.trade_id = t.id AND ti.item_id = bi.item_id WHERE t.batch_id = bi.batch_id AND t.attempt = ?)`,
      )
      .all(batchId, b.attempt) as { item_id: string }[];
    return rows.map((r) => r.item_id);
  }

  /**
   * api §8 step 4: a lookup by externalId returns only the primary trade of a
   * split basket; the others are found in GET /secure/trades by account and items.
   */
  private async scanRelated(batchId: string): Promise<void> {
    const b = this.store.batches.get(batchId);
    if (!b) return;
    let missing = new Set(this.unaccountedItems(batchId));
    if (missing.size === 0) return;
    const primary = this.store.trades
      .byBatch(batchId, b.attempt)
      .find((t) => t.parentTradeId === null);
    const account = this.store.accounts.get(b.accountId);
    if (!primary || !account) return;
    const since =
      Date.parse(
        this.store.ctx
          .stmt('SELECT MIN(sent_at) AS t FROM batch_attempts WHERE external_id = ?')
          .pluck()
          .get(b.externalId) as string,
      ) - 120_000;
    let cursor: string | undefined;
    for (let page = 0; page < this.timing.relatedScanPages && missing.size > 0; page++) {
      const r = await this.client.listTrades({
        game: b.game,
        type: 'deposit',
        limit: 100,
        ...(cursor ? { cursor } : {}),
        signal: this.abort.signal,
      });
      if (this.stopped) return;
      this.noteReachability(r);
      if (r.kind !== 'ok') return;
      let older = false;
      this.store.transaction(() => {
        for (const t of r.data.items) {
          if (Date.parse(t.createdAt) < since) older = true;
          if (t.clientTradeUrl !== account.tradeUrl && t.clientSteamID !== account.steamId64)
            continue;
          if (t.externalId !== undefined && t.externalId !== b.externalId) continue;
          if (this.store.trades.get(t.id)?.batchId) continue;
          if (!t.items.some((i) => missing.has(i.id))) continue;
          this.recordTrade(t, b, primary.id);
          this.store.events.append({
            kind: 'trade:related-found',
            runId: b.runId,
            batchId,
            tradeId: t.id,
            payload: { parent: primary.id },
          });
          this.emit({ type: 'trade-updated', runId: b.runId, tradeId: t.id });
        }
      });
      missing = new Set(this.unaccountedItems(batchId));
      if (older || !r.data.nextCursor) break;
      cursor = r.data.nextCursor;
    }
    if (missing.size === 0) {
      this.relatedScanAt.delete(batchId);
      this.settleIfDone(batchId);
    } else {
      this.relatedScanAt.set(batchId, this.clock.now() + this.timing.missingPollMs);
    }
  }

  private settleIfDone(batchId: string): void {
    const b = this.store.batches.get(batchId);
    if (!b || b.state !== 'tracking') return;
    const trades = this.store.trades.byBatch(batchId, b.attempt);
    if (trades.length === 0 || trades.some((t) => IN_FLIGHT_STATUSES.has(t.status))) return;
    if (this.unaccountedItems(batchId).length > 0) return;
    const statuses: Record<string, number> = {};
    for (const t of trades) statuses[t.status] = (statuses[t.status] ?? 0) + 1;
    this.transition(batchId, {
      to: 'settled',
      from: ['tracking'],
      reason: 'every trade is final',
      payload: { statuses },
    });
  }

  private async pollDue(): Promise<void> {
    const now = this.clock.now();
    const due = this.store.trades.due(now, 100);
    for (const [batchId, at] of [...this.relatedScanAt]) {
      if (at <= now && !this.stopped) await this.scanRelated(batchId);
    }
    if (due.length === 0) return;
    const r = await this.client.getTrades(
      due.map((t) => t.id),
      { signal: this.abort.signal },
    );
    if (this.stopped) return;
    this.noteReachability(r);
    const later = this.clock.now();
    if (r.kind !== 'ok') {
      this.store.transaction(() => {
        for (const t of due)
          this.store.trades.setPolling(
            t.id,
            later + Math.min(this.timing.activePollMs, this.timing.missingPollMs),
          );
      });
      return;
    }
    const changed: { tradeId: string; runId: string | null; batchId: string | null }[] = [];
    this.store.transaction(() => {
      const byId = new Map(r.data.trades.map((t) => [t.id, t]));
      for (const t of due) {
        const fresh = byId.get(t.id);
        if (!fresh) {
          this.store.trades.setPolling(t.id, later + this.timing.missingPollMs);
          continue;
        }
        const res = this.store.trades.record(fresh, {
          batchId: null,
          runId: null,
          attempt: null,
          accountId: null,
        });
        const cur = this.store.trades.get(t.id)!;
        const next = nextPoll(cur.status, later, this.timing, cur.holdEndDate, cur.watchUntil);
        this.store.trades.setPolling(t.id, next.nextPollAt, next.watchUntil);
        if (res.result === 'updated') {
          this.store.events.append({
            kind: `trade:${res.previous}->${res.status}`,
            runId: t.runId,
            batchId: t.batchId,
            tradeId: t.id,
            payload: { updatedAt: fresh.updatedAt },
          });
          changed.push({ tradeId: t.id, runId: t.runId, batchId: t.batchId });
        }
      }
    });
    const batches = new Set<string>();
    for (const t of due) if (t.batchId) batches.add(t.batchId);
    for (const c of changed) {
      if (c.runId) this.emit({ type: 'trade-updated', runId: c.runId, tradeId: c.tradeId });
      if (c.runId) this.emit({ type: 'run-progress', runId: c.runId });
    }
    for (const batchId of batches) {
      const b = this.store.batches.get(batchId);
      if (b?.state === 'tracking') {
        if (this.unaccountedItems(batchId).length > 0 && !this.relatedScanAt.has(batchId))
          this.relatedScanAt.set(batchId, later);
        this.settleIfDone(batchId);
      } else if (b && changed.some((c) => c.batchId === batchId)) {
        this.emit({ type: 'batch-updated', runId: b.runId, batchId });
      }
    }
  }

  // ── Review fixes ─────────────────────────────────────────────────────────

  private async repairItems(
    b: BatchRecord,
  ): Promise<{ dropped: { itemId: string; reason: string }[]; repriced: number }> {
    const account = this.store.accounts.require(b.accountId);
    const outcome = await this.client.getInventory(account.tradeUrl, b.game, {
      refresh: true,
      signal: this.abort.signal,
    });
    this.noteReachability(outcome);
    if (outcome.kind !== 'ok') {
      throw new AppError(
        outcome.kind === 'not-sent' ? 'offline' : 'api-error',
        `Could not re-check the inventory: ${describeOutcome(outcome)}`,
        { reason: 'inventory-fetch-failed' },
      );
    }
    this.store.inventory.replaceSnapshot(b.accountId, b.game, outcome.data.items, this.iso(), {
      count: outcome.data.count,
      apiUpdatedAt: outcome.data.updatedAt,
    });
    const items = this.store.batches.items(b.id);
    const inv = this.store.inventory.getItems(
      b.accountId,
      b.game as GameId,
      items.map((i) => i.itemId),
    );
    const tolerance = this.store.plans.get(b.planId)?.options.priceToleranceBp ?? 0;
    const overstock =
      b.lastErrorKey === 'ITEM_OVERSTOCKED'
        ? overstockedItems(b.lastErrorDetails)
        : new Map<string, number>();
    const dropped: { itemId: string; reason: string }[] = [];
    let repriced = 0;
    this.store.transaction(() => {
      for (const item of items) {
        const row = inv.get(item.itemId);
        const drop = (reason: string) => {
          dropped.push({ itemId: item.itemId, reason });
          this.store.batches.updateItem(b.id, item.itemId, { droppedReason: reason });
        };
        if (!row || !row.tradable || row.priceUsd <= 0) {
          drop('unavailable');
          continue;
        }
        if (!row.accepted) {
          drop('not-accepted');
          continue;
        }
        const over = overstock.get(item.itemId);
        let amount = Math.min(item.amount, row.amount, row.maxAmount ?? Number.MAX_SAFE_INTEGER);
        if (over !== undefined) amount = Math.min(amount, over);
        if (amount < 1) {
          drop(over !== undefined ? 'overstocked' : 'no-units-left');
          continue;
        }
        if (row.priceCents !== item.priceCents || row.priceUsd !== item.priceUsd) {
          if (!withinTolerance(item.priceCents, row.priceCents, tolerance)) {
            drop('price-dropped-beyond-tolerance');
            continue;
          }
          repriced++;
        }
        this.store.batches.updateItem(b.id, item.itemId, {
          priceUsd: row.priceUsd,
          priceCents: row.priceCents,
          amount,
        });
      }
      this.store.events.append({
        kind: 'batch:repaired',
        runId: b.runId,
        batchId: b.id,
        payload: { dropped, repriced },
      });
    });
    return { dropped, repriced };
  }

  // ── Runs ────────────────────────────────────────────────────────────────

  /** Validates a plan and writes its run and batches (inside the caller's transaction). */
  private materializeRun(
    planId: string,
    confirmation: SellConfirmation,
    existingRunId: string | null,
  ): string {
    if (this.store.plans.status(planId) === 'archived')
      throw new AppError('conflict', 'This plan is archived.', { reason: 'plan-archived' });
    if (confirmation.planId !== planId)
      throw new AppError('invalid-request', 'The confirmation is for another plan.', {
        reason: 'confirmation-mismatch',
      });
    const pf = this.store.preflights.get(confirmation.preflightId);
    if (!pf || pf.planId !== planId) {
      throw new AppError(
        'conflict',
        'Run the pre-flight price check and accept it before selling.',
        { reason: 'preflight-required' },
      );
    }
    if (!pf.acceptedAt || !pf.confirmation) {
      throw new AppError('conflict', 'Accept the pre-flight price check before selling.', {
        reason: 'preflight-not-accepted',
      });
    }
    if (this.store.preflights.latestId(planId) !== pf.id) {
      throw new AppError('conflict', 'A newer pre-flight exists for this plan; accept it first.', {
        reason: 'preflight-superseded',
      });
    }
    if (this.store.plans.revision(planId) !== pf.planRevision) {
      throw new AppError(
        'conflict',
        'The plan changed after its prices were checked; run the pre-flight again.',
        { reason: 'plan-changed' },
      );
    }
    if (JSON.stringify(canonical(pf.confirmation)) !== JSON.stringify(canonical(confirmation))) {
      throw new AppError(
        'conflict',
        'The confirmation no longer matches the plan; review it again.',
        { reason: 'confirmation-mismatch' },
      );
    }
    if (this.clock.now() - Date.parse(pf.acceptedAt) > this.timing.preflightMaxAgeMs) {
      throw new AppError('conflict', 'The price check is too old; run the pre-flight again.', {
        reason: 'preflight-stale',
      });
    }
    if (
      this.store.runs
        .byPlan(planId)
        .some(
          (r) =>
            r.id !== existingRunId && (ACTIVE_RUN_STATES.includes(r.state) || r.state === 'paused'),
        )
    ) {
      throw new AppError('conflict', 'This plan is already being sold.', {
        reason: 'plan-already-running',
      });
    }
    // Group by group (one account and game at a time): a 100,000-item plan never sits in memory whole.
    const options = this.store.plans.optionsOf(planId);
    const groups = this.store.plans.groups(planId);
    if (groups.length === 0)
      throw new AppError('invalid-request', 'The plan has no items.', { reason: 'empty-plan' });
    if (options.batchSize > 250 || options.batchSize < 1) {
      const check = planBatches([], { batchSize: options.batchSize });
      if (!check.ok)
        throw new AppError('invalid-request', check.error.message, { reason: check.error.kind });
    }
    const dups = this.store.plans.duplicateItemIds(planId);
    if (dups.length) {
      throw new AppError(
        'invalid-request',
        `These items are in the plan more than once: ${dups.slice(0, 10).join(', ')}.`,
        { reason: 'duplicate-item', itemIds: dups },
      );
    }
    this.assertAccounts(groups.map((g) => g.accountId));
    const live = this.store.batches.liveItemIds(existingRunId);
    if (live.size > 0) {
      const conflicts = this.store.plans.itemIds(planId).filter((id) => live.has(id));
      if (conflicts.length) this.throwLiveConflicts(conflicts, existingRunId);
    }
    const runId = existingRunId ?? this.newId();
    if (existingRunId) this.store.runs.patch(runId, { state: 'running', message: null });
    else this.store.runs.insert({ id: runId, planId, preflightId: pf.id, state: 'running' });
    if (existingRunId)
      this.store.ctx.stmt('UPDATE runs SET preflight_id = ? WHERE id = ?').run(pf.id, runId);
    const planned = {
      batches: BatchCreator.plannedBatches(groups, options.batchSize),
      items: groups.reduce((n, g) => n + g.count, 0),
      totalCents: groups.reduce((n, g) => n + g.totalCents, 0),
    };
    this.store.runs.setPlan(runId, planned);
    // The first requests' batches now; the rest while those are in flight (batch-creation.ts).
    this.batchCreator.begin(runId, planId, groups, options);
    this.batchCreator.createNext(runId, this.firstChunkBatches());
    this.store.plans.setStatus(planId, 'submitted');
    this.store.events.append({
      kind: 'run:created',
      planId,
      runId,
      payload: {
        preflightId: pf.id,
        batches: planned.batches,
        items: planned.items,
        totalCents: confirmation.totalCents,
      },
    });
    return runId;
  }

  /** Enough batches for the first sends; the ones written ahead behind them follow while those are in flight. */
  private firstChunkBatches(): number {
    return this.concurrency;
  }

  /** Later chunks are small: an answer that comes in meanwhile waits at most one of them. */
  private nextChunkBatches(): number {
    return this.concurrency;
  }

  /** Writes the pending batches of runs a chunk per turn of the event loop, so answers are read in between. */
  private scheduleBatchCreation(): void {
    this.turns.once('batch-creation', () => {
      if (this.stopped || !this.store.isOpen) return;
      let more = false;
      for (const run of this.store.runs.withBatchesPending()) {
        if (this.batchCreationFailed.has(run.id)) continue;
        try {
          const done = this.store.transaction(() =>
            this.batchCreator.createNext(run.id, this.nextChunkBatches()),
          );
          if (done) this.emit({ type: 'run-progress', runId: run.id });
          else more = true;
        } catch (error) {
          // Cannot happen for a plan that passed run creation; if it does, stop and say so.
          this.batchCreationFailed.add(run.id);
          this.logger.error('creating batches failed', { runId: run.id, error });
          this.setRunState(
            run.id,
            'attention',
            `Some batches could not be prepared: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      this.requestPump();
      if (more) this.scheduleBatchCreation();
    });
  }

  private assertAccounts(accountIds: readonly string[]): void {
    for (const id of new Set(accountIds)) {
      const account = this.store.accounts.get(id);
      if (!account || !this.store.accounts.isActive(id)) {
        throw new AppError('invalid-request', `Account ${id} does not exist.`, {
          reason: 'unknown-account',
          accountId: id,
        });
      }
      const url = parseTradeUrl(account.tradeUrl);
      if (!url.ok) {
        throw new AppError(
          'invalid-request',
          `The trade URL of “${account.label}” is invalid: ${url.reason}`,
          { reason: 'invalid-trade-url', accountId: id },
        );
      }
    }
  }

  private assertNoLiveConflicts(itemIds: readonly string[], exceptRunId: string | null): void {
    const live = this.store.batches.liveItemIds(exceptRunId);
    const hits = itemIds.filter((id) => live.has(id));
    if (hits.length) this.throwLiveConflicts(hits, exceptRunId);
  }

  private throwLiveConflicts(itemIds: readonly string[], exceptRunId: string | null): never {
    // The batches that hold them (an item of a run still being written may have none yet).
    const conflicts = this.store.batches.liveConflicts(itemIds, exceptRunId ? { exceptRunId } : {});
    const ids = [...new Set(itemIds)];
    throw new AppError(
      'conflict',
      `${ids.length} item(s) are already in a batch being sold or tracked: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}.`,
      {
        reason: 'items-in-live-batch',
        itemIds: ids,
        batches: [...new Set(conflicts.map((c) => c.batchId))],
      },
    );
  }

  private async processArmed(runIds: string[]): Promise<void> {
    for (const runId of runIds) {
      if (this.stopped || !this.online) return;
      const run = this.store.runs.get(runId);
      if (!run || run.state !== 'armed') continue;
      try {
        const diff = await this.runPreflight(run.planId, { summaryOnly: true });
        if (this.stopped) return;
        if (diff.needsConfirmation) {
          this.endArmed(
            runId,
            run.planId,
            'Not submitted: some prices changed beyond your tolerance or items are gone. Review the pre-flight and submit.',
          );
          continue;
        }
        const confirmation = this.acceptPreflight(run.planId, diff.preflightId, []);
        this.store.transaction(() => this.materializeRun(run.planId, confirmation, runId));
        this.scheduleBatchCreation();
        this.armedRetryAt.delete(runId);
        this.emit({ type: 'run-progress', runId });
      } catch (error) {
        if (
          error instanceof AppError &&
          (error.code === 'offline' ||
            (error.code === 'api-error' && error.details?.key !== 'INVALID_API_KEY'))
        ) {
          this.armedRetryAt.set(runId, this.clock.now() + this.timing.armedRetryMs);
          continue;
        }
        this.endArmed(
          runId,
          run.planId,
          `Not submitted: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private endArmed(runId: string, planId: string, message: string): void {
    this.store.transaction(() => {
      this.store.runs.patch(runId, { state: 'canceled', message });
      this.store.plans.setStatus(planId, 'draft');
      this.store.events.append({
        kind: 'run:armed-not-submitted',
        planId,
        runId,
        payload: { message },
      });
    });
    this.armedRetryAt.delete(runId);
    this.emit({ type: 'run-progress', runId });
    this.emit({
      type: 'attention',
      runId,
      title: 'An armed plan was not submitted',
      body: message,
    });
  }

  private setRunState(runId: string, state: RunState, message: string | null): void {
    const run = this.store.runs.require(runId);
    if (run.state === state && run.message === message) return;
    this.store.transaction(() => {
      this.store.runs.patch(runId, { state, message });
      this.store.events.append({
        kind: run.state === state ? `run:${state}` : `run:${run.state}->${state}`,
        planId: run.planId,
        runId,
        payload: { message },
      });
    });
    this.emit({ type: 'run-progress', runId });
  }

  /** Derives a run's state from its batches and the engine's conditions. */
  private refreshRunState(runId: string): void {
    const run = this.store.runs.get(runId);
    if (!run || run.state === 'canceled' || run.state === 'armed' || run.state === 'finished')
      return;
    const counts = this.store.batches.countByState(runId);
    let total = 0;
    let final = 0;
    for (const [state, n] of Object.entries(counts)) {
      total += n;
      if (FINAL_BATCH_STATES.includes(state as never)) final += n;
    }
    const review = counts['needs-review'] ?? 0;
    const blocked = counts.blocked ?? 0;
    const pendingWork = (counts.queued ?? 0) + (counts.unknown ?? 0) + (counts.sending ?? 0) > 0;
    const now = this.clock.now();
    let state: RunState;
    let message: string | null;
    if (total > 0 && final === total && !run.batchesPending) {
      state = 'finished';
      message = `Done: ${counts.settled ?? 0} batch(es) settled${counts.skipped ? `, ${counts.skipped} skipped` : ''}${counts.canceled ? `, ${counts.canceled} canceled` : ''}.`;
    } else if (run.state === 'paused') {
      return;
    } else if (this.authBlocked) {
      state = 'attention';
      message = this.authBlocked.message;
    } else if (review + blocked > 0) {
      state = 'attention';
      message = `${review ? `${review} batch(es) need review` : ''}${review && blocked ? ', ' : ''}${blocked ? `${blocked} blocked` : ''}: open the run to act. Other batches continue.`;
    } else if (!this.online && pendingWork) {
      state = 'waiting';
      message = 'Offline: the run waits and resumes by itself when the connection returns.';
    } else if (this.netTrouble && pendingWork) {
      state = 'waiting';
      message = 'AssetPay cannot be reached; retrying by itself.';
    } else if (run.waitUntil !== null && run.waitUntil > now) {
      state = 'waiting';
      message = `${this.waitReasons.get(runId) ?? 'Waiting before retrying.'} Next try at ${new Date(run.waitUntil).toISOString().slice(11, 19)} UTC.`;
    } else {
      state = 'running';
      message = null;
    }
    this.setRunState(runId, state, message);
  }

  private refreshActiveRuns(): void {
    for (const run of this.store.runs.listByStates(ACTIVE_RUN_STATES)) this.refreshRunState(run.id);
  }

  private refreshExpiredWaits(now: number): void {
    const rows = this.store.ctx
      .stmt(
        `SELECT id FROM runs WHERE state = 'waiting' AND wait_until IS NOT NULL AND wait_until <= ?`,
      )
      .all(now) as { id: string }[];
    for (const r of rows) {
      this.store.runs.patch(r.id, { waitUntil: null });
      this.refreshRunState(r.id);
    }
  }

  private blockAuth(key: string, message: string, runId: string): void {
    const first = this.authBlocked === null;
    this.authBlocked = { key, message };
    if (first)
      this.emit({ type: 'attention', runId, title: 'The API key was refused', body: message });
    this.refreshActiveRuns();
  }

  private releaseAuthBlock(): void {
    this.authBlocked = null;
    for (const b of this.store.batches.listByStates(['blocked'])) {
      if (!b.nextActions.includes('fix-key')) continue;
      this.transition(b.id, {
        to: 'queued',
        from: ['blocked'],
        reason: 'key fixed: retried by the trader',
        patch: { nextAttemptAt: null, message: null, nextActions: [], retryStreak: 0 },
      });
      this.afterRequeue(b.id);
    }
    this.refreshActiveRuns();
    this.requestPump();
  }

  private noteReachability(outcome: ApiOutcome<unknown>): void {
    if (outcome.kind === 'not-sent') {
      if (outcome.reason === 'aborted') return;
      const streak = (this.netTrouble?.streak ?? 0) + 1;
      const first = this.netTrouble === null;
      this.netTrouble = {
        streak,
        until:
          this.clock.now() +
          backoffMs(streak - 1, {
            baseMs: this.timing.notSentRetryMs,
            capMs: this.timing.notSentRetryCapMs,
            random: this.random,
          }),
      };
      if (first) this.refreshActiveRuns();
      return;
    }
    if (outcome.kind === 'ambiguous') return;
    if (this.netTrouble) {
      this.netTrouble = null;
      this.refreshActiveRuns();
    }
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────

  private transition(batchId: string, req: TransitionRequest): BatchRecord {
    return transitionBatch(
      {
        store: this.store,
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
    if (event.type === 'batch-updated') this.refreshRunStateSoon(event.runId);
  }

  private readonly runsToRefresh = new Set<string>();
  private refreshRunStateSoon(runId: string): void {
    if (this.runsToRefresh.has(runId)) return;
    this.runsToRefresh.add(runId);
    queueMicrotask(() => {
      this.runsToRefresh.delete(runId);
      if (this.store.isOpen) this.refreshRunState(runId);
    });
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function clampConcurrency(n: number): number {
  return Math.max(1, Math.min(16, Math.floor(Number.isFinite(n) ? n : 4)));
}

function canonical(c: SellConfirmation): SellConfirmation {
  return {
    planId: c.planId,
    preflightId: c.preflightId,
    itemCount: c.itemCount,
    batchCount: c.batchCount,
    accounts: c.accounts.map((a) => ({
      accountId: a.accountId,
      label: a.label,
      itemCount: a.itemCount,
    })),
    totalCents: c.totalCents,
  };
}

/** ITEM_OVERSTOCKED names items with how many AssetPay still takes (`details.items[].remaining`). */
function overstockedItems(details: Record<string, unknown> | null): Map<string, number> {
  const out = new Map<string, number>();
  const items = details?.items;
  if (!Array.isArray(items)) return out;
  for (const i of items as unknown[]) {
    if (typeof i !== 'object' || i === null) continue;
    const itemId = (i as { itemId?: unknown }).itemId;
    const remaining = (i as { remaining?: unknown }).remaining;
    if (typeof itemId === 'string')
      out.set(itemId, typeof remaining === 'number' && remaining >= 0 ? Math.floor(remaining) : 0);
  }
  return out;
}
