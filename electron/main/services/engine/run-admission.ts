import { parseTradeUrl } from '../../../../shared/api/trade-url';
import { OPEN_RUN_STATES } from '../../../../shared/domain';
import { AppError } from '../../../../shared/errors';
import type { SellConfirmation } from '../../../../shared/model';
import type { Store } from '../store';
import { BatchCreator } from './batch-creation';
import type { EngineContext } from './context';
import { planBatches } from '../../../../shared/planner';
import { plural, someNames } from '../../../../shared/words';

/*
 * Admission: whether a plan may be sold, checked inside the transaction that
 * creates its run, so a refusal writes nothing. A run starts only from the
 * pre-flight the trader accepted, for the plan exactly as it was then, with
 * valid accounts and no item another live batch holds.
 */

/** Validates a plan and writes its run and first batches (inside the caller's transaction). */
export function materializeRun(
  ctx: EngineContext,
  creator: BatchCreator,
  planId: string,
  confirmation: SellConfirmation,
  existingRunId: string | null,
  firstBatches: number,
): string {
  const { store } = ctx;
  if (store.plans.status(planId) === 'archived')
    refuse('conflict', 'This plan is archived.', 'plan-archived');
  if (confirmation.planId !== planId)
    refuse('invalid-request', 'The confirmation is for another plan.', 'confirmation-mismatch');
  const pf = store.preflights.get(confirmation.preflightId);
  if (!pf || pf.planId !== planId)
    refuse(
      'conflict',
      'Run the pre-flight price check and accept it before selling.',
      'preflight-required',
    );
  if (!pf.acceptedAt || !pf.confirmation)
    refuse(
      'conflict',
      'Accept the pre-flight price check before selling.',
      'preflight-not-accepted',
    );
  if (store.preflights.latestId(planId) !== pf.id)
    refuse(
      'conflict',
      'A newer pre-flight exists for this plan; accept it first.',
      'preflight-superseded',
    );
  if (store.plans.revision(planId) !== pf.planRevision)
    refuse(
      'conflict',
      'The plan changed after its prices were checked; run the pre-flight again.',
      'plan-changed',
    );
  if (JSON.stringify(canonical(pf.confirmation)) !== JSON.stringify(canonical(confirmation)))
    refuse(
      'conflict',
      'The confirmation no longer matches the plan; review it again.',
      'confirmation-mismatch',
    );
  if (ctx.clock.now() - Date.parse(pf.acceptedAt) > ctx.timing.preflightMaxAgeMs)
    refuse('conflict', 'The price check is too old; run the pre-flight again.', 'preflight-stale');
  assertNotRunning(store, planId, existingRunId);
  const options = store.plans.optionsOf(planId);
  const groups = store.plans.groups(planId);
  if (groups.length === 0) refuse('invalid-request', 'The plan has no items.', 'empty-plan');
  const check = planBatches([], { batchSize: options.batchSize });
  if (!check.ok && check.error.kind !== 'empty-plan')
    refuse('invalid-request', check.error.message, check.error.kind);
  const dups = store.plans.duplicateItemIds(planId);
  if (dups.length)
    throw new AppError(
      'invalid-request',
      `These items are in the plan more than once: ${dups.slice(0, 10).join(', ')}.`,
      { reason: 'duplicate-item', itemIds: dups },
    );
  assertAccounts(
    store,
    groups.map((g) => g.accountId),
  );
  const live = store.batches.liveItemIds(existingRunId);
  if (live.size > 0) {
    const conflicts = store.plans.itemIds(planId).filter((id) => live.has(id));
    if (conflicts.length) throwLiveConflicts(store, conflicts, existingRunId);
  }

  const runId = existingRunId ?? ctx.newId();
  if (existingRunId) store.runs.start(runId, pf.id);
  else store.runs.insert({ id: runId, planId, preflightId: pf.id, state: 'running' });
  const planned = {
    batches: BatchCreator.plannedBatches(groups, options.batchSize),
    items: groups.reduce((n, g) => n + g.count, 0),
    totalCents: groups.reduce((n, g) => n + g.totalCents, 0),
  };
  store.runs.setPlan(runId, planned);
  // The first requests' batches now; the rest are written while those are in flight.
  creator.begin(runId, planId, groups, options);
  creator.createNext(runId, firstBatches);
  store.plans.setStatus(planId, 'submitted');
  store.events.append({
    kind: 'run:created',
    planId,
    runId,
    payload: { preflightId: pf.id, ...planned, totalCents: confirmation.totalCents },
  });
  return runId;
}

/** A plan being sold (or paused) cannot be started or armed again. */
export function assertNotRunning(store: Store, planId: string, exceptRunId: string | null): void {
  const running = store.runs
    .byPlan(planId)
    .some((r) => r.id !== exceptRunId && OPEN_RUN_STATES.includes(r.state));
  if (running) refuse('conflict', 'This plan is already being sold.', 'plan-already-running');
}

export function assertAccounts(store: Store, accountIds: readonly string[]): void {
  for (const id of new Set(accountIds)) {
    const account = store.accounts.get(id);
    if (!account || !store.accounts.isActive(id))
      throw new AppError('invalid-request', `Account ${id} does not exist.`, {
        reason: 'unknown-account',
        accountId: id,
      });
    const url = parseTradeUrl(account.tradeUrl);
    if (!url.ok)
      throw new AppError(
        'invalid-request',
        `The trade URL of “${account.label}” is invalid: ${url.reason}`,
        { reason: 'invalid-trade-url', accountId: id },
      );
  }
}

export function assertNoLiveConflicts(
  store: Store,
  itemIds: readonly string[],
  exceptRunId: string | null,
): void {
  const live = store.batches.liveItemIds(exceptRunId);
  const hits = itemIds.filter((id) => live.has(id));
  if (hits.length) throwLiveConflicts(store, hits, exceptRunId);
}

function throwLiveConflicts(
  store: Store,
  itemIds: readonly string[],
  exceptRunId: string | null,
): never {
  // The batches that hold them (an item of a run still being written may have none yet).
  const conflicts = store.batches.liveConflicts(itemIds, exceptRunId ? { exceptRunId } : {});
  const ids = [...new Set(itemIds)];
  throw new AppError(
    'conflict',
    `${plural(ids.length, 'item')} ${ids.length === 1 ? 'is' : 'are'} already in a batch being sold or tracked: ${someNames(ids, 10)}.`,
    {
      reason: 'items-in-live-batch',
      itemIds: ids,
      batches: [...new Set(conflicts.map((c) => c.batchId))],
    },
  );
}

function refuse(code: 'conflict' | 'invalid-request', message: string, reason: string): never {
  throw new AppError(code, message, { reason });
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
