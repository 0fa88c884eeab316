import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameId } from '../../shared/api/games';
import type { Account, InventoryRow } from '../../shared/contract/views';
import {
  FetchedRows,
  itemRef,
  memorySecretStore,
  startTestApp,
  TRADE_URLS,
  waitUntil,
  type TestApp,
} from '../host/fixtures';

/*
 * Issue 14 items 3–6 at the application layer, through the dispatcher, against the
 * in-process sandbox emulator and a real SQLite file: a plan's file comes back whole,
 * sold items leave the cached inventory at once (and a refresh from AssetPay still
 * wins), stale drafts say why each item is unavailable, unsold items go into a new
 * plan in one step, and a plan stays with the environment it was built in.
 */

let dir: string;
let app: TestApp;
/** A loopback port nothing listens on: "production" there cannot be reached. */
let closedPort: number;
let main: Account;
let alt: Account;
const fetched = new FetchedRows();
const sellable = (account: Account, game: GameId) => fetched.sellable(account, game);
const ref = itemRef;

async function sell(planId: string): Promise<string> {
  const diff = await app.ok('runPreflight', { planId });
  const confirmation = await app.ok('acceptPreflight', {
    planId,
    preflightId: diff.preflightId,
    acceptedItemIds: diff.rows.map((r) => r.itemId),
  });
  const run = await app.ok('startRun', { confirmation });
  await waitUntil(
    async () => (await app.ok('getRun', { runId: run.id })).run.state === 'finished',
    60_000,
    100,
  );
  return run.id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-after-sale-'));
  closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  app = await startTestApp({
    dataDir: dir,
    secretStore: memorySecretStore(),
    environmentBaseUrls: { production: `http://127.0.0.1:${closedPort}` },
    sandbox: { itemsPerInventory: 80, seed: 14, lifecycle: { stepMs: 100, holdMs: 100 } },
    engine: {
      timing: {
        activePollMs: 100,
        holdPollMs: 100,
        missingPollMs: 200,
        lookupBaseMs: 100,
        lookupCapMs: 500,
        resendDelayMs: 50,
        notSentRetryMs: 100,
      },
    },
  });
  main = await app.ok('addAccount', { label: 'Main', tradeUrl: TRADE_URLS[0]! });
  alt = await app.ok('addAccount', { label: 'Alt', tradeUrl: TRADE_URLS[1]! });
  for (const account of [main, alt])
    for (const game of ['730', '252490'] as const) {
      await app.ok('fetchInventory', { accountId: account.id, game });
      const page = await app.ok('listInventory', { accountId: account.id, game, limit: 1_000 });
      fetched.set(account.id, game, page.rows);
    }
});

