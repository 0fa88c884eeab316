/*
 * Engine overhead benchmark (design §9): submit 10,000 items (40 batches) and
 * 100,000 items (400 batches) to the emulator at a sell latency of 200 ms and
 * of 1,000 ms (real sells take seconds, api §4.2), and compare the wall time
 * with the floor: the same batches through a zero-overhead client — a pool of
 * plain keep-alive HTTP requests, no store, no limiter — at the same
 * concurrency, against a fresh emulator with the same seed and latency.
 * Targets: wall / floor ≤ 1.10 at 200 ms and ≤ 1.03 at 1,000 ms, both sizes;
 * peak RSS < 200 MB at 100,000 items.
 *
 * Capacity (issue 13): against an emulator whose bot fleet has B bots of
 * S = 1,000 ms each (emulator/README.md "Capacity model": a queue of 2B, ±10 %
 * jitter, +2.5 % for a full basket), 100,000 items with sells in flight found
 * automatically, at B = 8, 16 and 32 — wall time against the capacity bound
 * ⌈batches ÷ B⌉ × S (target ≤ 1.15 each, no setting changed) and the share of
 * sells refused NO_BOTS_AVAILABLE (target < 1 %) — and a fixed 4 in flight
 * for comparison.
 *
 * Wall time = createRun (plan → batches, write-ahead bodies) until every batch
 * has its trade (state tracking): everything the engine does to sell.
 * The emulator runs in a child process so the RSS sampled here is the
 * engine's (store, client, limiter, engine in this process). Like the app's
 * main process (a bundled JS file, electron-vite), the bench runs as one
 * esbuild bundle under plain node, dependencies external, so the RSS is the
 * engine's and not a TypeScript loader's. Every (latency, size) runs in a
 * fresh process of its own, and the emulator warm-up always does.
 *
 * Run: npm run bench:engine   (bundles to .tmp/bench/engine.cjs, runs it, prints one JSON document)
 *   BENCH_SIZES=10000,100000  BENCH_LATENCIES=200,1000  BENCH_CONCURRENCY=4
 *   BENCH_BOTS=8,16,32 (empty: no capacity runs)  BENCH_CAPACITY_ITEMS=100000
 *   BENCH_DEBUG=1 (rss/heap per account and phase, request timeline, on stderr)
 *   BENCH_PROFILE=<prefix> (CPU profile of the run)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AssetPayClient } from '../electron/main/services/assetpay/client';
import { systemClock } from '../electron/main/services/assetpay/clock';
import { RateLimiter, TIER_LIMITS } from '../electron/main/services/assetpay/rate-limiter';
import { SellEngine } from '../electron/main/services/engine';
import { Store } from '../electron/main/services/store';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SIZES = list(process.env.BENCH_SIZES ?? '10000,100000');
const LATENCIES = list(process.env.BENCH_LATENCIES ?? '200,1000');
const BOTS = list(process.env.BENCH_BOTS ?? '8,16,32');
const CAPACITY_ITEMS = Number(process.env.BENCH_CAPACITY_ITEMS ?? 100_000);
const SERVICE_MS = 1_000;
/** ratio ≤ this at each latency (design §9). */
const TARGETS: Record<number, number> = { 200: 1.1, 1000: 1.03 };
const CAPACITY_TARGET = 1.15;

/**
 * One measured run: `latency` against the floor at a fixed concurrency, or
 * `capacity` against the bot fleet's bound, with sells in flight found
 * automatically or fixed.
 */
type Scenario =
  | { kind: 'latency'; items: number; latencyMs: number; concurrency: number }
  | { kind: 'capacity'; items: number; bots: number; concurrency: 'auto' | number };

/** The scenario of the run in this process (`--scenario <json>`). */
const SCENARIO: Scenario =
  process.argv[2] === '--scenario'
    ? (JSON.parse(process.argv[3]!) as Scenario)
    : { kind: 'latency', items: 10_000, latencyMs: 200, concurrency: CONCURRENCY };
const LATENCY_MS = SCENARIO.kind === 'latency' ? SCENARIO.latencyMs : 0;

