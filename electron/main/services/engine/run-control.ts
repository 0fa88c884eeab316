import { AppError } from '../../../../shared/errors';
import { OPEN_RUN_STATES } from '../../../../shared/domain';
import type { PlanSummary, RunSummary, SellConfirmation } from '../../../../shared/model';
import type { BatchCreator } from './batch-creation';
import type { EngineContext } from './context';
import { planBatches } from '../../../../shared/planner';
import { acceptPreflight, runPreflight } from './preflight';
import {
  assertAccounts,
  assertNoLiveConflicts,
  assertNotRunning,
  materializeRun,
} from './run-admission';
import { finishIfRunCanceled, refreshRunState, setRunState } from './run-state';

/*
 * The trader's decisions about runs (design §5): start, arm ("submit when
 * online"), disarm, pause, resume, cancel. Each is durable before it returns
 * and wins over anything under way: a send checks the run at the moment it
 * leaves, waits for the rate limiter are aborted, and an armed plan's
 * pre-flight that finds its run disarmed meanwhile writes nothing.
 */

export interface RunControlDeps {
  ctx: EngineContext;
  creator: BatchCreator;
  /** Batches a new run writes with itself (the first round of sends). */
  firstBatches: () => number;
  /** Stops the run's sends wherever nothing can have reached AssetPay yet (rate limiter, not connected). */
  stopUnsentSends: (runId: string) => void;
  /** The trader fixed the key: batches blocked on it go again. */
  releaseKey: () => void;
}

export class RunControl {
  private readonly ctx: EngineContext;

  constructor(private readonly deps: RunControlDeps) {
    this.ctx = deps.ctx;
  }

  createRun(planId: string, confirmation: SellConfirmation): RunSummary {
    const { store } = this.ctx;
    const runId = store.transaction(() => {
      for (const armed of store.runs.byPlan(planId).filter((r) => r.state === 'armed')) {
        store.runs.patch(armed.id, { state: 'canceled', message: 'Replaced by a manual submit.' });
        store.events.append({
          kind: 'run:canceled',
          planId,
          runId: armed.id,
          payload: { reason: 'replaced by manual submit' },
        });
      }
      return materializeRun(
        this.ctx,
        this.deps.creator,
        planId,
        confirmation,
        null,
        this.deps.firstBatches(),
      );
    });
    this.started(runId);
    return store.runs.summary(runId);
  }

  armPlan(planId: string): PlanSummary {
    const { store } = this.ctx;
    let runId: string | null = null;
    store.durableTransaction(() => {
      const plan = store.plans.require(planId);
      if (plan.status === 'archived')
        throw new AppError('conflict', 'This plan is archived.', { reason: 'plan-archived' });
      if (store.runs.byPlan(planId).some((r) => r.state === 'armed')) return;
      assertNotRunning(store, planId, null);
      const planned = planBatches(plan.items, { batchSize: plan.options.batchSize });
      if (!planned.ok)
        throw new AppError('invalid-request', planned.error.message, {
          reason: planned.error.kind,
        });
      assertAccounts(
        store,
        plan.items.map((i) => i.accountId),
      );
      assertNoLiveConflicts(
        store,
        plan.items.map((i) => i.itemId),
        null,
      );
      runId = this.ctx.newId();
      store.runs.insert({
        id: runId,
        planId,
        preflightId: null,
        state: 'armed',
        message: 'Armed: will check prices and submit when online.',
      });
      store.plans.setStatus(planId, 'armed');
      store.events.append({ kind: 'run:armed', planId, runId, payload: {} });
    });
    if (runId) this.ctx.emit({ type: 'run-progress', runId });
    this.ctx.kick();
    return store.plans.summary(planId);
  }

  disarmPlan(planId: string): PlanSummary {
    const { store } = this.ctx;
    const runs = store.runs.byPlan(planId);
    // Too late: it went while the trader looked. Saying "disarmed" would hide a run that sells.
    const started = runs.find((r) => OPEN_RUN_STATES.includes(r.state));
    if (started && !runs.some((r) => r.state === 'armed'))
      throw new AppError(
        'conflict',
        'This plan already started selling, so there is nothing to disarm. To stop it, pause or cancel its run on the run board.',
        { reason: 'plan-already-started', runId: started.id },
      );
    const disarmed: string[] = [];
    store.durableTransaction(() => {
      for (const r of runs.filter((x) => x.state === 'armed')) {
        store.runs.patch(r.id, { state: 'canceled', message: 'Disarmed by you.' });
        store.events.append({ kind: 'run:disarmed', planId, runId: r.id, payload: {} });
        disarmed.push(r.id);
      }
      if (store.plans.status(planId) === 'armed') store.plans.setStatus(planId, 'draft');
    });
    for (const id of disarmed) this.ctx.emit({ type: 'run-progress', runId: id });
    return store.plans.summary(planId);
  }

  pauseRun(runId: string): RunSummary {
    this.requireActive(runId, 'paused');
    setRunState(
      this.ctx,
      runId,
      'paused',
      'Paused by you. Batches already sent are still tracked.',
      {
        durable: true,
      },
    );
    this.deps.stopUnsentSends(runId);
    return this.ctx.store.runs.summary(runId);
  }