afterAll(async () => {
  await app?.services.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('export → import (item 4)', () => {
  it('a plan over 2 accounts and 2 games comes back whole; merged rows are counted as updated', async () => {
    const items = [main, alt].flatMap((account) =>
      (['730', '252490'] as const).flatMap((game) =>
        sellable(account, game)
          .slice(0, 5)
          .map((r) => ref(account, game, r)),
      ),
    );
    const plan = await app.ok('createPlan', { name: 'Four groups', items });
    expect(plan.itemCount).toBe(20);

    for (const format of ['csv', 'json'] as const) {
      const file = await app.ok('exportPlan', { planId: plan.id, format });
      const copy = await app.ok('createPlan', { name: `Copy ${format}` });
      // The pickers say Main · CS2; the file's own columns win.
      const first = await app.ok('importPlanItems', {
        planId: copy.id,
        accountId: main.id,
        game: '730',
        format,
        text: file.text,
      });
      expect(first).toMatchObject({ imported: 20, added: 20, updated: 0, errors: [] });
      const key = (i: { accountId: string; game: string; itemId: string; amount: number }) =>
        `${i.accountId}|${i.game}|${i.itemId}|${i.amount}`;
      expect(first.plan.items.map(key).sort()).toEqual(plan.items.map(key).sort());
      const again = await app.ok('importPlanItems', {
        planId: copy.id,
        accountId: main.id,
        game: '730',
        format,
        text: file.text,
      });
      expect(again).toMatchObject({ imported: 20, added: 0, updated: 20, errors: [] });
      expect(again.plan.itemCount).toBe(20);
    }
  });

  it('a file from another computer matches accounts by name, and says which ones it cannot', async () => {
    const [a, b] = sellable(alt, '730');
    const csv = [
      'itemId,price,game,accountId,account',
      `${a!.itemId},${a!.priceUsd},730,id-from-elsewhere,Alt`,
      `${b!.itemId},${b!.priceUsd},730,id-from-elsewhere,Nobody`,
    ].join('\n');
    const plan = await app.ok('createPlan', { name: 'Foreign file' });
    const res = await app.ok('importPlanItems', {
      planId: plan.id,
      accountId: main.id,
      game: '252490',
      format: 'csv',
      text: csv,
    });
    expect(res.added).toBe(1);
    expect(res.plan.items[0]).toMatchObject({ accountId: alt.id, game: '730', itemId: a!.itemId });
    expect(res.errors).toEqual([
      { row: 3, reason: expect.stringMatching(/No account is named “Nobody”/) },
    ]);
  });
});

describe('after a sale (items 5 and 6)', () => {
  let cs2Sold: InventoryRow[];
  let stack: InventoryRow;
  let stale: string;
  let runId: string;
  let soldUnits: number;

  it('sold items leave the cached inventory as soon as the app knows; stacks go down', async () => {
    cs2Sold = sellable(main, '730').slice(10, 14);
    // All but two units of an uncapped stack: a draft planning as many can no longer be sold.
    stack = sellable(main, '252490').find(
      (r) => r.amount >= 5 && (r.maxAmount ?? r.amount) >= r.amount,
    )!;
    soldUnits = stack.amount - 2;
    const items = [
      ...cs2Sold.map((r) => ref(main, '730', r)),
      ref(main, '252490', stack, soldUnits),
    ];
    // A draft built from the same items before the sale goes stale.
    stale = (await app.ok('createPlan', { name: 'Stale draft', items })).id;
    const plan = await app.ok('createPlan', { name: 'Weekend sale', items });
    runId = await sell(plan.id);

    const cs2 = await app.ok('listInventory', { accountId: main.id, game: '730', limit: 1_000 });
    for (const sold of cs2Sold) {
      const row = cs2.rows.find((r) => r.itemId === sold.itemId)!;
      expect(row.amount).toBe(0);
      expect(row.taken).toEqual({ soldUnits: 1, sellingUnits: 0, planName: 'Weekend sale' });
    }
    const sellableNow = await app.ok('listInventory', {
      accountId: main.id,
      game: '730',
      sellableOnly: true,
      limit: 1_000,
    });
    expect(sellableNow.rows.map((r) => r.itemId)).not.toContain(cs2Sold[0]!.itemId);
    const rust = await app.ok('listInventory', {
      accountId: main.id,
      game: '252490',
      limit: 1_000,
    });
    expect(rust.rows.find((r) => r.itemId === stack.itemId)).toMatchObject({
      amount: stack.amount - soldUnits,
      taken: { soldUnits, sellingUnits: 0 },
    });

    // A sold item cannot go into a new plan.
    const refused = await app.call('createPlan', {
      name: 'Again',
      items: [ref(main, '730', cs2Sold[0]!)],
    });
    expect(refused).toMatchObject({ ok: false, error: { details: { reason: 'taken' } } });
    if (!refused.ok) expect(refused.error.message).toMatch(/was sold in “Weekend sale”/);
  });

  it('a stale draft says why each item is unavailable, and the list says how many', async () => {
    const problems = await app.ok('checkPlan', { planId: stale });
    expect(problems).toHaveLength(5);
    for (const p of problems) {
      expect(p).toMatchObject({ reason: 'sold', runId });
      expect(p.message).toMatch(/sold in the run of “Weekend sale”/i);
    }
    const summary = (await app.ok('listPlans', {})).find((p) => p.id === stale)!;
    expect(summary.unavailableCount).toBe(5);
    // "Remove these" leaves an empty, healthy draft.
    const cleaned = await app.ok('removePlanItems', {
      planId: stale,
      items: problems.map((p) => ({ accountId: p.accountId, game: p.game, itemId: p.itemId })),
    });
    expect(cleaned).toMatchObject({ itemCount: 0, unavailableCount: 0 });
  });

  it('a refresh from AssetPay wins: nothing is taken off twice', async () => {
    await app.ok('fetchInventory', { accountId: main.id, game: '252490', refresh: true });
    await app.ok('fetchInventory', { accountId: main.id, game: '730', refresh: true });
    const rust = await app.ok('listInventory', {
      accountId: main.id,
      game: '252490',
      limit: 1_000,
    });
    expect(rust.rows.find((r) => r.itemId === stack.itemId)).toMatchObject({
      amount: stack.amount - soldUnits,
      taken: null,
    });
    const cs2 = await app.ok('listInventory', { accountId: main.id, game: '730', limit: 1_000 });
    expect(cs2.rows.map((r) => r.itemId)).not.toContain(cs2Sold[0]!.itemId);
  });
});

describe('unsold items into a new plan in one step', () => {
  it('takes the items of a canceled run into a new draft at today’s offers', async () => {
    const items = sellable(alt, '730')
      .slice(20, 23)
      .map((r) => ref(alt, '730', r));
    const plan = await app.ok('createPlan', { name: 'Canceled', options: { batchSize: 2 }, items });
    const diff = await app.ok('runPreflight', { planId: plan.id });
    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [],
    });
    app.services.setOnline(false);
    try {
      const run = await app.ok('startRun', { confirmation });
      // While it sells, its items are off limits (and shown as being sold).
      const during = await app.ok('listInventory', {
        accountId: alt.id,
        game: '730',
        limit: 1_000,
      });
      expect(during.rows.find((r) => r.itemId === items[0]!.itemId)!.taken).toMatchObject({
        sellingUnits: 1,
      });
      expect((await app.ok('cancelRun', { runId: run.id })).state).toBe('canceled');
    } finally {
      app.services.setOnline(true);
    }
    const { plan: next, left } = await app.ok('planUnsold', { planId: plan.id });
    expect(left).toEqual([]);
    expect(next).toMatchObject({ name: 'Canceled — unsold', status: 'draft', itemCount: 3 });
    expect(next.items.map((i) => i.itemId).sort()).toEqual(items.map((i) => i.itemId).sort());
  });
});

