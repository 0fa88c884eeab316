import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../shared/api/schemas';
import { AppError } from '../../shared/contract/result';
import { MIGRATIONS, Store, openDatabase } from '../../electron/main/services/store';

const URL_A = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=ABCDEFGH';
const URL_B = 'https://steamcommunity.com/tradeoffer/new/?partner=67890&token=abcd_-12';

function item(i: number, over: Partial<InventoryItem> = {}): InventoryItem {
  return {
    id: `item-${String(i).padStart(6, '0')}`,
    assetId: String(1000 + i),
    name: `Skin ${i}`,
    marketHashName: `Skin ${i} (Field-Tested)`,
    type: i % 2 ? 'Rifle' : 'Pistol',
    iconUrl: 'https://example.invalid/i.png',
    appid: 730,
    tradable: true,
    amount: 1,
    marketPrice: 12.5,
    offer: { price: 10.75 + (i % 100) / 100, accepted: true, maxAmount: 1 },
    exterior: 'Field-Tested',
    wear: '0.25',
    rarity: 'Classified',
    color: '#D32CE6',
    ...over,
  };
}

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-'));
  store = new Store(join(dir, 'app.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return String(e.details?.reason ?? e.code);
    throw e;
  }
  return undefined;
}

describe('store: database', () => {
  it('opens with WAL, foreign keys, NORMAL sync (FULL for durable commits) and the latest schema; reopening is idempotent', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.durableTransaction(() => store.db.pragma('synchronous', { simple: true }))).toBe(
      2,
    );
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    store.close();
    store = new Store(join(dir, 'app.db'));
    const applied = store.db.prepare('SELECT version FROM schema_migrations').all();
    expect(applied).toHaveLength(MIGRATIONS.length);
  });

  it('upgrades a schema-1 database: its runs were written whole, so none has batches pending', () => {
    store.close();
    const old = openDatabase(join(dir, 'v1.db'), { migrations: MIGRATIONS.slice(0, 1) });
    const at = new Date().toISOString();
    old
      .prepare(
        'INSERT INTO plans (id, name, status, options, revision, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
      )
      .run('p1', 'old plan', 'submitted', '{}', at, at);
    old
      .prepare(
        "INSERT INTO runs (id, plan_id, preflight_id, state, created_at, updated_at) VALUES ('r1', 'p1', NULL, 'finished', ?, ?)",
      )
      .run(at, at);
    old.close();
    store = new Store(join(dir, 'v1.db'));
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.runs.get('r1')).toMatchObject({ state: 'finished', batchesPending: false });
    expect(store.runs.withBatchesPending()).toEqual([]);
    expect(store.runs.summary('r1').totals).toMatchObject({ batches: 0, items: 0 });
  });

  it('refuses a database written by a newer schema', () => {
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    store.close();
    expect(() => new Store(join(dir, 'app.db'))).toThrow(/newer version/);
    store = new Store(join(dir, 'other.db'));
  });

  it('event_log is append-only and redacts keys', () => {
    const id = store.events.append({
      kind: 'test',
      payload: { note: 'key ap_live_SECRET123 leaked', apiKey: 'xyz' },
    });
    const [entry] = store.events.list();
    expect(entry!.id).toBe(id);
    expect(JSON.stringify(entry!.payload)).not.toMatch(/SECRET123|xyz/);
    expect(() => store.db.prepare('UPDATE event_log SET kind = ?').run('x')).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM event_log').run()).toThrow(/append-only/);
  });
});

describe('store: settings and accounts', () => {
  it('fills defaults, validates updates and ignores unreadable values', () => {
    expect(store.settings.get().batchSize).toBe(250);
    expect(store.settings.update({ concurrency: 8, priceToleranceBp: 150 }).concurrency).toBe(8);
    expect(reason(() => store.settings.update({ batchSize: 251 }))).toBe('invalid-settings');
    store.db.prepare("UPDATE settings SET value = '\"oops\"' WHERE key = 'concurrency'").run();
    expect(store.settings.get().concurrency).toBe('auto');
    expect(
      reason(() => store.settings.setValue('apiKey', AppError as never as never, 'x' as never)),
    ).toBe('secret-in-settings');
  });

  it('adds, lists, updates and removes accounts; refuses bad and duplicate URLs', () => {
    const a = store.accounts.add({ label: 'Main', tradeUrl: ` ${URL_A} ` });
    expect(a.tradeUrl).toBe(URL_A);
    expect(a.steamId64).toBe('76561197960278073');
    expect(reason(() => store.accounts.add({ label: 'Dup', tradeUrl: URL_A }))).toBe(
      'duplicate-account',
    );
    expect(reason(() => store.accounts.add({ label: 'Bad', tradeUrl: URL_A + '&' }))).toBe(
      'invalid-trade-url',
    );
    expect(store.accounts.list()).toHaveLength(1);
    const b = store.accounts.update(a.id, { tradeUrl: URL_B, label: 'Alt' });
    expect(b.label).toBe('Alt');
    store.accounts.setLastCheck(a.id, {
      at: new Date().toISOString(),
      state: 1,
      canTrade: true,
      message: 'ok',
    });
    expect(store.accounts.get(a.id)!.lastCheck!.state).toBe(1);
    store.accounts.remove(a.id);
    expect(store.accounts.list()).toHaveLength(0);
    expect(store.accounts.get(a.id)).not.toBeNull();
    // the URL is free again
    store.accounts.add({ label: 'Again', tradeUrl: URL_B });
  });
});

