import type { Handlers } from '../../../../shared/contract/contract';
import type { SellEngine } from '../../services/engine';
import { environmentName, requireOnline, requirePlanHere, type AppContext } from '../context';
import { inPlainWords } from '../errors';

/*
 * Submitting (design §1 flow 4). The pre-flight re-fetches prices (online);
 * accepting it returns the confirmation the trader sees — item count, batch
 * count, accounts and total USD. startRun sells only when the confirmation the
 * renderer echoes is still exactly the accepted one for the current plan
 * revision; otherwise it is refused with 'conflict' and nothing is written
 * (the engine checks it inside the transaction that creates the run).
 * Arm/disarm is "submit when online"; pause, resume and cancel are always
 * available; review/retry/skip act on batches that need the trader (a retry
 * with the trader's choices sells what the review showed, as they decided).
 * A plan is only checked, armed or sold in the environment it was built in.
 */

type SubmitHandlers = Pick<
  Handlers,
  | 'runPreflight'
  | 'acceptPreflight'
  | 'startRun'
  | 'armPlan'
  | 'disarmPlan'
  | 'pauseRun'
  | 'resumeRun'
  | 'cancelRun'
  | 'reviewBatch'
  | 'retryBatch'
  | 'skipBatch'
>;

export function submitHandlers(ctx: AppContext, engine: SellEngine): SubmitHandlers {
  const unreachable = () => {
    const r = ctx.reachability();
    return r.state === 'unreachable' ? r.message : null;
  };
  // What the trader does to a batch asks its own AssetPay first (is its last attempt live?).
  const requireBatchHere = (batchId: string) =>
    requirePlanHere(ctx, ctx.store.batches.require(batchId).planId, 'act on a batch of');
  return {
    runPreflight: async ({ planId }) => {
      requirePlanHere(ctx, planId, 'submit');
      requireOnline(ctx, 're-check the prices');
      const plan = ctx.store.plans.summary(planId);
      return ctx.work.during(
        `The price check of “${plan.name}” is still running in ${environmentName(ctx)}. Switch when it has finished.`,
        () => inPlainWords(() => engine.runPreflight(planId), unreachable),
      );
    },

    acceptPreflight: ({ planId, preflightId, acceptedItemIds }) => {
      requirePlanHere(ctx, planId, 'submit');
      return engine.acceptPreflight(planId, preflightId, acceptedItemIds);
    },

    startRun: ({ confirmation }) => {
      requirePlanHere(ctx, confirmation.planId, 'submit');
      const run = engine.createRun(confirmation.planId, confirmation);
      ctx.logger.info('run started', {
        runId: run.id,
        planId: run.planId,
        items: run.totals.items,
        batches: run.totals.batches,
      });
      return run;
    },

    armPlan: ({ planId }) => {
      requirePlanHere(ctx, planId, 'submit');
      return engine.armPlan(planId);
    },
    disarmPlan: ({ planId }) => engine.disarmPlan(planId),
    pauseRun: ({ runId }) => engine.pauseRun(runId),
    resumeRun: ({ runId }) => engine.resumeRun(runId),
    cancelRun: ({ runId }) => engine.cancelRun(runId),

    reviewBatch: ({ batchId }) => {
      requireBatchHere(batchId);
      requireOnline(ctx, 'check AssetPay’s current offers for this batch');
      return inPlainWords(() => engine.reviewBatch(batchId), unreachable);
    },
    retryBatch: ({ batchId, accept, leaveOut }) => {
      requireBatchHere(batchId);
      return inPlainWords(
        () =>
          engine.retryBatch(
            batchId,
            accept || leaveOut ? { accept: accept ?? [], leaveOut: leaveOut ?? [] } : undefined,
          ),
        unreachable,
      );
    },
    skipBatch: ({ batchId }) => {
      requireBatchHere(batchId);
      return inPlainWords(() => engine.skipBatch(batchId), unreachable);
    },
  };
}
