import { useEffect, useMemo, useState } from 'react';
import { GAMES, type GameId } from '../../../../shared/api/games';
import { parseUsdToCents, formatCentsPlain } from '../../../../shared/money';
import { useAccounts } from '../accounts/accounts-store';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { useNotices } from '../../api/notices-store';
import { unitLimit, usePlan } from '../plans/plan-store';
import { useSettings } from '../settings/settings-store';
import type { InventoryRow } from '../../../../shared/contract';
import { previewBatches } from '../../../../shared/planner';
import { EmptyState } from '../../ui/empty-state';
import { Money } from '../../ui/money';
import { count, gameName, plural, relativeTime } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { subscribe } from '../../api/client';
import { MAX_ROWS, snapshotFor, useInventory } from './inventory-store';
import {
  filterInventory,
  NO_EXTERIOR,
  rowIndexOf,
  warmUp,
  type InventorySort,
} from './inventory-view';
import { InventoryTable } from './inventory-table';
import { countSelectedShown, deselectAllShown, selectAllShown, visibleRows } from './selection';
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
  const status = useInventory((s) => s.status);
  const error = useInventory((s) => s.error);
  const view = useInventory((s) => s.view);
  const snapshots = useInventory((s) => s.snapshots);
  const total = useInventory((s) => s.total);
  const loaded = useInventory((s) => s.loaded);
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
  const partial = !!prepared && prepared.rows.length < Math.min(total, MAX_ROWS);
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
  return (
    <div className="inventory-body">
      {error && <Banner message={error} />}
      <FilterBar
        types={prepared.types}
        exteriors={prepared.exteriors}
        shown={order.length}
        total={prepared.rows.length}
        loading={partial ? { loaded, total } : null}
      />
      {!partial && status === 'idle' && total > prepared.rows.length && (
        <p className="banner banner-warn">
          Showing the first {count(prepared.rows.length)} of {count(total)} cached items.
        </p>
      )}
      {order.length === 0 ? (
        <EmptyState
          title="No items match"
          actions={
            <button onClick={() => useInventory.getState().resetFilter()}>Clear filters</button>
          }
        >
          {`${count(prepared.rows.length)} items are hidden by: ${activeFilters(filter).join(', ')}.`}
        </EmptyState>
      ) : (
        <InventoryTable
          prepared={prepared}
          order={order}
          rows={rows!}
          inPlan={inPlan}
          onAddToPlan={addToPlan}
        />
      )}
      <SelectionBar rows={rows!} onAddToPlan={addToPlan} partial={partial} />
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
    const { added, skipped } = await usePlan.getState().addRows(rows);
    const name = usePlan.getState().draft?.name ?? 'the plan';
    if (added > 0) {
      useInventory.getState().clearSelection();
      useNotices
        .getState()
        .push(
          'success',
          `Added ${plural(added, 'item')} to “${name}”${skipped ? ` (${count(skipped)} already there)` : ''}.`,
        );
      go('plans');
    } else if (skipped > 0) {
      useNotices
        .getState()
        .push('info', `All ${plural(skipped, 'selected item')} are already in “${name}”.`);
    }
  };
}

function FilterBar({
  types,
  exteriors,
  shown,
  total,
  loading,
}: {
  types: readonly string[];
  exteriors: readonly string[];
  shown: number;
  total: number;
  loading: { loaded: number; total: number } | null;
}) {
  const filter = useInventory((s) => s.filter);
  const setFilter = useInventory((s) => s.setFilter);
  const [minText, setMinText] = useState(
    filter.minCents === null ? '' : formatCentsPlain(filter.minCents),
  );
  const [maxText, setMaxText] = useState(
    filter.maxCents === null ? '' : formatCentsPlain(filter.maxCents),
  );
  const minBad = minText.trim() !== '' && parseUsdToCents(minText) === null;
  const maxBad = maxText.trim() !== '' && parseUsdToCents(maxText) === null;
  return (
    <div className="filter-bar" role="search">
      <input
        type="search"
        className="search"
        placeholder="Search name or item id   ( / )"
        value={filter.search}
        onChange={(e) => setFilter({ search: e.target.value })}
        aria-label="Search items"
        data-search
        data-testid="inventory-search"
      />
      <select
        value={filter.type}
        onChange={(e) => setFilter({ type: e.target.value })}
        aria-label="Type"
      >
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <select
        value={filter.exterior}
        onChange={(e) => setFilter({ exterior: e.target.value })}
        aria-label="Exterior"
      >
        <option value="">Any exterior</option>
        {exteriors.map((x) => (
          <option key={x} value={x}>
            {x === NO_EXTERIOR ? 'No exterior' : x}
          </option>
        ))}
      </select>
      <span className="price-range">
        <input
          className="price-input"
          inputMode="decimal"
          placeholder="Min $"
          value={minText}
          aria-label="Minimum offer price in USD"
          aria-invalid={minBad}
          onChange={(e) => {
            setMinText(e.target.value);
            const v = e.target.value.trim() === '' ? null : parseUsdToCents(e.target.value);
            if (e.target.value.trim() === '' || v !== null) setFilter({ minCents: v });
          }}
        />
        <span aria-hidden="true">–</span>
        <input
          className="price-input"
          inputMode="decimal"
          placeholder="Max $"
          value={maxText}
          aria-label="Maximum offer price in USD"
          aria-invalid={maxBad}
          onChange={(e) => {
            setMaxText(e.target.value);
            const v = e.target.value.trim() === '' ? null : parseUsdToCents(e.target.value);
            if (e.target.value.trim() === '' || v !== null) setFilter({ maxCents: v });
          }}
        />
      </span>
      <label className="check-inline">
        <input
          type="checkbox"
          checked={filter.sellableOnly}
          onChange={(e) => setFilter({ sellableOnly: e.target.checked })}
        />
        Sellable only
      </label>
      <select
        value={filter.sort}
        onChange={(e) => setFilter({ sort: e.target.value as InventorySort })}
        aria-label="Sort"
      >
        <option value="name">Name A–Z</option>
        <option value="priceDesc">Price high–low</option>
        <option value="priceAsc">Price low–high</option>
        <option value="type">Type</option>
      </select>
      <span className="muted shown-count" data-testid="shown-count" data-search={filter.search}>
        {loading
          ? `Loading ${count(loading.loaded)} of ${count(loading.total)} items…`
          : shown === total
            ? `${count(total)} items`
            : `${count(shown)} of ${count(total)}`}
      </span>
    </div>
  );
}

