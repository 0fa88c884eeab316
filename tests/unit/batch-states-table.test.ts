import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_STATES, type BatchState } from '../../shared/domain';
import {
  BATCH_TRANSITIONS,
  buildSellRequest,
  canTransition,
  externalIdFor,
  FINAL_BATCH_STATES,
  IllegalTransitionError,
  StaleBatchError,
  transitionBatch,
} from '../../electron/main/services/engine';
import { Store } from '../../electron/main/services/store';

describe('batch transition table', () => {
  it('covers every state and only names known states', () => {
    expect(Object.keys(BATCH_TRANSITIONS).sort()).toEqual([...BATCH_STATES].sort());
    for (const targets of Object.values(BATCH_TRANSITIONS))
      for (const t of targets) expect(BATCH_STATES).toContain(t);
  });

  it('final states lead nowhere', () => {
    for (const s of FINAL_BATCH_STATES) expect(BATCH_TRANSITIONS[s]).toEqual([]);
  });

  it('follows design §5', () => {
    const allowed: [BatchState, BatchState][] = [
      ['queued', 'sending'],
      ['sending', 'created'],
      ['sending', 'unknown'],
      ['sending', 'queued'],
      ['sending', 'needs-review'],
      ['sending', 'blocked'],
      ['unknown', 'created'],
      ['unknown', 'queued'],
      ['created', 'tracking'],
      ['tracking', 'settled'],
      ['needs-review', 'queued'],
      ['needs-review', 'skipped'],
      ['blocked', 'queued'],
      ['blocked', 'skipped'],
      ['queued', 'canceled'],
      // A canceled run's sent and refused attempt is looked up before the batch is final.
      ['queued', 'unknown'],
      ['needs-review', 'unknown'],
      ['blocked', 'unknown'],
    ];
    for (const [a, b] of allowed) expect(canTransition(a, b), `${a} → ${b}`).toBe(true);
    const forbidden: [BatchState, BatchState][] = [
      // A sent batch is never canceled or skipped: its trade may exist.
      ['sending', 'canceled'],
      ['unknown', 'canceled'],
      ['unknown', 'skipped'],
      ['sending', 'skipped'],
      ['created', 'queued'],
      ['tracking', 'queued'],
      ['settled', 'tracking'],
      ['queued', 'settled'],
      ['needs-review', 'sending'],
      ['blocked', 'sending'],
      ['canceled', 'queued'],
      ['skipped', 'queued'],
    ];
    for (const [a, b] of forbidden) expect(canTransition(a, b), `${a} → ${b}`).toBe(false);
  });
});

describe('transitionBatch', () => {
  let dir: string;
  let store: Store;
  let batchId: string;
  const emitted: string[] = [];
  const deps = () => ({
    store,
    emit: (b: { id: string; state: string }, prev: string) => emitted.push(`${prev}->${b.state}`),
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bs-'));
    store = new Store(join(dir, 'a.db'));
    const account = store.accounts.add({
      label: 'a',
      tradeUrl: 'https://steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEfGh',
    });
    const item = {
      accountId: account.id,
      game: '730' as const,
      itemId: 'item-00001',
      name: 'x',
      priceUsd: 1.5,
      priceCents: 150,
      amount: 1,
    };
    const plan = store.plans.create({ name: 'p', items: [item] });
    store.runs.insert({ id: 'run-1', planId: plan.id, preflightId: null, state: 'running' });
    batchId = 'b0000000-0000-4000-8000-000000000001';
    const externalId = externalIdFor(batchId, 1);
    const body = buildSellRequest({
      tradeUrl: account.tradeUrl,
      game: '730',
      externalId,
      isInstant: true,
      items: [item],
    });
    if (!body.ok) throw new Error(body.message);
    store.batches.insert({
      id: batchId,
      runId: 'run-1',
      planId: plan.id,
      seq: 1,
      accountId: account.id,
      game: '730',
      state: 'queued',
      attempt: 1,
      externalId,
      requestBody: body.text,
      totalCents: 150,
      isInstant: true,
      items: [item],
    });
    emitted.length = 0;
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the move, its patch and an event_log row in one transaction, then emits', () => {
    let sendId = 0;
    const b = transitionBatch(deps(), batchId, {
      to: 'sending',
      from: ['queued'],
      reason: 'write-ahead',
      patch: { sentAt: '2026-01-01T00:00:00.000Z' },
      also: (before) => {
        sendId = store.batches.recordSend(before);
      },
    });
    expect(b.state).toBe('sending');
    expect(b.sentAt).toBe('2026-01-01T00:00:00.000Z');
    expect(sendId).toBeGreaterThan(0);
    expect(store.events.list({ batchId }).map((e) => e.kind)).toEqual(['batch:queued->sending']);
    expect(emitted).toEqual(['queued->sending']);
  });

  it('refuses an illegal move and writes nothing', () => {
    expect(() => transitionBatch(deps(), batchId, { to: 'settled', reason: 'x' })).toThrow(
      IllegalTransitionError,
    );
    expect(store.batches.get(batchId)!.state).toBe('queued');
    expect(store.events.list({ batchId })).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('refuses a stale move (the batch changed meanwhile) and rolls back the extra writes', () => {
    expect(() =>
      transitionBatch(deps(), batchId, {
        to: 'created',
        from: ['sending', 'unknown'],
        reason: 'x',
        also: () => store.batches.recordSend(store.batches.require(batchId)),
      }),
    ).toThrow(StaleBatchError);
    expect(store.batches.sends(batchId)).toEqual([]);
  });

  it('rolls back the move when a write inside it fails', () => {
    expect(() =>
      transitionBatch(deps(), batchId, {
        to: 'sending',
        reason: 'x',
        also: () => {
          throw new Error('disk full');
        },
      }),
    ).toThrow('disk full');
    expect(store.batches.get(batchId)!.state).toBe('queued');
    expect(store.events.list({ batchId })).toEqual([]);
  });
});
