import { create } from 'zustand';
import type {
  ImportPriceDiff,
  ImportRowError,
  InventoryRow,
  PlanItem,
  PlanOptions,
  PlanSummary,
  Plan,
} from '../../../../shared/contract';
import { GAMES, type GameId } from '../../../../shared/api/games';
import { applyMarketShareRule, formatShare } from '../../../../shared/market-share';
import { attempt, call } from '../../api/client';
import { useNotices } from '../../api/notices-store';
import { isSellable, itemKey } from '../inventory/inventory-view';

/*
 * The plan being edited. Everything here works offline: edits apply locally at
 * once and an autosave sends the whole draft (updatePlan replaces the items)
 * after a short pause, so a restart never loses more than that pause.
 */

export const AUTOSAVE_DELAY_MS = 600;
/** The contract's ceiling on a unit count (api §4.2: 1–10,000). */
export const MAX_UNITS = 10_000;

export type Stack = Pick<InventoryRow, 'amount' | 'maxAmount'>;
export type SaveState = 'saved' | 'pending' | 'saving' | 'error';
export type ImportReport = {
  source: string;
  imported: number;
  /** Items new to the plan; the rest of `imported` were already in it and were updated. */
  added: number;
  updated: number;
  errors: ImportRowError[];
  /** Rows kept at the file's price, which is not AssetPay's offer. */
  priceDiffers: ImportPriceDiff[];
};

type Draft = Omit<Plan, 'itemCount' | 'batchCount' | 'totalCents' | 'unavailableCount'>;

type PlanState = {
  plans: PlanSummary[];
  plansLoaded: boolean;
  draft: Draft | null;
  /** Most units a Rust stack allows: min(stack amount, offer.maxAmount). */
  maxUnits: Record<string, number>;
  /** Each Rust stack's size and AssetPay's cap (offer.maxAmount), to show why a stack sells fewer units. */
  stacks: Record<string, Stack>;
  save: SaveState;
  saveError: string | null;
  /** Fields that hold a value the plan cannot keep, with what is wrong: not saved while any is. */
  fieldProblems: Readonly<Record<string, string>>;
  revision: number;
  importReport: ImportReport | null;

  loadPlans: () => Promise<void>;
  setFieldProblem: (field: string, problem: string | null) => void;
  open: (planId: string) => Promise<void>;
  /** Shows a plan main just returned (created, copied, changed) and lists it. */
  adopt: (plan: Plan) => void;
  /** Lists a plan's new summary (and its status, if it is the open one). */
  upsert: (summary: PlanSummary) => void;
  close: () => Promise<void>;
  create: (name: string) => Promise<string | null>;
  /** Adds sellable inventory rows (creating a plan if none is open); `leftOut`: below the plan's market-share rule. */
  addRows: (
    rows: readonly InventoryRow[],
  ) => Promise<{ added: number; skipped: number; leftOut: number }>;
  removeItems: (keys: ReadonlySet<string>) => void;
  setAmount: (key: string, amount: number) => void;
  setOptions: (patch: Partial<PlanOptions>) => void;
  rename: (name: string) => void;
  flush: () => Promise<void>;
  retrySave: () => Promise<void>;
  remove: (planId: string) => Promise<void>;
  importText: (args: {
    source: string;
    format: 'csv' | 'json';
    text: string;
    accountId: string;
    game: GameId;
  }) => Promise<ImportReport | null>;
  dismissImportReport: () => void;
  exportPlan: (format: 'csv' | 'json') => Promise<{ fileName: string; text: string } | null>;
  arm: () => Promise<void>;
  disarm: () => Promise<void>;
  /** Main changed the plan (armed → submitted, …): reread it if it is open. */
  refreshStatus: () => Promise<void>;
};

let timer: ReturnType<typeof setTimeout> | null = null;
let inFlight: Promise<void> | null = null;

