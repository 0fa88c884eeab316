import type {
  Account,
  BatchView,
  BulkSellerApi,
  EventName,
  EventPayload,
  InventoryRow,
  InventorySnapshot,
  IpcError,
  IpcResult,
  Plan,
  PlanItem,
  PreflightDiff,
  ReviewItem,
  RunSummary,
  Settings,
  TradeView,
} from '../../../shared/contract';
import { GAMES, type GameId } from '../../../shared/api/games';
import { parseTradeUrl } from '../../../shared/api/trade-url';
import { toInventoryColumns } from '../../../shared/inventory-columns';
import { parseUsdToCents, usdToCents } from '../../../shared/money';

/*
 * FAKE — an in-memory stand-in for `window.bulkSeller`, for the renderer's
 * unit tests only. It answers in the contract's shapes with just enough
 * behaviour to drive the stores; it is not the app's backend and the app never
 * imports it. The end-to-end tests use the real services through the test host.
 */

export type FakeBulkSeller = {
  api: BulkSellerApi;
  calls: { method: string; request: unknown }[];
  state: {
    online: boolean;
    settings: Settings;
    keys: Map<string, string>;
    accounts: Account[];
    inventory: InventoryRow[];
    snapshots: InventorySnapshot[];
    plans: Map<string, Plan>;
    /** Current offer per itemId, for the next pre-flight. */
    currentPrices: Map<string, number | null>;
    /** Every row of each pre-flight, unchanged ones included (the diff sent to the page leaves those out). */
    preflightRows: Map<string, PreflightDiff['rows']>;
    runs: Map<string, { run: RunSummary; batches: BatchView[] }>;
    trades: TradeView[];
    /** What the next reviewBatch lists. */
    reviewItems: ReviewItem[];
  };
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Makes the next call of `method` fail with this error. */
  failNext: (method: string, error: IpcError) => void;
};

export function fakeInventoryRow(i: number, overrides: Partial<InventoryRow> = {}): InventoryRow {
  const game = overrides.game ?? GAMES.cs2;
  const priceCents = overrides.priceCents ?? 100 + ((i * 37) % 5000);
  return {
    accountId: 'acc-1',
    game,
    itemId: `item-${String(i).padStart(6, '0')}`,
    name: `${['AK-47', 'M4A4', 'AWP', 'Glock-18'][i % 4]} | Skin ${i}`,
    marketHashName: `Skin ${i}`,
    type: ['Rifle', 'Rifle', 'Sniper Rifle', 'Pistol'][i % 4]!,
    exterior:
      game === GAMES.rust ? null : ['Factory New', 'Field-Tested', 'Battle-Scarred'][i % 3]!,
    wear: game === GAMES.rust ? null : '0.25',
    rarity: null,
    color: null,
    iconUrl: '',
    tradable: true,
    accepted: true,
    priceUsd: priceCents / 100,
    priceCents,
    marketPriceCents: null,
    amount: 1,
    maxAmount: null,
    taken: null,
    ...overrides,
  };
}

const now = () => new Date().toISOString();

/** Main's name order: name, then item id (binary collation). */
const byNameThenId = (a: InventoryRow, b: InventoryRow) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.itemId < b.itemId ? -1 : 1;

