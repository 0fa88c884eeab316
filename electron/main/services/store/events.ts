import { z } from 'zod';
import type { StoreContext } from './context';
import { parseJsonColumn, redactedJson } from './json';

export interface EventLogInput {
  kind: string;
  planId?: string | null;
  runId?: string | null;
  batchId?: string | null;
  tradeId?: string | null;
  payload?: Record<string, unknown>;
}

export interface EventLogEntry {
  id: number;
  at: string;
  kind: string;
  planId: string | null;
  runId: string | null;
  batchId: string | null;
  tradeId: string | null;
  payload: Record<string, unknown>;
}

interface Row {
  id: number;
  at: string;
  kind: string;
  plan_id: string | null;
  run_id: string | null;
  batch_id: string | null;
  trade_id: string | null;
  payload: string;
}

const payloadSchema = z.record(z.string(), z.unknown());

/** The append-only event log (triggers refuse UPDATE and DELETE). Payloads are redacted on the way in. */
export class EventsRepo {
  constructor(private readonly ctx: StoreContext) {}

  append(input: EventLogInput): number {
    const res = this.ctx
      .stmt(
        'INSERT INTO event_log (at, kind, plan_id, run_id, batch_id, trade_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        this.ctx.iso(),
        input.kind,
        input.planId ?? null,
        input.runId ?? null,
        input.batchId ?? null,
        input.tradeId ?? null,
        redactedJson(input.payload ?? {}),
      );
    return Number(res.lastInsertRowid);
  }

  list(
    filter: {
      planId?: string;
      runId?: string;
      batchId?: string;
      tradeId?: string;
      kind?: string;
      afterId?: number;
      limit?: number;
    } = {},
  ): EventLogEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      where.push(sql);
      args.push(v);
    };
    if (filter.planId) add('plan_id = ?', filter.planId);
    if (filter.runId) add('run_id = ?', filter.runId);
    if (filter.batchId) add('batch_id = ?', filter.batchId);
    if (filter.tradeId) add('trade_id = ?', filter.tradeId);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.afterId !== undefined) add('id > ?', filter.afterId);
    const rows = this.ctx
      .stmt(
        `SELECT * FROM event_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`,
      )
      .all(...args, Math.max(1, Math.min(filter.limit ?? 1000, 100_000))) as Row[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      kind: r.kind,
      planId: r.plan_id,
      runId: r.run_id,
      batchId: r.batch_id,
      tradeId: r.trade_id,
      payload: parseJsonColumn(payloadSchema, r.payload, 'event_log.payload'),
    }));
  }
}
