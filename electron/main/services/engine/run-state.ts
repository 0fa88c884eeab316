import type { RunState } from '../../../../shared/domain';
import { platformWords } from '../../../../shared/batch-words';
import { plural } from '../../../../shared/words';
import type { BatchRecord } from '../store';
import type { Conditions, EngineContext } from './context';
import { FINAL_BATCH_STATES } from './batch-states';

/*
 * A run's state as the trader sees it, derived from its batches and the
 * engine's conditions (the trader's own decisions — paused, canceled,
 * armed — are kept as they are), and the rule that every batch of a
 * canceled run reaches a final state.
 */

export interface RunFacts {
  state: RunState;
  batchesPending: boolean;
  waitUntil: number | null;
  waitReason: string | null;
  counts: Partial<Record<string, number>>;
}

/** Pure: the state and message a run should show now. Null: leave it as it is. */
export function deriveRunState(
  run: RunFacts,
  conditions: Conditions,
  now: number,
): { state: RunState; message: string | null } | null {
  if (run.state === 'canceled' || run.state === 'armed' || run.state === 'finished') return null;
  const c = run.counts;
  let total = 0;
  let final = 0;
  for (const [state, n] of Object.entries(c)) {
    total += n ?? 0;
    if (FINAL_BATCH_STATES.includes(state as never)) final += n ?? 0;
  }
  if (total > 0 && final === total && !run.batchesPending) {
    const parts = [`${c.settled ?? 0} settled`];
    if (c.skipped) parts.push(`${c.skipped} skipped`);
    if (c.canceled) parts.push(`${c.canceled} canceled`);
    return {
      state: 'finished',
      message: `Done: ${plural(total, 'batch', 'batches')} — ${parts.join(', ')}.`,
    };
  }
  if (run.state === 'paused') return null;
  const review = c['needs-review'] ?? 0;
  const blocked = c.blocked ?? 0;
  const pendingWork =
    (c.queued ?? 0) + (c.unknown ?? 0) + (c.sending ?? 0) > 0 || run.batchesPending;
  if (conditions.keyRefused)
    return {
      state: 'attention',
      message: `AssetPay refused the API key (${conditions.keyRefused.key}). Enter a valid key in Settings, then resume.`,
    };
  if (review + blocked > 0) {
    const what = [
      review
        ? `${plural(review, 'batch', 'batches')} ${review === 1 ? 'needs' : 'need'} review`
        : '',
      blocked ? `${plural(blocked, 'batch', 'batches')} blocked` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return {
      state: 'attention',
      message: `${what}. Open the run to act; other batches continue.`,
    };
  }
  if (!conditions.online && pendingWork)
    return {
      state: 'waiting',
      message: 'Offline: the run waits and resumes by itself when the connection returns.',
    };
  if (conditions.netTrouble && pendingWork)
    return { state: 'waiting', message: 'AssetPay cannot be reached; retrying by itself.' };
  if (run.waitUntil !== null && run.waitUntil > now)
    return {
      state: 'waiting',
      message: `${run.waitReason ? platformWords(run.waitReason) : 'Waiting before retrying.'} Next try at ${new Date(run.waitUntil).toISOString().slice(11, 19)} UTC.`,
    };
  return { state: 'running', message: null };
}

export function refreshRunState(ctx: EngineContext, runId: string): void {
  const { store } = ctx;
  const run = store.runs.get(runId);
  if (!run) return;
  const next = deriveRunState(
    { ...run, counts: store.batches.countByState(runId) },
    ctx.conditions,
    ctx.clock.now(),
  );
  if (next) setRunState(ctx, runId, next.state, next.message);
}

/** Writes a run's state with its event-log row (durable: the trader's own decisions must survive a power cut). */
export function setRunState(
  ctx: EngineContext,
  runId: string,
  state: RunState,
  message: string | null,
  options: { durable?: boolean; also?: () => void } = {},
): void {
  const { store } = ctx;
  const run = store.runs.require(runId);
  if (run.state === state && run.message === message && !options.also) return;
  const write = options.durable
    ? store.durableTransaction.bind(store)
    : store.transaction.bind(store);
  write(() => {
    store.runs.patch(runId, { state, message });
    options.also?.();
    store.events.append({
      kind: run.state === state ? `run:${state}` : `run:${run.state}->${state}`,
      planId: run.planId,
      runId,
      payload: { message },
    });
  });
  ctx.emit({ type: 'run-progress', runId });
}

/**
 * The batch's last attempt was sent and refused, and nothing has proven yet
 * that it created no trade: some refusals leave a record (api §8, "look up").
 */
export function lastAttemptUnproven(ctx: EngineContext, b: BatchRecord): boolean {
  return b.rotatePending && ctx.store.batches.sendsOf(b.externalId).length > 0;
}

/**
 * Every batch of a canceled run ends final: one that came back to `queued`
 * (never sent, or proven not live), or waits for the trader, is canceled —
 * once its last attempt, if sent and refused, is proven to have created
 * nothing live (`proven`: the caller just did): until then the reconciler's
 * lookups decide, and they end it final too. `sending` waits for its answer.
 * Runs inside the caller's transaction.
 */
export function finishIfRunCanceled(
  ctx: EngineContext,
  batchId: string,
  options: { proven?: boolean } = {},
): void {
  const { store } = ctx;
  const b = store.batches.get(batchId);
  if (!b || store.runs.get(b.runId)?.state !== 'canceled') return;
  if (
    b.state !== 'queued' &&
    b.state !== 'draft' &&
    b.state !== 'needs-review' &&
    b.state !== 'blocked'
  )
    return;
  const lookFirst = !options.proven && lastAttemptUnproven(ctx, b);
  ctx.transition(batchId, {
    to: lookFirst ? 'unknown' : 'canceled',
    from: [b.state],
    reason: lookFirst ? 'run canceled: proving the last attempt created nothing' : 'run canceled',
    patch: { nextActions: [], nextAttemptAt: lookFirst ? ctx.clock.now() : null },
  });
}
