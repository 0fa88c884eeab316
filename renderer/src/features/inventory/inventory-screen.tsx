import { useEffect, useMemo } from 'react';
import { GAMES, type GameId } from '../../../../shared/api/games';
import { useAccounts } from '../accounts/accounts-store';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { useNotices } from '../../api/notices-store';
import { usePlan } from '../plans/plan-store';
import { useSettings } from '../settings/settings-store';
import { formatShare } from '../../../../shared/market-share';
import { EmptyState } from '../../ui/empty-state';
import { count, gameName, plural, relativeTime } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { subscribe } from '../../api/client';
import { snapshotFor, useInventory } from './inventory-store';
import { describeFilters, filterInventory, rowIndexOf, warmUp } from './inventory-view';
import { InventoryTable } from './inventory-table';
import { GroupTable } from './group-table';
import { groupInventory } from './grouping';
import { FilterBar } from './filter-bar';
import { SelectionBar } from './selection-bar';
import { visibleRows } from './selection';
import './inventory.css';

export function InventoryScreen() {
  const accounts = useAccounts((s) => s.accounts);
  const accountsLoaded = useAccounts((s) => s.loaded);
  const view = useInventory((s) => s.view);
  const defaultGame = useSettings((s) => s.settings?.defaultGame) ?? GAMES.cs2;
  const go = useNav((s) => s.go);

  // Open something useful on first visit: the default game of the first account.
  useEffect(() => {
    const first = accounts[0];
    if (!view && first)
      void useInventory.getState().open({ accountId: first.id, game: defaultGame });
  }, [view, accounts, defaultGame]);

  useReloadWhenSalesMove();

  return (
    <section className="screen inventory-screen">
      <header className="screen-header">
        <div>
          <h1>Inventory</h1>
          <p className="subtitle">Pick what to sell. Works offline from the cached copy.</p>
        </div>
        {accounts.length > 0 && <ViewPicker />}
      </header>
      {accountsLoaded && accounts.length === 0 ? (
        <EmptyState
          title="Add a Steam account"
          actions={
            <button type="button" className="primary" onClick={() => go('accounts')}>
              Add a Steam account
            </button>
          }
        >
          The inventory comes from the Steam accounts you sell from. Add one by its trade URL first.
        </EmptyState>
      ) : (
        <InventoryBody />
      )}
    </section>
  );
}

/**
 * What a run sold or started selling leaves the table as soon as the app knows
 * (issue 14 item 5): reread the cached copy on arrival and whenever a run changes state.
 */
function useReloadWhenSalesMove() {
  useEffect(() => {
    const reload = () => {
      const { view, status } = useInventory.getState();
      if (view && status === 'idle') void useInventory.getState().open(view);
    };
    reload();
    const states = new Map<string, string>();
    return subscribe('runProgress', (run) => {
      if (states.get(run.id) === run.state) return;
      states.set(run.id, run.state);
      reload();
    });
  }, []);
}

function ViewPicker() {
  const accounts = useAccounts((s) => s.accounts);
  const view = useInventory((s) => s.view);
  const status = useInventory((s) => s.status);
  const snapshots = useInventory((s) => s.snapshots);
  const online = useConnectivity((s) => s.online);
  const { open, fetch } = useInventory.getState();
  const snapshot = snapshotFor(snapshots, view);
  const now = useNow();
  const accountId = view?.accountId ?? accounts[0]?.id ?? '';
  const game = view?.game ?? GAMES.cs2;
  return (
    <div className="view-picker">
      <label className="field inline">
        <span className="sr-only">Account</span>
        <select
          value={accountId}
          onChange={(e) => void open({ accountId: e.target.value, game })}
          aria-label="Account"
        >
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <div className="segmented" role="radiogroup" aria-label="Game">
        {([GAMES.cs2, GAMES.rust] as GameId[]).map((g) => (
          <button
            key={g}
            type="button"
            role="radio"
            aria-checked={game === g}
            className={game === g ? 'on' : ''}
            onClick={() => void open({ accountId, game: g })}
          >
            {gameName(g)}
          </button>
        ))}
      </div>
      {snapshot && (
        <span
          className="chip chip-neutral cache-badge"
          title={snapshot.fetchedAt}
          data-testid="cache-badge"
        >
          cached {relativeTime(snapshot.fetchedAt, now)}
        </span>
      )}
      {online === false && <span className="chip chip-warn">offline</span>}
      <button
        type="button"
        className={snapshot ? '' : 'primary'}
        disabled={online === false || status !== 'idle' || !accountId}
        title={online === false ? 'Connect to fetch a fresh copy' : undefined}
        onClick={() => void fetch({ accountId, game }, !!snapshot)}
      >
        {status === 'fetching' ? 'Fetching…' : snapshot ? 'Refresh' : 'Fetch inventory'}
      </button>
    </div>
  );
}

