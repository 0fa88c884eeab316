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
 * RSS: the process runs under tsx (its loader alone is ~35 MB of RSS); rssAtStartMb
 * is the process with every module loaded, before any item.
 *
 * Run: npm run bench:engine   (prints one JSON document)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
const debug = (what: string) => {
  if (process.env.BENCH_DEBUG)
    process.stderr.write(
      `${what}: rss ${mb(process.memoryUsage.rss())} MB, heap ${mb(process.memoryUsage().heapUsed)} MB\n`,
    );
};
const API_KEY = 'ap_sandbox_key';
const ROOT = resolve(__dirname, '..');

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

async function benchSize(items: number): Promise<Record<string, unknown>> {
  const emu = await startEmulatorProcess();
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const rss = new RssSampler();
  rss.start();
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
    options: { concurrency: CONCURRENCY, tier: 'verified', timing: { activePollMs: 600_000 } },
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
    const inv = await client.getInventory(tradeUrl(partner), '730', { refresh: true });
    if (inv.kind !== 'ok') throw new Error(`inventory: ${inv.kind}`);
    store.inventory.replaceSnapshot(accountId, '730', inv.data.items, new Date().toISOString(), {
      count: inv.data.count,
      apiUpdatedAt: inv.data.updatedAt,
    });
    const rows = store.inventory.query({
      accountId,
      game: '730',
      sellableOnly: true,
      limit: Math.min(PER_ACCOUNT, items - planned),
    }).rows;
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
    planned += rows.length;
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
  const batches = store.batches.listByRun(run.id).length;
  await new Promise<void>((done) => {
    const check = () => {
      const counts = store.batches.countByState(run.id);
      if ((counts.tracking ?? 0) + (counts.settled ?? 0) === batches) done();
      else setTimeout(check, 2);
    };
    check();
  });
  const wallMs = performance.now() - tRun;
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

async function main(): Promise<void> {
  const results = [];
  for (const size of SIZES) results.push(await benchSize(size));
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
