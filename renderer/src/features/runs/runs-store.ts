import { create } from 'zustand';
import type { BatchView, ReviewChoices, RunSummary, TradeView } from '../../../../shared/contract';
import { attempt, call, subscribe } from '../../api/client';
import { OPEN_RUN_STATES } from '../../../../shared/domain';
import { notify } from '../../app/notifications';
import { plural } from '../../ui/format';

/*
 * Runs and the batches of the run on the board. Push events keep it live;
 * a reload (on mount, after a reconnect, after an app restart) rereads it from
 * main, and the newer of the two copies of a batch wins, so an event that
 * raced the reload is never lost.
 */

type RunsState = {
  runs: RunSummary[];
  runsLoaded: boolean;
  runId: string | null;
  batches: BatchView[];
  loading: boolean;
  error: string | null;

  loadRuns: () => Promise<void>;
  /** Shows a run on the board (default: the newest one). */
  show: (runId?: string) => Promise<void>;
  reload: () => Promise<void>;
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  cancel: () => Promise<void>;
  /** With choices: the trader's decisions on the batch's review. */
  retryBatch: (batchId: string, choices?: ReviewChoices) => Promise<void>;
  skipBatch: (batchId: string) => Promise<void>;
  applyBatch: (batch: BatchView) => void;
  applyRun: (run: RunSummary) => void;
  applyTrade: (trade: TradeView) => void;
  /** Subscribes to push events; returns the unsubscribe. */
  listen: () => () => void;
};

const newer = (a: { updatedAt: string }, b: { updatedAt: string }) => b.updatedAt >= a.updatedAt;

export function mergeBatches(
  current: readonly BatchView[],
  incoming: readonly BatchView[],
): BatchView[] {
  const byId = new Map(current.map((b) => [b.id, b]));
  for (const b of incoming) {
    const have = byId.get(b.id);
    if (!have || newer(have, b)) byId.set(b.id, b);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function isActiveRun(run: RunSummary): boolean {
  return run.state !== 'finished' && run.state !== 'canceled';
}

/** A run that sells now or is paused mid-way (an armed one has not started). */
export function isLiveRun(run: RunSummary): boolean {
  return OPEN_RUN_STATES.includes(run.state);
}

export const useRuns = create<RunsState>()((set, get) => ({
  runs: [],
  runsLoaded: false,
  runId: null,
  batches: [],
  loading: false,
  error: null,

  loadRuns: async () => {
    try {
      const runs = await call('listRuns', {}, { context: 'Could not list runs' });
      set({
        runs: [...runs].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)),
        runsLoaded: true,
      });
    } catch {
      set({ runsLoaded: true });
    }
  },

  show: async (runId) => {
    if (!runId) {
      if (!get().runsLoaded) await get().loadRuns();
      const runs = get().runs;
      runId = (runs.find(isActiveRun) ?? runs[0])?.id;
      if (!runId) return;
    }
    if (runId !== get().runId) set({ runId, batches: [] });
    await get().reload();
  },

  reload: async () => {
    const runId = get().runId;
    if (!runId) return;
    set({ loading: true });
    const result = await attempt('getRun', { runId });
    if (get().runId !== runId) return;
    if (!result.ok) {
      set({ loading: false, error: result.error.message });
      return;
    }
    get().applyRun(result.data.run);
    set({
      loading: false,
      error: null,
      batches: mergeBatches(get().batches, result.data.batches),
    });
  },

  pause: async () => runAction('pauseRun'),
  resume: async () => runAction('resumeRun'),
  cancel: async () => runAction('cancelRun'),

  retryBatch: async (batchId, choices) => {
    try {
      get().applyBatch(
        await call('retryBatch', { batchId, ...choices }, { context: 'Retry refused' }),
      );
    } catch {
      // toast shown
    }
  },
  skipBatch: async (batchId) => {
    try {
      get().applyBatch(await call('skipBatch', { batchId }, { context: 'Skip refused' }));
    } catch {
      // toast shown
    }
  },

  applyBatch: (batch) => {
    if (batch.runId !== get().runId) return;
    set({ batches: mergeBatches(get().batches, [batch]) });
  },

  applyRun: (run) => {
    const before = get().runs.find((r) => r.id === run.id);
    if (before && !newer(before, run)) return;
    const others = get().runs.filter((r) => r.id !== run.id);
    set({ runs: [run, ...others].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)) });
    if (before && before.state !== 'finished' && run.state === 'finished') {
      const t = run.totals;
      notify(
        'Run finished',
        `${run.planName}: ${t.settledBatches} of ${plural(t.batches, 'batch', 'batches')} settled${t.finishedBatches > t.settledBatches ? `, ${t.finishedBatches - t.settledBatches} skipped or canceled` : ''}.`,
      );
    }
  },

  applyTrade: (trade) => {
    if (!trade.batchId || trade.runId !== get().runId) return;
    const batch = get().batches.find((b) => b.id === trade.batchId);
    if (!batch) return;
    const trades = batch.trades.some((t) => t.tradeId === trade.tradeId)
      ? batch.trades.map((t) => (t.tradeId === trade.tradeId && newer(t, trade) ? trade : t))
      : [...batch.trades, trade];
    set({ batches: get().batches.map((b) => (b.id === batch.id ? { ...b, trades } : b)) });
  },

  listen: () => {
    const offs = [
      subscribe('batchUpdated', (b) => get().applyBatch(b)),
      subscribe('runProgress', (r) => get().applyRun(r)),
      subscribe('tradeUpdated', (t) => get().applyTrade(t)),
      subscribe('attention', (a) => notify(a.title, a.body)),
    ];
    return () => offs.forEach((off) => off());
  },
}));

async function runAction(method: 'pauseRun' | 'resumeRun' | 'cancelRun'): Promise<void> {
  const runId = useRuns.getState().runId;
  if (!runId) return;
  try {
    useRuns.getState().applyRun(await call(method, { runId }, { context: 'Not done' }));
  } catch {
    // toast shown
  }
}
