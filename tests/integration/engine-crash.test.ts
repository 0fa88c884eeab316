import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import type { PlanItem } from '../../shared/contract/views';
import { AssetPayClient } from '../../electron/main/services/assetpay/client';
import { systemClock } from '../../electron/main/services/assetpay/clock';
import { RateLimiter } from '../../electron/main/services/assetpay/rate-limiter';
import { checkInvariant, SellEngine } from '../../electron/main/services/engine';
import { Store } from '../../electron/main/services/store';
import { CRASH_TIMING } from './engine-support/crash-timing';
import { tradeUrlFor } from './engine-support/harness';

/*
 * Crash/restart trials (design §5 "write-ahead", api §8). Each trial:
 *  - the parent runs the emulator (in this process) and prepares a 40-batch
 *    run (400 items, 2 accounts, batch size 10) in a SQLite file;
 *  - a child process runs the engine and is SIGKILLed at a seeded moment:
 *      after-write-ahead:N  – the batch row + body + externalId are committed, the request has not left;
 *      after-commit:N       – the emulator has created the trade, the child has not read the answer
 *                             (onSellCommitted in this process kills the child);
 *      after-response:N     – the answer was read, its outcome not yet committed;
 *      timed:T              – anywhere, T ms after start (possibly mid-transaction);
 *    some trials also run random emulator faults, split baskets, or a second crash;
 *  - a new child recovers from the same file and runs to the end.
 * Then: the invariant holds, the emulator sold every item exactly once, every
 * live emulator trade is known locally, every batch is settled.
 */

const CHILD = resolve(__dirname, 'engine-support/crash-child.ts');
const TRIALS = 24;
const MODES = ['after-write-ahead', 'after-commit', 'after-response', 'timed'] as const;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

