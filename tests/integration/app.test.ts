import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, InventoryRow } from '../../shared/contract/views';
import { parseItemList } from '../../shared/import';
import { startTestApp, testKeychain, TRADE_URLS, waitUntil, type TestApp } from '../host/fixtures';

/*
 * The application layer end to end through the dispatcher, against the
 * in-process sandbox emulator, the real SQLite store and the real keychain
 * (run inside the Secret Service session tests/run-all.sh starts).
 */

const keychain = testKeychain('app');
const opened: string[] = [];
/** Set: the opener fails with this reason (the OS has no browser, …). */
let openFailure: string | null = null;
const pushed: { event: string; payload: unknown }[] = [];
let dir: string;
let app: TestApp;
let main: Account;
let cs2: InventoryRow[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-app-'));
  app = await startTestApp({
    dataDir: dir,
    secretStore: keychain,
    sandbox: { itemsPerInventory: 120, seed: 11, lifecycle: { stepMs: 150 } },
    openExternal: async (url) => {
      if (openFailure !== null) throw new Error(openFailure);
      opened.push(url);
    },
    engine: {
      timing: {
        activePollMs: 100,
        holdPollMs: 100,
        missingPollMs: 200,
        completedPollMs: 60_000,
        backoffBaseMs: 100,
        backoffCapMs: 500,
        waitBaseMs: 200,
        waitCapMs: 1_000,
        lookupBaseMs: 100,
        lookupCapMs: 500,
        resendDelayMs: 50,
        notSentRetryMs: 100,
      },
    },
  });
  app.services.events.subscribe((event, payload) => pushed.push({ event, payload }));
});

