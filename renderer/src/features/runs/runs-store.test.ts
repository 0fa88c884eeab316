import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import type { FakeBulkSeller } from '../../testing/fake-bulk-seller';
import type { BatchView, RunSummary } from '../../../../shared/contract';
import { useNotices } from '../../api/notices-store';
import { mergeBatches, useRuns } from './runs-store';

let fake: FakeBulkSeller;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function seedRun(batches = 3): { run: RunSummary; batches: BatchView[] } {
  const run: RunSummary = {
    id: 'run-1',
    planId: 'plan-1',
    planName: 'Weekend',
    environment: 'sandbox',
    state: 'running',
    started: true,
    message: null,
    createdAt: at(0),
    updatedAt: at(0),
    totals: {
      batches,
      items: 600,
      totalCents: 60_000,
      submittedCents: 0,
      creditedCents: 0,
      pendingCents: 60_000,
      failedCents: 0,
      settledBatches: 0,
      finishedBatches: 0,
    },
    pace: null,
  };
  const list: BatchView[] = Array.from({ length: batches }, (_, k) => ({
    id: `b${k + 1}`,
    runId: 'run-1',
    seq: k + 1,
    accountId: 'acc-1',
    game: '730',
    state: 'queued',
    attempt: 1,
    externalId: `x-${k + 1}`,
    itemCount: 200,
    totalCents: 20_000,
    trades: [],
    lastErrorKey: null,
    lastErrorMessage: null,
    lastErrorDetails: null,
    nextAttemptAt: null,
    message: null,
    nextActions: [],
    updatedAt: at(0),
  }));
  fake.state.runs.set(run.id, { run, batches: list });
  return { run, batches: list };
}

beforeEach(() => {
  fake = useFakeBridge();
});

describe('runs store', () => {
  it('shows the newest live run with its batches', async () => {
    seedRun();
    await useRuns.getState().show();
    expect(useRuns.getState().runId).toBe('run-1');
    expect(useRuns.getState().batches.map((b) => b.seq)).toEqual([1, 2, 3]);
  });

  it('applies batch events live and ignores other runs', async () => {
    const { batches } = seedRun();
    await useRuns.getState().show();
    const off = useRuns.getState().listen();
    fake.emit('batchUpdated', { ...batches[1]!, state: 'sending', updatedAt: at(5) });
    fake.emit('batchUpdated', { ...batches[1]!, id: 'other', runId: 'run-2', updatedAt: at(5) });
    off();
    expect(useRuns.getState().batches.map((b) => b.state)).toEqual(['queued', 'sending', 'queued']);
  });

  it('a reload that raced a newer event keeps the newer batch', () => {
    const { batches } = seedRun();
    const live = [{ ...batches[0]!, state: 'created' as const, updatedAt: at(9) }];
    const merged = mergeBatches(live, batches);
    expect(merged[0]!.state).toBe('created');
    expect(merged).toHaveLength(3);
  });

  it('reload after a restart rereads everything from main', async () => {
    const { batches } = seedRun();
    await useRuns.getState().show('run-1');
    fake.state.runs.get('run-1')!.batches = batches.map((b) => ({
      ...b,
      state: 'settled',
      updatedAt: at(30),
    }));
    await useRuns.getState().reload();
    expect(useRuns.getState().batches.every((b) => b.state === 'settled')).toBe(true);
  });

  it('says when a run finishes and on attention events', async () => {
    const { run } = seedRun();
    await useRuns.getState().show();
    const off = useRuns.getState().listen();
    fake.emit('runProgress', {
      ...run,
      state: 'finished',
      updatedAt: at(60),
      totals: { ...run.totals, settledBatches: 3 },
    });
    fake.emit('attention', {
      runId: run.id,
      title: 'Accept the trade offer',
      body: 'Batch 2 waits in Steam.',
    });
    off();
    const messages = useNotices.getState().notices.map((n) => n.message);
    expect(messages).toEqual([
      'Run finished — Weekend: 3 of 3 batches settled.',
      'Accept the trade offer — Batch 2 waits in Steam.',
    ]);
  });

  it('ignores an older run summary', async () => {
    const { run } = seedRun();
    await useRuns.getState().show();
    useRuns.getState().applyRun({ ...run, state: 'paused', updatedAt: at(10) });
    useRuns.getState().applyRun({ ...run, state: 'running', updatedAt: at(5) });
    expect(useRuns.getState().runs[0]?.state).toBe('paused');
  });

  it('pause, resume, retry and skip go to main and apply its answer', async () => {
    seedRun();
    await useRuns.getState().show();
    await useRuns.getState().pause();
    expect(useRuns.getState().runs[0]?.state).toBe('paused');
    await useRuns.getState().resume();
    expect(useRuns.getState().runs[0]?.state).toBe('running');
    await useRuns.getState().skipBatch('b2');
    expect(useRuns.getState().batches[1]?.state).toBe('skipped');
  });

  it('adds a new trade of a batch from a trade event', async () => {
    seedRun();
    await useRuns.getState().show();
    useRuns.getState().applyTrade({
      tradeId: 't1',
      batchId: 'b1',
      runId: 'run-1',
      accountId: 'acc-1',
      externalId: 'x-1',
      status: 'active',
      game: '730',
      offerId: '555',
      holdEndDate: null,
      totalCents: 20_000,
      itemCount: 200,
      itemNames: [],
      environment: 'sandbox',
      error: null,
      attempt: 1,
      batchSeq: 1,
      otherAttempts: [],
      createdAt: at(1),
      updatedAt: at(2),
    });
    expect(useRuns.getState().batches[0]?.trades.map((t) => t.offerId)).toEqual(['555']);
  });
});
