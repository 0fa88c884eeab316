import type { Trade } from '../../../../shared/api/schemas';
import type { BatchState } from '../../../../shared/domain';
import type { BatchPatch } from '../store';
import type { EngineTiming } from './context';
import type { SellDecision } from './sell-policy';

/*
 * What an answer to a sell does to its batch (api §8 retry matrix), as a pure
 * function: the batch as it was sent, the decision for the answer, whether
 * this was the once-only resend of an ambiguous sell, and the time. The send
 * worker writes the step in one transaction with the send's outcome.
 *
 * The rule that keeps money safe: after a resend (the batch is `unknown`)
 * nothing but a created trade ends the uncertainty. Any refusal of the resend
 * leaves the batch `unknown`, to be settled by lookups: the first request
 * may still land (api §8 step 3).
 */

export interface OutcomeInput {
  batch: { attempt: number; retryStreak: number };
  decision: SellDecision;
  /** The once-only resend of an ambiguous sell (the batch is `unknown`). */
  resend: boolean;
  now: number;
  /** The run's back-off for platform outages (api §8: pause the run). */
  run: { waitStreak: number; waitUntil: number | null };
  /** Connections are failing: a not-sent request goes again no earlier than this. */
  netTroubleUntil: number | null;
  timing: Pick<
    EngineTiming,
    | 'notSentRetryMs'
    | 'backoffBaseMs'
    | 'backoffCapMs'
    | 'waitBaseMs'
    | 'waitCapMs'
    | 'resendDelayMs'
    | 'lookupBaseMs'
    | 'lookupCapMs'
    | 'maxAutoAttempts'
  >;
  /** Back-off with jitter: (streak, base, cap) → ms. */
  backoff: (streak: number, baseMs: number, capMs: number) => number;
}

export interface OutcomeStep {
  to: BatchState;
  reason: string;
  patch: Omit<BatchPatch, 'state'>;
  /** A created trade: record it (and its relatedTrades) and start tracking. */
  adopt?: Trade;
  /** The whole run waits until then (AssetPay or Steam is down). */
  runWait?: { until: number; streak: number; key: string };
  /** The API key was refused: nothing is sent until the trader acts. */
  refuseKey?: { key: string };
  /** Tell the trader (a batch needs review, an account needs fixing). */
  attention?: 'review' | 'account';
}

export function reduceOutcome(input: OutcomeInput): OutcomeStep {
  const { decision: d, batch: b, now, timing: t } = input;
  if (d.do === 'adopt')
    return {
      to: 'created',
      reason: input.resend ? 'created by the resend' : 'created by this request',
      patch: { rotatePending: false, retryStreak: 0, nextAttemptAt: null, nextActions: [] },
      adopt: d.trade,
    };
  const key = 'key' in d ? d.key : d.do === 'resend-same' ? 'NOT_SENT' : 'AMBIGUOUS';
  const lookupLater = now + input.backoff(b.retryStreak, t.lookupBaseMs, t.lookupCapMs);
  const errorOf = { lastErrorKey: key, lastErrorDetails: null };

  if (input.resend) {
    // api §8 step 2: the resend told us nothing for sure unless it created the trade.
    const at =
      d.do === 'lookup-adopt'
        ? now
        : d.do === 'throttled' && d.retryAfterMs !== undefined
          ? now + d.retryAfterMs
          : lookupLater;
    return {
      to: 'unknown',
      reason:
        d.do === 'lookup-adopt'
          ? 'the resend says the first request landed: look it up'
          : `resend answered ${key}: looking it up until it is proven either way`,
      patch: { ...errorOf, retryStreak: b.retryStreak + 1, nextAttemptAt: at },
      ...(d.do === 'block' && d.cause === 'key' ? { refuseKey: { key } } : {}),
    };
  }

  const sameAgain = (reason: string, at: number): OutcomeStep => ({
    to: 'queued',
    reason,
    patch: { ...errorOf, retryStreak: b.retryStreak + 1, nextAttemptAt: at },
  });
  const backoffAt = now + input.backoff(b.retryStreak, t.backoffBaseMs, t.backoffCapMs);

  switch (d.do) {
    case 'resend-same':
      return sameAgain(`not sent: ${d.reason}`, input.netTroubleUntil ?? now + t.notSentRetryMs);
    case 'reconcile':
      return {
        to: 'unknown',
        reason: `ambiguous: ${d.reason}`,
        patch: { ...errorOf, nextAttemptAt: now + t.resendDelayMs },
      };
    case 'throttled':
      return sameAgain(
        `throttled: ${key}`,
        d.retryAfterMs !== undefined ? now + d.retryAfterMs : backoffAt,
      );
    case 'backoff-same':
      return sameAgain(`${key}: back off, same request`, backoffAt);
    case 'lookup-adopt':
      // Already created by an earlier request with this externalId: a lookup adopts it.
      return {
        to: 'unknown',
        reason: `${key}: look it up`,
        patch: { ...errorOf, nextAttemptAt: now },
      };
    case 'review':
      return needsReview(key, d.actions, d.details);
    case 'next-attempt':
      if (b.attempt >= t.maxAutoAttempts) return needsReview(key, ['retry', 'skip'], null);
      return {
        to: 'queued',
        reason: `${key}: next attempt`,
        patch: {
          ...errorOf,
          rotatePending: true,
          retryStreak: b.retryStreak + 1,
          nextAttemptAt: backoffAt,
        },
      };
    case 'wait-run': {
      const until = Math.max(
        input.run.waitUntil ?? 0,
        now + input.backoff(input.run.waitStreak, t.waitBaseMs, t.waitCapMs),
      );
      return {
        to: 'queued',
        reason: `${key}: the run waits`,
        patch: { ...errorOf, rotatePending: true, nextAttemptAt: until },
        runWait: { until, streak: input.run.waitStreak + 1, key },
      };
    }
    case 'block':
      return {
        to: 'blocked',
        reason: `${key}: blocked`,
        // A refused key never reached the sell logic: the same body may go again. An account fix changes the body.
        patch: {
          ...errorOf,
          rotatePending: d.cause === 'account',
          nextAttemptAt: null,
          nextActions: d.actions,
        },
        ...(d.cause === 'key' ? { refuseKey: { key } } : { attention: 'account' as const }),
      };
  }
}

function needsReview(
  key: string,
  actions: OutcomeStep['patch']['nextActions'],
  details: Record<string, unknown> | null,
): OutcomeStep {
  return {
    to: 'needs-review',
    reason: `${key}: needs review`,
    patch: {
      lastErrorKey: key,
      lastErrorDetails: details,
      rotatePending: true,
      retryStreak: 0,
      nextAttemptAt: null,
      nextActions: actions ?? [],
    },
    attention: 'review',
  };
}