function InventoryBody() {
  const prepared = useInventory((s) => s.prepared);
  const filter = useInventory((s) => s.filter);
  const mode = useInventory((s) => s.mode);
  const status = useInventory((s) => s.status);
  const error = useInventory((s) => s.error);
  const view = useInventory((s) => s.view);
  const snapshots = useInventory((s) => s.snapshots);
  const online = useConnectivity((s) => s.online);
  const draftItems = usePlan((s) => s.draft?.items);
  const snapshot = snapshotFor(snapshots, view);

  const order = useMemo(
    () => (prepared ? filterInventory(prepared, filter) : new Int32Array(0)),
    [prepared, filter],
  );
  const rows = useMemo(
    () =>
      prepared
        ? visibleRows(order, prepared.keys, prepared.sellable, (key) => rowIndexOf(prepared, key))
        : null,
    [order, prepared],
  );
  // Grouped once here: the count in the filter bar and the groups table share it.
  const groups = useMemo(
    () => (prepared && mode === 'groups' ? groupInventory(prepared, order) : null),
    [prepared, order, mode],
  );
  // Item ids of this account and game already in the open plan.
  const inPlan = useMemo(() => {
    const ids = new Set<string>();
    for (const i of draftItems ?? [])
      if (i.accountId === view?.accountId && i.game === view.game) ids.add(i.itemId);
    return ids;
  }, [draftItems, view]);

  // Search text and key index are built right after the first paint, not before it.
  useEffect(() => {
    if (!prepared) return;
    const t = setTimeout(() => warmUp(prepared), 0);
    return () => clearTimeout(t);
  }, [prepared]);

  const addToPlan = useAddToPlan();

  if (!view) return <p className="muted pad">Loading…</p>;
  if (!prepared || prepared.rows.length === 0) {
    if (status !== 'idle')
      return (
        <p className="muted pad" role="status">
          {status === 'fetching'
            ? 'Fetching the inventory from AssetPay…'
            : 'Loading the cached inventory…'}
        </p>
      );
    return (
      <>
        {error && <Banner message={error} />}
        <EmptyState
          title={snapshot ? 'Nothing in this inventory' : 'Fetch your inventory'}
          actions={
            <button
              type="button"
              className="primary"
              disabled={online === false}
              onClick={() => void useInventory.getState().fetch(view, !!snapshot)}
            >
              {snapshot ? 'Fetch again' : 'Fetch your inventory'}
            </button>
          }
        >
          {online === false
            ? 'You are offline and this account has no cached copy for this game yet. Connect once to fetch it; after that it works offline.'
            : snapshot
              ? `AssetPay returned no ${gameName(view.game)} items for this account.`
              : `Load this account’s ${gameName(view.game)} items from AssetPay. The copy is cached so you can plan offline later.`}
        </EmptyState>
      </>
    );
  }
  const table = { prepared, order, rows: rows!, inPlan, onAddToPlan: addToPlan };
  return (
    <div className="inventory-body">
      {error && <Banner message={error} />}
      <FilterBar
        types={prepared.types}
        exteriors={prepared.exteriors}
        shown={{ items: order.length, groups: groups?.length ?? null }}
        total={prepared.rows.length}
      />
      {order.length === 0 ? (
        <EmptyState
          title="No items match"
          actions={
            <button onClick={() => useInventory.getState().resetFilter()}>Clear filters</button>
          }
        >
          {`${count(prepared.rows.length)} items are hidden by: ${describeFilters(filter).join(', ')}.`}
        </EmptyState>
      ) : groups ? (
        <GroupTable {...table} groups={groups} />
      ) : (
        <InventoryTable {...table} />
      )}
      <SelectionBar rows={rows!} onAddToPlan={addToPlan} />
    </div>
  );
}

function Banner({ message }: { message: string }) {
  return (
    <p className="banner banner-err" role="alert">
      {message}
    </p>
  );
}

function useAddToPlan() {
  const go = useNav((s) => s.go);
  return async () => {
    const rows = useInventory.getState().selectedRows();
    if (rows.length === 0) return;
    const { added, skipped, leftOut } = await usePlan.getState().addRows(rows);
    const draft = usePlan.getState().draft;
    const name = draft?.name ?? 'the plan';
    const notes = [
      skipped ? `${count(skipped)} already there` : '',
      leftOut
        ? `${count(leftOut)} left out: offer below ${formatShare(draft?.options.minMarketShareBp ?? 0)} of market`
        : '',
    ].filter(Boolean);
    const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
    if (added > 0) {
      useInventory.getState().clearSelection();
      // Said on the plans screen, where the trader lands (toasts do not cross screens).
      go('plans');
      useNotices.getState().push('success', `Added ${plural(added, 'item')} to “${name}”${note}.`);
    } else if (skipped + leftOut > 0) {
      useNotices.getState().push('info', `Nothing added to “${name}”${note}.`);
    }
  };
}
