import type { Handlers } from '../../../../shared/contract/contract';
import type { SellEngine } from '../../services/engine';
import { requireOnline, type AppContext } from '../context';

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
  return {
    runPreflight: async ({ planId }) => {
      ctx.store.plans.require(planId);
      requireOnline(ctx, 're-check the prices');
      return engine.runPreflight(planId);
    },

    acceptPreflight: ({ planId, preflightId, acceptedItemIds }) =>
      engine.acceptPreflight(planId, preflightId, acceptedItemIds),

    startRun: ({ confirmation }) => {
      const run = engine.createRun(confirmation.planId, confirmation);
      ctx.logger.info('run started', {
        runId: run.id,
        planId: run.planId,
        items: run.totals.items,
        batches: run.totals.batches,
      });
      return run;
    },

    armPlan: ({ planId }) => engine.armPlan(planId),
    disarmPlan: ({ planId }) => engine.disarmPlan(planId),
    pauseRun: ({ runId }) => engine.pauseRun(runId),
    resumeRun: ({ runId }) => engine.resumeRun(runId),
    cancelRun: ({ runId }) => engine.cancelRun(runId),

    reviewBatch: ({ batchId }) => {
      ctx.store.batches.require(batchId);
      requireOnline(ctx, 'check AssetPay’s current offers for this batch');
      return engine.reviewBatch(batchId);
    },
    retryBatch: ({ batchId, accept, leaveOut }) =>
      engine.retryBatch(
        batchId,
        accept || leaveOut ? { accept: accept ?? [], leaveOut: leaveOut ?? [] } : undefined,
      ),
    skipBatch: ({ batchId }) => engine.skipBatch(batchId),
  };
}
