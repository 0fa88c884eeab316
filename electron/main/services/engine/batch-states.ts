import type { BatchState } from '../../../../shared/domain';
import type { BatchPatch, BatchRecord, Store } from '../store';

/*
 * The batch state machine (design §5) as data. Every path a batch can take is
 * in this one table; every write of a batch's state goes through
 * `transitionBatch`, which checks the move, writes it with an event_log row in
 * one transaction, and emits the event.
 *
 *   queued ──► sending ──► created ──► tracking ──► settled
 *     ▲  │        │  ╲
 *     │  │        │   ╲──► unknown ──► created | queued (proven not live: same id or next attempt)
 *     │  │        ├──► needs-review ──► queued (retry: attempt + 1) | skipped | canceled
 *     │  │        └──► blocked ──────► queued (after the trader acts) | skipped | canceled
 *     │  └──► canceled (run canceled before it was sent, or after it was proven not live)
 *     └──── unknown (run canceled after a refusal: its last attempt is looked up first;
 *                    needs-review / blocked too, and when the trader's action finds it live)
 *     └─ back-off, not-sent, throttled, next attempt (queued → queued)
 *
 * A batch that may have created a trade (`sending`, `unknown`) never becomes
 * final directly: it goes back to `queued` only once AssetPay answered or a
 * lookup proved nothing live, and only then to `canceled` in a canceled run.
 */
export const BATCH_TRANSITIONS: Readonly<Record<BatchState, readonly BatchState[]>> = {
  draft: ['queued', 'canceled'],
  // queued → created: the proof lookup before a new attempt found the old attempt's trade alive (adopt it).
  // queued → needs-review / blocked: the body can not be rebuilt (no valid items, account invalid).
  // queued / needs-review / blocked → unknown: a canceled run's sent and refused attempt is looked up
  // first; needs-review / blocked → unknown: the trader's review, retry or skip found it live.
  queued: [
    'queued',
    'sending',
    'unknown',
    'created',
    'needs-review',
    'blocked',
    'skipped',
    'canceled',
  ],
  sending: ['created', 'queued', 'unknown', 'needs-review', 'blocked'],
  unknown: ['unknown', 'created', 'queued', 'needs-review', 'blocked'],
  created: ['tracking'],
  tracking: ['tracking', 'settled'],
  // Final. A completed trade that is later reverted is recorded on the trade; the batch stays settled.
  settled: [],
  'needs-review': ['needs-review', 'queued', 'unknown', 'skipped', 'canceled'],
  blocked: ['blocked', 'queued', 'unknown', 'skipped', 'canceled'],
  skipped: [],
  canceled: [],
};

/** Batches whose items are out of play for good (the run can finish when every batch is here). */
export const FINAL_BATCH_STATES: readonly BatchState[] = ['settled', 'skipped', 'canceled'];

export function canTransition(from: BatchState, to: BatchState): boolean {
  return BATCH_TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly batchId: string,
    readonly from: BatchState,
    readonly to: BatchState,
  ) {
    super(`Batch ${batchId}: ${from} → ${to} is not an allowed transition`);
    this.name = 'IllegalTransitionError';
  }
}

/** The batch was no longer in an expected state when an async step came back (a race, not a bug). */
export class StaleBatchError extends Error {
  constructor(
    readonly batchId: string,
    readonly expected: readonly BatchState[],
    readonly actual: BatchState,
  ) {
    super(`Batch ${batchId} is ${actual}, expected ${expected.join('|')}`);
    this.name = 'StaleBatchError';
  }
}

export interface TransitionRequest {
  to: BatchState;
  /** The move is only made from these states (else StaleBatchError and nothing is written). */
  from?: readonly BatchState[];
  patch?: Omit<BatchPatch, 'state'>;
  /** Short reason for the event log. */
  reason: string;
  payload?: Record<string, unknown>;
  /** More writes that must commit with the transition (trades, a send record…). Runs after the patch. */
  also?: (before: BatchRecord) => void;
  /** On disk before this returns (write-ahead of a request, see Store.durableTransaction). */
  durable?: boolean;
}

export interface TransitionDeps {
  store: Store;
  /** Called after the commit. */
  emit: (batch: BatchRecord, previous: BatchState) => void;
}

/** The one way a batch changes state. Returns the batch as committed. */
export function transitionBatch(
  deps: TransitionDeps,
  batchId: string,
  req: TransitionRequest,
): BatchRecord {
  const { store } = deps;
  let before!: BatchRecord;
  const run = req.durable ? store.durableTransaction.bind(store) : store.transaction.bind(store);
  const after = run(() => {
    before = store.batches.require(batchId);
    if (req.from && !req.from.includes(before.state))
      throw new StaleBatchError(batchId, req.from, before.state);
    if (!canTransition(before.state, req.to))
      throw new IllegalTransitionError(batchId, before.state, req.to);
    store.batches.patch(batchId, { ...(req.patch ?? {}), state: req.to });
    req.also?.(before);
    store.events.append({
      kind: before.state === req.to ? `batch:${req.to}` : `batch:${before.state}->${req.to}`,
      planId: before.planId,
      runId: before.runId,
      batchId,
      payload: {
        reason: req.reason,
        attempt: req.patch?.attempt ?? before.attempt,
        externalId: req.patch?.externalId ?? before.externalId,
        ...(req.payload ?? {}),
      },
    });
    return store.batches.require(batchId);
  });
  deps.emit(after, before.state);
  return after;
}
