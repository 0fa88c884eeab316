import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import {
  createAppServices,
  type AppServices,
  type AppServicesOptions,
  type SecretStoreLike,
} from '../../electron/main/app';
import { createDispatcher, type Dispatcher } from '../../electron/main/ipc/dispatch';
import { keyHint, SecretStore } from '../../electron/main/services/secrets/secret-store';
import type { Method, RequestOf, ResponseOf } from '../../shared/contract/contract';
import type { IpcResult } from '../../shared/contract/result';
import type { Environment } from '../../shared/domain';
import type { GameId } from '../../shared/api/games';
import type { InventoryRow } from '../../shared/contract/views';

/*
 * Shared by the app-layer integration tests (app, ipc-fuzz, leak) and the
 * test host: services on a temp data dir, a typed call helper through the
 * real dispatcher, and database fingerprints.
 */

export const TRADE_URLS = [
  'https://steamcommunity.com/tradeoffer/new/?partner=123456&token=AbCdEf12',
  'https://steamcommunity.com/tradeoffer/new/?partner=654321&token=Zz_-9xY8',
];

/** A keychain entry of its own per test file, in the Secret Service session the runner started. */
export function testKeychain(name: string): SecretStore {
  return new SecretStore({ service: `assetpay-bulk-seller-test-${name}-${process.pid}` });
}

/** For tests that are not about the keychain. */
export function memorySecretStore(): SecretStoreLike & { entries: Map<Environment, string> } {
  const entries = new Map<Environment, string>();
  return {
    entries,
    set: async (environment, key) => void entries.set(environment, key),
    get: async (environment) => entries.get(environment) ?? null,
    status: async (environment) => {
      const key = entries.get(environment);
      return {
        environment,
        present: key !== undefined,
        hint: key === undefined ? null : keyHint(key),
      };
    },
    delete: async (environment) => void entries.delete(environment),
  };
}

export interface TestApp {
  services: AppServices;
  dispatcher: Dispatcher;
  call<M extends Method>(method: M, request: RequestOf<M>): Promise<IpcResult<ResponseOf<M>>>;
  /** Calls and throws unless ok. */
  ok<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
}

export async function startTestApp(options: AppServicesOptions): Promise<TestApp> {
  const services = await createAppServices(options);
  const dispatcher = createDispatcher(services.handlers, { logger: services.logger });
  const call = (<M extends Method>(method: M, request: RequestOf<M>) =>
    dispatcher.dispatch(method, request) as Promise<IpcResult<ResponseOf<M>>>) as TestApp['call'];
  const ok = (async <M extends Method>(method: M, request: RequestOf<M>) => {
    const result = await call(method, request);
    if (!result.ok)
      throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
    return result.data;
  }) as TestApp['ok'];
  return { services, dispatcher, call, ok };
}

/** sha256 of the database file and its WAL (absent files hash as empty). */
export function fileFingerprint(dbPath: string): string {
  const hash = createHash('sha256');
  for (const path of [dbPath, `${dbPath}-wal`]) {
    hash.update(path.endsWith('-wal') ? '|wal|' : '|db|');
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

/** Row count of every table. */
export function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all() as {
    name: string;
  }[];
  const out: Record<string, number> = {};
  for (const { name } of tables)
    out[name] = (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n;
  return out;
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 50,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Inventory rows a test fetched, by account and game, and what of them can be planned. */
export class FetchedRows {
  private readonly byView = new Map<string, InventoryRow[]>();

  set(accountId: string, game: GameId, rows: InventoryRow[]): void {
    this.byView.set(`${accountId}|${game}`, rows);
  }

  sellable(account: { id: string }, game: GameId): InventoryRow[] {
    const rows = this.byView.get(`${account.id}|${game}`) ?? [];
    return rows.filter((r) => r.tradable && r.accepted && r.priceCents > 0);
  }
}

/** A plan item as the renderer proposes it (createPlan / updatePlan). */
export function itemRef(
  account: { id: string },
  game: GameId,
  row: { itemId: string },
  amount?: number,
): { accountId: string; game: GameId; itemId: string; amount?: number } {
  return {
    accountId: account.id,
    game,
    itemId: row.itemId,
    ...(amount === undefined ? {} : { amount }),
  };
}
