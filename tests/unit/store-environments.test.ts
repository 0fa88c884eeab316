import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../shared/api/schemas';
import type { Environment } from '../../shared/domain';
import { MIGRATIONS, Store, openDatabase } from '../../electron/main/services/store';
import { completedTrade } from './completed-trade';

/*
 * Issue 14 item 3 in the store: cached inventories, "can trade" checks and plans belong to
 * an environment; a switch hides the others' and a switch back finds them again. Migration 6
 * gives the rows of an older database to the environment selected when it runs.
 */

const URL_A = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=ABCDEFGH';

function item(i: number): InventoryItem {
  return {
    id: `item-${String(i).padStart(6, '0')}`,
    assetId: String(1000 + i),
    name: 'AWP | Asiimov',
    marketHashName: 'AWP | Asiimov (Field-Tested)',
    type: 'Sniper Rifle',
    iconUrl: '',
    appid: 730,
    tradable: true,
    amount: 1,
    offer: { price: 10 + i, accepted: true, maxAmount: 1 },
    exterior: 'Field-Tested',
    wear: `0.2${i}`,
  };
}

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-env-'));
  store = new Store(join(dir, 'app.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const use = (environment: Environment) => store.settings.update({ environment });

describe('store: per environment', () => {
  it('keeps each environment’s cached inventory and checks; a switch back finds them', () => {
    const account = store.accounts.add({ label: 'Main', tradeUrl: URL_A });
    use('sandbox');
    store.inventory.replaceSnapshot(account.id, '730', [item(1), item(2)], '2026-01-01T00:00:00Z');
    store.accounts.setLastCheck(account.id, { at: 'x', state: 1, canTrade: true, message: 'ok' });

    use('production');
    expect(store.inventory.listSnapshots()).toEqual([]);
    expect(store.inventory.query({ accountId: account.id, game: '730' }).total).toBe(0);
    expect(store.accounts.require(account.id).lastCheck).toBeNull();
    store.inventory.replaceSnapshot(account.id, '730', [item(3)], '2026-01-02T00:00:00Z');

    use('sandbox');
    expect(store.inventory.listSnapshots()).toEqual([
      expect.objectContaining({ environment: 'sandbox', itemCount: 2 }),
    ]);
    expect(
      store.inventory.query({ accountId: account.id, game: '730' }).rows.map((r) => r.itemId),
    ).toEqual(['item-000001', 'item-000002']);
    expect(store.accounts.require(account.id).lastCheck).toMatchObject({
      environment: 'sandbox',
      canTrade: true,
    });
  });

  it('a plan belongs to the environment it was created in', () => {
    use('staging');
    const plan = store.plans.create({ name: 'On staging' });
    use('production');
    expect(store.plans.summary(plan.id).environment).toBe('staging');
    expect(store.plans.create({ name: 'On production' }).environment).toBe('production');
    expect(() => store.db.prepare("UPDATE plans SET environment = 'sandbox'").run()).toThrow(
      /never changes/,
    );
  });

  it('history says where each trade sold and adds a day up per environment', () => {
    const sold = (environment: Environment, n: number, usd: number) => {
      use(environment);
      const plan = store.plans.create({ name: `Sell on ${environment}` });
      store.runs.insert({ id: `run-${n}`, planId: plan.id, preflightId: null, state: 'finished' });
      store.trades.record(completedTrade(`trade-${n}`, '2026-03-01T12:00:00.000Z', usd), {
        batchId: null,
        runId: `run-${n}`,
        attempt: 1,
        accountId: null,
      });
    };
    sold('sandbox', 1, 100);
    sold('production', 2, 7.5);

    expect(store.history.query().trades.map((t) => [t.tradeId, t.environment])).toEqual([
      ['trade-1', 'sandbox'],
      ['trade-2', 'production'],
    ]);
    expect(store.history.query({ environment: 'production' }).trades).toEqual([
      expect.objectContaining({ tradeId: 'trade-2', environment: 'production' }),
    ]);
    const totals = store.history.totals({}, 'UTC');
    expect(totals.days.map((d) => [d.day, d.environment, d.creditedCents])).toEqual([
      ['2026-03-01', 'production', 750],
      ['2026-03-01', 'sandbox', 10_000],
    ]);
    expect(totals.runs.map((r) => [r.runId, r.environment])).toEqual(
      expect.arrayContaining([
        ['run-1', 'sandbox'],
        ['run-2', 'production'],
      ]),
    );
  });
});

describe('store: migration 6 (environments)', () => {
  function schema4(environment: string | null): string {
    store.close();
    const path = join(dir, 'v4.db');
    const old = openDatabase(path, { migrations: MIGRATIONS.slice(0, 4) });
    const at = '2026-01-01T00:00:00.000Z';
    if (environment !== null)
      old
        .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('environment', ?, ?)")
        .run(JSON.stringify(environment), at);
    old
      .prepare(
        `INSERT INTO accounts (id, label, trade_url, steam_id64, created_at, updated_at, last_check)
         VALUES ('acc-1', 'Main', ?, '76561197960278073', ?, ?, ?)`,
      )
      .run(URL_A, at, at, JSON.stringify({ at, state: 1, canTrade: true, message: 'ok' }));
    old
      .prepare(
        "INSERT INTO inventory_snapshots (account_id, game, fetched_at, count, item_count) VALUES ('acc-1', '730', ?, 1, 1)",
      )
      .run(at);
    old
      .prepare(
        `INSERT INTO inventory_items (account_id, game, item_id, name, market_hash_name, type, exterior, wear, icon_url,
           tradable, accepted, price_usd, price_cents, amount, raw)
         VALUES ('acc-1', '730', 'item-000001', 'AWP | Asiimov', 'AWP | Asiimov (FT)', 'Sniper Rifle', 'Field-Tested', '0.25', '', 1, 1, 10.5, 1050, 1, '{}')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO plans (id, name, status, options, revision, created_at, updated_at)
         VALUES ('p1', 'Old draft', 'draft', '{"batchSize":250,"isInstant":true,"priceToleranceBp":0}', 1, ?, ?)`,
      )
      .run(at, at);
    old
      .prepare(
        `INSERT INTO plan_items (plan_id, seq, account_id, game, item_id, name, price_usd, price_cents, amount)
         VALUES ('p1', 0, 'acc-1', '730', 'item-000001', 'AWP | Asiimov', 10.5, 1050, 1)`,
      )
      .run();
    old.close();
    return path;
  }

  it.each<[string | null, Environment]>([
    ['production', 'production'],
    ['staging', 'staging'],
    [null, 'sandbox'],
  ])('gives every row to the environment selected then (%s → %s)', (selected, expected) => {
    store = new Store(schema4(selected));
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.settings.environment()).toBe(expected);
    expect(store.inventory.listSnapshots()).toEqual([
      expect.objectContaining({ accountId: 'acc-1', environment: expected, itemCount: 1 }),
    ]);
    expect(store.accounts.require('acc-1').lastCheck).toMatchObject({
      environment: expected,
      canTrade: true,
    });
    const plan = store.plans.require('p1');
    expect(plan.environment).toBe(expected);
    // Plan rows learn their exterior and float from the cached copy.
    expect(plan.items[0]).toMatchObject({ exterior: 'Field-Tested', wear: '0.25' });
  });
});
