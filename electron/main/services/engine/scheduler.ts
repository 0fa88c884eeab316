import { OPEN_RUN_STATES } from '../../../../shared/domain';
import type { BatchCreator } from './batch-creation';
import type { EngineContext } from './context';
import { SellsInFlight, type Concurrency } from './in-flight';
import { resumeAfterRestart } from './restart';
import type { Reconciler } from './reconciler';
import { refreshRunState } from './run-state';
import { sendBatch, type Claim } from './send-worker';
import type { Tracker } from './tracker';

/*
 * Who works on what, and when (style.md "a worker loop a newcomer can
 * follow"). Each pass claims what is due — queued batches for the send
 * workers (up to the in-flight limit: a fixed number, or found by
 * in-flight-limit.ts from the answers), `unknown` batches for the reconciler, trades
 * and split baskets for the tracker, armed plans — and sets one timer for
 * the next due time, read from the rows. Nothing is scheduled in memory that
 * a restart would forget.
 */

const RECONCILE_SLOTS = 4;

interface ClaimEntry extends Claim {
  kind: 'send' | 'reconcile';
  controller: AbortController;
}

export interface SchedulerParts {
  creator: BatchCreator;
  tracker: Tracker;
  reconciler: Reconciler;
  concurrency: Concurrency;
}

