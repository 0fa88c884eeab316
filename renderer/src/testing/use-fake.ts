import { setBridge } from '../api/client';
import { useNotices } from '../api/notices-store';
import { useConnectivity } from '../app/connectivity-store';
import { useAccounts } from '../features/accounts/accounts-store';
import { useHistory } from '../features/history/history-store';
import { useInventory } from '../features/inventory/inventory-store';
import { usePlan } from '../features/plans/plan-store';
import { useSubmit } from '../features/plans/submit-store';
import { useRuns } from '../features/runs/runs-store';
import { useSettings } from '../features/settings/settings-store';
import { createFakeBulkSeller, type FakeBulkSeller } from './fake-bulk-seller';

type ResettableStore = {
  setState: (state: never, replace: true) => void;
  getInitialState: () => unknown;
};
const stores: ResettableStore[] = [
  useNotices,
  useConnectivity,
  useAccounts,
  useHistory,
  useInventory,
  usePlan,
  useSubmit,
  useRuns,
  useSettings,
];

/** A fresh FAKE bridge and fresh stores, for one unit test. */
export function useFakeBridge(): FakeBulkSeller {
  const fake = createFakeBulkSeller();
  setBridge(fake.api);
  for (const store of stores) store.setState(store.getInitialState() as never, true);
  return fake;
}
