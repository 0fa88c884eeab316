import { create } from 'zustand';
import type { PlanItemProblem } from '../../../../shared/contract';
import { attempt, call } from '../../api/client';
import { usePlan } from './plan-store';

/*
 * Why items of the open plan can no longer be sold as planned (issue 14 item 6):
 * sold by another run, in a live batch, gone from the inventory, not tradable…
 * Asked of main when a plan opens and after each save; "remove these" takes
 * them out in one step.
 */

type PlanHealthState = {
  planId: string | null;
  problems: readonly PlanItemProblem[];
  check: (planId: string) => Promise<void>;
  /** Takes every listed item out of the open draft. */
  removeThese: () => Promise<void>;
};

/** The reason one item is listed for (the price check's list), or null. */
export function reasonOf(
  problems: readonly PlanItemProblem[],
  item: { accountId: string; game: string; itemId: string },
): string | null {
  return (
    problems.find(
      (p) => p.accountId === item.accountId && p.game === item.game && p.itemId === item.itemId,
    )?.message ?? null
  );
}

let generation = 0;

export const usePlanHealth = create<PlanHealthState>()((set, get) => ({
  planId: null,
  problems: [],

  check: async (planId) => {
    const mine = ++generation;
    if (get().planId !== planId) set({ planId, problems: [] });
    const result = await attempt('checkPlan', { planId });
    if (mine !== generation) return;
    set({ planId, problems: result.ok ? result.data : [] });
  },

  removeThese: async () => {
    const { planId, problems } = get();
    if (!planId || problems.length === 0) return;
    await usePlan.getState().flush();
    try {
      const plan = await call(
        'removePlanItems',
        {
          planId,
          items: problems.map((p) => ({ accountId: p.accountId, game: p.game, itemId: p.itemId })),
        },
        { context: 'Items not removed' },
      );
      usePlan.getState().adopt(plan);
      await get().check(planId);
    } catch {
      // toast shown
    }
  },
}));
