import { call, errorMessage, ApiError } from '../../api/client';
import { useNotices } from '../../api/notices-store';
import { plural } from '../../ui/format';
import { usePlan } from './plan-store';

/*
 * What the trader does with a whole plan: copy it, put it away or bring it back,
 * and put what its runs did not sell into a new plan in one step.
 */

export async function duplicatePlan(planId: string): Promise<void> {
  await usePlan.getState().flush();
  try {
    usePlan.getState().adopt(await call('duplicatePlan', { planId }, { context: 'Not copied' }));
  } catch {
    // toast shown
  }
}

export async function setArchived(planId: string, archived: boolean): Promise<void> {
  await usePlan.getState().flush();
  try {
    usePlan
      .getState()
      .upsert(
        await call(
          'archivePlan',
          { planId, archived },
          { context: archived ? 'Not archived' : 'Not restored' },
        ),
      );
  } catch {
    // toast shown
  }
}

/** A new draft with the items the plan's runs did not sell, opened at once. */
export async function sellUnsold(planId: string): Promise<boolean> {
  try {
    const { plan, left } = await call('planUnsold', { planId }, { quiet: true });
    usePlan.getState().adopt(plan);
    useNotices
      .getState()
      .push(
        left.length > 0 ? 'info' : 'success',
        `${plural(plan.itemCount, 'unsold item')} now in “${plan.name}”${
          left.length > 0
            ? `; ${plural(left.length, 'item')} cannot be sold now (${left[0]!.reason}${left.length > 1 ? ' …' : ''})`
            : ''
        }.`,
      );
    return true;
  } catch (error) {
    const nothing = error instanceof ApiError && error.code === 'conflict';
    useNotices.getState().push(nothing ? 'info' : 'error', errorMessage(error));
    return false;
  }
}
