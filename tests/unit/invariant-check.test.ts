import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/api/schemas';
import type { PlanItem } from '../../shared/contract/views';
import {
  buildSellRequest,
  checkInvariant,
  externalIdFor,
  nextPoll,
  DEFAULT_TRACKING,
} from '../../electron/main/services/engine';
import type { BatchState } from '../../shared/domain';
import { Store } from '../../electron/main/services/store';

const URL = 'https://steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEfGh';
let dir: string;
let store: Store;
let accountId: string;
let planId: string;
let seq = 0;

function item(n: number): PlanItem {
  return {
    accountId,
    game: '730',
    itemId: `item-${String(n).padStart(5, '0')}`,
    name: `n${n}`,
    priceUsd: 1,
    priceCents: 100,
    amount: 1,
  };
}

function batch(
  runId: string,
  items: PlanItem[],
  state: BatchState,
  attempt = 1,
): { id: string; externalId: string; body: string } {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;
  const externalId = externalIdFor(id, attempt);
  const body = buildSellRequest({ tradeUrl: URL, game: '730', externalId, isInstant: true, items });
  if (!body.ok) throw new Error(body.message);
  store.batches.insert({
    id,
    runId,
    planId,
    seq,
    accountId,
    game: '730',
    state,
    attempt,
    externalId,
    requestBody: body.text,
    totalCents: 100 * items.length,
    isInstant: true,
    items,
  });
  return { id, externalId, body: body.text };
}