describe('environments (item 3)', () => {
  it('a plan stays with its environment: other environments neither change nor submit it', async () => {
    const plan = await app.ok('createPlan', {
      name: 'Sandbox draft',
      items: [ref(main, '730', sellable(main, '730')[40]!)],
    });
    expect(plan.environment).toBe('sandbox');
    await app.ok('updateSettings', { environment: 'staging' });
    try {
      expect(await app.ok('listSnapshots', {})).toEqual([]);
      expect((await app.ok('listInventory', { accountId: main.id })).total).toBe(0);
      expect((await app.ok('listAccounts', {}))[0]!.lastCheck).toBeNull();
      for (const [method, request] of [
        ['runPreflight', { planId: plan.id }],
        ['armPlan', { planId: plan.id }],
        ['updatePlan', { planId: plan.id, name: 'x' }],
        [
          'importPlanItems',
          { planId: plan.id, accountId: main.id, game: '730', format: 'csv', text: 'a,1' },
        ],
      ] as const) {
        const res = await app.call(method, request as never);
        expect(res, method).toMatchObject({
          ok: false,
          error: { code: 'conflict', details: { reason: 'plan-in-other-environment' } },
        });
        if (!res.ok) expect(res.error.message).toMatch(/built on Local sandbox data/);
      }
      // It is still listed, labelled with its environment.
      expect((await app.ok('listPlans', {})).find((p) => p.id === plan.id)).toMatchObject({
        environment: 'sandbox',
      });
    } finally {
      await app.ok('updateSettings', { environment: 'sandbox' });
    }
    expect((await app.ok('listSnapshots', {})).length).toBe(4);
    expect((await app.ok('updatePlan', { planId: plan.id, name: 'Back home' })).name).toBe(
      'Back home',
    );
  });
});

describe('plans as a whole', () => {
  it('duplicates, archives, restores; deletes a plan that never sold, refuses one that did', async () => {
    const items = sellable(main, '730')
      .slice(50, 52)
      .map((r) => ref(main, '730', r));
    const plan = await app.ok('createPlan', { name: 'Whole', items });
    const copy = await app.ok('duplicatePlan', { planId: plan.id });
    expect(copy).toMatchObject({ name: 'Whole (copy)', status: 'draft', environment: 'sandbox' });
    expect(copy.items.map((i) => i.itemId)).toEqual(plan.items.map((i) => i.itemId));
    expect((await app.ok('duplicatePlan', { planId: copy.id })).name).toBe('Whole (copy 2)');

    expect((await app.ok('archivePlan', { planId: copy.id, archived: true })).status).toBe(
      'archived',
    );
    expect((await app.ok('archivePlan', { planId: copy.id, archived: false })).status).toBe(
      'draft',
    );

    // Armed, then disarmed: it never sent anything, so it can still be deleted.
    await app.ok('armPlan', { planId: copy.id });
    expect(await app.call('deletePlan', { planId: copy.id })).toMatchObject({
      ok: false,
      error: { details: { reason: 'plan-is-armed' } },
    });
    await app.ok('disarmPlan', { planId: copy.id });
    await app.ok('deletePlan', { planId: copy.id });
    expect(await app.call('getPlan', { planId: copy.id })).toMatchObject({ ok: false });

    const sold = (await app.ok('listPlans', {})).find((p) => p.name === 'Weekend sale')!;
    expect(await app.call('deletePlan', { planId: sold.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { reason: 'plan-has-runs' } },
    });
    expect((await app.ok('archivePlan', { planId: sold.id, archived: true })).status).toBe(
      'archived',
    );
    expect((await app.ok('archivePlan', { planId: sold.id, archived: false })).status).toBe(
      'submitted',
    );
  });
});