function runChild(
  env: Record<string, string>,
  onStart?: (child: ChildProcess) => void,
): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      if (line.includes('"started"')) onStart?.(child);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ChildResult>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, lines, stderr })),
  );
  return { child, done };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('engine: crash and recover (SIGKILL at seeded moments)', () => {
  it.each(Array.from({ length: TRIALS }, (_, i) => i))('trial %i', async (trial) => {
    const rng = mulberry32(1000 + trial * 7919);
    const mode = MODES[trial % MODES.length]!;
    const n = 1 + Math.floor(rng() * 40);
    const withFaults = trial % 3 === 2;
    const split = trial % 5 === 1;
    const secondCrash = trial % 6 === 5;
    let child: ChildProcess | null = null;
    let commits = 0;
    const emulator: Emulator = await startEmulator({
      seed: 11,
      itemsPerInventory: 260,
      latencyMs: Math.floor(rng() * 8),
      lifecycle: { stepMs: 40 },
      ...(split ? { splitAbove: 6 } : {}),
      ...(withFaults
        ? {
            faults:
              'reset-after-commit=0.04,server-error=0.04,html-502=0.02,fleet-degraded=0.03,no-bots=0.02',
          }
        : {}),
      onSellCommitted: () => {
        commits++;
        if (mode === 'after-commit' && commits === n && child) child.kill('SIGKILL');
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'crash-'));
    const dbPath = join(dir, 'app.db');
    cleanup = async () => {
      child?.kill('SIGKILL');
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    };

    // ── Prepare the run in the parent (no sell is sent here). ──
    const store = new Store(dbPath);
    const limiter = new RateLimiter({ tier: 'verified' });
    const client = new AssetPayClient({
      baseUrl: emulator.url,
      apiKey: () => 'ap_sandbox_key',
      limiter,
    });
    const engine = new SellEngine({
      store,
      client,
      limiter,
      clock: systemClock,
      events: () => undefined,
      options: { timing: CRASH_TIMING },
    });
    const items: PlanItem[] = [];
    for (const partner of [31337, 42424]) {
      const accountId = store.accounts.add({
        label: `a${partner}`,
        tradeUrl: tradeUrlFor(partner),
      }).id;
      const inv = await client.getInventory(tradeUrlFor(partner), '730', { refresh: true });
      if (inv.kind !== 'ok') throw new Error('inventory');
      store.inventory.replaceSnapshot(accountId, '730', inv.data.items, new Date().toISOString());
      items.push(
        ...store.inventory
          .query({ accountId, game: '730', sellableOnly: true, limit: 200 })
          .rows.map((r) => ({
            accountId,
            game: '730' as const,
            itemId: r.itemId,
            name: r.name,
            priceUsd: r.priceUsd,
            priceCents: r.priceCents,
            amount: 1,
          })),
      );
    }
    expect(items).toHaveLength(400);
    const plan = store.plans.create({ name: `crash ${trial}`, items, options: { batchSize: 10 } });
    const diff = await engine.runPreflight(plan.id);
    const run = engine.createRun(plan.id, engine.acceptPreflight(plan.id, diff.preflightId, []));
    // The run plans 40 batches; its first chunk is written with it and the child processes write
    // the rest (a kill may land while they do).
    expect(run.totals.batches).toBe(40);
    expect(store.batches.listByRun(run.id).length).toBeGreaterThan(0);
    await engine.stop();
    client.close();
    limiter.dispose();
    store.close();

    const env = { DB_PATH: dbPath, BASE_URL: emulator.url, RUN_ID: run.id };
    const killAfter = (ms: number) => (c: ChildProcess) => setTimeout(() => c.kill('SIGKILL'), ms);

    // ── Crash. ──
    const crashEnv =
      mode === 'after-write-ahead' || mode === 'after-response'
        ? { ...env, CRASH_AT: `${mode}:${n}` }
        : env;
    const first = runChild(
      crashEnv,
      mode === 'timed' ? killAfter(30 + Math.floor(rng() * 900)) : undefined,
    );
    child = first.child;
    const r1 = await first.done;
    // The seeded crash points are always reachable (≥ 40 write-aheads, answers and commits): the kill happened.
    if (mode !== 'timed') expect(r1.signal).toBe('SIGKILL');
    if (mode === 'after-write-ahead' || mode === 'after-commit') {
      // Killed between "committed to the DB" and "answer read": the recovering process finds a batch in `sending`.
      const peek = new Store(dbPath);
      // (A resend of an already ambiguous batch happens from `unknown`.)
      const sending = peek.batches.listByStates(['sending', 'unknown'], run.id);
      peek.close();
      expect(sending.length).toBeGreaterThanOrEqual(1);
      if (mode === 'after-commit') {
        const created = new Set(emulator.state().trades.map((t) => t.externalId));
        expect(sending.some((b) => created.has(b.externalId))).toBe(true);
      }
    }
    if (r1.signal !== 'SIGKILL') {
      // The crash point was never reached (e.g. fewer answers than N): the run must have ended cleanly.
      expect({ code: r1.code, err: r1.stderr.slice(-2000) }).toEqual({
        code: 0,
        err: r1.stderr.slice(-2000),
      });
    }
    if (secondCrash) {
      const again = runChild(env, killAfter(20 + Math.floor(rng() * 400)));
      child = again.child;
      await again.done;
    }

    // ── Recover in a new process and run to the end. ──
    const last = runChild(env);
    child = last.child;
    const r2 = await last.done;
    child = null;
    if (r2.code !== 0) {
      const s = new Store(dbPath);
      for (const b of s.batches.listByRun(run.id).filter((x) => x.state !== 'settled')) {
        console.log(
          JSON.stringify({
            b: [b.seq, b.state, b.externalId],
            trades: s.trades
              .byBatch(b.id)
              .map((t) => [
                t.id.slice(0, 8),
                t.status,
                t.itemCount,
                t.parentTradeId?.slice(0, 8),
                t.nextPollAt,
              ]),
            ev: s.events.list({ batchId: b.id }).map((e) => e.kind),
          }),
        );
        console.log(
          JSON.stringify(
            emulator
              .state()
              .trades.filter(
                (t) =>
                  t.externalId === b.externalId ||
                  s.trades.byBatch(b.id).some((x) => x.id === t.relatedTo),
              )
              .map((t) => [t.id.slice(0, 8), t.status, t.itemIds.length, t.relatedTo?.slice(0, 8)]),
          ),
        );
      }
      s.close();
      console.log(JSON.stringify({ lines: r2.lines.slice(-3), err: r2.stderr.slice(-3000) }));
    }
    expect({ code: r2.code, signal: r2.signal }).toEqual({ code: 0, signal: null });

    // ── Verify. ──
    const check = new Store(dbPath);
    try {
      const report = checkInvariant(check, { runId: run.id });
      expect(report.violations).toEqual([]);
      expect(check.batches.countByState(run.id)).toEqual({ settled: 40 });
      expect(report.positions.settled).toBe(400);
      const state = emulator.state();
      expect(state.duplicateSoldItemIds).toEqual([]);
      const held = state.trades.filter((t) =>
        ['initiated', 'pending', 'active', 'hold', 'completed'].includes(t.status),
      );
      const soldIds = held.flatMap((t) => t.itemIds);
      expect(soldIds.length).toBe(new Set(soldIds).size);
      expect(new Set(soldIds)).toEqual(new Set(items.map((i) => i.itemId)));
      for (const t of held)
        expect(check.trades.get(t.id), `emulator trade ${t.id} unknown locally`).not.toBeNull();
      // No externalId was used by two batches or for two item sets (also in the invariant), and the
      // emulator holds at most one trade per externalId.
      const byExt = new Map<string, number>();
      for (const t of state.trades)
        if (t.externalId) byExt.set(t.externalId, (byExt.get(t.externalId) ?? 0) + 1);
      expect([...byExt.values()].every((c) => c === 1)).toBe(true);
    } finally {
      check.close();
    }
  });
});