function trade(id: string, items: PlanItem[], status: Trade['status'], externalId?: string): Trade {
  return {
    id,
    type: 'deposit',
    source: 'self',
    status,
    game: '730',
    merchantId: 'm',
    clientSteamID: '7656',
    clientTradeUrl: URL,
    items: items.map((i) => ({
      id: i.itemId,
      appid: 730,
      tradable: true,
      amount: 1,
      offer: { price: i.priceUsd },
    })),
    totalPrice: items.length,
    ...(externalId ? { externalId } : {}),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inv-'));
  store = new Store(join(dir, 'a.db'));
  accountId = store.accounts.add({ label: 'a', tradeUrl: URL }).id;
  const items = Array.from({ length: 12 }, (_, i) => item(i));
  planId = store.plans.create({ name: 'p', items }).id;
  store.runs.insert({ id: 'run-1', planId, preflightId: null, state: 'running' });
  store.runs.insert({ id: 'run-2', planId, preflightId: null, state: 'running' });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('checkInvariant', () => {
  it('counts every item in exactly one position', () => {
    const items = Array.from({ length: 12 }, (_, i) => item(i));
    batch('run-1', items.slice(0, 2), 'queued');
    batch('run-1', items.slice(2, 4), 'unknown');
    const live = batch('run-1', items.slice(4, 6), 'tracking');
    store.trades.record(trade('t-live', items.slice(4, 6), 'active', live.externalId), {
      batchId: live.id,
      runId: 'run-1',
      attempt: 1,
      accountId,
    });
    const done = batch('run-1', items.slice(6, 8), 'settled');
    store.trades.record(trade('t-done', items.slice(6, 8), 'completed', done.externalId), {
      batchId: done.id,
      runId: 'run-1',
      attempt: 1,
      accountId,
    });
    batch('run-1', items.slice(8, 10), 'needs-review');
    const r = checkInvariant(store, { runId: 'run-1' });
    expect(r.violations).toEqual([]);
    expect(r.positions).toEqual({
      'not-submitted': 2,
      unknown: 2,
      'in-live-trade': 2,
      settled: 2,
      'refused-or-skipped': 2,
    });
    // Plan scope: the two items never put in a batch are not-submitted.
    expect(checkInvariant(store, { planId }).positions['not-submitted']).toBe(4);
  });

  it('finds an item in two live batches', () => {
    batch('run-1', [item(0)], 'unknown');
    batch('run-2', [item(0)], 'queued');
    expect(checkInvariant(store).violations.join('\n')).toMatch(/item-00000 is in 2 live batches/);
  });

  it('finds an item in two live trades', () => {
    const a = batch('run-1', [item(0)], 'tracking');
    const b = batch('run-2', [item(0)], 'tracking');
    store.trades.record(trade('t1', [item(0)], 'hold', a.externalId), {
      batchId: a.id,
      runId: 'run-1',
      attempt: 1,
      accountId,
    });
    store.trades.record(trade('t2', [item(0)], 'active', b.externalId), {
      batchId: b.id,
      runId: 'run-2',
      attempt: 1,
      accountId,
    });
    expect(checkInvariant(store).violations.join('\n')).toMatch(
      /item-00000 is in 2 live or completed trades/,
    );
  });

  it('finds an externalId sent with two item sets', () => {
    const a = batch('run-1', [item(0), item(1)], 'sending');
    store.batches.recordSend({
      id: a.id,
      attempt: 1,
      externalId: a.externalId,
      requestBody: a.body,
    });
    const other = JSON.parse(a.body) as { items: unknown[] };
    other.items = other.items.slice(0, 1);
    store.batches.recordSend({
      id: a.id,
      attempt: 1,
      externalId: a.externalId,
      requestBody: JSON.stringify(other),
    });
    expect(checkInvariant(store, { runId: 'run-1' }).violations.join('\n')).toMatch(
      /sent with 2 item sets/,
    );
  });

  it('finds a settled batch whose items are in none of its trades, and a body that does not match its items', () => {
    batch('run-1', [item(0)], 'settled');
    const q = batch('run-1', [item(1)], 'queued');
    store.db.prepare('UPDATE batch_items SET amount = 2 WHERE batch_id = ?').run(q.id);
    const v = checkInvariant(store, { runId: 'run-1' }).violations.join('\n');
    expect(v).toMatch(/settled batch .* is in none of its trades/);
    expect(v).toMatch(/body items differ/);
  });
});

describe('tracking cadence (nextPoll)', () => {
  const t = {
    ...DEFAULT_TRACKING,
    activePollMs: 10,
    holdPollMs: 1_000,
    completedPollMs: 5_000,
    completedWatchMs: 12_000,
  };
  it('often while moving, rarely in hold (and right after holdEndDate), occasionally when completed, never when failed', () => {
    expect(nextPoll('active', 0, t, null, null).nextPollAt).toBe(10);
    expect(nextPoll('hold', 0, t, null, null).nextPollAt).toBe(1_000);
    expect(nextPoll('hold', 0, t, new Date(300).toISOString(), null).nextPollAt).toBe(310);
    expect(nextPoll('completed', 0, t, null, null)).toEqual({
      nextPollAt: 5_000,
      watchUntil: 12_000,
    });
    expect(nextPoll('completed', 10_000, t, null, 12_000)).toEqual({
      nextPollAt: null,
      watchUntil: 12_000,
    });
    for (const s of ['failed', 'canceled', 'declined', 'reverted'] as const)
      expect(nextPoll(s, 0, t, null, null).nextPollAt).toBeNull();
  });

  it('statuses only move forward in the store', () => {
    const a = batch('run-1', [item(0)], 'tracking');
    const link = { batchId: a.id, runId: 'run-1', attempt: 1, accountId };
    expect(store.trades.record(trade('t', [item(0)], 'hold'), link).result).toBe('inserted');
    expect(
      store.trades.record(
        { ...trade('t', [item(0)], 'active'), updatedAt: '2026-02-01T00:00:00.000Z' },
        link,
      ).result,
    ).toBe('ignored');
    expect(
      store.trades.record(
        { ...trade('t', [item(0)], 'completed'), updatedAt: '2026-01-02T00:00:00.000Z' },
        link,
      ).result,
    ).toBe('updated');
    expect(
      store.trades.record(
        { ...trade('t', [item(0)], 'failed'), updatedAt: '2026-03-01T00:00:00.000Z' },
        link,
      ).result,
    ).toBe('ignored');
    expect(
      store.trades.record(
        { ...trade('t', [item(0)], 'reverted'), updatedAt: '2026-03-01T00:00:00.000Z' },
        link,
      ).result,
    ).toBe('updated');
    expect(store.trades.get('t')!.status).toBe('reverted');
  });
});
