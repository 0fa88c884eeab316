import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, expect } from 'vitest';
import type { Emulator, EmulatorState } from '../../../emulator';
import type { GameId } from '../../../shared/api/games';
import type { PlanItem } from '../../../shared/contract/views';
import { AssetPayClient } from '../../../electron/main/services/assetpay/client';
import { systemClock } from '../../../electron/main/services/assetpay/clock';
import { RateLimiter } from '../../../electron/main/services/assetpay/rate-limiter';
import { checkInvariant, SellEngine } from '../../../electron/main/services/engine';
import { Store } from '../../../electron/main/services/store';
import { CRASH_TIMING } from './crash-timing';
import { HELD, tradeUrlFor } from './harness';

/*
 * The crash trials' shared parts: the seeded random source, a child process
 * running the engine (crash-child.ts), the run prepared in the parent, and
 * the checks against the emulator's ground truth and the local event log.
 */

const ROOT = resolve(__dirname, '../../..');
const CHILD = resolve(__dirname, 'crash-child.ts');
let childBundle: string | null = null;

/**
 * crash-child.ts bundled once per test file (esbuild, as `npm run bench:engine`
 * does): a child then starts in ~0.1 s instead of ~0.3 s under tsx, and the
 * trials start 2–3 children each. The bundle lives under .tmp/ (git-ignored) so
 * that its packages resolve from the repository's node_modules; each test file
 * removes its own in afterAll (removeChildScript).
 */
function childScript(): string {
  if (childBundle) return childBundle;
  const out = join(ROOT, '.tmp', 'crash', `child-${process.pid}-${Date.now()}.cjs`);
  buildSync({
    entryPoints: [CHILD],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'warning',
  });
  childBundle = out;
  return out;
}

/** What a crash test file keeps across its trials. */
export interface TrialFile {
  /** CRASH_COVERAGE=1 prints these after the file: which seeded points each trial reached. */
  coverage: string[];
  /** Stops what the running trial started (its child, its emulator); called after each trial. */
  cleanup?: () => Promise<void>;
}

/** The hooks every crash test file needs: clean up after each trial, remove the bundle at the end. */
export function trialFile(): TrialFile {
  const file: TrialFile = { coverage: [] };
  afterEach(async () => {
    await file.cleanup?.();
    file.cleanup = undefined;
  });
  afterAll(() => {
    removeChildScript();
    if (process.env.CRASH_COVERAGE) console.log(file.coverage.join('\n'));
  });
  return file;
}

/** How a child ended, for the coverage lines. */
export const dyingWhy = (r: ChildResult): string =>
  r.signal === 'SIGKILL'
    ? String(r.lines.find((l) => l.ev === 'dying')?.why ?? 'killed by the parent')
    : `exit ${r.code}`;

/** Removes the bundle (after each crash test file: trialFile). */
export function removeChildScript(): void {
  if (childBundle) rmSync(childBundle, { force: true });
  childBundle = null;
}

/** The batch writes that let a request leave: the write-ahead, and the once-only resend. */
export const RESEND_REASON = 'resend once with the same externalId';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded integer in [lo, hi]. */
export function between(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** FNV-1a of a string: a choice tied to an item, whatever the order the sells arrive in. */
export function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Ends a split basket's primary trade the moment it is committed (from
 * onSellCommitted), its related trades living on. False when the emulator's
 * lifecycle already took it past where it can be canceled (a slow turn
 * under load): that basket then simply sells.
 */
export function endPrimary(emulator: Emulator, tradeId: string): boolean {
  try {
    emulator.setTradeStatus(tradeId, 'canceled');
    return true;
  } catch {
    return false;
  }
}

export interface ChildLine {
  ev: string;
  [k: string]: unknown;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: ChildLine[];
  stderr: string;
}

export interface Child {
  child: ChildProcess;
  done: Promise<ChildResult>;
}

/** Starts crash-child.ts; `onStart` runs when it says it started (its engine reconciled). */
export function runChild(
  env: Record<string, string>,
  onStart?: (child: ChildProcess) => void,
): Child {
  const child = spawn(process.execPath, [childScript()], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: ChildLine[] = [];
  let stderr = '';
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let line: ChildLine;
      try {
        line = JSON.parse(text) as ChildLine;
      } catch {
        line = { ev: 'text', text };
      }
      lines.push(line);
      if (line.ev === 'started') onStart?.(child);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ChildResult>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, lines, stderr })),
  );
  return { child, done };
}

