import type { Environment } from '../../../shared/domain';
import { useAccounts } from '../features/accounts/accounts-store';
import { useInventory } from '../features/inventory/inventory-store';
import { usePlan } from '../features/plans/plan-store';
import { useRuns } from '../features/runs/runs-store';
import { useSettings } from '../features/settings/settings-store';

/**
 * Switches environment (after the trader confirmed it) and rereads what belongs to one:
 * accounts' checks, cached inventories, plans (each labelled with its own) and runs.
 * Returns false when main refused (runs still selling; the toast says why).
 */
export async function switchEnvironment(environment: Environment): Promise<boolean> {
  await usePlan.getState().flush();
  await useSettings.getState().chooseEnvironment(environment);
  if (useSettings.getState().settings?.environment !== environment) return false;
  await Promise.all([
    useAccounts.getState().load(),
    useInventory.getState().reset(),
    usePlan.getState().loadPlans(),
    useRuns.getState().loadRuns(),
  ]);
  const draft = usePlan.getState().draft;
  if (draft) await usePlan.getState().open(draft.id);
  return true;
}
