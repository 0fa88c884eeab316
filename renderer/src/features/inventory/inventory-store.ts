import { create } from 'zustand';
import type { InventoryRow, InventorySnapshot } from '../../../../shared/contract';
import type { GameId } from '../../../../shared/api/games';
import { fromInventoryColumns } from '../../../../shared/inventory-columns';
import { call, errorMessage } from '../../api/client';
import {
  DEFAULT_FILTER,
  prepareInventory,
  type InventoryFilter,
  type PreparedInventory,
} from './inventory-view';
import type { Selection } from './selection';

let loadGeneration = 0;

export type InventoryView = { accountId: string; game: GameId };
/** One line per item, or one per group of identical items (grouping.ts). */
export type InventoryMode = 'items' | 'groups';

type InventoryState = {
  snapshots: InventorySnapshot[];
  view: InventoryView | null;
  prepared: PreparedInventory | null;
  status: 'idle' | 'loading' | 'fetching';
  error: string | null;
  filter: InventoryFilter;
  selection: Selection;
  mode: InventoryMode;
  /** Group keys shown with their items (groups mode). */
  expanded: ReadonlySet<string>;

  loadSnapshots: () => Promise<void>;
  /** Forgets the open view and the cached-copy list (another environment has its own). */
  reset: () => Promise<void>;
  /** Shows the cached rows of one account and game (works offline), all of them at once. */
  open: (view: InventoryView) => Promise<void>;
  /** Asks AssetPay for the inventory (online), then shows it. */
  fetch: (view: InventoryView, refresh?: boolean) => Promise<void>;
  setFilter: (patch: Partial<InventoryFilter>) => void;
  resetFilter: () => void;
  setSelection: (selection: Selection) => void;
  clearSelection: () => void;
  selectedRows: () => InventoryRow[];
  setMode: (mode: InventoryMode) => void;
  toggleExpanded: (groupKey: string) => void;
};

export const useInventory = create<InventoryState>()((set, get) => ({
  snapshots: [],
  view: null,
  prepared: null,
  status: 'idle',
  error: null,
  filter: DEFAULT_FILTER,
  selection: { selected: new Set(), anchor: null },
  mode: 'items',
  expanded: new Set(),

  loadSnapshots: async () => {
    try {
      set({
        snapshots: await call(
          'listSnapshots',
          {},
          { context: 'Could not list cached inventories' },
        ),
      });
    } catch {
      // toast shown
    }
  },

  reset: async () => {
    ++loadGeneration;
    set({
      view: null,
      prepared: null,
      status: 'idle',
      error: null,
      snapshots: [],
      selection: { selected: new Set(), anchor: null },
      expanded: new Set(),
    });
    await get().loadSnapshots();
  },

  open: async (view) => {
    const mine = ++loadGeneration;
    const before = get().view;
    const same = before?.accountId === view.accountId && before?.game === view.game;
    // CS2 filters (types, exteriors, prices) mean nothing for Rust: a game starts unfiltered.
    const otherGame = before !== null && before.game !== view.game;
    set({
      view,
      status: 'loading',
      error: null,
      ...(otherGame ? { filter: { ...DEFAULT_FILTER, sort: get().filter.sort } } : {}),
      // A reload of the same view keeps the old table until the new one is whole.
      ...(same
        ? {}
        : {
            prepared: null,
            selection: { selected: new Set(), anchor: null },
            expanded: new Set(),
          }),
    });
    try {
      // The whole cached inventory in one compact answer: search, sort, groups
      // and select-all work on all of it from the first paint (deliverable 6).
      const columns = await call(
        'inventoryColumns',
        { accountId: view.accountId, game: view.game },
        { quiet: true },
      );
      if (mine !== loadGeneration) return;
      const prepared = prepareInventory(fromInventoryColumns(columns), { presorted: true });
      // Keep only selections that still exist and are still sellable.
      const kept = new Set<string>();
      const before = get().selection.selected;
      if (before.size > 0) {
        for (let i = 0; i < prepared.keys.length; i++) {
          if (prepared.sellable[i] === 1 && before.has(prepared.keys[i]!))
            kept.add(prepared.keys[i]!);
        }
      }
      set({
        prepared,
        status: 'idle',
        selection: { selected: kept, anchor: get().selection.anchor },
      });
    } catch (error) {
      if (mine === loadGeneration) set({ status: 'idle', error: errorMessage(error) });
    }
  },

  fetch: async (view, refresh = false) => {
    set({ view, status: 'fetching', error: null });
    try {
      const snapshot = await call(
        'fetchInventory',
        { accountId: view.accountId, game: view.game, refresh },
        { quiet: true },
      );
      set({
        snapshots: [
          ...get().snapshots.filter(
            (s) => !(s.accountId === view.accountId && s.game === view.game),
          ),
          snapshot,
        ],
      });
    } catch (error) {
      set({ status: 'idle', error: errorMessage(error) });
      return;
    }
    await get().open(view);
  },

  setFilter: (patch) => set({ filter: { ...get().filter, ...patch } }),
  resetFilter: () => set({ filter: { ...DEFAULT_FILTER, sort: get().filter.sort } }),
  setSelection: (selection) => set({ selection }),
  setMode: (mode) => set({ mode }),
  toggleExpanded: (groupKey) => {
    const expanded = new Set(get().expanded);
    if (!expanded.delete(groupKey)) expanded.add(groupKey);
    set({ expanded });
  },
  clearSelection: () => set({ selection: { selected: new Set(), anchor: null } }),

  selectedRows: () => {
    const { prepared, selection } = get();
    if (!prepared || selection.selected.size === 0) return [];
    const out: InventoryRow[] = [];
    // In the default (name) order, so a plan built from a selection reads naturally.
    for (const i of prepared.byName) {
      if (selection.selected.has(prepared.keys[i]!)) out.push(prepared.rows[i]!);
    }
    return out;
  },
}));

export function snapshotFor(
  snapshots: readonly InventorySnapshot[],
  view: InventoryView | null,
): InventorySnapshot | undefined {
  if (!view) return undefined;
  return snapshots.find((s) => s.accountId === view.accountId && s.game === view.game);
}