function list(text: string): number[] {
  return text
    .split(',')
    .filter((x) => x.trim() !== '')
    .map(Number);
}
const ITEMS_PER_INVENTORY = 12_000;
/** 10,000 sellable items per account: 40 batches of 250 each, so 100,000 items are exactly 400 batches. */
const PER_ACCOUNT = 10_000;
/** The sampler of the size being measured, so debug lines can show the peak so far. */
let sampler: RssSampler | null = null;
const debug = (what: string) => {
  if (process.env.BENCH_DEBUG)
    process.stderr.write(
      `${what}: rss ${mb(process.memoryUsage.rss())} MB, heap ${mb(process.memoryUsage().heapUsed)} MB${
        sampler ? `, peak so far ${mb(Math.max(sampler.peak, process.memoryUsage.rss()))} MB` : ''
      }\n`,
    );
};
const API_KEY = 'ap_sandbox_key';
/** The repo root (the emulator runs from there): the nearest folder above this file with a package.json — bench/ under tsx, .tmp/bench/ as a bundle. */
const ROOT = (() => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..');
  }
})();

interface Emu {
  url: string;
  child: ChildProcess;
}

function startEmulatorProcess(): Promise<Emu> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'emulator/cli.ts',
        '--port',
        '0',
        '--latency-ms',
        String(LATENCY_MS),
        '--items',
        String(ITEMS_PER_INVENTORY),
        '--seed',
        '3',
        '--lifecycle-ms',
        '0',
        '--tier',
        'verified',
        ...(SCENARIO.kind === 'capacity'
          ? ['--bots', String(SCENARIO.bots), '--service-ms', String(SERVICE_MS)]
          : []),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolvePromise({ url: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
}

async function stopEmulator(emu: Emu): Promise<void> {
  emu.child.removeAllListeners('exit');
  const done = new Promise((r) => emu.child.once('exit', r));
  emu.child.kill('SIGTERM');
  const timer = setTimeout(() => emu.child.kill('SIGKILL'), 3_000);
  await done;
  clearTimeout(timer);
}

/** An account the plan never uses (plan partners are 80,001 + 10k). */
const WARM_UP_PARTNER = 90_001;

/**
 * A fresh emulator's first sells pay V8's compile of its sell path (~40 ms on
 * the first round of four); a real AssetPay is warm. It is warmed with twelve
 * sells from an account the plan does not use, by plain fetch, so nothing of
 * the app's own code is warmed by it.
 */
async function warmEmulator(url: string): Promise<void> {
  const tradeUrlText = tradeUrl(WARM_UP_PARTNER);
  const res = await fetch(
    `${url}/secure/inventory?tradeUrl=${encodeURIComponent(tradeUrlText)}&game=730&limit=-1`,
    { headers: { 'api-key': API_KEY } },
  );
  const json = (await res.json()) as {
    data: {
      inventory: {
        id: string;
        tradable: boolean;
        offer?: { accepted?: boolean; price?: number };
      }[];
    };
  };
  const items = json.data.inventory.filter((i) => i.tradable && i.offer?.accepted && i.offer.price);
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      [0, 1, 2, 3].map(async (slot) => {
        const k = round * 4 + slot;
        const body = JSON.stringify({
          tradeUrl: tradeUrlText,
          game: '730',
          externalId: `warm-up-${k}`,
          items: items
            .slice(k * 250, (k + 1) * 250)
            .map((i) => ({ itemId: i.id, price: i.offer!.price! })),
        });
        const sold = await fetch(`${url}/secure/sell`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'api-key': API_KEY },
          body,
        });
        if (!sold.ok) throw new Error(`warm-up sell: HTTP ${sold.status}`);
        await sold.text();
      }),
    );
  }
}

/**
 * warmEmulator in a process of its own (this script again, `--warm-up <url>`): the
 * emulator is warmed all the same, and the fetch client it loads and the 12,000-item
 * inventory it reads stay out of the RSS measured here.
 */
async function warmEmulatorAside(url: string): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--warm-up', url], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  children.delete(child);
  if (code !== 0) throw new Error(`emulator warm-up exited (${code})`);
}