export function createFakeBulkSeller(): FakeBulkSeller {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const failures = new Map<string, IpcError>();
  const calls: FakeBulkSeller['calls'] = [];
  let seq = 1;
  const id = (prefix: string) => `${prefix}-${seq++}`;

  const state: FakeBulkSeller['state'] = {
    online: true,
    settings: {
      environment: 'sandbox',
      tier: 'verified',
      defaultGame: GAMES.cs2,
      isInstant: true,
      concurrency: 'auto',
      priceToleranceBp: 0,
      batchSize: 250,
    },
    keys: new Map(),
    accounts: [],
    inventory: [],
    snapshots: [],
    plans: new Map(),
    currentPrices: new Map(),
    preflightRows: new Map(),
    runs: new Map(),
    trades: [],
    reviewItems: [],
  };

  const ok = <T>(data: T): IpcResult<T> => ({ ok: true, data });
  const fail = (code: IpcError['code'], message: string): IpcResult<never> => ({
    ok: false,
    error: { code, message },
  });

  function emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    for (const l of listeners.get(event) ?? []) l(payload);
  }

  function on<E extends EventName>(event: E) {
    return (listener: (payload: EventPayload<E>) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    };
  }

  function summarize(plan: Plan): Plan {
    const groups = new Map<string, number>();
    for (const i of plan.items)
      groups.set(`${i.accountId}|${i.game}`, (groups.get(`${i.accountId}|${i.game}`) ?? 0) + 1);
    let batchCount = 0;
    for (const n of groups.values()) batchCount += Math.ceil(n / plan.options.batchSize);
    return {
      ...plan,
      itemCount: plan.items.length,
      batchCount,
      totalCents: plan.items.reduce((s, i) => s + i.priceCents * i.amount, 0),
      updatedAt: now(),
    };
  }

  function planItemFrom(
    accountId: string,
    game: GameId,
    itemId: string,
    amount?: number,
  ): PlanItem | null {
    const row = state.inventory.find(
      (r) => r.accountId === accountId && r.game === game && r.itemId === itemId,
    );
    if (!row) return null;
    return {
      accountId,
      game,
      itemId,
      name: row.name,
      priceUsd: row.priceUsd,
      priceCents: row.priceCents,
      amount: amount ?? 1,
    };
  }

  // Each method records its call and honours failNext before doing its work.
  function method<A extends unknown[], R>(name: string, fn: (...args: A) => IpcResult<R>) {
    return async (...args: A): Promise<IpcResult<R>> => {
      calls.push({ method: name, request: args[0] });
      await Promise.resolve();
      const failure = failures.get(name);
      if (failure) {
        failures.delete(name);
        return { ok: false, error: failure };
      }
      return fn(...args);
    };
  }

  const api: BulkSellerApi = {
    getSettings: method('getSettings', () => ok(state.settings)),
    updateSettings: method('updateSettings', (patch) => {
      state.settings = { ...state.settings, ...patch };
      return ok(state.settings);
    }),
    setApiKey: method('setApiKey', ({ environment, apiKey }) => {
      state.keys.set(environment, apiKey);
      return ok({ environment, present: true, hint: apiKey.slice(-4) });
    }),
    getKeyStatus: method('getKeyStatus', ({ environment }) => {
      const key = state.keys.get(environment);
      return ok({ environment, present: !!key, hint: key ? key.slice(-4) : null });
    }),
    deleteApiKey: method('deleteApiKey', ({ environment }) => {
      state.keys.delete(environment);
      return ok({ environment, present: false, hint: null });
    }),
    validateApiKey: method('validateApiKey', ({ environment }) =>
      ok(
        state.keys.has(environment)
          ? { result: 'valid' as const, message: 'The key works.' }
          : { result: 'no-key' as const, message: 'No key saved.' },
      ),
    ),

    listAccounts: method('listAccounts', () => ok(state.accounts)),
    addAccount: method('addAccount', ({ label, tradeUrl }) => {
      const check = parseTradeUrl(tradeUrl);
      if (!check.ok) return fail('invalid-request', check.reason);
      const account: Account = {
        id: id('acc'),
        label,
        tradeUrl: check.url,
        steamId64: check.steamId64,
        createdAt: now(),
        lastCheck: null,
      };
      state.accounts.push(account);
      return ok(account);
    }),
    updateAccount: method('updateAccount', ({ accountId, label, tradeUrl }) => {
      const account = state.accounts.find((a) => a.id === accountId);
      if (!account) return fail('not-found', 'No such account.');
      if (label) account.label = label;
      if (tradeUrl) account.tradeUrl = tradeUrl;
      return ok({ ...account });
    }),
    removeAccount: method('removeAccount', ({ accountId }) => {
      state.accounts = state.accounts.filter((a) => a.id !== accountId);
      return ok({ ok: true as const });
    }),
    checkAccount: method('checkAccount', ({ accountId }) => {
      const account = state.accounts.find((a) => a.id === accountId);
      if (!account) return fail('not-found', 'No such account.');
      account.lastCheck = {
        environment: state.settings.environment,
        at: now(),
        state: 1,
        canTrade: true,
        message: 'Can trade.',
      };
      return ok({ ...account });
    }),

    fetchInventory: method('fetchInventory', ({ accountId, game }) => {
      if (!state.online) return fail('offline', 'You are offline; showing the cached inventory.');
      const snapshot = {
        accountId,
        environment: state.settings.environment,
        game,
        itemCount: state.inventory.filter((r) => r.accountId === accountId && r.game === game)
          .length,
        fetchedAt: now(),
      };
      state.snapshots = [
        ...state.snapshots.filter((s) => !(s.accountId === accountId && s.game === game)),
        snapshot,
      ];
      return ok(snapshot);
    }),
    listSnapshots: method('listSnapshots', () => ok(state.snapshots)),
    inventoryColumns: method('inventoryColumns', ({ accountId, game }) => {
      const rows = state.inventory
        .filter((r) => r.accountId === accountId && r.game === game)
        .sort(byNameThenId);
      return ok(toInventoryColumns(accountId, game, rows));
    }),
    listInventory: method('listInventory', (req) => {
      const rows = state.inventory.filter(
        (r) =>
          (!req.accountId || r.accountId === req.accountId) && (!req.game || r.game === req.game),
      );
      // Main sorts by name, then item id (binary collation).
      if (req.sort === 'name') rows.sort(byNameThenId);
      const offset = req.offset ?? 0;
      return ok({ total: rows.length, rows: rows.slice(offset, offset + (req.limit ?? 500)) });
    }),

    listPlans: method('listPlans', () =>
      ok([...state.plans.values()].map(({ items: _items, ...summary }) => summary)),
    ),
    getPlan: method('getPlan', ({ planId }) => {
      const plan = state.plans.get(planId);
      return plan ? ok(plan) : fail('not-found', 'No such plan.');
    }),
    createPlan: method('createPlan', ({ name, options, items }) => {
      const plan = summarize({
        id: id('plan'),
        name,
        status: 'draft',
        environment: state.settings.environment,
        unavailableCount: 0,
        itemCount: 0,
        batchCount: 0,
        totalCents: 0,
        updatedAt: now(),
        options: { batchSize: 250, isInstant: true, priceToleranceBp: 0, ...options },
        items: (items ?? []).flatMap(
          (i) => planItemFrom(i.accountId, i.game, i.itemId, i.amount) ?? [],
        ),
      });
      state.plans.set(plan.id, plan);
      return ok(plan);
    }),
    updatePlan: method('updatePlan', ({ planId, name, options, items }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      if (plan.status !== 'draft') return fail('conflict', 'The plan is not a draft any more.');
      const next = summarize({
        ...plan,
        name: name ?? plan.name,
        options: { ...plan.options, ...options },
        items: items
          ? items.flatMap((i) => planItemFrom(i.accountId, i.game, i.itemId, i.amount) ?? [])
          : plan.items,
      });
      state.plans.set(planId, next);
      return ok(next);
    }),
    deletePlan: method('deletePlan', ({ planId }) => {
      state.plans.delete(planId);
      return ok({ ok: true as const });
    }),
    duplicatePlan: method('duplicatePlan', ({ planId, name }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const copy = summarize({
        ...plan,
        id: id('plan'),
        name: name ?? `${plan.name} (copy)`,
        status: 'draft',
      });
      state.plans.set(copy.id, copy);
      return ok(copy);
    }),
    archivePlan: method('archivePlan', ({ planId, archived }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const next = { ...plan, status: archived ? ('archived' as const) : ('draft' as const) };
      state.plans.set(planId, next);
      const { items: _items, ...summary } = next;
      return ok(summary);
    }),
    checkPlan: method('checkPlan', ({ planId }) =>
      state.plans.has(planId) ? ok([]) : fail('not-found', 'No such plan.'),
    ),
    removePlanItems: method('removePlanItems', ({ planId, items }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const gone = new Set(items.map((i) => `${i.accountId}|${i.game}|${i.itemId}`));
      const next = summarize({
        ...plan,
        items: plan.items.filter((i) => !gone.has(`${i.accountId}|${i.game}|${i.itemId}`)),
      });
      state.plans.set(planId, next);
      return ok(next);
    }),
    planUnsold: method('planUnsold', () =>
      fail('conflict', 'Every item of this plan was sold or is still being sold.'),
    ),
    importPlanItems: method('importPlanItems', ({ planId, accountId, game, text }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const errors: { row: number; reason: string }[] = [];
      const items = [...plan.items];
      text
        .split(/\r?\n/)
        .slice(1)
        .forEach((line, k) => {
          if (!line.trim()) return;
          const row = k + 2;
          const [itemId = '', price = ''] = line.split(',');
          const item = planItemFrom(accountId, game, itemId.trim());
          if (!item)
            return errors.push({ row, reason: `Item ${itemId} is not in the cached inventory.` });
          if (parseUsdToCents(price) === null)
            return errors.push({ row, reason: `“${price}” is not a price.` });
          items.push(item);
        });
      const next = summarize({ ...plan, items });
      state.plans.set(planId, next);
      const added = next.items.length - plan.items.length;
      return ok({ plan: next, imported: added, added, updated: 0, errors, priceDiffers: [] });
    }),
    exportPlan: method('exportPlan', ({ planId, format }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const text =
        format === 'json'
          ? JSON.stringify(plan.items)
          : `itemId,price,amount\n${plan.items.map((i) => `${i.itemId},${i.priceUsd},${i.amount}`).join('\n')}`;
      return ok({ fileName: `${plan.name}.${format}`, text });
    }),

    runPreflight: method('runPreflight', ({ planId }) => {
      if (!state.online) return fail('offline', 'Pre-flight needs a connection.');
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const rows = plan.items.map((i) => {
        const current = state.currentPrices.has(i.itemId)
          ? state.currentPrices.get(i.itemId)!
          : i.priceUsd;
        const currentCents = current === null ? null : usdToCents(current);
        const change: PreflightDiff['rows'][number]['change'] =
          currentCents === null
            ? 'unavailable'
            : currentCents > i.priceCents
              ? 'price-up'
              : currentCents < i.priceCents
                ? 'price-down'
                : 'unchanged';
        return {
          accountId: i.accountId,
          game: i.game,
          itemId: i.itemId,
          name: i.name,
          change,
          plannedCents: i.priceCents,
          currentCents,
          changeCents: currentCents === null ? null : currentCents - i.priceCents,
          changeBp:
            currentCents === null
              ? null
              : Math.round(((currentCents - i.priceCents) * 10_000) / i.priceCents),
          autoAccepted: false,
        };
      });
      const count = (c: string) => rows.filter((r) => r.change === c).length;
      const preflightId = id('pf');
      state.preflightRows.set(preflightId, rows);
      return ok({
        preflightId,
        planId,
        checkedAt: now(),
        // As the real pre-flight: unchanged items are only counted.
        rows: rows.filter((r) => r.change !== 'unchanged'),
        counts: {
          unchanged: count('unchanged'),
          priceUp: count('price-up'),
          priceDown: count('price-down'),
          unavailable: count('unavailable'),
          notAccepted: count('not-accepted'),
        },
        needsConfirmation: rows.some((r) => r.change !== 'unchanged'),
      });
    }),
    acceptPreflight: method('acceptPreflight', ({ planId, preflightId, acceptedItemIds }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      // As main: unchanged and auto-accepted items stay, changed ones only when ticked, lost ones go.
      const accepted = new Set(acceptedItemIds);
      const rows = new Map((state.preflightRows.get(preflightId) ?? []).map((r) => [r.itemId, r]));
      const items = plan.items.filter((i) => {
        const row = rows.get(i.itemId);
        if (!row || row.change === 'unavailable' || row.change === 'not-accepted') return false;
        return row.change === 'unchanged' || row.autoAccepted || accepted.has(i.itemId);
      });
      const perAccount = new Map<string, number>();
      for (const i of items) perAccount.set(i.accountId, (perAccount.get(i.accountId) ?? 0) + 1);
      return ok({
        planId,
        preflightId,
        itemCount: items.length,
        batchCount: Math.ceil(items.length / plan.options.batchSize),
        accounts: [...perAccount].map(([accountId, itemCount]) => ({
          accountId,
          label: state.accounts.find((a) => a.id === accountId)?.label ?? accountId,
          itemCount,
        })),
        totalCents: items.reduce((s, i) => s + i.priceCents * i.amount, 0),
      });
    }),
    startRun: method('startRun', ({ confirmation }) => {
      const plan = state.plans.get(confirmation.planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const run: RunSummary = {
        id: id('run'),
        planId: plan.id,
        planName: plan.name,
        environment: plan.environment,
        state: 'running',
        started: true,
        message: null,
        createdAt: now(),
        updatedAt: now(),
        totals: {
          batches: confirmation.batchCount,
          items: confirmation.itemCount,
          totalCents: confirmation.totalCents,
          submittedCents: 0,
          creditedCents: 0,
          pendingCents: confirmation.totalCents,
          failedCents: 0,
          settledBatches: 0,
          finishedBatches: 0,
        },
        pace: null,
      };
      const batches: BatchView[] = Array.from({ length: confirmation.batchCount }, (_, k) => ({
        id: id('batch'),
        runId: run.id,
        seq: k + 1,
        accountId: confirmation.accounts[0]?.accountId ?? 'acc-1',
        game: GAMES.cs2,
        state: 'queued',
        attempt: 1,
        externalId: `bs-${run.id}-${k + 1}-1`,
        itemCount: Math.min(
          plan.options.batchSize,
          confirmation.itemCount - k * plan.options.batchSize,
        ),
        totalCents: 0,
        trades: [],
        lastErrorKey: null,
        lastErrorMessage: null,
        lastErrorDetails: null,
        nextAttemptAt: null,
        message: null,
        nextActions: [],
        updatedAt: now(),
      }));
      state.runs.set(run.id, { run, batches });
      state.plans.set(plan.id, { ...plan, status: 'submitted' });
      return ok(run);
    }),
    armPlan: method('armPlan', ({ planId }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const next = { ...plan, status: 'armed' as const, updatedAt: now() };
      state.plans.set(planId, next);
      const { items: _items, ...summary } = next;
      return ok(summary);
    }),
    disarmPlan: method('disarmPlan', ({ planId }) => {
      const plan = state.plans.get(planId);
      if (!plan) return fail('not-found', 'No such plan.');
      const next = { ...plan, status: 'draft' as const, updatedAt: now() };
      state.plans.set(planId, next);
      const { items: _items, ...summary } = next;
      return ok(summary);
    }),
    pauseRun: method('pauseRun', ({ runId }) => runState(runId, 'paused')),
    resumeRun: method('resumeRun', ({ runId }) => runState(runId, 'running')),
    cancelRun: method('cancelRun', ({ runId }) => runState(runId, 'canceled')),
    reviewBatch: method('reviewBatch', ({ batchId }) => {
      const batch = [...state.runs.values()]
        .flatMap((r) => r.batches)
        .find((b) => b.id === batchId);
      if (!batch) return fail('not-found', 'No such batch.');
      return ok({
        batchId,
        runId: batch.runId,
        seq: batch.seq,
        game: batch.game,
        key: batch.lastErrorKey,
        checkedAt: now(),
        toleranceBp: 0,
        items: state.reviewItems,
        unchanged: { count: batch.itemCount - state.reviewItems.length, totalCents: 0 },
      });
    }),
    retryBatch: method('retryBatch', ({ batchId }) => batchState(batchId, 'queued')),
    skipBatch: method('skipBatch', ({ batchId }) => batchState(batchId, 'skipped')),

    listRuns: method('listRuns', () => ok([...state.runs.values()].map((r) => r.run))),
    getRun: method('getRun', ({ runId }) => {
      const entry = state.runs.get(runId);
      return entry
        ? ok({ run: entry.run, batches: entry.batches })
        : fail('not-found', 'No such run.');
    }),
    queryTrades: method('queryTrades', (req) => {
      const search = req.search?.toLowerCase();
      const trades = state.trades.filter(
        (t) =>
          (!req.environment || t.environment === req.environment) &&
          (!req.status || t.status === req.status) &&
          (!req.accountId || t.accountId === req.accountId) &&
          (!search ||
            t.tradeId.toLowerCase().includes(search) ||
            (t.externalId ?? '').toLowerCase().includes(search) ||
            t.itemNames.some((n) => n.toLowerCase().includes(search))),
      );
      const offset = req.offset ?? 0;
      return ok({
        total: trades.length,
        trades: trades.slice(offset, offset + (req.limit ?? 200)),
      });
    }),
    historyTotals: method('historyTotals', () => ok({ runs: [], days: [] })),
    listOffersToAccept: method('listOffersToAccept', () =>
      ok(state.trades.filter((t) => t.status === 'active' && t.offerId !== null)),
    ),
    exportHistory: method('exportHistory', () =>
      ok({
        fileName: 'history.csv',
        text: `tradeId,status\n${state.trades.map((t) => `${t.tradeId},${t.status}`).join('\n')}`,
      }),
    ),

    getAppInfo: method('getAppInfo', () =>
      ok({
        version: '0.0.0-fake',
        online: state.online,
        assetpay: { state: 'unknown' as const, message: null },
        environment: state.settings.environment,
        picturesUrl: '/pictures/',
      }),
    ),
    openExternal: method('openExternal', () => ok({ ok: true as const })),
    tradeUrlCheckWait: method('tradeUrlCheckWait', () =>
      ok({ waitMs: 0, limit: 100_000, windowMs: 3_600_000, tier: state.settings.tier }),
    ),

    onBatchUpdated: on('batchUpdated'),
    onRunProgress: on('runProgress'),
    onTradeUpdated: on('tradeUpdated'),
    onConnectivity: on('connectivity'),
    onAttention: on('attention'),
  };

  function runState(runId: string, next: RunSummary['state']): IpcResult<RunSummary> {
    const entry = state.runs.get(runId);
    if (!entry) return fail('not-found', 'No such run.');
    entry.run = { ...entry.run, state: next, updatedAt: now() };
    return ok(entry.run);
  }

  function batchState(batchId: string, next: BatchView['state']): IpcResult<BatchView> {
    for (const entry of state.runs.values()) {
      const i = entry.batches.findIndex((b) => b.id === batchId);
      if (i >= 0) {
        entry.batches[i] = { ...entry.batches[i]!, state: next, updatedAt: now() };
        return ok(entry.batches[i]!);
      }
    }
    return fail('not-found', 'No such batch.');
  }

  return {
    api,
    calls,
    state,
    emit,
    failNext: (name, error) => failures.set(name, error),
  };
}