describe('AssetPay out of reach', () => {
  it('says so in plain words, and getAppInfo says AssetPay (not the network) is down', async () => {
    await app.ok('setApiKey', { environment: 'production', apiKey: 'ap_test_0123456789' });
    await app.ok('updateSettings', { environment: 'production' });
    try {
      const check = await app.ok('validateApiKey', { environment: 'production' });
      expect(check).toMatchObject({ result: 'unreachable' });
      expect(check.message).toBe(
        'AssetPay cannot be reached: the connection was refused. Check the internet connection, VPN or firewall; everything else works offline.',
      );
      const fetch = await app.call('fetchInventory', { accountId: main.id, game: '730' });
      expect(fetch).toMatchObject({ ok: false, error: { code: 'offline' } });
      if (!fetch.ok) {
        expect(fetch.error.message).toMatch(
          /^Could not fetch the inventory\. AssetPay cannot be reached/,
        );
        expect(fetch.error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      }
      expect(await app.ok('getAppInfo', {})).toMatchObject({
        online: true,
        environment: 'production',
        assetpay: { state: 'unreachable' },
      });
    } finally {
      await app.ok('updateSettings', { environment: 'sandbox' });
    }
    // A switch forgets what was known of the other AssetPay; the sandbox answers.
    expect((await app.ok('getAppInfo', {})).assetpay.state).toBe('unknown');
    await app.ok('validateApiKey', { environment: 'sandbox' });
    expect((await app.ok('getAppInfo', {})).assetpay.state).toBe('reachable');
  });
});

describe('switching environment under a call to AssetPay', () => {
  // Each answer belongs to the environment it was asked in: the store files it under
  // the selected one when it arrives, so the switch waits for it.
  const calls: [string, 'inventory' | 'check-tradeurl', () => Promise<{ ok: boolean }>, string][] =
    [
      [
        'an inventory fetch',
        'inventory',
        () => app.call('fetchInventory', { accountId: alt.id, game: '730', refresh: true }),
        'Alt’s CS2 inventory is still being fetched from Local sandbox. Switch when it has arrived.',
      ],
      [
        'an account check',
        'check-tradeurl',
        () => app.call('checkAccount', { accountId: alt.id }),
        'Alt’s trade URL is still being checked with Local sandbox. Switch when the answer is in.',
      ],
      [
        'a price check',
        'inventory',
        async () => {
          const items = sellable(alt, '730')
            .slice(-2)
            .map((r) => ref(alt, '730', r));
          const plan = await app.ok('createPlan', { name: 'Checked while switching', items });
          return app.call('runPreflight', { planId: plan.id });
        },
        'The price check of “Checked while switching” is still running in Local sandbox. Switch when it has finished.',
      ],
    ];

  it.each(calls)('waits for %s under way', async (_, endpoint, start, why) => {
    app.services.sandbox()!.injectNext(endpoint, { delayMs: 1_000 });
    const under = start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await app.call('updateSettings', { environment: 'production' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: why, details: { reason: 'work-in-progress' } },
    });
    expect((await under).ok).toBe(true);
    expect((await app.ok('getSettings', {})).environment).toBe('sandbox');
    // Nothing under way any more: the switch goes through.
    await app.ok('updateSettings', { environment: 'production' });
    await app.ok('updateSettings', { environment: 'sandbox' });
  });

  it('waits for an unfinished run, and says so in the trader’s words', async () => {
    const items = sellable(main, '730')
      .slice(-3)
      .map((r) => ref(main, '730', r));
    const plan = await app.ok('createPlan', { name: 'Paused while switching', items });
    const diff = await app.ok('runPreflight', { planId: plan.id });
    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [],
    });
    const run = await app.ok('startRun', { confirmation });
    await app.ok('pauseRun', { runId: run.id });
    expect(await app.call('updateSettings', { environment: 'production' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message:
          '1 run in Local sandbox is not finished (selling, paused or armed). Let it finish, or cancel it, before switching environment.',
        details: { reason: 'runs-active' },
      },
    });
    await app.ok('cancelRun', { runId: run.id });
    await app.ok('updateSettings', { environment: 'production' });
    await app.ok('updateSettings', { environment: 'sandbox' });
  });

  it('files the fetched inventory under the environment it came from', async () => {
    expect(await app.ok('listSnapshots', {})).toContainEqual(
      expect.objectContaining({ accountId: alt.id, game: '730', environment: 'sandbox' }),
    );
  });
});
