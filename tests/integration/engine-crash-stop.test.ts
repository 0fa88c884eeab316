import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { Store } from '../../electron/main/services/store';
import {
  between,
  checkGroundTruth,
  checkNoSellAfterStop,
  CS2_RUN,
  dumpRun,
  endPrimary,
  hashOf,
  mulberry32,
  prepareRun,
  dyingWhy,
  trialFile,
  runChild,
  type ChildResult,
  type RunShape,
} from './engine-support/crash-trial';

/*
 * Crash trials around the trader's stop (issue 10, defects 4–6): the child
 * cancels or pauses the run at a seeded moment, and is SIGKILLed at a seeded
 * moment after that. Stops (STOP_AT):
 *   write-ahead   in the hook right after the Nth write-ahead (that request was
 *                 written before the stop, so it may still leave);
 *   timer         1–40 ms after the Nth write-ahead: wherever the engine is
 *                 (a request in flight, an answer being applied, a lookup);
 *   ambiguous     when the Nth lost answer is read (its batch about to go `unknown`);
 *   throttled     0.1–0.6 s after a 429 (Retry-After 1 s, the emulator's answer to the Nth
 *                 sell), while sells wait in the rate limiter.
 * (ambiguous and throttled fall back to a later write-ahead if their answer never comes.)
 * Kills after the stop (KILL_AFTER_STOP): right away (a batch written ahead never
 * leaves), after a timer (requests in flight), at the first lookup by externalId
 * that follows (before it leaves or after its answer), or at the first sell answer
 * that follows (not yet committed). A timer fallback ends a child whose point
 * never comes. Some trials crash their recovery once more (at its first lookup or
 * on a timer), some split baskets and end primaries at once, some sell Rust stacks.
 *
 * Recovery: a canceled run runs until every batch is final; a paused run first
 * waits until no batch is sending or unknown (settled by lookups only), then is
 * resumed and runs to the end. Then checkGroundTruth (per-unit sales, every
 * trade holding our items known) and checkNoSellAfterStop: no write-ahead (nor
 * send record) after the cancel or between the pause and the resume, and every
 * emulator trade of the run from a request written ahead before the stop.
 */

const TRIALS = 16;
const STOPS = ['write-ahead', 'timer', 'ambiguous', 'throttled'] as const;
const KILLS = ['now', 'timer', 'lookup', 'response'] as const;
const file = trialFile();