afterAll(async () => {
  await app?.services.shutdown();
  for (const env of ['sandbox', 'staging', 'production'] as const)
    await keychain.delete(env).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('settings and the API key', () => {
  it('starts in the sandbox with defaults and no key, and the sandbox works without one', async () => {
    expect(await app.ok('getSettings', {})).toMatchObject({
      environment: 'sandbox',
      batchSize: 250,
    });
    expect(await app.ok('getKeyStatus', { environment: 'sandbox' })).toEqual({
      environment: 'sandbox',
      present: false,
      hint: null,
    });
    expect(await app.ok('validateApiKey', { environment: 'sandbox' })).toMatchObject({
      result: 'valid',
    });
    expect(await app.ok('validateApiKey', { environment: 'production' })).toMatchObject({
      result: 'no-key',
    });
  });

  it('applies tier and concurrency to the services', async () => {
    const settings = await app.ok('updateSettings', { tier: 'verified', concurrency: 3 });
    expect(settings).toMatchObject({ tier: 'verified', concurrency: 3 });
    expect(app.services.store.settings.get().tier).toBe('verified');
  });

  it('stores a key in the keychain and only ever answers with a hint', async () => {
    const status = await app.ok('setApiKey', {
      environment: 'staging',
      apiKey: 'ap_staging_secret_9876',
    });
    expect(status).toEqual({ environment: 'staging', present: true, hint: '9876' });
    expect(await keychain.get('staging')).toBe('ap_staging_secret_9876');
    expect(await app.ok('getKeyStatus', { environment: 'staging' })).toEqual(status);
    expect(await app.ok('deleteApiKey', { environment: 'staging' })).toEqual({
      environment: 'staging',
      present: false,
      hint: null,
    });
  });
});

describe('accounts', () => {
  it('refuses malformed trade URLs with the specific reason', async () => {
    const cases: [string, RegExp][] = [
      ['http://steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEf12', /https/],
      [
        'https://www.steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEf12',
        /without "www\."/,
      ],
      ['https://steamcommunity.com/tradeoffer/new/?partner=1&token=AbC', /exactly 8 characters/],
      ['https://steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEf12&x=1', /nothing after/],
    ];
    for (const [tradeUrl, reason] of cases) {
      const res = await app.call('addAccount', { label: 'Bad', tradeUrl });
      expect(res.ok).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toBe('invalid-request');
        expect(res.error.message).toMatch(reason);
      }
    }
  });

  it('adds, renames, checks and refuses duplicates', async () => {
    main = await app.ok('addAccount', { label: 'Main', tradeUrl: `  ${TRADE_URLS[0]!}  ` });
    expect(main).toMatchObject({
      label: 'Main',
      tradeUrl: TRADE_URLS[0],
      steamId64: '76561197960389184',
      lastCheck: null,
    });
    const dup = await app.call('addAccount', { label: 'Again', tradeUrl: TRADE_URLS[0]! });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const renamed = await app.ok('updateAccount', { accountId: main.id, label: 'Main desk' });
    expect(renamed.label).toBe('Main desk');
    const checked = await app.ok('checkAccount', { accountId: main.id });
    expect(checked.lastCheck).toMatchObject({ canTrade: expect.any(Boolean) });
    expect(await app.ok('listAccounts', {})).toHaveLength(1);
  });
});

describe('inventory', () => {
  it('fetches the whole inventory into the cache and lists it filtered, sorted and paged', async () => {
    const snapshot = await app.ok('fetchInventory', { accountId: main.id, game: '730' });
    expect(snapshot).toMatchObject({ accountId: main.id, game: '730', itemCount: 120 });
    expect(await app.ok('listSnapshots', {})).toEqual([snapshot]);

    const all = await app.ok('listInventory', { accountId: main.id, game: '730', limit: 1000 });
    expect(all.total).toBe(120);
    cs2 = all.rows;
    const sellable = await app.ok('listInventory', {
      accountId: main.id,
      sellableOnly: true,
      sort: 'priceDesc',
      limit: 1000,
    });
    expect(sellable.rows.every((r) => r.tradable && r.accepted)).toBe(true);
    const prices = sellable.rows.map((r) => r.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
    const page = await app.ok('listInventory', {
      accountId: main.id,
      sort: 'name',
      offset: 10,
      limit: 5,
    });
    expect(page.rows.map((r) => r.itemId)).toEqual(
      [...cs2]
        .sort((a, b) =>
          a.name === b.name ? (a.itemId < b.itemId ? -1 : 1) : a.name < b.name ? -1 : 1,
        )
        .slice(10, 15)
        .map((r) => r.itemId),
    );
    const name = cs2[0]!.name.slice(0, 4);
    const found = await app.ok('listInventory', { search: name, limit: 1000 });
    expect(found.rows.every((r) => r.name.includes(name) || r.marketHashName.includes(name))).toBe(
      true,
    );
  });

  it('refuses network calls while offline, with the offline code, and keeps the cache usable', async () => {
    app.services.setOnline(false);
    try {
      expect(await app.call('fetchInventory', { accountId: main.id, game: '730' })).toMatchObject({
        ok: false,
        error: { code: 'offline' },
      });
      expect((await app.ok('listInventory', { accountId: main.id })).total).toBe(120);
      expect(await app.ok('getAppInfo', {})).toMatchObject({
        online: false,
        environment: 'sandbox',
      });
    } finally {
      app.services.setOnline(true);
    }
  });
});

describe('plans', () => {
  it('creates a plan from the cache, refusing unknown, untradable and unaccepted items by name', async () => {
    const sellable = cs2.filter((r) => r.tradable && r.accepted).slice(0, 3);
    const unknown = await app.call('createPlan', {
      name: 'x',
      items: [
        ...sellable.map((r) => ({ accountId: main.id, game: '730' as const, itemId: r.itemId })),
        { accountId: main.id, game: '730', itemId: 'no-such-item-1' },
      ],
    });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.error.code).toBe('invalid-request');
      expect(unknown.error.message).toContain('no-such-item-1');
    }
    const blocked = cs2.find((r) => !r.tradable) ?? cs2.find((r) => !r.accepted);
    if (blocked) {
      const res = await app.call('createPlan', {
        name: 'x',
        items: [{ accountId: main.id, game: '730', itemId: blocked.itemId }],
      });
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.message).toContain(blocked.name);
    }
    const plan = await app.ok('createPlan', {
      name: 'First',
      items: sellable.map((r) => ({ accountId: main.id, game: '730' as const, itemId: r.itemId })),
    });
    expect(plan).toMatchObject({
      status: 'draft',
      itemCount: 3,
      batchCount: 1,
      options: { batchSize: 250 },
    });
    expect(plan.totalCents).toBe(sellable.reduce((s, r) => s + r.priceCents, 0));
    expect(plan.items.map((i) => i.priceUsd)).toEqual(sellable.map((r) => r.priceUsd));
    const renamed = await app.ok('updatePlan', {
      planId: plan.id,
      name: 'First plan',
      options: { batchSize: 2 },
    });
    expect(renamed).toMatchObject({ name: 'First plan', batchCount: 2 });
    expect((await app.ok('listPlans', {})).map((p) => p.id)).toContain(plan.id);
    await app.ok('deletePlan', { planId: plan.id });
    expect(await app.call('getPlan', { planId: plan.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('imports a CSV with bad rows: good rows in, each bad row reported with its row number', async () => {
    const plan = await app.ok('createPlan', { name: 'Imported' });
    const good = cs2.filter((r) => r.tradable && r.accepted);
    const untradable = cs2.find((r) => !r.tradable);
    const lines = [
      '\uFEFFname;itemId;price;amount',
      `"${good[0]!.name}; quoted";${good[0]!.itemId};${(good[0]!.priceCents / 100).toFixed(2).replace('.', ',')};`,
      `x;${good[1]!.itemId};$${(good[1]!.priceCents / 100).toFixed(2)};1`,
      'x;unknown-item-0001;1.00;',
      `x;${good[2]!.itemId};-3;`,
      `x;${good[3]!.itemId};;`,
      `x;${good[1]!.itemId};2.00;`,
      `x;${good[4]!.itemId};2.00;lots`,
      ...(untradable ? [`x;${untradable.itemId};1.00;`] : []),
    ];
    const res = await app.ok('importPlanItems', {
      planId: plan.id,
      accountId: main.id,
      game: '730',
      format: 'csv',
      text: lines.join('\r\n'),
    });
    expect(res.imported).toBe(2);
    expect(res.plan.itemCount).toBe(2);
    expect(res.plan.items.map((i) => i.priceUsd)).toEqual([good[0]!.priceUsd, good[1]!.priceUsd]);
    expect(res.errors).toEqual([
      { row: 4, reason: expect.stringMatching(/^Unknown item id/) },
      { row: 5, reason: 'Price must be greater than zero.' },
      { row: 6, reason: 'Missing price.' },
      { row: 7, reason: 'Duplicate item id (already on row 3).' },
      { row: 8, reason: 'Amount must be a whole number from 1 to 10,000.' },
      ...(untradable ? [{ row: 9, reason: expect.stringMatching(/not tradable/) }] : []),
    ]);

    // JSON, merged into the same plan; a different price is kept as the trader's price (pre-flight shows the change).
    const json = JSON.stringify([
      { itemId: good[5]!.itemId, price: (good[5]!.priceCents + 100) / 100 },
      { itemId: 'unknown-item-0002', price: 1 },
    ]);
    const res2 = await app.ok('importPlanItems', {
      planId: plan.id,
      accountId: main.id,
      game: '730',
      format: 'json',
      text: json,
    });
    expect(res2.imported).toBe(1);
    expect(res2.errors).toEqual([{ row: 2, reason: expect.stringMatching(/^Unknown item id/) }]);
    expect(res2.plan.itemCount).toBe(3);
    expect(res2.plan.items[2]!.priceCents).toBe(good[5]!.priceCents + 100);

    expect(
      await app.ok('importPlanItems', {
        planId: plan.id,
        accountId: main.id,
        game: '730',
        format: 'json',
        text: '[{',
      }),
    ).toMatchObject({
      imported: 0,
      errors: [{ row: 1, reason: expect.stringMatching(/not valid JSON/) }],
    });
  });

  it('exports a plan as CSV (re-importable) and JSON', async () => {
    const plan = (await app.ok('listPlans', {})).find((p) => p.name === 'Imported')!;
    const full = await app.ok('getPlan', { planId: plan.id });
    const csv = await app.ok('exportPlan', { planId: plan.id, format: 'csv' });
    expect(csv.fileName).toMatch(/^plan-Imported-\d{4}-\d{2}-\d{2}\.csv$/);
    const parsed = parseItemList(csv.text, 'csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.itemId, r.priceCents, r.amount])).toEqual(
      full.items.map((i) => [i.itemId, i.priceCents, i.amount]),
    );
    const json = await app.ok('exportPlan', { planId: plan.id, format: 'json' });
    expect(JSON.parse(json.text).items).toHaveLength(full.items.length);
    expect(parseItemList(json.text, 'json').rows).toHaveLength(full.items.length);
  });
});

describe('selling', () => {
  it('pre-flight shows a changed price, a stale confirmation is refused, the run completes, history exports', async () => {
    const sellable = cs2.filter((r) => r.tradable && r.accepted).slice(10, 15);
    const plan = await app.ok('createPlan', {
      name: 'Sell five',
      options: { batchSize: 3 },
      items: sellable.map((r) => ({ accountId: main.id, game: '730' as const, itemId: r.itemId })),
    });
    expect(plan).toMatchObject({ itemCount: 5, batchCount: 2 });

    // Nothing is sold without a confirmation.
    const bogus = {
      planId: plan.id,
      preflightId: 'none',
      itemCount: 5,
      batchCount: 2,
      accounts: [],
      totalCents: plan.totalCents,
    };
    expect(await app.call('startRun', { confirmation: bogus })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    // AssetPay lowers one offer between planning and submitting.
    const changed = sellable[0]!;
    const lowerCents = changed.priceCents - Math.max(1, Math.floor(changed.priceCents / 10));
    app.services.sandbox()!.setPrice(changed.itemId, lowerCents / 100);
    const diff = await app.ok('runPreflight', { planId: plan.id });
    expect(diff.needsConfirmation).toBe(true);
    expect(diff.counts).toMatchObject({ priceDown: 1, unchanged: 4 });
    expect(diff.rows.find((r) => r.itemId === changed.itemId)).toMatchObject({
      change: 'price-down',
      plannedCents: changed.priceCents,
      currentCents: lowerCents,
      changeCents: lowerCents - changed.priceCents,
      autoAccepted: false,
    });

    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [changed.itemId],
    });
    expect(confirmation).toMatchObject({
      planId: plan.id,
      itemCount: 5,
      batchCount: 2,
      accounts: [{ accountId: main.id, itemCount: 5 }],
    });
    expect(confirmation.totalCents).toBe(plan.totalCents - changed.priceCents + lowerCents);

    // The renderer echoes what the trader saw; anything else is refused and nothing starts.
    for (const tampered of [
      { ...confirmation, totalCents: confirmation.totalCents + 1 },
      { ...confirmation, itemCount: 4 },
      { ...confirmation, batchCount: 1 },
    ]) {
      expect(await app.call('startRun', { confirmation: tampered })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
    }
    expect(await app.ok('listRuns', {})).toEqual([]);

    const run = await app.ok('startRun', { confirmation });
    expect(run).toMatchObject({
      planId: plan.id,
      planName: 'Sell five',
      totals: { batches: 2, items: 5, totalCents: confirmation.totalCents },
    });

    await waitUntil(
      async () => (await app.ok('getRun', { runId: run.id })).run.state === 'finished',
      60_000,
      100,
    );
    const done = await app.ok('getRun', { runId: run.id });
    expect(done.batches).toHaveLength(2);
    for (const batch of done.batches) {
      expect(batch.state).toBe('settled');
      expect(batch.trades.length).toBeGreaterThan(0);
      expect(batch.trades.every((t) => t.status === 'completed')).toBe(true);
      expect(batch.message).toBeTruthy();
      expect(batch.externalId).not.toContain(',');
    }
    expect(done.run.totals).toMatchObject({
      creditedCents: confirmation.totalCents,
      failedCents: 0,
      settledBatches: 2,
    });

    const state = app.services.sandbox()!.state();
    expect(state.duplicateSoldItemIds).toEqual([]);
    expect(new Set(state.soldItemIds)).toEqual(new Set(sellable.map((r) => r.itemId)));

    // Push events arrived, each a contract payload.
    expect(pushed.some((p) => p.event === 'batchUpdated')).toBe(true);
    await waitUntil(
      () =>
        pushed.some(
          (p) => p.event === 'runProgress' && (p.payload as { state: string }).state === 'finished',
        ),
      5_000,
    );
    expect(pushed.some((p) => p.event === 'tradeUpdated')).toBe(true);

    // History: filter, search by externalId and by item name, export.
    const trades = await app.ok('queryTrades', { runId: run.id });
    expect(trades.total).toBe(done.batches.reduce((n, b) => n + b.trades.length, 0));
    const byExternal = await app.ok('queryTrades', { search: done.batches[0]!.externalId });
    expect(byExternal.trades.map((t) => t.batchId)).toContain(done.batches[0]!.id);
    const byName = await app.ok('queryTrades', { search: changed.name });
    expect(byName.total).toBeGreaterThan(0);
    expect((await app.ok('queryTrades', { status: 'failed' })).total).toBe(0);
    expect((await app.ok('queryTrades', { runId: run.id, game: '252490' })).total).toBe(0);
    expect((await app.ok('queryTrades', { runId: run.id, game: '730' })).total).toBe(trades.total);
    // Each trade says where it sold; sandbox money never adds up with production money.
    expect(trades.trades.every((t) => t.environment === 'sandbox')).toBe(true);
    expect((await app.ok('queryTrades', { environment: 'production' })).total).toBe(0);
    expect((await app.ok('queryTrades', { runId: run.id, environment: 'sandbox' })).total).toBe(
      trades.total,
    );
    const totals = await app.ok('historyTotals', { runId: run.id, timeZone: 'UTC' });
    expect(totals.runs).toEqual([
      {
        runId: run.id,
        planName: 'Sell five',
        environment: 'sandbox',
        trades: trades.total,
        items: 5,
        creditedCents: confirmation.totalCents,
        pendingCents: 0,
        failedCents: 0,
      },
    ]);
    expect(totals.days.map((d) => [d.environment, d.creditedCents])).toEqual([
      ['sandbox', confirmation.totalCents],
    ]);
    // One CSV line per sold item, with its id and per-unit price.
    const csv = await app.ok('exportHistory', { runId: run.id });
    expect(csv.fileName).toMatch(/^assetpay-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'createdAt,updatedAt,environment,tradeId,externalId,status,error,game,account,accountId,offerId,holdEndDate,attempt,itemId,itemName,amount,unitPriceUsd,itemTotalUsd,tradeTotalUsd,runId,batchId',
    );
    expect(lines).toHaveLength(5 + 1);
    expect(csv.text).toContain('Main desk');
    for (const r of sellable) expect(csv.text).toContain(`,${r.itemId},`);
  });
});

describe('offline', () => {
  const fresh = (from: number, count: number) =>
    cs2
      .filter((r) => r.tradable && r.accepted)
      .slice(from, from + count)
      .map((r) => ({ accountId: main.id, game: '730' as const, itemId: r.itemId }));

  it('a run started offline waits; pause, resume and cancel work and nothing is sold', async () => {
    const plan = await app.ok('createPlan', {
      name: 'Offline run',
      options: { batchSize: 2 },
      items: fresh(20, 4),
    });
    const diff = await app.ok('runPreflight', { planId: plan.id });
    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [],
    });
    const tradesBefore = app.services.sandbox()!.state().trades.length;
    app.services.setOnline(false);
    try {
      expect(await app.call('runPreflight', { planId: plan.id })).toMatchObject({
        ok: false,
        error: { code: 'offline' },
      });
      const run = await app.ok('startRun', { confirmation });
      // It says at once that it waits for the connection, and nothing leaves meanwhile.
      expect(run.state).toBe('waiting');
      expect(run.message).toMatch(/Offline/);
      await new Promise((r) => setTimeout(r, 300));
      expect((await app.ok('getRun', { runId: run.id })).run.state).toBe('waiting');
      expect(app.services.sandbox()!.state().trades.length).toBe(tradesBefore);
      expect((await app.ok('pauseRun', { runId: run.id })).state).toBe('paused');
      expect((await app.ok('resumeRun', { runId: run.id })).state).toBe('waiting');
      const canceled = await app.ok('cancelRun', { runId: run.id });
      expect(canceled.state).toBe('canceled');
      const board = await app.ok('getRun', { runId: run.id });
      expect(board.batches.map((b) => b.state)).toEqual(['canceled', 'canceled']);
      expect(board.batches[0]!.message).toMatch(/Canceled/);
      expect(await app.call('pauseRun', { runId: run.id })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
    } finally {
      app.services.setOnline(true);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(app.services.sandbox()!.state().trades.length).toBe(tradesBefore);
  });

  it('an armed plan submits itself when the connection returns', async () => {
    const plan = await app.ok('createPlan', { name: 'Armed', items: fresh(30, 2) });
    app.services.setOnline(false);
    let armed;
    try {
      armed = await app.ok('armPlan', { planId: plan.id });
      expect(armed.status).toBe('armed');
      expect((await app.ok('disarmPlan', { planId: plan.id })).status).toBe('draft');
      armed = await app.ok('armPlan', { planId: plan.id });
      await new Promise((r) => setTimeout(r, 200));
      const run = (await app.ok('listRuns', {})).find(
        (r) => r.planId === plan.id && r.state === 'armed',
      );
      // An armed run has no batches yet: it shows its plan (issue 14).
      expect(run?.totals).toMatchObject({
        items: 2,
        batches: 1,
        totalCents: plan.totalCents,
      });
    } finally {
      app.services.setOnline(true);
    }
    await waitUntil(
      async () =>
        (await app.ok('listRuns', {})).some((r) => r.planId === plan.id && r.state === 'finished'),
      30_000,
      100,
    );
    expect(app.services.sandbox()!.state().duplicateSoldItemIds).toEqual([]);
  });
});

describe('sandbox key', () => {
  it('restarts the sandbox with the trader’s sandbox key, on the same port, and back to the built-in key', async () => {
    const before = app.services.sandbox()!;
    const status = await app.ok('setApiKey', {
      environment: 'sandbox',
      apiKey: 'my-own-sandbox-key-1234',
    });
    expect(status).toEqual({ environment: 'sandbox', present: true, hint: '1234' });
    const after = app.services.sandbox()!;
    expect(after).not.toBe(before);
    expect(after.port).toBe(before.port);
    expect(await app.ok('validateApiKey', { environment: 'sandbox' })).toEqual({
      result: 'valid',
      message: 'The API key works.',
    });
    expect(
      (await app.ok('fetchInventory', { accountId: main.id, game: '252490' })).itemCount,
    ).toBeGreaterThan(0);
    await app.ok('deleteApiKey', { environment: 'sandbox' });
    expect(await app.ok('validateApiKey', { environment: 'sandbox' })).toMatchObject({
      result: 'valid',
      message: expect.stringMatching(/without a key/),
    });
  });
});

describe('app', () => {
  it('opens only allowlisted URLs', async () => {
    expect(
      await app.ok('openExternal', { url: 'https://steamcommunity.com/tradeoffer/1234567/' }),
    ).toEqual({ ok: true });
    for (const url of [
      'https://steamcommunity.com.evil.io/tradeoffer/1/',
      'http://steamcommunity.com/tradeoffer/1/',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(await app.call('openExternal', { url })).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
    }
    expect(opened).toEqual(['https://steamcommunity.com/tradeoffer/1234567/']);
  });

  it('when the browser cannot be opened, the message names why and where to go (issue 14)', async () => {
    openFailure = 'xdg-open: no method available for opening';
    try {
      const url = 'https://steamcommunity.com/tradeoffer/7654321/';
      const result = await app.call('openExternal', { url });
      expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
      const message = result.ok ? '' : result.error.message;
      expect(message).toContain('xdg-open: no method available for opening');
      expect(message).toContain(url);
      expect(message).not.toMatch(/Something went wrong/);
    } finally {
      openFailure = null;
    }
  });

  it('says how long a trade-URL check waits for the tier’s limit (unverified: 100 per hour)', async () => {
    await app.ok('updateSettings', { tier: 'unverified' });
    try {
      expect(await app.ok('tradeUrlCheckWait', {})).toEqual({
        waitMs: 0,
        limit: 100,
        windowMs: 3_600_000,
        tier: 'unverified',
      });
      await app.ok('checkAccount', { accountId: main.id });
      // 100 an hour, kept 5 % below: the next check leaves ~37.9 s after this one.
      const next = await app.ok('tradeUrlCheckWait', {});
      expect(next.waitMs).toBeGreaterThan(30_000);
      expect(next.waitMs).toBeLessThanOrEqual(37_895);
    } finally {
      await app.ok('updateSettings', { tier: 'verified' });
    }
  });
});
