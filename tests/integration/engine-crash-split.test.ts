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
  dumpRun,
  endPrimary,
  hashOf,
  killAfter,
  mulberry32,
  prepareRun,
  dyingWhy,
  trialFile,
  runChild,
  type RunShape,
} from './engine-support/crash-trial';

/*
 * Crash trials during split-basket recovery (issue 10, defect 1; api §8 step 4).
 * Baskets of 10 go out as trades of ≤ 2–4 items; sells lose their answer
 * (reset after commit) often; the emulator cancels the primary trade of a
 * seeded half of the baskets (or all of them) the moment it is committed —
 * chosen by the basket's first item, so the same baskets whatever the order
 * the sells arrive in — while its related trades (no externalId) live on. A
 * lookup by externalId then shows only a canceled trade: the engine must
 * find the related trades by scanning GET /secure/trades, and never sell
 * the items again. Half the trials sell parts of Rust stacks (3 units of
 * stacks of ≥ 6), where a second sale would succeed and show as more units
 * sold than planned.
 *
 * The first child is killed at a seeded moment of that path:
 *   after-commit   the emulator committed a basket whose primary it canceled (this process kills);
 *   ambiguous:N    the Nth lost answer was read, not yet committed (the batch is `sending`);
 *   lookup-after:N the Nth lookup by externalId answered, not yet read;
 *   scan-*:N       the Nth page of the related-trade scan is about to leave / answered;
 * the recovering child is killed again during its own recovery (a scan, a
 * lookup, or a timer), and a third child runs to the end.
 * Then (checkGroundTruth): per item no more units held than planned; every
 * trade holding our items — related ones included — known to the app, to the
 * right batch, with its status; and exactly the items of the canceled
 * primaries are not sold, with no batch past its first attempt.
 */

const TRIALS = 12;
const FIRST_KILLS = ['after-commit', 'ambiguous', 'lookup', 'scan'] as const;
const file = trialFile();

describe('engine: crash during split-basket recovery (SIGKILL at seeded moments)', () => {
  it.each(Array.from({ length: TRIALS }, (_, i) => i))('trial %i', async (trial) => {
    const rng = mulberry32(5000 + trial * 104729);
    const rust = trial % 2 === 1;
    const firstKill = FIRST_KILLS[Math.floor(trial / 2) % FIRST_KILLS.length]!;
    const n = between(rng, 1, 3);
    const splitAbove = between(rng, 2, 4);
    // A seeded half of the baskets, or (every third trial) all of them, lose their primary at once.
    const cancelAll = trial % 3 === 2;
    const resetRate = [0.25, 0.4][between(rng, 0, 1)]!;
    const withServerErrors = rng() < 0.5;
    const shape: RunShape = rust
      ? { game: '252490', perAccount: 100, amount: 3, batchSize: 10 }
      : { game: '730', perAccount: 100, amount: 1, batchSize: 10 };

    let child: ChildProcess | null = null;
    let canceledCommits = 0;
    const canceledPrimaries: { id: string; itemIds: string[] }[] = [];
    let emulator: Emulator | null = null;
    emulator = await startEmulator({
      seed: 11,
      itemsPerInventory: rust ? 400 : 260,
      latencyMs: between(rng, 0, 6),
      lifecycle: { stepMs: 40 },
      splitAbove,
      faults: `reset-after-commit=${resetRate}${withServerErrors ? ',server-error=0.05' : ''}`,
      onSellCommitted: (t) => {
        const first = t.items[0]?.id ?? '';
        if (!cancelAll && hashOf(first) % 2 === 1) return;
        // The primary ends at once; its related trades live on.
        if (!endPrimary(emulator!, t.id)) return;
        canceledPrimaries.push({ id: t.id, itemIds: t.items.map((i) => i.id) });
        canceledCommits++;
        if (firstKill === 'after-commit' && canceledCommits === n && child) child.kill('SIGKILL');
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'crash-split-'));
    const dbPath = join(dir, 'app.db');
    file.cleanup = async () => {
      child?.kill('SIGKILL');
      await emulator!.stop();
      rmSync(dir, { recursive: true, force: true });
    };

    const run = await prepareRun(emulator, dbPath, shape, `split crash ${trial}`);
    expect(run.batches).toBe(20);
    const env = { DB_PATH: dbPath, BASE_URL: emulator.url, RUN_ID: run.runId };

    // ── First crash, on the split-basket path. ──
    const side = rng() < 0.5 ? 'before' : 'after';
    const crashAt =
      firstKill === 'ambiguous'
        ? `ambiguous:${n}`
        : firstKill === 'lookup'
          ? `lookup-after:${n}`
          : firstKill === 'scan'
            ? `scan-${side}:${n}`
            : '';
    const first = runChild(crashAt ? { ...env, CRASH_AT: crashAt } : env);
    child = first.child;
    const r1 = await first.done;
    if (r1.signal !== 'SIGKILL')
      expect({ code: r1.code, err: r1.stderr.slice(-2000) }).toEqual({
        code: 0,
        err: r1.stderr.slice(-2000),
      });

    // ── The recovery is killed during its own recovery: a scan, a lookup, or a timer. ──
    const recoveryKill = [
      `scan-before:${between(rng, 1, 2)}`,
      `scan-after:${between(rng, 1, 2)}`,
      `lookup-after:${between(rng, 1, 3)}`,
      '',
    ][trial % 4]!;
    const timed = between(rng, 30, 500);
    const second = runChild(
      recoveryKill ? { ...env, CRASH_AT: recoveryKill } : env,
      recoveryKill ? undefined : killAfter(timed),
    );
    child = second.child;
    const r2 = await second.done;
    if (r2.signal !== 'SIGKILL')
      expect({ code: r2.code, err: r2.stderr.slice(-2000) }).toEqual({
        code: 0,
        err: r2.stderr.slice(-2000),
      });

    // ── Recover in a new process and run to the end. ──
    const last = runChild(env);
    child = last.child;
    const r3 = await last.done;
    child = null;
    if (r3.code !== 0) dumpRun(emulator, dbPath, run.runId, r3);
    expect({ code: r3.code, signal: r3.signal }).toEqual({ code: 0, signal: null });
    file.coverage.push(
      `split ${trial} ${rust ? 'rust' : 'cs2'} splitAbove=${splitAbove} first=${crashAt || `after-commit:${n}`} → ${dyingWhy(r1)}; recovery=${recoveryKill || `timed:${timed}`} → ${dyingWhy(r2)}; canceled primaries=${canceledPrimaries.length}`,
    );

    // ── Verify. ──
    const check = new Store(dbPath);
    try {
      const state = checkGroundTruth(emulator, check, run, { allSold: false });
      expect(check.batches.countByState(run.runId)).toEqual({ settled: run.batches });
      // Every basket was split: a primary that ended never justified a second attempt.
      expect(check.batches.listByRun(run.runId).filter((b) => b.attempt !== 1)).toEqual([]);
      expect(canceledPrimaries.length).toBeGreaterThan(0);
      // Exactly the items of the canceled primaries were not sold.
      const unsold = new Set(canceledPrimaries.flatMap((p) => p.itemIds));
      const sold = new Set(state.soldItemIds);
      expect(run.items.filter((i) => sold.has(i.itemId) === unsold.has(i.itemId))).toEqual([]);
    } finally {
      check.close();
    }
  });
});
