import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { Store } from '../../electron/main/services/store';
import {
  checkGroundTruth,
  CS2_RUN,
  dumpRun,
  killAfter,
  mulberry32,
  prepareRun,
  trialFile,
  runChild,
} from './engine-support/crash-trial';

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
 * Then (checkGroundTruth, engine-support/crash-trial.ts): the invariant holds,
 * every batch is settled, the emulator sold every item exactly once, and every
 * emulator trade holding our items — related trades of split baskets
 * included — is known locally, to the right batch, with its status.
 * engine-crash-split.test.ts kills during split-basket recovery (CS2 and Rust
 * stacks), engine-crash-stop.test.ts during cancel and pause.
 */

const TRIALS = 24;
const MODES = ['after-write-ahead', 'after-commit', 'after-response', 'timed'] as const;

const file = trialFile();

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
    file.cleanup = async () => {
      child?.kill('SIGKILL');
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    };

    // ── Prepare the run in the parent (no sell is sent here): 40 batches of 10. ──
    const run = await prepareRun(emulator, dbPath, CS2_RUN, `crash ${trial}`);
    expect(run.batches).toBe(40);

    const env = { DB_PATH: dbPath, BASE_URL: emulator.url, RUN_ID: run.runId };
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
      const sending = peek.batches.listByStates(['sending', 'unknown'], run.runId);
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
    if (r2.code !== 0) dumpRun(emulator, dbPath, run.runId, r2);
    expect({ code: r2.code, signal: r2.signal }).toEqual({ code: 0, signal: null });

    // ── Verify: every item sold exactly once (per unit), every trade holding our items known. ──
    const check = new Store(dbPath);
    try {
      checkGroundTruth(emulator, check, run, { allSold: true });
    } finally {
      check.close();
    }
  });
});