export class Scheduler {
  /** Set by the engine: checks armed plans whose time has come. */
  processArmed: () => Promise<void> = async () => undefined;
  private readonly sells: SellsInFlight;
  private readonly claims = new Map<string, ClaimEntry>();
  private readonly tasks = new Set<Promise<unknown>>();
  private running = false;
  private stopping = false;
  /** Start-up rule (design §5): nothing new is sent before every `unknown` batch had its first step. */
  private startupReconciled = false;
  private tracking = false;
  /** After a failed tracking pass, the next one waits until then. */
  private trackAfter = 0;
  private arming = false;
  private creatingBatches = false;
  private passQueued = false;
  private timer: { at: number; controller: AbortController } | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly parts: SchedulerParts,
  ) {
    this.sells = new SellsInFlight(parts.concurrency);
  }

  get concurrency(): Concurrency {
    return this.sells.concurrency;
  }

  set concurrency(value: Concurrency) {
    this.sells.concurrency = value;
    this.kick();
  }

  /** Sells that may be in flight now. */
  get limit(): number {
    return this.sells.limit;
  }

  /** Sells on the wire now: write-ahead done, answer not in. */
  inFlight(runId?: string): number {
    let n = 0;
    for (const c of this.claims.values()) if (c.left && (!runId || c.runId === runId)) n++;
    return n;
  }

  sellAnswered(sample: {
    leftAt: number;
    inFlightAtSend: number;
    inFlightNow: number;
    outcome: { kind: string; key?: string };
  }): void {
    this.sells.answered({ ...sample, now: this.ctx.clock.now() });
  }

  async start(): Promise<void> {
    this.running = true;
    resumeAfterRestart(this.ctx, this.parts.tracker);
    if (this.ctx.conditions.online) await this.reconcileAllOnce();
    for (const run of this.ctx.store.runs.listByStates(OPEN_RUN_STATES))
      refreshRunState(this.ctx, run.id);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.timer?.controller.abort();
    for (const c of this.claims.values()) c.controller.abort();
    await Promise.allSettled([...this.tasks]);
  }

  onlineChanged(): void {
    if (this.ctx.conditions.online && this.running && !this.startupReconciled)
      this.spawn(this.reconcileAllOnce().finally(() => this.kick()));
    this.kick();
  }

  /**
   * The trader stopped a run (or the connection went): its sends (of one run, or all) stop
   * where nothing can have reached AssetPay yet — waiting for the rate limiter, or written
   * ahead but not connected (the client ignores the abort once connected).
   */
  stopUnsentSends(runId: string | null): void {
    for (const c of this.claims.values())
      if (runId === null || c.runId === runId) c.controller.abort();
  }

  kick(): void {
    if (this.passQueued || this.stopping || !this.running) return;
    this.passQueued = true;
    queueMicrotask(() => {
      this.passQueued = false;
      try {
        this.pass();
      } catch (error) {
        this.ctx.logger.error('engine pass failed', { error });
      }
    });
  }

  stats(): {
    activeSends: number;
    outcomesPending: number;
    activeReconciles: number;
    polling: boolean;
    /** Sells that may be in flight now. */
    inFlightLimit: number;
  } {
    let sends = 0;
    let inFlight = 0;
    let reconciles = 0;
    for (const c of this.claims.values()) {
      if (c.kind === 'reconcile') reconciles++;
      else sends++;
      if (c.left) inFlight++;
    }
    return {
      activeSends: sends,
      outcomesPending: inFlight,
      activeReconciles: reconciles,
      polling: this.tracking,
      inFlightLimit: this.limit,
    };
  }

  private pass(): void {
    if (this.stopping || this.ctx.stopped()) return;
    const { store, clock, conditions: c } = this.ctx;
    const now = clock.now();
    for (const run of store.runs.waitOver('waiting', now)) {
      if (run.waitUntil === null) continue;
      store.runs.patch(run.id, { waitUntil: null, waitReason: null });
      refreshRunState(this.ctx, run.id);
    }
    if (c.online) {
      // A refused key stops the sends; lookups and polls go on now and then, as probes of the key.
      const probe = c.lookupsHeld === null || now >= c.lookupsHeld.retryAt;
      if (this.startupReconciled && !c.keyRefused) this.fillSends(now);
      if (probe)
        this.fill(
          'reconcile',
          store.batches.due('unknown', now, c.lookupsHeld ? 1 : RECONCILE_SLOTS * 2),
          c.lookupsHeld ? 1 : RECONCILE_SLOTS,
        );
      if (!this.tracking && probe && now >= this.trackAfter) this.maybeTrack(now);
      if (!this.arming && store.runs.waitOver('armed', now).length > 0) {
        this.arming = true;
        this.spawn(
          this.processArmed()
            .catch((error: unknown) => this.ctx.logger.error('armed plans failed', { error }))
            .finally(() => {
              this.arming = false;
              this.kick();
            }),
        );
      }
    }
    if (!this.creatingBatches && store.runs.withBatchesPending().length > 0) this.createBatches();
    this.armTimer(now);
  }

  private fillSends(now: number): void {
    const net = this.ctx.conditions.netTrouble;
    if (net && now < net.until) return;
    // While connections fail, one probe at a time.
    const slots = net ? 1 : this.limit;
    const free = slots - this.count('send');
    if (free <= 0) return;
    this.fill('send', this.ctx.store.batches.dueToSend(now, free + this.claims.size), slots);
  }

  private fill(kind: 'send' | 'reconcile', ids: readonly string[], slots: number): void {
    for (const batchId of ids) {
      if (this.count(kind) >= slots) return;
      if (this.claims.has(batchId)) continue;
      const b = this.ctx.store.batches.get(batchId);
      if (!b) continue;
      const controller = new AbortController();
      const claim: ClaimEntry = {
        kind,
        batchId,
        runId: b.runId,
        controller,
        signal: controller.signal,
        left: false,
      };
      this.claims.set(batchId, claim);
      const work =
        kind === 'send'
          ? sendBatch(this.ctx, this.parts.reconciler, this.parts.tracker, claim)
          : this.parts.reconciler.step(batchId, claim);
      this.spawn(
        this.guard(batchId, work).finally(() => {
          this.claims.delete(batchId);
          this.kick();
        }),
      );
    }
  }

  private count(kind: 'send' | 'reconcile'): number {
    let n = 0;
    for (const c of this.claims.values()) if (c.kind === kind) n++;
    return n;
  }

  private maybeTrack(now: number): void {
    const { store } = this.ctx;
    const pollAt = store.trades.nextPollAt();
    const scans = store.batches.due('tracking', now, 1).length > 0;
    if (!scans && (pollAt === null || pollAt > now)) return;
    this.tracking = true;
    this.spawn(
      this.parts.tracker
        .pass()
        .catch((error: unknown) => {
          // A bug must not turn into a busy loop: the next pass waits.
          this.trackAfter = this.ctx.clock.now() + this.ctx.timing.missingPollMs;
          this.ctx.logger.error('tracking failed', { error });
        })
        .finally(() => {
          this.tracking = false;
          this.kick();
        }),
    );
  }

  /** A run's remaining batches are written a chunk per turn, while its first requests are in flight. */
  private createBatches(): void {
    this.creatingBatches = true;
    setImmediate(() => {
      this.creatingBatches = false;
      if (this.stopping || this.ctx.stopped()) return;
      let more = false;
      for (const run of this.ctx.store.runs.withBatchesPending()) {
        try {
          const done = this.ctx.store.transaction(() =>
            this.parts.creator.createNext(run.id, this.limit),
          );
          if (done) this.ctx.emit({ type: 'run-progress', runId: run.id });
          else more = true;
        } catch (error) {
          this.ctx.logger.error('creating batches failed', { runId: run.id, error });
        }
      }
      if (more) this.createBatches();
      this.kick();
    });
  }

  /** One reconcile step for every `unknown` batch; new sends wait until it is done. */
  private async reconcileAllOnce(): Promise<void> {
    const ids = this.ctx.store.batches.due('unknown', Infinity, 100_000);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length && !this.stopping) {
        const batchId = ids[next++]!;
        if (this.claims.has(batchId)) continue;
        const runId = this.ctx.store.batches.get(batchId)?.runId ?? '';
        const controller = new AbortController();
        const claim: ClaimEntry = {
          kind: 'reconcile',
          batchId,
          runId,
          controller,
          signal: controller.signal,
          left: false,
        };
        this.claims.set(batchId, claim);
        try {
          await this.guard(batchId, this.parts.reconciler.step(batchId, claim));
        } finally {
          this.claims.delete(batchId);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECONCILE_SLOTS, ids.length) }, worker));
    this.startupReconciled = true;
  }

  private armTimer(now: number): void {
    const { store, conditions: c } = this.ctx;
    const candidates = [store.runs.nextWaitEnd()];
    if (c.online) {
      candidates.push(store.batches.nextDueAt(), store.trades.nextPollAt(), this.trackAfter);
      if (c.netTrouble) candidates.push(c.netTrouble.until);
      if (c.lookupsHeld) candidates.push(c.lookupsHeld.retryAt);
    }
    const future = candidates.filter((t): t is number => t !== null && t > now);
    if (future.length === 0) return;
    const at = Math.min(...future);
    if (this.timer && this.timer.at <= at) return;
    this.timer?.controller.abort();
    const timer = { at, controller: new AbortController() };
    this.timer = timer;
    this.ctx.clock.sleep(Math.max(1, at - now), timer.controller.signal).then(
      () => {
        if (this.timer === timer) this.timer = null;
        this.kick();
      },
      () => undefined,
    );
  }

  private spawn(task: Promise<unknown>): void {
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  /** A race ends a step quietly (StaleBatchError); a bug is logged and leaves the batch safe to reconcile. */
  private async guard(batchId: string, work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (error) {
      if ((error as Error)?.name === 'StaleBatchError' || this.stopping || this.ctx.stopped())
        return;
      this.ctx.logger.error('engine step failed', { batchId, error });
      try {
        this.ctx.store.events.append({
          kind: 'engine:error',
          batchId,
          payload: { message: error instanceof Error ? error.message : String(error) },
        });
        if (this.ctx.store.batches.get(batchId)?.state === 'sending')
          this.ctx.transition(batchId, {
            to: 'unknown',
            from: ['sending'],
            reason: 'engine error after sending',
            patch: { nextAttemptAt: this.ctx.clock.now() + this.ctx.timing.lookupBaseMs },
          });
      } catch {
        // The store is gone (shutdown); the next start reconciles.
      }
    }
  }
}
