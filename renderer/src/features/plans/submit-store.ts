import { create } from 'zustand';
import type { PreflightDiff, PreflightRow, SellConfirmation } from '../../../../shared/contract';
import { call, errorMessage } from '../../api/client';
import { usePlanHealth } from './plan-health-store';
import { usePlan } from './plan-store';

/*
 * Submitting a plan (design §1 flow 4): pre-flight re-reads every price, the
 * trader accepts each change not already inside the tolerance, then confirms
 * the exact count, batches, accounts and total. Nothing is sold without that
 * confirmation: startRun echoes it and main refuses a stale one.
 */

export type SubmitStep = 'idle' | 'checking' | 'review' | 'accepting' | 'confirm' | 'starting';

type SubmitState = {
  step: SubmitStep;
  planId: string | null;
  diff: PreflightDiff | null;
  /** Item ids of changed rows the trader ticked. */
  ticked: ReadonlySet<string>;
  confirmation: SellConfirmation | null;
  error: string | null;

  preflight: (planId: string) => Promise<void>;
  toggle: (itemId: string) => void;
  tickAll: (on: boolean) => void;
  accept: () => Promise<void>;
  /** Returns the run id when the run started. */
  confirm: () => Promise<string | null>;
  backToReview: () => void;
  reset: () => void;
};

/** A change the trader has to decide on: a price moved and main did not auto-accept it. */
export function needsDecision(row: PreflightRow): boolean {
  return (row.change === 'price-up' || row.change === 'price-down') && !row.autoAccepted;
}

/** Items that stay in the sale: not gone, still accepted, and not left out by the plan's market-share rule. */
export function isSellableNow(row: PreflightRow): boolean {
  return (
    row.change !== 'unavailable' &&
    row.change !== 'not-accepted' &&
    row.change !== 'below-market-share'
  );
}

/** Every item that goes ahead: unchanged, auto-accepted or ticked. Unavailable items never do. */
export function acceptedItemIds(diff: PreflightDiff, ticked: ReadonlySet<string>): string[] {
  return diff.rows
    .filter((r) => isSellableNow(r) && (!needsDecision(r) || ticked.has(r.itemId)))
    .map((r) => r.itemId);
}

/** Items that go ahead: the unchanged ones (counted, not listed in the diff) and the accepted changes. */
export function goingAheadCount(diff: PreflightDiff, ticked: ReadonlySet<string>): number {
  return diff.counts.unchanged + acceptedItemIds(diff, ticked).length;
}

const initial = {
  step: 'idle' as SubmitStep,
  planId: null,
  diff: null,
  ticked: new Set<string>(),
  confirmation: null,
  error: null,
};

export const useSubmit = create<SubmitState>()((set, get) => ({
  ...initial,

  preflight: async (planId) => {
    set({ ...initial, step: 'checking', planId });
    await usePlan.getState().flush();
    try {
      const diff = await call('runPreflight', { planId }, { quiet: true });
      if (get().planId !== planId) return;
      // Items that will not be sold are listed with their reason (sold by another run, gone…).
      if (diff.rows.some((r) => !isSellableNow(r))) await usePlanHealth.getState().check(planId);
      set({ step: 'review', diff });
    } catch (error) {
      set({ step: 'idle', error: errorMessage(error) });
    }
  },

  toggle: (itemId) => {
    const next = new Set(get().ticked);
    if (next.has(itemId)) next.delete(itemId);
    else next.add(itemId);
    set({ ticked: next });
  },

  tickAll: (on) => {
    const diff = get().diff;
    if (!diff) return;
    set({ ticked: on ? new Set(diff.rows.filter(needsDecision).map((r) => r.itemId)) : new Set() });
  },

  accept: async () => {
    const { diff, ticked, planId } = get();
    if (!diff || !planId) return;
    set({ step: 'accepting', error: null });
    try {
      const confirmation = await call(
        'acceptPreflight',
        { planId, preflightId: diff.preflightId, acceptedItemIds: acceptedItemIds(diff, ticked) },
        { quiet: true },
      );
      set({ step: 'confirm', confirmation });
      // Accepting rewrote the plan (new prices, dropped items): show main's copy.
      void usePlan.getState().open(planId);
    } catch (error) {
      set({ step: 'review', error: errorMessage(error) });
    }
  },

  confirm: async () => {
    const confirmation = get().confirmation;
    if (!confirmation) return null;
    set({ step: 'starting', error: null });
    try {
      const run = await call('startRun', { confirmation }, { quiet: true });
      set(initial);
      void usePlan.getState().refreshStatus();
      return run.id;
    } catch (error) {
      set({ step: 'confirm', error: errorMessage(error) });
      return null;
    }
  },

  backToReview: () => set({ step: 'review', confirmation: null, error: null }),
  reset: () => set(initial),
}));