function tradeUrl(partner: number): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${partner}&token=AbCdEfGh`;
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  start(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, 50);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** BENCH_DEBUG: when each request left and its answer was read, to see where a round's time goes. */
function makeTimeline() {
  const events: { t: number; kind: 'sent' | 'answered'; seq: number }[] = [];
  return {
    events,
    hooks: {
      afterWriteAhead: (info: { seq: number }) => {
        events.push({ t: performance.now(), kind: 'sent', seq: info.seq });
      },
      afterResponse: (info: { seq: number }) => {
        events.push({ t: performance.now(), kind: 'answered', seq: info.seq });
      },
    },
  };
}

/**
 * What the app's fetchInventory handler does: fetch the whole inventory and store it as the
 * account's snapshot. A step of its own, as in the app (the plan is built by later calls), so
 * the fetched items are garbage when it returns.
 */
async function fetchInventory(
  store: Store,
  client: AssetPayClient,
  accountId: string,
  url: string,
): Promise<void> {
  const inv = await client.getInventory(url, '730', { refresh: true });
  if (inv.kind !== 'ok') throw new Error(`inventory: ${inv.kind}`);
  store.inventory.replaceSnapshot(accountId, '730', inv.data.items, new Date().toISOString(), {
    count: inv.data.count,
    apiUpdatedAt: inv.data.updatedAt,
  });
}

/**
 * The trader picks up to `limit` sellable items of the account (as listed by the inventory
 * view) into the plan. A function of its own so its 10,000 rows are not kept by the caller's
 * frame for the rest of the bench. Returns how many were added.
 */
function addSellableToPlan(store: Store, planId: string, accountId: string, limit: number): number {
  const rows = store.inventory.query({ accountId, game: '730', sellableOnly: true, limit }).rows;
  store.plans.appendItems(
    planId,
    rows.map((r) => ({
      accountId,
      game: '730' as const,
      itemId: r.itemId,
      name: r.name,
      priceUsd: r.priceUsd,
      priceCents: r.priceCents,
      amount: 1,
    })),
  );
  return rows.length;
}

/** Resolves once every batch of the run has its trade (tracking or settled). */
function everyBatchSold(store: Store, runId: string, batches: number): Promise<void> {
  return new Promise<void>((done) => {
    const check = () => {
      const counts = store.batches.countByState(runId);
      if ((counts.tracking ?? 0) + (counts.settled ?? 0) === batches) done();
      else setTimeout(check, 2);
    };
    check();
  });
}

async function benchSize(scenario: Scenario): Promise<Record<string, unknown>> {
  const items = scenario.items;
  const timeline = process.env.BENCH_DEBUG ? makeTimeline() : null;
  const emu = await startEmulatorProcess();
  await warmEmulatorAside(emu.url);
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const rss = new RssSampler();
  rss.start();
  sampler = rss;
  const store = new Store(join(dir, 'app.db'));
  const limiter = new RateLimiter({ tier: 'verified' });
  const client = new AssetPayClient({ baseUrl: emu.url, apiKey: () => API_KEY, limiter });
  const engine = new SellEngine({
    store,
    client,
    limiter,
    clock: systemClock,
    events: () => undefined,
    // Tracking is not what is measured: poll rarely so it stays out of the send phase.
    options: {
      concurrency: scenario.concurrency,
      tier: 'verified',
      timing: { activePollMs: 600_000 },
      ...(timeline ? { hooks: timeline.hooks } : {}),
    },
  });
  await engine.start();
  const rssAtStart = process.memoryUsage.rss();
  debug('start');

  // Inventories, one account at a time (as the app does), each account's items appended to the plan.
  const t0 = performance.now();
  const planId = store.plans.create({ name: `bench ${items}` }).id;
  let planned = 0;
  // Partners ending in 1: the emulator gives special behaviour to some endings (…0002 CS2-banned, …0004 banned, …).
  for (let partner = 80_001; planned < items; partner += 10) {
    const accountId = store.accounts.add({
      label: `bench ${partner}`,
      tradeUrl: tradeUrl(partner),
    }).id;
    await fetchInventory(store, client, accountId, tradeUrl(partner));
    planned += addSellableToPlan(store, planId, accountId, Math.min(PER_ACCOUNT, items - planned));
    debug(`account ${partner}`);
  }
  debug('inventories + plan');
  // The trader's pre-flight (the full diff is built, as for the UI) and acceptance.
  const { preflightId } = await engine.runPreflight(planId);
  debug('preflight');
  const confirmation = engine.acceptPreflight(planId, preflightId, []);
  debug('accept');
  const setupMs = Math.round(performance.now() - t0);
  const rssAfterSetup = process.memoryUsage().rss;
  const runRss = new RssSampler();
  runRss.start();

  // ── The measured part. ──
  const profiler = process.env.BENCH_PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // The in-flight limit over the run (automatic mode finds it from the answers).
  const limits: number[] = [];
  const limitSampler = setInterval(() => limits.push(engine.stats().inFlightLimit), 250);
  const tRun = performance.now();
  const run = engine.createRun(planId, confirmation);
  const createRunMs = performance.now() - tRun;
  debug('createRun');
  // The run's batches are written a chunk at a time; the summary counts the planned ones.
  const batches = run.totals.batches;
  await everyBatchSold(store, run.id, batches);
  const wallMs = performance.now() - tRun;
  clearInterval(limitSampler);
  if (timeline) {
    // Per request: sent → answered; per slot: answered → the next request sent.
    const sent = new Map<number, number>();
    const trips: number[] = [];
    const gaps: number[] = [];
    let lastAnswer: number[] = [];
    for (const e of timeline.events) {
      if (e.kind === 'sent') {
        sent.set(e.seq, e.t);
        const prev = lastAnswer.shift();
        if (prev !== undefined) gaps.push(e.t - prev);
      } else {
        trips.push(e.t - sent.get(e.seq)!);
        if (process.env.BENCH_DEBUG === '2')
          process.stderr.write(
            `${e.seq}:${Math.round(e.t - sent.get(e.seq)!)}@${Math.round(sent.get(e.seq)! - tRun)} `,
          );
        lastAnswer.push(e.t);
      }
    }
    const firstSent = timeline.events.find((e) => e.kind === 'sent')!.t - tRun;
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const at = (q: number) => Math.round(s[Math.floor(q * (s.length - 1))]! * 10) / 10;
      return `median ${at(0.5)} p90 ${at(0.9)} max ${at(1)} sum ${Math.round(xs.reduce((a, b) => a + b, 0))}`;
    };
    process.stderr.write(
      `first request after ${Math.round(firstSent)} ms; round trip ${stats(trips)}; answer→next send ${stats(gaps)}\n`,
    );
    lastAnswer = [];
  }
  const runPeak = runRss.stop();
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(`${process.env.BENCH_PROFILE}-${items}.cpuprofile`, JSON.stringify(profile));
    profiler.disconnect();
  }
  const overallPeak = rss.stop();

  const bodies = store.batches.listByRun(run.id).map((b) => {
    const first = store.batches.sends(b.id)[0];
    return first
      ? (store.db
          .prepare('SELECT body FROM batch_attempts WHERE id = ?')
          .pluck()
          .get(first.id) as string)
      : b.requestBody;
  });
  const sendCount =
    (store.db.prepare('SELECT COUNT(*) FROM batch_attempts').pluck().get() as number) ?? 0;
  const fleet = scenario.kind === 'capacity' ? await fleetState(emu.url) : null;
  await engine.stop();
  client.close();
  limiter.dispose();
  store.close();
  await stopEmulator(emu);
  const common = {
    items,
    batches,
    concurrency: scenario.concurrency,
    wallMs: Math.round(wallMs),
    createRunMs: Math.round(createRunMs),
    sends: sendCount,
    inFlightLimit: { peak: Math.max(...limits), last: limits[limits.length - 1] ?? null },
    peakRssMb: mb(Math.max(runPeak, overallPeak)),
    rss: {
      afterSetupMb: mb(rssAfterSetup),
      peakDuringRunMb: mb(runPeak),
      peakOverallMb: mb(overallPeak),
    },
    rssAtStartMb: mb(rssAtStart),
    setupMs,
  };

  if (scenario.kind === 'capacity') {
    rmSync(dir, { recursive: true, force: true });
    const boundMs = Math.ceil(batches / scenario.bots) * SERVICE_MS;
    return {
      kind: 'capacity',
      bots: scenario.bots,
      serviceMs: SERVICE_MS,
      ...common,
      boundMs,
      ratioVsBound: Math.round((wallMs / boundMs) * 1000) / 1000,
      target: scenario.concurrency === 'auto' ? CAPACITY_TARGET : null,
      noBots: fleet?.refusedNoBots ?? null,
      noBotsShare: fleet ? Math.round((fleet.refusedNoBots / sendCount) * 10_000) / 10_000 : null,
      fleetDegraded: fleet?.refusedDegraded ?? null,
      maxQueued: fleet?.maxQueued ?? null,
    };
  }

  // ── The floor: same bodies, a zero-overhead client at the same concurrency, fresh emulator (same seed). ──
  const fresh = await startEmulatorProcess();
  await warmEmulatorAside(fresh.url);
  const floor = await floorRun(fresh.url, bodies, scenario.concurrency);
  await stopEmulator(fresh);
  rmSync(dir, { recursive: true, force: true });
  const ideal = Math.max(
    Math.ceil(batches / scenario.concurrency) * LATENCY_MS,
    batches / (TIER_LIMITS.verified.sell.limit / TIER_LIMITS.verified.sell.windowMs),
  );
  return {
    kind: 'latency',
    latencyMs: LATENCY_MS,
    ...common,
    floorMs: Math.round(floor.ms),
    ratioVsFloor: Math.round((wallMs / floor.ms) * 1000) / 1000,
    target: TARGETS[LATENCY_MS] ?? null,
    idealMs: Math.round(ideal),
    floorOk: floor.ok,
  };
}

/** The emulator's bot fleet counters (its admin route, loopback only). */
async function fleetState(
  url: string,
): Promise<{ refusedNoBots: number; refusedDegraded: number; maxQueued: number } | null> {
  const res = await fetch(`${url}/__emulator/state`);
  const state = (await res.json()) as {
    capacity?: { refusedNoBots: number; refusedDegraded: number; maxQueued: number };
  };
  return state.capacity ?? null;
}

/** The floor: the bodies sent by `concurrency` plain keep-alive HTTP loops, nothing else. */
async function floorRun(
  url: string,
  bodies: readonly string[],
  concurrency: number,
): Promise<{ ms: number; ok: number }> {
  const target = new URL('/secure/sell', url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body: string) =>
    new Promise<number>((done, fail) => {
      const req = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'api-key': API_KEY,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  let next = 0;
  let ok = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) if ((await post(bodies[next++]!)) === 200) ok++;
    }),
  );
  const ms = performance.now() - t;
  agent.destroy();
  return { ms, ok };
}

/**
 * One scenario in a fresh process of its own (this script again, `--scenario <json>`), as a
 * fresh app start: what one leaves behind (V8 heap pages, its floor client) does not count in
 * the next one's RSS.
 */
async function benchAside(scenario: Scenario): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--scenario', JSON.stringify(scenario)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  children.delete(child);
  if (code !== 0) throw new Error(`the bench ${JSON.stringify(scenario)} exited (${code})`);
  return JSON.parse(out) as Record<string, unknown>;
}

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const latencyMs of LATENCIES)
    for (const items of SIZES)
      out.push({ kind: 'latency', items, latencyMs, concurrency: CONCURRENCY });
  for (const bots of BOTS)
    out.push({ kind: 'capacity', items: CAPACITY_ITEMS, bots, concurrency: 'auto' });
  // Fixed 4 in flight takes the same time at any fleet of 4 bots or more: one run shows it.
  if (BOTS.length > 0)
    out.push({ kind: 'capacity', items: CAPACITY_ITEMS, bots: BOTS[0]!, concurrency: 4 });
  return out;
}

function summary(r: Record<string, unknown>): string {
  return r.kind === 'latency'
    ? `${r.items} items at ${r.latencyMs} ms: ${r.wallMs} / floor ${r.floorMs} ms = ${r.ratioVsFloor}, peak RSS ${r.peakRssMb} MB`
    : `${r.items} items, ${r.bots} bots, in flight ${r.concurrency}: ${r.wallMs} / bound ${r.boundMs} ms = ${r.ratioVsBound}, NO_BOTS ${r.noBots} (${r.noBotsShare}), peak limit ${(r.inFlightLimit as { peak: number }).peak}`;
}

async function main(): Promise<void> {
  const results = [];
  for (const scenario of scenarios()) {
    const result = await benchAside(scenario);
    process.stderr.write(`${summary(result)}\n`);
    results.push(result);
  }
  const rssMbMax100k = 200;
  const met = (r: Record<string, unknown>) =>
    r.target === null ||
    (r.kind === 'latency'
      ? (r.ratioVsFloor as number) <= (r.target as number)
      : (r.ratioVsBound as number) <= (r.target as number) && (r.noBotsShare as number) < 0.01);
  const pass =
    results.every(met) &&
    results
      .filter((r) => r.kind === 'latency' && r.items === 100_000)
      .every((r) => (r.peakRssMb as number) < rssMbMax100k);
  const targets = {
    ratioVsFloor: TARGETS,
    rssMbMax100k,
    ratioVsBound: CAPACITY_TARGET,
    noBotsShareMax: 0.01,
  };
  process.stdout.write(
    `${JSON.stringify({ bench: 'engine', node: process.version, at: new Date().toISOString(), targets, pass, results }, null, 2)}\n`,
  );
}

const [mode, arg] = process.argv.slice(2);
(mode === '--warm-up'
  ? warmEmulator(arg!)
  : mode === '--scenario'
    ? benchSize(SCENARIO).then((result) => {
        process.stdout.write(JSON.stringify(result));
      })
    : main()
).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