function SelectionBar({
  rows,
  onAddToPlan,
  partial,
}: {
  rows: ReturnType<typeof visibleRows>;
  onAddToPlan: () => void;
  partial: boolean;
}) {
  const selection = useInventory((s) => s.selection);
  const prepared = useInventory((s) => s.prepared);
  const setSelection = useInventory((s) => s.setSelection);
  const clear = useInventory((s) => s.clearSelection);
  const batchSize =
    usePlan((s) => s.draft?.options.batchSize) ?? useSettings.getState().settings?.batchSize ?? 250;
  const draftName = usePlan((s) => (s.draft?.status === 'draft' ? s.draft.name : null));

  // The preview of what this selection would send: computed, never stored.
  const preview = useMemo(() => {
    if (!prepared || selection.selected.size === 0) return null;
    const items: InventoryRow[] = [];
    const { rows: all, keys } = prepared;
    for (let i = 0; i < all.length; i++) if (selection.selected.has(keys[i]!)) items.push(all[i]!);
    return previewBatches(items, batchSize, unitLimit);
  }, [prepared, selection, batchSize]);

  const shownSelected = useMemo(
    () => countSelectedShown(selection.selected, rows),
    [selection, rows],
  );
  const selectableShown = useMemo(() => {
    let n = 0;
    for (let p = 0; p < rows.count; p++) if (rows.selectableAt(p)) n++;
    return n;
  }, [rows]);
  const allShown = selectableShown > 0 && shownSelected >= selectableShown;

  return (
    <div className="selection-bar" aria-live="polite" data-testid="selection-bar">
      <div className="selection-summary">
        {preview ? (
          <>
            <strong data-testid="selected-count">{count(preview.itemCount)} selected</strong>
            <span className="muted">
              {plural(preview.batchCount, 'batch', 'batches')} of ≤ {batchSize}
            </span>
            <Money cents={preview.totalCents} className="strong" />
          </>
        ) : (
          <span className="muted">
            Click, Shift-click or Ctrl/⌘-click rows to select · Ctrl/⌘+A selects all matching
          </span>
        )}
      </div>
      <div className="row-actions">
        <button
          type="button"
          onClick={() =>
            setSelection(
              allShown ? deselectAllShown(selection, rows) : selectAllShown(selection, rows),
            )
          }
          disabled={selectableShown === 0 || partial}
          title={partial ? 'Available once the whole inventory is loaded' : undefined}
          data-testid="select-all-matching"
        >
          {allShown
            ? `Deselect ${count(selectableShown)} shown`
            : `Select all ${count(selectableShown)} matching`}
        </button>
        <button type="button" onClick={clear} disabled={selection.selected.size === 0}>
          Clear
        </button>
        <button
          type="button"
          className="primary"
          disabled={selection.selected.size === 0}
          onClick={onAddToPlan}
          title="Ctrl/⌘+Enter"
          data-testid="add-to-plan"
        >
          {draftName ? `Add to “${draftName}”` : 'Add to a new plan'}
        </button>
      </div>
    </div>
  );
}

/** The filters in use, in words ("search “ak”", "type Pistol", …). */
function activeFilters(f: ReturnType<typeof useInventory.getState>['filter']): string[] {
  const out: string[] = [];
  if (f.search.trim()) out.push(`search “${f.search.trim()}”`);
  if (f.type) out.push(`type ${f.type}`);
  if (f.exterior) out.push(f.exterior === NO_EXTERIOR ? 'no exterior' : `exterior ${f.exterior}`);
  if (f.minCents !== null) out.push(`price ≥ $${formatCentsPlain(f.minCents)}`);
  if (f.maxCents !== null) out.push(`price ≤ $${formatCentsPlain(f.maxCents)}`);
  if (f.sellableOnly) out.push('sellable only');
  return out.length > 0 ? out : ['the filters'];
}
