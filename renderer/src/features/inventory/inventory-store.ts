import { create } from 'zustand';
import type { InventoryRow, InventorySnapshot } from '../../../../shared/contract';
import type { GameId } from '../../../../shared/api/games';
import { call, errorMessage } from '../../api/client';
import {
  DEFAULT_FILTER,
  prepareInventory,
  type InventoryFilter,
  type PreparedInventory,
} from './inventory-view';
import type { Selection } from './selection';

/** The contract's ceiling on one listInventory call, and on what the table holds. */
export const MAX_ROWS = 100_000;
/** Rows asked for first: more than a screenful, cheap to fetch and draw. */
export const FIRST_PAGE = 200;
/**
 * Then the rest in pages this large. Each page costs main a full sort of the
 * cached inventory, so few big pages beat many small ones (bench/ui.ts).
 */
export const CHUNK = 50_000;

let loadGeneration = 0;

export type InventoryView = { accountId: string; game: GameId };

type InventoryState = {
  snapshots: InventorySnapshot[];
  view: InventoryView | null;
  prepared: PreparedInventory | null;
  /** Rows main holds for the view. */
  total: number;
  /** Rows received so far; the table is complete when loaded = min(total, MAX_ROWS). */
  loaded: number;
  status: 'idle' | 'loading' | 'fetching';
  error: string | null;
  filter: InventoryFilter;
  selection: Selection;

  loadSnapshots: () => Promise<void>;
  /** Forgets the open view and the cached-copy list (another environment has its own). */
  reset: () => Promise<void>;
  /** Shows the cached rows of one account and game (works offline): a first screenful, then all of them. */
  open: (view: InventoryView) => Promise<void>;
  /** Asks AssetPay for the inventory (online), then shows it. */
  fetch: (view: InventoryView, refresh?: boolean) => Promise<void>;
  setFilter: (patch: Partial<InventoryFilter>) => void;
  resetFilter: () => void;
  setSelection: (selection: Selection) => void;
  clearSelection: () => void;
  selectedRows: () => InventoryRow[];
};

export const useInventory = create<InventoryState>()((set, get) => ({
  snapshots: [],
  view: null,
  prepared: null,
  total: 0,
  loaded: 0,
  status: 'idle',
  error: null,
  filter: DEFAULT_FILTER,
  selection: { selected: new Set(), anchor: null },

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
      total: 0,
      loaded: 0,
      status: 'idle',
      error: null,
      snapshots: [],
      selection: { selected: new Set(), anchor: null },
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
      ...(same
        ? {}
        : {
            prepared: null,
            loaded: 0,
            total: 0,
            selection: { selected: new Set(), anchor: null },
          }),
    });
    const stale = () => mine !== loadGeneration;
    const page = (offset: number, limit: number) =>
      call(
        'listInventory',
        { accountId: view.accountId, game: view.game, sort: 'name', offset, limit },
        { quiet: true },
      );
    try {
      // A screenful first, so the table paints at once; then the whole cached
      // inventory in a few large pages (filters and select-all need all of it).
      const first = await page(0, FIRST_PAGE);
      if (stale()) return;
      const rows = [...first.rows];
      const total = Math.min(first.total, MAX_ROWS);
      let shown: PreparedInventory | null = null;
      // A reload of the same view keeps the old table until the new one is whole.
      if (!same || !get().prepared || rows.length >= total) {
        // Its own array: `rows` keeps growing below.
        shown = prepareInventory(first.rows, { presorted: true });
        set({ prepared: shown, total: first.total, loaded: rows.length });
      }
      while (rows.length < total) {
        const next = await page(rows.length, Math.min(CHUNK, total - rows.length));
        if (stale()) return;
        if (next.rows.length === 0 || next.total !== first.total) break;
        rows.push(...next.rows);
        set({ loaded: rows.length });
      }
      const prepared =
        shown && shown.rows.length === rows.length
          ? shown
          : prepareInventory(rows, { presorted: true });
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
        total: first.total,
        loaded: rows.length,
        status: 'idle',
        selection: { selected: kept, anchor: get().selection.anchor },
      });
    } catch (error) {
      if (!stale()) set({ status: 'idle', error: errorMessage(error) });
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
