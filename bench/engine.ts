/*
 * Engine overhead benchmark (design §9): submit 10,000 items (40 batches) and
 * 100,000 items (400 batches) to the emulator with a fixed latency and compare
 * the wall time with the ideal set by latency, concurrency and the rate limit:
 *   ideal = max(ceil(batches / concurrency) × latency, batches / sellLimitPerMs)
 * The emulator runs in a child process so the RSS sampled here is the
 * engine's (store, client, limiter, engine in this process).
 *
 * Wall time = createRun (plan → batches, write-ahead bodies) until every batch
 * has its trade (state tracking): everything the engine does to sell.
 * Baseline: the same request bodies, sent by a plain sequential loop (fetch,
 * one at a time, no store, no limiter) to a fresh emulator with the same seed.
 * Its per-request time also gives the floor a zero-overhead client could reach
 * at this concurrency (floorMs): the emulator's own work on a 250-item sell
 * and HTTP add to the latency, and no client can remove that.
 * RSS: like the app's main process (a bundled JS file, electron-vite), the bench
 * runs as one esbuild bundle under plain node, dependencies external, so the RSS
 * is the engine's and not a TypeScript loader's (tsx alone costs ~35 MB);
 * rssAtStartMb is the process with every module loaded, before any item. With
 * several sizes each runs in a fresh process of its own, and the emulator
 * warm-up always does, so no size counts what other code left behind.
 *
 * Run: npm run bench:engine   (bundles to .tmp/bench/engine.cjs, runs it, prints one JSON document)
 *   BENCH_SIZES=100000  BENCH_LATENCY_MS  BENCH_CONCURRENCY  BENCH_SKIP_BASELINE=1
 *   BENCH_DEBUG=1 (rss/heap per account and phase, request timeline, on stderr)
 *   BENCH_PROFILE=<prefix> (CPU profile of the run)
 * `npx tsx bench/engine.ts` works too (same numbers plus the loader's RSS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AssetPayClient } from '../electron/main/services/assetpay/client';
import { systemClock } from '../electron/main/services/assetpay/clock';
import { RateLimiter, TIER_LIMITS } from '../electron/main/services/assetpay/rate-limiter';
import { SellEngine } from '../electron/main/services/engine';
import { Store } from '../electron/main/services/store';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const ITEMS_PER_INVENTORY = 12_000;
/** 10,000 sellable items per account: 40 batches of 250 each, so 100,000 items are exactly 400 batches. */
const PER_ACCOUNT = 10_000;
const SKIP_BASELINE = process.env.BENCH_SKIP_BASELINE === '1';
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

async function benchSize(items: number): Promise<Record<string, unknown>> {
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
      concurrency: CONCURRENCY,
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
  const tRun = performance.now();
  const run = engine.createRun(planId, confirmation);
  const createRunMs = performance.now() - tRun;
  debug('createRun');
  // The run's batches are written a chunk at a time; the summary counts the planned ones.
  const batches = run.totals.batches;
  await everyBatchSold(store, run.id, batches);
  const wallMs = performance.now() - tRun;
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

  const ideal = Math.max(
    Math.ceil(batches / CONCURRENCY) * LATENCY_MS,
    batches / (TIER_LIMITS.verified.sell.limit / TIER_LIMITS.verified.sell.windowMs),
  );
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
  await engine.stop();
  client.close();
  limiter.dispose();
  store.close();
  await stopEmulator(emu);

  // ── Baseline: same bodies, one fetch at a time, fresh emulator (same seed). ──
  const fresh = await startEmulatorProcess();
  await warmEmulatorAside(fresh.url);
  const tBase = performance.now();
  let baselineOk = 0;
  for (const body of SKIP_BASELINE ? bodies.slice(0, 8) : bodies) {
    const res = await fetch(`${fresh.url}/secure/sell`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': API_KEY },
      body,
    });
    const json = (await res.json()) as { success?: boolean };
    if (json.success) baselineOk++;
  }
  const baselineMs = performance.now() - tBase;
  const perRequestMs = baselineMs / (SKIP_BASELINE ? 8 : bodies.length);
  await stopEmulator(fresh);
  rmSync(dir, { recursive: true, force: true });

  return {
    items,
    batches,
    latencyMs: LATENCY_MS,
    concurrency: CONCURRENCY,
    tier: 'verified',
    sellLimitPerMin: TIER_LIMITS.verified.sell.limit,
    wallMs: Math.round(wallMs),
    idealMs: Math.round(ideal),
    ratio: Math.round((wallMs / ideal) * 1000) / 1000,
    createRunMs: Math.round(createRunMs),
    sends: sendCount,
    peakRssMb: mb(Math.max(runPeak, overallPeak)),
    rss: {
      afterSetupMb: mb(rssAfterSetup),
      peakDuringRunMb: mb(runPeak),
      peakOverallMb: mb(overallPeak),
    },
    baseline: {
      kind: 'sequential fetch loop, no store, no limiter',
      wallMs: Math.round(baselineMs),
      perBatchMs: Math.round(perRequestMs * 10) / 10,
      ok: baselineOk,
    },
    speedupVsBaseline: Math.round((baselineMs / wallMs) * 100) / 100,
    // What a zero-overhead client at this concurrency could do against this emulator: the baseline's
    // measured round trip (latency + the emulator's own work on a 250-item sell + HTTP) per round.
    floorMs: Math.round(Math.ceil(batches / CONCURRENCY) * perRequestMs),
    ratioVsFloor:
      Math.round((wallMs / (Math.ceil(batches / CONCURRENCY) * perRequestMs)) * 1000) / 1000,
    rssAtStartMb: mb(rssAtStart),
    setupMs,
  };
}

/**
 * One size in a fresh process of its own (this script again, `--size <n>`), as a fresh
 * app start: what a size leaves behind (V8 heap pages, its baseline's fetch client) does
 * not count in the next size's RSS.
 */
async function benchSizeAside(size: number): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--size', String(size)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  children.delete(child);
  if (code !== 0) throw new Error(`the ${size}-item bench exited (${code})`);
  return JSON.parse(out) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const results = [];
  for (const size of SIZES)
    results.push(SIZES.length > 1 ? await benchSizeAside(size) : await benchSize(size));
  const targets = { ratioMax: 1.05, rssMbMax100k: 200 };
  const pass =
    results.every((r) => (r.ratio as number) <= targets.ratioMax) &&
    results
      .filter((r) => r.items === 100_000)
      .every((r) => (r.peakRssMb as number) < targets.rssMbMax100k);
  process.stdout.write(
    `${JSON.stringify({ bench: 'engine', node: process.version, at: new Date().toISOString(), targets, pass, results }, null, 2)}\n`,
  );
}

const [mode, arg] = process.argv.slice(2);
(mode === '--warm-up'
  ? warmEmulator(arg!)
  : mode === '--size'
    ? benchSize(Number(arg)).then((result) => {
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
