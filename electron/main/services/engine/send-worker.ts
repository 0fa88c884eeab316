import type { SellRequest, Trade } from '../../../../shared/api/schemas';
import { isActiveRun } from '../../../../shared/domain';
import { isAbortError } from '../assetpay/clock';
import type { ApiOutcome } from '../assetpay/outcome';
import type { BatchRecord } from '../store';
import { backoff, nowIso, type EngineContext, type EngineHookInfo } from './context';
import { reduceOutcome } from './outcome-reducer';
import type { Reconciler } from './reconciler';
import { finishIfRunCanceled } from './run-state';
import { decideSell } from './sell-policy';
import type { Tracker } from './tracker';

/*
 * The send worker (design §5): one sell of one batch, in the order that keeps
 * money safe —
 *   claim the next due batch (the scheduler) → prove the previous attempt
 *   dead if there was one → wait for the rate limiter (abortable) → the last
 *   check, at the moment the request leaves → durable write-ahead → send the
 *   exact stored bytes → apply the answer (outcome-reducer.ts).
 * A batch is `sending` only from the write-ahead to its answer: `sending`
 * means "may have left", nothing else.
 */

/** A batch the scheduler handed to a worker; `signal` aborts on pause, cancel, offline and stop. */
export interface Claim {
  readonly batchId: string;
  readonly runId: string;
  readonly signal: AbortSignal;
  /** Set once the write-ahead is committed: from then on only the answer ends the claim. */
  left: boolean;
}

export async function sendBatch(
  ctx: EngineContext,
  reconciler: Reconciler,
  tracker: Tracker,
  claim: Claim,
): Promise<void> {
  let b = ctx.store.batches.get(claim.batchId);
  if (!b || b.state !== 'queued') return;
  if (b.rotatePending) {
    b = await reconciler.startNextAttempt(b);
    if (!b || ctx.stopped()) return;
  }
  await sendOnce(ctx, b, claim, false, tracker);
}

/**
 * The first send of an attempt (from `queued`) or its once-only resend (from
 * `unknown`). False when it did not leave: the trader's stop, offline, or the
 * batch moved meanwhile.
 */
export async function sendOnce(
  ctx: EngineContext,
  b: BatchRecord,
  claim: Claim,
  resend: boolean,
  tracker: Tracker,
): Promise<boolean> {
  try {
    await ctx.limiter.acquire('sell', claim.signal);
  } catch (error) {
    if (isAbortError(error)) return false;
    throw error;
  }
  if (ctx.stopped() || claim.signal.aborted || !mayLeave(ctx, b, resend)) return false;
  let sendId = 0;
  const sent = ctx.transition(b.id, {
    to: resend ? 'unknown' : 'sending',
    from: [resend ? 'unknown' : 'queued'],
    reason: resend ? 'resend once with the same externalId' : 'write-ahead',
    durable: true,
    patch: { sentAt: nowIso(ctx), nextAttemptAt: null },
    also: (before) => {
      sendId = ctx.store.batches.recordSend(before);
    },
  });
  claim.left = true;
  const inFlightAtSend = ctx.sellsInFlight();
  const leftAt = ctx.clock.now();
  const info: EngineHookInfo = {
    batchId: sent.id,
    runId: sent.runId,
    seq: sent.seq,
    attempt: sent.attempt,
    externalId: sent.externalId,
    resend,
  };
  await ctx.hooks.afterWriteAhead?.(info);
  // Stopping abandons the request: the batch stays as written, reconciled at the next start.
  if (ctx.stopped()) return true;
  // A pause or cancel that lands now still stops the request if it is not connected yet
  // (a TLS handshake, the keychain read): `not-sent`, so nothing the trader stopped leaves.
  const outcome = await ctx.client.sell(JSON.parse(sent.requestBody) as SellRequest, {
    signal: ctx.signal,
    tokenTaken: true,
    cancelBeforeSend: claim.signal,
  });
  if (ctx.stopped()) return true;
  await ctx.hooks.afterResponse?.({ ...info, outcome: outcome.kind });
  if (ctx.stopped()) return true;
  ctx.noteReachability(outcome);
  if (!resend)
    ctx.sellAnswered({ leftAt, inFlightAtSend, inFlightNow: ctx.sellsInFlight(), outcome });
  applyAnswer(ctx, tracker, sent, sendId, outcome, resend);
  return true;
}

/** The last check, right before the write-ahead: nothing leaves after the trader's stop. */
function mayLeave(ctx: EngineContext, b: BatchRecord, resend: boolean): boolean {
  const { store, conditions: c, clock } = ctx;
  const now = clock.now();
  if (!c.online || c.keyRefused || (c.netTrouble && now < c.netTrouble.until)) return false;
  const cur = store.batches.get(b.id);
  if (!cur || cur.state !== (resend ? 'unknown' : 'queued') || cur.externalId !== b.externalId)
    return false;
  const run = store.runs.get(cur.runId);
  if (!run || !isActiveRun(run.state)) return false;
  if (resend) return true;
  return (
    (run.waitUntil === null || run.waitUntil <= now) &&
    (cur.nextAttemptAt === null || cur.nextAttemptAt <= now) &&
    !store.batches.accountBlocked(cur.runId, cur.accountId)
  );
}

/** Writes what the answer means for the batch, with the send's outcome, in one transaction. */
function applyAnswer(
  ctx: EngineContext,
  tracker: Tracker,
  b: BatchRecord,
  sendId: number,
  outcome: ApiOutcome<Trade>,
  resend: boolean,
): void {
  const { store, clock, timing } = ctx;
  const run = store.runs.require(b.runId);
  const step = reduceOutcome({
    batch: b,
    decision: decideSell(outcome),
    resend,
    now: clock.now(),
    run,
    netTroubleUntil: ctx.conditions.netTrouble?.until ?? null,
    timing,
    backoff: (streak, base, cap) => backoff(ctx, streak, base, cap),
  });
  const from = [resend ? 'unknown' : 'sending'] as const;
  const record = () =>
    store.batches.recordOutcome(sendId, {
      kind: outcome.kind,
      key: 'key' in outcome ? (outcome.key ?? null) : null,
    });
  if (step.adopt) {
    tracker.adopt(b.id, from, [step.adopt], step.reason, record);
    return;
  }
  const serverMessage =
    outcome.kind === 'definitive' || outcome.kind === 'auth' ? outcome.message : null;
  store.transaction(() => {
    ctx.transition(b.id, {
      to: step.to,
      from,
      reason: step.reason,
      patch: { ...step.patch, lastErrorMessage: serverMessage },
      also: () => {
        record();
        if (step.runWait)
          store.runs.patch(b.runId, {
            waitUntil: step.runWait.until,
            waitStreak: step.runWait.streak,
            waitReason: step.runWait.key,
          });
      },
    });
    finishIfRunCanceled(ctx, b.id);
  });
  if (step.refuseKey)
    ctx.refuseKey(step.refuseKey.key, serverMessage ?? step.refuseKey.key, b.runId);
  if (step.attention)
    ctx.emit({
      type: 'attention',
      runId: b.runId,
      title:
        step.attention === 'review'
          ? `Batch ${b.seq} needs review`
          : 'A Steam account needs fixing',
      body: `AssetPay answered ${step.patch.lastErrorKey ?? outcome.kind}. Open the run to act; other batches continue.`,
    });
  if (step.runWait) ctx.refreshRun(b.runId);
  ctx.kick();
}