  resumeRun(runId: string): RunSummary {
    const run = this.requireActive(runId, 'resumed');
    if (run.state === 'paused') setRunState(this.ctx, runId, 'running', null, { durable: true });
    // Resuming is also how the trader says "the key is fixed".
    if (this.ctx.conditions.keyRefused) this.deps.releaseKey();
    refreshRunState(this.ctx, runId);
    this.ctx.kick();
    return this.ctx.store.runs.summary(runId);
  }

  /** Cancels what was not sent; what was sent is followed to its end (a sell cannot be withdrawn, api §4.6). */
  cancelRun(runId: string): RunSummary {
    const { store } = this.ctx;
    const run = store.runs.require(runId);
    if (run.state === 'finished' || run.state === 'canceled') return store.runs.summary(runId);
    store.durableTransaction(() => {
      // Every planned item gets its batch (canceled), as if the run had been written whole.
      this.deps.creator.createNext(runId, Infinity);
      store.runs.patch(runId, {
        state: 'canceled',
        message: 'Canceled by you. Batches already sent are still tracked.',
      });
      if (run.state === 'armed' && store.plans.status(run.planId) === 'armed')
        store.plans.setStatus(run.planId, 'draft');
      store.events.append({ kind: 'run:canceled', planId: run.planId, runId, payload: {} });
      // Not sent yet: final now; sent and refused: looked up first. `sending` waits for its
      // answer, `unknown` for its lookups; each then ends final the same way.
      for (const b of store.batches.listByStates(
        ['draft', 'queued', 'needs-review', 'blocked'],
        runId,
      ))
        finishIfRunCanceled(this.ctx, b.id);
    });
    this.deps.stopUnsentSends(runId);
    this.ctx.emit({ type: 'run-progress', runId });
    // A batch now due for its lookups goes at once.
    this.ctx.kick();
    return store.runs.summary(runId);
  }

  /** "Submit when online": each armed run whose time has come is checked and, if nothing needs the trader, started. */
  async processArmed(): Promise<void> {
    const { store, clock } = this.ctx;
    for (const run of store.runs.waitOver('armed', clock.now())) {
      if (this.ctx.stopped() || !this.ctx.conditions.online) return;
      try {
        const diff = await runPreflight(
          {
            store,
            client: this.ctx.client,
            now: () => clock.now(),
            newId: this.ctx.newId,
            signal: this.ctx.signal,
          },
          run.planId,
          { summaryOnly: true },
        );
        if (this.ctx.stopped()) return;
        const started = store.transaction(() => {
          // Disarm and cancel win over the pre-flight that was under way (api §8 spirit: no sale the trader stopped).
          if (store.runs.get(run.id)?.state !== 'armed') return false;
          if (diff.needsConfirmation) {
            this.endArmed(
              run.id,
              run.planId,
              'Not submitted: some prices changed beyond your tolerance or items are gone. Open the plan to check its prices and submit it.',
            );
            return false;
          }
          const confirmation = acceptPreflight({ store }, run.planId, diff.preflightId, []);
          materializeRun(
            this.ctx,
            this.deps.creator,
            run.planId,
            confirmation,
            run.id,
            this.deps.firstBatches(),
          );
          return true;
        });
        if (started) this.started(run.id);
      } catch (error) {
        if (store.runs.get(run.id)?.state !== 'armed') continue;
        const transient =
          error instanceof AppError &&
          (error.code === 'offline' ||
            (error.code === 'api-error' && error.details?.key !== 'INVALID_API_KEY'));
        if (transient)
          store.runs.patch(run.id, { waitUntil: clock.now() + this.ctx.timing.armedRetryMs });
        else
          store.transaction(() =>
            this.endArmed(
              run.id,
              run.planId,
              `Not submitted: ${error instanceof Error ? error.message : String(error)}`,
            ),
          );
      }
    }
  }

  private started(runId: string): void {
    this.ctx.store.checkpoint();
    refreshRunState(this.ctx, runId);
    this.ctx.emit({ type: 'run-progress', runId });
    this.ctx.kick();
  }

  private endArmed(runId: string, planId: string, message: string): void {
    const { store } = this.ctx;
    store.runs.patch(runId, { state: 'canceled', message });
    store.plans.setStatus(planId, 'draft');
    store.events.append({ kind: 'run:armed-not-submitted', planId, runId, payload: { message } });
    this.ctx.emit({ type: 'run-progress', runId });
    this.ctx.emit({
      type: 'attention',
      runId,
      title: 'An armed plan was not submitted',
      body: message,
    });
  }

  /** A finished, canceled or merely armed run cannot be paused or resumed. */
  private requireActive(runId: string, verb: 'paused' | 'resumed') {
    const run = this.ctx.store.runs.require(runId);
    if (!OPEN_RUN_STATES.includes(run.state))
      throw new AppError('conflict', `This run is ${run.state}; it cannot be ${verb}.`, {
        reason: 'run-not-active',
      });
    return run;
  }
}