describe('engine: crash after a cancel or pause (SIGKILL at seeded moments)', () => {
  it.each(Array.from({ length: TRIALS }, (_, i) => i))('trial %i', async (trial) => {
    const rng = mulberry32(9000 + trial * 15485863);
    // Every stop and every kill meets both cancel and pause.
    const how = trial % 2 === 0 ? 'cancel' : 'pause';
    const stop = STOPS[Math.floor(trial / 2) % STOPS.length]!;
    const kill = KILLS[(trial + Math.floor(trial / 8)) % KILLS.length]!;
    const rust = trial % 3 === 2;
    const split = trial % 3 === 1;
    const secondCrash = trial % 5 === 4;
    const shape: RunShape = rust
      ? { game: '252490', perAccount: 100, amount: 3, batchSize: 10 }
      : CS2_RUN;

    let child: ChildProcess | null = null;
    const canceledPrimaries: string[][] = [];
    let emulator: Emulator | null = null;
    emulator = await startEmulator({
      seed: 11,
      itemsPerInventory: rust ? 400 : 260,
      latencyMs: between(rng, 0, 6),
      lifecycle: { stepMs: 40 },
      faults: 'reset-after-commit=0.15,server-error=0.03,fleet-degraded=0.03',
      ...(split
        ? {
            splitAbove: 4,
            onSellCommitted: (t) => {
              if (hashOf(t.items[0]?.id ?? '') % 2 === 1) return;
              if (endPrimary(emulator!, t.id)) canceledPrimaries.push(t.items.map((i) => i.id));
            },
          }
        : {}),
    });
    const dir = mkdtempSync(join(tmpdir(), 'crash-stop-'));
    const dbPath = join(dir, 'app.db');
    file.cleanup = async () => {
      child?.kill('SIGKILL');
      await emulator!.stop();
      rmSync(dir, { recursive: true, force: true });
    };

    const run = await prepareRun(emulator, dbPath, shape, `stop crash ${trial}`);
    const env = { DB_PATH: dbPath, BASE_URL: emulator.url, RUN_ID: run.runId };

    // ── The trader stops the run; the app dies a little later. ──
    const n = between(rng, 1, Math.min(12, run.batches - 10));
    const stopEnv: Record<string, string> = {
      STOP: how,
      STOP_AT: {
        'write-ahead': `write-ahead:${n}`,
        timer: `write-ahead:${n}+${between(rng, 1, 40)}`,
        ambiguous: `ambiguous:${between(rng, 1, 2)},write-ahead:${n + 8}`,
        // While sells wait out the 429's second in the rate limiter.
        throttled: `throttled:1+${between(rng, 100, 600)},write-ahead:${n + 8}`,
      }[stop],
    };
    if (stop === 'throttled') {
      // The Nth sell AssetPay sees is answered 429 (Retry-After 1 s); the ones before, normally.
      for (let i = 1; i < n; i++) emulator.injectNext('sell', { delayMs: 1 });
      emulator.injectNext('sell', 'rate-limited');
    }
    const fallback = `ms:${between(rng, 300, 800)}`;
    const killSpec = {
      now: 'now',
      timer: `ms:${between(rng, 1, 250)}`,
      lookup: `lookup-${rng() < 0.5 ? 'before' : 'after'}:1,${fallback}`,
      response: `response:1,${fallback}`,
    }[kill];
    const first = runChild({ ...env, ...stopEnv, KILL_AFTER_STOP: killSpec });
    child = first.child;
    const r1 = await first.done;
    const stopped = r1.lines.find((l) => l.ev === 'stopped');
    expect(
      stopped,
      `the child stopped the run: ${JSON.stringify(r1.lines.slice(-3))} ${r1.stderr.slice(-1000)}`,
    ).toBeDefined();
    // A paused run never ends by itself: the kill always comes. A canceled one may end first.
    if (r1.signal !== 'SIGKILL')
      expect({ how, code: r1.code, err: r1.stderr.slice(-2000) }).toEqual({
        how: 'cancel',
        code: 0,
        err: r1.stderr.slice(-2000),
      });

    const recoverEnv: Record<string, string> = how === 'pause' ? { ...env, RESUME: '1' } : env;
    let r2: ChildResult | null = null;
    if (secondCrash) {
      const again = runChild({
        ...recoverEnv,
        CRASH_AT: `lookup-after:${between(rng, 1, 2)},ms:${between(rng, 20, 600)}`,
      });
      child = again.child;
      r2 = await again.done;
    }

    // ── Recover: a canceled run to its end; a paused one waits for its lookups, is resumed, and ends. ──
    const last = runChild(recoverEnv);
    child = last.child;
    const r3 = await last.done;
    child = null;
    if (r3.code !== 0) dumpRun(emulator, dbPath, run.runId, r3);
    expect({ code: r3.code, signal: r3.signal }).toEqual({ code: 0, signal: null });
    if (how === 'pause' && !r2?.lines.some((l) => l.ev === 'resumed')) {
      const evs = r3.lines.map((l) => l.ev);
      expect(evs.indexOf('quiet')).toBeGreaterThan(evs.indexOf('started'));
      expect(evs.indexOf('resumed')).toBeGreaterThan(evs.indexOf('quiet'));
    }

    // ── Verify. ──
    const check = new Store(dbPath);
    try {
      const state = checkGroundTruth(emulator, check, run, {
        allSold: how === 'pause' && !split,
      });
      const stopInfo = checkNoSellAfterStop(state, check, run.runId, { how });
      const counts = check.batches.countByState(run.runId);
      if (how === 'pause') expect(counts).toEqual({ settled: run.batches });
      else {
        // Every batch that had not been written ahead when the trader canceled ends canceled
        // (with a fast AssetPay, all of them may have left before the cancel: then none).
        const events = check.events.list({ runId: run.runId, limit: 100_000 });
        const leftBefore = new Set(
          events
            .filter((e) => e.id < stopInfo.stopId && e.kind === 'batch:queued->sending')
            .map((e) => e.batchId),
        );
        const notCanceled = check.batches
          .listByRun(run.runId)
          .filter((b) => !leftBefore.has(b.id) && b.state !== 'canceled')
          .map((b) => `${b.id} ${b.state}`);
        expect(notCanceled).toEqual([]);
      }
      if (split) {
        // Items of primaries that ended at once stay unsold; the rest of the run is sold
        // (pause) — a second attempt for them would be a sale the app did not plan.
        expect(check.batches.listByRun(run.runId).filter((b) => b.attempt !== 1)).toEqual([]);
        const unsold = new Set(canceledPrimaries.flat());
        const sold = new Set(state.soldItemIds);
        expect(run.items.filter((i) => unsold.has(i.itemId) && sold.has(i.itemId))).toEqual([]);
        if (how === 'pause')
          expect(run.items.filter((i) => !unsold.has(i.itemId) && !sold.has(i.itemId))).toEqual([]);
      }
      file.coverage.push(
        `stop ${trial} ${how} ${rust ? 'rust' : 'cs2'}${split ? ' split' : ''} at ${String(stopped!.why)} (${JSON.stringify(stopped!.counts)}) kill ${killSpec} → ${dyingWhy(r1)}${r2 ? `; recovery → ${dyingWhy(r2)}` : ''}; written ahead after the stop: ${stopInfo.sentAfter}; final ${JSON.stringify(counts)}`,
      );
    } finally {
      check.close();
    }
  });
});