export const killAfter = (ms: number) => (c: ChildProcess) =>
  setTimeout(() => c.kill('SIGKILL'), ms);

export interface PreparedRun {
  runId: string;
  planId: string;
  items: PlanItem[];
  batches: number;
}

export interface RunShape {
  game: GameId;
  /** Items per account (two accounts). */
  perAccount: number;
  /** Units sold of each item: 1 (CS2), or part of a Rust stack. */
  amount: number;
  batchSize: number;
}

export const CS2_RUN: RunShape = { game: '730', perAccount: 200, amount: 1, batchSize: 10 };

/**
 * Plan → pre-flight → accept → run, in the parent (no sell is sent here). A
 * Rust run takes stacks holding at least twice the units it sells, so a
 * stack sold twice shows as more units sold than planned.
 */
export async function prepareRun(
  emulator: Emulator,
  dbPath: string,
  shape: RunShape,
  name: string,
): Promise<PreparedRun> {
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
  try {
    const items: PlanItem[] = [];
    for (const partner of [31337, 42424]) {
      const accountId = store.accounts.add({
        label: `a${partner}`,
        tradeUrl: tradeUrlFor(partner),
      }).id;
      const inv = await client.getInventory(tradeUrlFor(partner), shape.game, { refresh: true });
      if (inv.kind !== 'ok') throw new Error('inventory');
      store.inventory.replaceSnapshot(
        accountId,
        shape.game,
        inv.data.items,
        new Date().toISOString(),
      );
      const rows = store.inventory
        .query({ accountId, game: shape.game, sellableOnly: true, limit: 10_000 })
        .rows.filter(
          (r) =>
            shape.amount === 1 ||
            (r.amount >= 2 * shape.amount && (r.maxAmount ?? Infinity) >= shape.amount),
        )
        .slice(0, shape.perAccount);
      items.push(
        ...rows.map((r) => ({
          accountId,
          game: shape.game,
          itemId: r.itemId,
          name: r.name,
          priceUsd: r.priceUsd,
          priceCents: r.priceCents,
          amount: shape.amount,
        })),
      );
    }
    expect(items).toHaveLength(2 * shape.perAccount);
    const plan = store.plans.create({ name, items, options: { batchSize: shape.batchSize } });
    const diff = await engine.runPreflight(plan.id);
    const run = engine.createRun(plan.id, engine.acceptPreflight(plan.id, diff.preflightId, []));
    const batches = Math.ceil(items.length / shape.batchSize);
    // The run's first chunk of batches is written with it; the children write the rest.
    expect(run.totals.batches).toBe(batches);
    expect(store.batches.listByRun(run.id).length).toBeGreaterThan(0);
    return { runId: run.id, planId: plan.id, items, batches };
  } finally {
    await engine.stop();
    client.close();
    limiter.dispose();
    store.close();
  }
}

