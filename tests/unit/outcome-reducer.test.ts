import { describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/api/schemas';
import {
  DEFAULT_TIMING,
  reduceOutcome,
  type OutcomeInput,
  type OutcomeStep,
  type SellDecision,
} from '../../electron/main/services/engine';

/*
 * The outcome reducer as a table: every decision of the retry matrix (api §8),
 * for a first send and for the once-only resend of an ambiguous one.
 */

const NOW = 1_000_000;
const trade = { id: 't-1', status: 'initiated' } as Trade;

function step(decision: SellDecision, over: Partial<OutcomeInput> = {}): OutcomeStep {
  return reduceOutcome({
    batch: { attempt: 1, retryStreak: 0 },
    decision,
    resend: false,
    now: NOW,
    run: { waitStreak: 0, waitUntil: null },
    netTroubleUntil: null,
    timing: DEFAULT_TIMING,
    // No jitter: the back-off is the base for the streak, so the table can name the times.
    backoff: (streak, base, cap) => Math.min(cap, base * 2 ** streak),
    ...over,
  });
}

const review: SellDecision = {
  do: 'review',
  key: 'PRICE_CHANGED',
  actions: ['review-prices', 'retry', 'skip'],
  details: { items: [] },
  autoRetry: false,
};

describe('outcome reducer: the first send of an attempt (from sending)', () => {
  it.each<[string, SellDecision, Partial<OutcomeStep> & { patch?: object }]>([
    ['2xx → created, the trade adopted', { do: 'adopt', trade }, { to: 'created', adopt: trade }],
    [
      'not sent → queued, same body, after the not-sent delay',
      { do: 'resend-same', reason: 'ECONNREFUSED' },
      {
        to: 'queued',
        patch: { lastErrorKey: 'NOT_SENT', nextAttemptAt: NOW + 1_000, retryStreak: 1 },
      },
    ],
    [
      'ambiguous → unknown, resend after the short delay',
      { do: 'reconcile', reason: 'reset' },
      { to: 'unknown', patch: { lastErrorKey: 'AMBIGUOUS', nextAttemptAt: NOW + 1_000 } },
    ],
    [
      '429 with Retry-After → queued at exactly that time',
      { do: 'throttled', key: 'RATE_LIMITED', retryAfterMs: 3_000 },
      { to: 'queued', patch: { nextAttemptAt: NOW + 3_000 } },
    ],
    [
      '429 without Retry-After → queued after the back-off',
      { do: 'throttled', key: 'RATE_LIMITED', retryAfterMs: undefined },
      { to: 'queued', patch: { nextAttemptAt: NOW + 5_000 } },
    ],
    [
      'FLEET_DEGRADED → queued, same externalId, after the back-off',
      { do: 'backoff-same', key: 'FLEET_DEGRADED' },
      { to: 'queued', patch: { lastErrorKey: 'FLEET_DEGRADED', nextAttemptAt: NOW + 5_000 } },
    ],
    [
      'EXTERNAL_ID_EXISTS → unknown, looked up now',
      { do: 'lookup-adopt', key: 'EXTERNAL_ID_EXISTS' },
      { to: 'unknown', patch: { nextAttemptAt: NOW } },
    ],
    [
      'an item refusal → needs review, the next attempt only after it',
      review,
      {
        to: 'needs-review',
        attention: 'review',
        patch: { rotatePending: true, nextActions: ['review-prices', 'retry', 'skip'] },
      },
    ],
    [
      'TRADE_OFFER_FAILED → queued for a new attempt after the back-off',
      { do: 'next-attempt', key: 'TRADE_OFFER_FAILED' },
      { to: 'queued', patch: { rotatePending: true, nextAttemptAt: NOW + 5_000 } },
    ],
    [
      'maintenance → the run waits; a new attempt when it is over',
      { do: 'wait-run', key: 'SYSTEM_MAINTENANCE' },
      {
        to: 'queued',
        runWait: { until: NOW + 15_000, streak: 1, key: 'SYSTEM_MAINTENANCE' },
        patch: { rotatePending: true, nextAttemptAt: NOW + 15_000 },
      },
    ],
    [
      'a refused key → blocked, the same body may go again once it is fixed',
      { do: 'block', key: 'INVALID_API_KEY', cause: 'key', actions: ['fix-key', 'retry'] },
      { to: 'blocked', refuseKey: { key: 'INVALID_API_KEY' }, patch: { rotatePending: false } },
    ],
    [
      'an account that cannot trade → blocked, a new attempt after the fix',
      {
        do: 'block',
        key: 'USER_NOT_TRADEABLE',
        cause: 'account',
        actions: ['fix-account', 'retry', 'skip'],
      },
      { to: 'blocked', attention: 'account', patch: { rotatePending: true } },
    ],
  ])('%s', (_name, decision, expected) => {
    expect(step(decision)).toMatchObject(expected);
  });

  it('a not-sent request waits for the network back-off when connections fail', () => {
    expect(
      step({ do: 'resend-same', reason: 'x' }, { netTroubleUntil: NOW + 7_777 }).patch
        .nextAttemptAt,
    ).toBe(NOW + 7_777);
  });

  it('a run already waiting longer keeps its later end', () => {
    const s = step(
      { do: 'wait-run', key: 'NO_BOTS_AVAILABLE' },
      { run: { waitStreak: 2, waitUntil: NOW + 99_000 } },
    );
    expect(s.runWait).toEqual({ until: NOW + 99_000, streak: 3, key: 'NO_BOTS_AVAILABLE' });
  });

  it('TRADE_OFFER_FAILED at the last automatic attempt waits for the trader', () => {
    const s = step(
      { do: 'next-attempt', key: 'TRADE_OFFER_FAILED' },
      { batch: { attempt: 5, retryStreak: 4 } },
    );
    expect(s).toMatchObject({ to: 'needs-review', patch: { nextActions: ['retry', 'skip'] } });
  });
});

describe('outcome reducer: the once-only resend (from unknown)', () => {
  it('a created trade ends the uncertainty', () => {
    expect(step({ do: 'adopt', trade }, { resend: true })).toMatchObject({
      to: 'created',
      adopt: trade,
    });
  });

  it('EXTERNAL_ID_EXISTS: the first request landed, look it up now', () => {
    expect(step({ do: 'lookup-adopt', key: 'EXTERNAL_ID_EXISTS' }, { resend: true })).toMatchObject(
      {
        to: 'unknown',
        patch: { nextAttemptAt: NOW },
      },
    );
  });

  // api §8 step 3: a refused resend proves nothing — the first request may still land.
  it.each<[string, SellDecision]>([
    ['maintenance', { do: 'wait-run', key: 'SYSTEM_MAINTENANCE' }],
    ['deposits paused', { do: 'wait-run', key: 'DEPOSITS_PAUSED' }],
    ['price changed', review],
    ['offer failed', { do: 'next-attempt', key: 'TRADE_OFFER_FAILED' }],
    ['fleet degraded', { do: 'backoff-same', key: 'FLEET_DEGRADED' }],
    ['ambiguous again', { do: 'reconcile', reason: 'reset' }],
    ['not sent', { do: 'resend-same', reason: 'ECONNREFUSED' }],
    ['account refused', { do: 'block', key: 'USER_NOT_TRADEABLE', cause: 'account', actions: [] }],
  ])('%s → stays unknown, looked up until proven either way', (_name, decision) => {
    const s = step(decision, { resend: true, batch: { attempt: 1, retryStreak: 1 } });
    expect(s.to).toBe('unknown');
    expect(s.patch.nextAttemptAt).toBe(NOW + 4_000);
    expect(s.patch.rotatePending).toBeUndefined();
    expect(s.runWait).toBeUndefined();
  });

  it('a refused key on the resend stops everything but leaves the batch unknown', () => {
    const s = step(
      { do: 'block', key: 'INVALID_API_KEY', cause: 'key', actions: [] },
      { resend: true },
    );
    expect(s).toMatchObject({ to: 'unknown', refuseKey: { key: 'INVALID_API_KEY' } });
  });

  it('a throttled resend comes back after Retry-After', () => {
    const s = step({ do: 'throttled', key: 'RATE_LIMITED', retryAfterMs: 2_500 }, { resend: true });
    expect(s).toMatchObject({ to: 'unknown', patch: { nextAttemptAt: NOW + 2_500 } });
  });
});