describe('store: inventory', () => {
  it('stores 100,000 items in one fast transaction and queries them', () => {
    const a = store.accounts.add({ label: 'Main', tradeUrl: URL_A });
    const items = Array.from({ length: 100_000 }, (_, i) => item(i));
    const t0 = performance.now();
    const snap = store.inventory.replaceSnapshot(a.id, '730', items, new Date().toISOString(), {
      apiUpdatedAt: '2026-05-14T12:00:00.000Z',
    });
    const ms = performance.now() - t0;
    expect(snap.itemCount).toBe(100_000);
    expect(ms).toBeLessThan(8_000);
    const page = store.inventory.query({
      accountId: a.id,
      game: '730',
      sort: 'priceDesc',
      limit: 10,
    });
    expect(page.total).toBe(100_000);
    expect(page.rows[0]!.priceCents).toBe(1174);
    const filtered = store.inventory.query({ search: 'Skin 4242', type: 'Pistol' });
    expect(filtered.rows.map((r) => r.itemId)).toContain('item-004242');
    // replace again: the old rows go
    store.inventory.replaceSnapshot(a.id, '730', items.slice(0, 5), new Date().toISOString());
    expect(store.inventory.query({}).total).toBe(5);
  }, 30_000);

  it('keeps the price exactly as given and resolves plan items from the cache', () => {
    const a = store.accounts.add({ label: 'Main', tradeUrl: URL_A });
    store.inventory.replaceSnapshot(
      a.id,
      '730',
      [
        item(1, { offer: { price: 0.1 + 0.2, accepted: true } }),
        item(2, { offer: { price: 5, accepted: false } }),
        item(3, { tradable: false }),
      ],
      new Date().toISOString(),
    );
    const row = store.inventory.getItems(a.id, '730', ['item-000001']).get('item-000001')!;
    expect(row.priceUsd).toBe(0.1 + 0.2);
    expect(row.priceCents).toBe(30);
    const r = store.inventory.resolvePlanItems([
      { accountId: a.id, game: '730', itemId: 'item-000001' },
      { accountId: a.id, game: '730', itemId: 'item-000002' },
      { accountId: a.id, game: '730', itemId: 'item-000003' },
      { accountId: a.id, game: '730', itemId: 'item-999999' },
      { accountId: a.id, game: '730', itemId: 'item-000001' },
    ]);
    expect(r.items.map((i) => i.itemId)).toEqual(['item-000001']);
    expect(r.errors.map((e) => e.reason)).toEqual([
      'not-accepted',
      'not-tradable',
      'unknown-item',
      'duplicate-item',
    ]);
  });
});

describe('store: plans', () => {
  it('creates, updates and validates plans all-or-nothing', () => {
    const a = store.accounts.add({ label: 'Main', tradeUrl: URL_A });
    const items = Array.from({ length: 260 }, (_, i) => ({
      accountId: a.id,
      game: '730' as const,
      itemId: `item-${String(i).padStart(6, '0')}`,
      name: `Skin ${i}`,
      priceUsd: 1.25,
      priceCents: 125,
      amount: 1,
    }));
    const plan = store.plans.create({ name: 'Big', items });
    expect(plan.itemCount).toBe(260);
    expect(plan.batchCount).toBe(2);
    expect(plan.totalCents).toBe(260 * 125);
    expect(reason(() => store.plans.update(plan.id, { options: { batchSize: 251 } }))).toBe(
      'batch-size-too-large',
    );
    const before = store.plans.require(plan.id);
    expect(reason(() => store.plans.replaceItems(plan.id, [...items, items[0]!]))).toBe(
      'duplicate-item',
    );
    expect(reason(() => store.plans.replaceItems(plan.id, [{ ...items[0]!, priceUsd: 0 }]))).toBe(
      'invalid-price',
    );
    expect(reason(() => store.plans.replaceItems(plan.id, [{ ...items[0]!, priceUsd: -1 }]))).toBe(
      'invalid-price',
    );
    expect(
      reason(() => store.plans.replaceItems(plan.id, [{ ...items[0]!, accountId: 'nope' }])),
    ).toBe('unknown-account');
    expect(store.plans.require(plan.id)).toEqual(before);
    const small = store.plans.update(plan.id, { options: { batchSize: 100 }, name: 'Renamed' });
    expect(small.batchCount).toBe(3);
    expect(store.plans.list()).toHaveLength(1);
    store.plans.delete(plan.id);
    expect(store.plans.get(plan.id)).toBeNull();
  });
});
