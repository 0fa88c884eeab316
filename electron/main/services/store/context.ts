import { randomUUID } from 'node:crypto';
import { AppError } from '../../../../shared/errors';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';

/** What every repository shares: the connection, the time and id sources. */
export interface StoreContext {
  readonly db: Db;
  /** A prepared statement, cached by its SQL text (preparing costs ~20 µs; the engine runs hot paths). */
  stmt(sql: string): Statement;
  /** Epoch milliseconds. */
  now(): number;
  /** `now()` as ISO-8601. */
  iso(): string;
  newId(): string;
}

const MAX_CACHED_STATEMENTS = 300;

export function makeContext(
  db: Db,
  now: () => number = Date.now,
  newId: () => string = randomUUID,
): StoreContext {
  const cache = new Map<string, Statement>();
  return {
    db,
    stmt(sql) {
      let st = cache.get(sql);
      if (!st) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        st = db.prepare(sql);
        cache.set(sql, st);
      }
      return st;
    },
    now,
    iso: () => new Date(now()).toISOString(),
    newId,
  };
}

export function notFound(what: string, id: string): AppError {
  return new AppError('not-found', `${what} ${id} does not exist.`, { id });
}

export function invalid(
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError('invalid-request', message, { reason, ...details });
}

export function conflict(
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError('conflict', message, { reason, ...details });
}

/** Splits an array into chunks (SQLite caps bound parameters; 500 per statement is safe). */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