/** What a failed recovery left behind, for the test log. */
export function dumpRun(
  emulator: Emulator,
  dbPath: string,
  runId: string,
  last: ChildResult,
): void {
  const s = new Store(dbPath);
  try {
    for (const b of s.batches.listByRun(runId).filter((x) => x.state !== 'settled')) {
      console.log(
        JSON.stringify({
          b: [b.seq, b.state, b.externalId],
          trades: s.trades
            .byBatch(b.id)
            .map((t) => [t.id.slice(0, 8), t.status, t.itemCount, t.parentTradeId?.slice(0, 8)]),
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
  } finally {
    s.close();
  }
  console.log(JSON.stringify({ lines: last.lines.slice(-3), err: last.stderr.slice(-3000) }));
}

/** Every request of the run's batches that may have left (batch_attempts), oldest first. */
function sendsOfRun(store: Store, runId: string) {
  return store.batches
    .listByRun(runId)
    .flatMap((b) => store.batches.sends(b.id))
    .sort((a, b) => a.id - b.id);
}

export interface GroundTruthOptions {
  /** Every planned item must end sold in full (no trade the test ended, no canceled batch). */
  allSold: boolean;
}

/**
 * The app against the emulator's ground truth, after the run ended:
 *  - the invariant holds; every batch of the run exists and is final;
 *  - per item (a Rust stack counts its units), AssetPay holds no more units
 *    than planned, and exactly the planned units of every item the app calls
 *    sold, and none of the others;
 *  - every emulator trade holding one of our items (related trades of split
 *    baskets, which carry no externalId, included) is known to the app, as a
 *    trade of the batch that holds those items, with AssetPay's status;
 *  - each externalId at most one emulator trade, and only ones the app wrote ahead.
 * Returns the emulator state it checked.
 */
export function checkGroundTruth(
  emulator: Emulator,
  store: Store,
  run: PreparedRun,
  options: GroundTruthOptions,
): EmulatorState {
  const report = checkInvariant(store, { runId: run.runId });
  expect(report.violations).toEqual([]);
  const counts = store.batches.countByState(run.runId);
  const total = Object.values(counts).reduce((a, n) => a + (n ?? 0), 0);
  expect(total).toBe(run.batches);
  expect(store.runs.get(run.runId)!.batchesPending).toBe(false);
  const open = Object.entries(counts).filter(
    ([s]) => !['settled', 'skipped', 'canceled'].includes(s),
  );
  expect(open).toEqual([]);
  if (options.allSold) {
    expect(counts).toEqual({ settled: run.batches });
    expect(report.positions.settled).toBe(run.items.length);
  }

  const state = emulator.state();
  expect(state.duplicateSoldItemIds).toEqual([]);
  const planned = new Map(run.items.map((i) => [i.itemId, i.amount]));
  const held = state.trades.filter((t) => HELD.includes(t.status));
  const units = new Map<string, number>();
  for (const t of held)
    t.itemIds.forEach((id, k) => units.set(id, (units.get(id) ?? 0) + (t.amounts[k] ?? 1)));
  const oversold = [...units]
    .filter(([id, n]) => n > (planned.get(id) ?? 0))
    .map(([id, n]) => `${id}: ${n} units held, ${planned.get(id) ?? 0} planned`);
  expect(oversold, 'units sold beyond the plan').toEqual([]);
  const partial = [...units]
    .filter(([id, n]) => n !== planned.get(id))
    .map(([id, n]) => `${id}: ${n}/${planned.get(id)}`);
  expect(partial, 'items sold only in part').toEqual([]);

  // Every trade holding our items is known, to the batch holding them, with AssetPay's status.
  const batchOf = new Map(
    store.audit.batchItems({ runId: run.runId }).map((r) => [r.itemId, r.batchId]),
  );
  const problems: string[] = [];
  for (const t of state.trades) {
    if (!t.itemIds.some((id) => planned.has(id))) continue;
    const local = store.trades.get(t.id);
    const what = `emulator trade ${t.id} (${t.status}, ${t.externalId ?? `related to ${t.relatedTo}`})`;
    if (!local) {
      if (HELD.includes(t.status)) problems.push(`${what} holds our items, unknown to the app`);
      continue;
    }
    if (local.status !== t.status) problems.push(`${what} is ${local.status} in the app`);
    const owners = new Set(t.itemIds.map((id) => batchOf.get(id)));
    if (owners.size !== 1 || !owners.has(local.batchId ?? ''))
      problems.push(`${what} is linked to batch ${local.batchId}, its items are in ${[...owners]}`);
  }
  expect(problems, 'emulator trades holding our items, as the app knows them').toEqual([]);

  // What the app calls sold: items in a live/completed trade of their batch's current attempt.
  const appSold: string[] = [];
  for (const b of store.batches.listByRun(run.runId))
    for (const [itemId, status] of store.audit.tradeStatusOfItems(b.id, b.attempt))
      if (HELD.includes(status)) appSold.push(itemId);
  appSold.sort();
  const appSet = new Set(appSold);
  expect({
    soldUnknownToTheApp: [...units.keys()].filter((id) => !appSet.has(id)),
    notSoldButTheAppSaysSo: appSold.filter((id) => !units.has(id)),
  }).toEqual({ soldUnknownToTheApp: [], notSoldButTheAppSaysSo: [] });
  if (options.allSold) expect(appSold).toEqual([...planned.keys()].sort());

  // Each externalId at most one emulator trade, and only externalIds the app wrote ahead; and
  // AssetPay saw no more sell requests than the app recorded as (maybe) sent.
  const sends = sendsOfRun(store, run.runId);
  const sent = new Set(sends.map((x) => x.externalId));
  const byExt = new Map<string, number>();
  for (const t of state.trades)
    if (t.externalId) byExt.set(t.externalId, (byExt.get(t.externalId) ?? 0) + 1);
  expect([...byExt].filter(([, n]) => n > 1)).toEqual([]);
  expect([...byExt.keys()].filter((e) => !sent.has(e))).toEqual([]);
  expect(state.requestCounts.sell ?? 0, 'sell requests without a send record').toBeLessThanOrEqual(
    sends.length,
  );
  return state;
}

export interface StopCheck {
  how: 'cancel' | 'pause';
}

/**
 * "No sell left after a cancel or while paused", from the append-only event
 * log (ids are monotonic), the send records and the emulator:
 *  - every request that may have left has a batch_attempts row and a write-ahead
 *    event (`batch:queued->sending`, or `batch:unknown` for the once-only resend)
 *    written in the same transaction — their counts per externalId agree;
 *  - cancel: no write-ahead after the `run:…canceled` event, no send record after its time;
 *  - pause: none between the pause and the resume (which must come);
 *  - every emulator trade created after the stop (before the resume), related
 *    trades through their primary, comes from a request written ahead before
 *    the stop, and landed within the in-flight window of that write-ahead.
 * Returns the stop (and resume) event ids for the caller's log.
 */
export function checkNoSellAfterStop(
  state: EmulatorState,
  store: Store,
  runId: string,
  { how }: StopCheck,
): { stopId: number; resumeId: number | null; sentAfter: number } {
  const events = store.events.list({ runId, limit: 100_000 });
  for (let i = 1; i < events.length; i++) expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);
  const isWriteAhead = (e: (typeof events)[number]) =>
    e.kind === 'batch:queued->sending' ||
    (e.kind === 'batch:unknown' && e.payload.reason === RESEND_REASON);
  const writeAheads = events.filter(isWriteAhead);
  const sends = sendsOfRun(store, runId);
  const tally = (ids: string[]) => {
    const m = new Map<string, number>();
    for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  expect(tally(writeAheads.map((e) => String(e.payload.externalId)))).toEqual(
    tally(sends.map((s) => s.externalId)),
  );

  const stop =
    how === 'cancel'
      ? events.find((e) => /^run:(.+->)?canceled$/.test(e.kind))
      : events.find((e) => /^run:.+->paused$/.test(e.kind));
  expect(stop, `the ${how} is in the event log`).toBeDefined();
  const resume =
    how === 'pause'
      ? (events.find((e) => e.id > stop!.id && e.kind === 'run:paused->running') ?? null)
      : null;
  if (how === 'pause') {
    expect(resume, 'the resume is in the event log').not.toBeNull();
    // The paused run stayed paused until the trader resumed it.
    const moved = events.filter(
      (e) => e.id > stop!.id && e.id < resume!.id && /^run:paused->/.test(e.kind),
    );
    expect(moved.map((e) => e.kind)).toEqual([]);
  }
  const end = resume ? resume.id : Infinity;
  const endAt = resume ? resume.at : '9999';
  const leftWhileStopped = writeAheads.filter((e) => e.id > stop!.id && e.id < end);
  expect(
    leftWhileStopped.map((e) => `${e.kind} ${String(e.payload.externalId)} (${e.at})`),
    `requests written ahead after the ${how} at ${stop!.at}`,
  ).toEqual([]);
  expect(sends.filter((s) => s.sentAt > stop!.at && s.sentAt < endAt)).toEqual([]);

  // The emulator agrees: a trade it created after the stop (and before the resume) comes from a
  // request written ahead before the stop, and landed within the in-flight window of that write.
  const windowMs = CRASH_TIMING.inFlightWindowMs!;
  const extOf = new Map(state.trades.map((t) => [t.id, t.externalId]));
  const late: string[] = [];
  for (const t of state.trades) {
    const ext = t.externalId ?? (t.relatedTo ? extOf.get(t.relatedTo) : undefined);
    if (!ext || !(t.createdAt > stop!.at && t.createdAt < endAt)) continue;
    const written = writeAheads.filter((e) => e.payload.externalId === ext && e.id < stop!.id);
    const last = written[written.length - 1];
    if (!last || Date.parse(t.createdAt) - Date.parse(last.at) > windowMs)
      late.push(`${t.id} (${ext}) created ${t.createdAt}, written ahead ${last?.at ?? 'never'}`);
  }
  expect(late, `emulator trades from requests written ahead after the ${how}`).toEqual([]);
  return {
    stopId: stop!.id,
    resumeId: resume?.id ?? null,
    sentAfter: writeAheads.filter((e) => e.id > stop!.id).length,
  };
}