export function defaultPlanName(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Plan ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

export function unitLimit(row: Pick<InventoryRow, 'amount' | 'maxAmount'>): number {
  const stack = Math.max(1, row.amount);
  return Math.min(stack, row.maxAmount ?? stack, MAX_UNITS);
}

function toDraft(plan: Plan): Draft {
  return {
    id: plan.id,
    name: plan.name,
    status: plan.status,
    environment: plan.environment,
    updatedAt: plan.updatedAt,
    options: plan.options,
    items: plan.items,
  };
}

function summaryOf(plan: Plan): PlanSummary {
  const { items: _items, ...summary } = plan;
  return summary;
}

export const usePlan = create<PlanState>()((set, get) => {
  function upsertSummary(summary: PlanSummary) {
    const others = get().plans.filter((p) => p.id !== summary.id);
    set({ plans: [summary, ...others] });
  }

  function edit(change: (draft: Draft) => Draft) {
    const draft = get().draft;
    if (!draft || draft.status !== 'draft') return;
    set({ draft: change(draft), revision: get().revision + 1, save: 'pending', saveError: null });
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void get().flush();
    }, AUTOSAVE_DELAY_MS);
  }

  async function saveOnce(): Promise<void> {
    const draft = get().draft;
    if (!draft || get().save === 'saved') return;
    const revision = get().revision;
    set({ save: 'saving' });
    const result = await attempt('updatePlan', {
      planId: draft.id,
      name: draft.name,
      options: draft.options,
      items: draft.items.map((i) => ({
        accountId: i.accountId,
        game: i.game,
        itemId: i.itemId,
        amount: i.amount,
      })),
    });
    if (get().draft?.id !== draft.id) return;
    if (!result.ok) {
      set({ save: 'error', saveError: result.error.message });
      return;
    }
    upsertSummary(summaryOf(result.data));
    if (get().revision === revision) {
      // Main fills names and prices from the cache; its copy is the truth.
      set({ draft: toDraft(result.data), save: 'saved', saveError: null });
    } else {
      // Edited while saving: those edits go out next.
      set({ save: 'pending' });
      await saveOnce();
    }
  }

  async function loadUnitLimits(plan: Draft) {
    const accounts = new Set(
      plan.items.filter((i) => i.game === GAMES.rust).map((i) => i.accountId),
    );
    const limits: Record<string, number> = {};
    const stacks: Record<string, Stack> = {};
    for (const accountId of accounts) {
      const result = await attempt('listInventory', {
        accountId,
        game: GAMES.rust,
        offset: 0,
        limit: 100_000,
      });
      if (!result.ok) continue;
      for (const row of result.data.rows) {
        limits[itemKey(row)] = unitLimit(row);
        stacks[itemKey(row)] = { amount: row.amount, maxAmount: row.maxAmount };
      }
    }
    set({ maxUnits: { ...get().maxUnits, ...limits }, stacks: { ...get().stacks, ...stacks } });
  }

  return {
    plans: [],
    plansLoaded: false,
    draft: null,
    maxUnits: {},
    stacks: {},
    save: 'saved',
    saveError: null,
    fieldProblems: {},
    revision: 0,
    importReport: null,

    loadPlans: async () => {
      try {
        set({
          plans: await call('listPlans', {}, { context: 'Could not list plans' }),
          plansLoaded: true,
        });
      } catch {
        set({ plansLoaded: true });
      }
    },

    setFieldProblem: (field, problem) => {
      const { [field]: _old, ...others } = get().fieldProblems;
      if (problem === null && _old === undefined) return;
      set({ fieldProblems: problem === null ? others : { ...others, [field]: problem } });
    },

    open: async (planId) => {
      await get().flush();
      try {
        const plan = await call('getPlan', { planId }, { context: 'Could not open the plan' });
        // Main's copy is the truth, in the list too (a pre-flight may have changed prices).
        const summary = summaryOf(plan);
        set({
          plans: get().plans.map((p) => (p.id === planId ? summary : p)),
          draft: toDraft(plan),
          save: 'saved',
          saveError: null,
          importReport: null,
        });
        void loadUnitLimits(toDraft(plan));
      } catch {
        // toast shown
      }
    },

    adopt: (plan) => {
      upsertSummary(summaryOf(plan));
      set({ draft: toDraft(plan), save: 'saved', saveError: null, importReport: null });
      void loadUnitLimits(toDraft(plan));
    },

    upsert: (summary) => {
      upsertSummary(summary);
      const draft = get().draft;
      if (draft?.id === summary.id)
        set({ draft: { ...draft, status: summary.status, updatedAt: summary.updatedAt } });
    },

    close: async () => {
      await get().flush();
      set({ draft: null, importReport: null });
    },

    create: async (name) => {
      await get().flush();
      try {
        const plan = await call('createPlan', { name }, { context: 'Could not create a plan' });
        get().adopt(plan);
        return plan.id;
      } catch {
        return null;
      }
    },

    addRows: async (rows) => {
      const limits: Record<string, number> = {};
      const stacks: Record<string, Stack> = {};
      const sellable = rows.filter(isSellable);
      for (const row of sellable) {
        limits[itemKey(row)] = unitLimit(row);
        stacks[itemKey(row)] = { amount: row.amount, maxAmount: row.maxAmount };
      }
      set({ maxUnits: { ...get().maxUnits, ...limits }, stacks: { ...get().stacks, ...stacks } });
      const skipped = rows.length - sellable.length;
      let draft = get().draft;
      if (!draft || draft.status !== 'draft') {
        const id = await get().create(defaultPlanName());
        if (!id) return { added: 0, skipped: rows.length, leftOut: 0 };
        draft = get().draft!;
      }
      const { kept, leftOut } = applyMarketShareRule(sellable, draft.options.minMarketShareBp);
      const existing = new Set(draft.items.map(itemKey));
      const fresh: PlanItem[] = [];
      for (const row of kept) {
        const key = itemKey(row);
        if (existing.has(key)) continue;
        existing.add(key);
        fresh.push({
          accountId: row.accountId,
          game: row.game,
          itemId: row.itemId,
          name: row.name,
          priceUsd: row.priceUsd,
          priceCents: row.priceCents,
          // A Rust stack is sold whole unless the trader lowers it.
          amount: unitLimit(row),
          marketPriceCents: row.marketPriceCents,
        });
      }
      if (fresh.length > 0) edit((d) => ({ ...d, items: [...d.items, ...fresh] }));
      return {
        added: fresh.length,
        skipped: skipped + (kept.length - fresh.length),
        leftOut: leftOut.length,
      };
    },

    removeItems: (keys) =>
      edit((d) => ({ ...d, items: d.items.filter((i) => !keys.has(itemKey(i))) })),

    setAmount: (key, amount) => {
      const max = get().maxUnits[key] ?? MAX_UNITS;
      const units = Math.min(max, Math.max(1, Math.floor(Number.isFinite(amount) ? amount : 1)));
      edit((d) => ({
        ...d,
        items: d.items.map((i) => (itemKey(i) === key ? { ...i, amount: units } : i)),
      }));
    },

    setOptions: (patch) => {
      const rule = patch.minMarketShareBp;
      const before = get().draft?.items.length ?? 0;
      edit((d) => {
        const options = { ...d.options, ...patch };
        // A new market-share rule applies at once to what the plan holds (main does the same).
        if (rule === undefined || rule === null) return { ...d, options };
        return { ...d, options, items: applyMarketShareRule(d.items, rule).kept };
      });
      const removed = before - (get().draft?.items.length ?? 0);
      if (removed > 0) {
        useNotices
          .getState()
          .push(
            'info',
            `Left out ${removed.toLocaleString('en-US')} item${removed === 1 ? '' : 's'} whose offer is below ${formatShare(rule ?? 0)} of market.`,
          );
      }
    },

    rename: (name) => {
      const trimmed = name.slice(0, 100);
      if (trimmed.trim()) edit((d) => ({ ...d, name: trimmed }));
    },

    flush: async () => {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      while (inFlight) await inFlight;
      if (get().save === 'saved' || get().save === 'error' || !get().draft) return;
      inFlight = saveOnce().finally(() => {
        inFlight = null;
      });
      await inFlight;
    },

    retrySave: async () => {
      if (get().save !== 'error') return;
      set({ save: 'pending', saveError: null });
      await get().flush();
    },

    remove: async (planId) => {
      if (get().draft?.id === planId) await get().flush();
      try {
        await call('deletePlan', { planId }, { context: 'Plan not deleted' });
      } catch {
        return; // toast shown; the plan stays open
      }
      if (get().draft?.id === planId) set({ draft: null, save: 'saved' });
      set({ plans: get().plans.filter((p) => p.id !== planId) });
    },

    importText: async ({ source, format, text, accountId, game }) => {
      let draft = get().draft;
      if (!draft || draft.status !== 'draft') {
        const id = await get().create(defaultPlanName());
        if (!id) return null;
        draft = get().draft!;
      }
      // Pending edits go first, or the next autosave would overwrite the import.
      await get().flush();
      try {
        const result = await call(
          'importPlanItems',
          { planId: draft.id, accountId, game, format, text },
          { context: 'Import failed' },
        );
        const report = {
          source,
          imported: result.imported,
          added: result.added,
          updated: result.updated,
          errors: result.errors,
          priceDiffers: result.priceDiffers,
        };
        get().adopt(result.plan);
        set({ importReport: report });
        return report;
      } catch {
        return null;
      }
    },

    dismissImportReport: () => set({ importReport: null }),

    exportPlan: async (format) => {
      const draft = get().draft;
      if (!draft) return null;
      await get().flush();
      try {
        return await call('exportPlan', { planId: draft.id, format }, { context: 'Export failed' });
      } catch {
        return null;
      }
    },

    arm: async () => {
      const draft = get().draft;
      if (!draft) return;
      await get().flush();
      try {
        const summary = await call(
          'armPlan',
          { planId: draft.id },
          { context: 'Could not arm the plan' },
        );
        upsertSummary(summary);
        set({ draft: { ...draft, status: summary.status, updatedAt: summary.updatedAt } });
        useNotices
          .getState()
          .push(
            'info',
            `“${summary.name}” is armed: it will be submitted when the connection returns.`,
          );
      } catch {
        // toast shown
      }
    },

    disarm: async () => {
      const draft = get().draft;
      if (!draft) return;
      try {
        const summary = await call(
          'disarmPlan',
          { planId: draft.id },
          { context: 'Could not disarm' },
        );
        upsertSummary(summary);
        set({ draft: { ...draft, status: summary.status, updatedAt: summary.updatedAt } });
      } catch {
        // toast shown
      }
    },

    refreshStatus: async () => {
      await get().loadPlans();
      const draft = get().draft;
      if (!draft) return;
      const summary = get().plans.find((p) => p.id === draft.id);
      if (summary && summary.status !== draft.status) {
        set({ draft: { ...draft, status: summary.status, updatedAt: summary.updatedAt } });
      }
    },
  };
});
