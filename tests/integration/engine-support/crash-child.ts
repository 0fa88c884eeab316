/*
 * A sell engine in its own process, for the crash tests. It opens the
 * database the parent prepared, starts (reconciling whatever an earlier
 * process left in flight), and runs until every batch of the run is final.
 *
 * env: DB_PATH, BASE_URL, RUN_ID, CONCURRENCY (4), and optionally:
 *   CRASH_AT         triggers (below, comma-separated): SIGKILL itself when the first fires
 *   STOP             cancel | pause: the trader stops the run when a STOP_AT trigger fires…
 *   STOP_AT          …(triggers, counted from the start)
 *   KILL_AFTER_STOP  triggers counted from the stop: SIGKILL itself when the first fires
 *   RESUME           1: a paused run is resumed once no batch of it is sending or unknown
 *                    (it waits for the lookups first), and runs to the end
 * Triggers, `kind:N` (the Nth event of that kind), or `kind:N+D`: D ms after it (a timer, so
 * the action lands wherever the engine is then):
 *   write-ahead:N     right after a write-ahead commit (the request has not left)
 *                     (alias after-write-ahead:N)
 *   response:N        an answer was read, its outcome not committed yet (alias after-response:N)
 *   ambiguous:N       the same, for answers whose outcome is unknown (reset, 5xx…: the batch goes unknown)
 *   throttled:N       the same, for 429s (the rate limiter then holds every sell back for a while)
 *   lookup-before:N   a lookup by externalId (reconciliation) is about to leave
 *   lookup-after:N    its answer arrived, the engine has not read it
 *   scan-before:N     a page of GET /secure/trades (the split-basket scan) is about to be asked for
 *   scan-after:N      its answer arrived, the engine has not read it
 *   ms:T              T ms after being armed
 *   now               as soon as armed (KILL_AFTER_STOP: right after the stop returned)
 * stdout: one JSON line per event of interest: started, stopped {how, counts},
 * stop-missed {state}, dying {why}, quiet {counts}, resumed, done, and the ends that fail a
 * trial: timeout (3, 40 s), stuck (4: for 2 s a batch waits for the trader, who never comes,
 * or sits queued in a canceled run), error (1).
 */
import { AssetPayClient } from '../../../electron/main/services/assetpay/client';
import { systemClock } from '../../../electron/main/services/assetpay/clock';
import { RateLimiter } from '../../../electron/main/services/assetpay/rate-limiter';
import { SellEngine, type EngineClient } from '../../../electron/main/services/engine';
import { createLogger } from '../../../electron/main/services/log';
import { Store } from '../../../electron/main/services/store';
import { CRASH_TIMING } from './crash-timing';

const env = process.env;
const dbPath = env.DB_PATH!;
const runId = env.RUN_ID!;

function say(ev: string, extra: Record<string, unknown> = {}): void {
  // stdout is a pipe: written synchronously, so a line said before a SIGKILL arrives.
  process.stdout.write(`${JSON.stringify({ ev, ...extra })}\n`);
}

function die(why: string): never {
  say('dying', { why });
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

// ── Triggers ────────────────────────────────────────────────────────────────

type EventKind =
  | 'write-ahead'
  | 'response'
  | 'ambiguous'
  | 'throttled'
  | 'lookup-before'
  | 'lookup-after'
  | 'scan-before'
  | 'scan-after';

const ALIASES: Record<string, string> = {
  'after-write-ahead': 'write-ahead',
  'after-response': 'response',
};

const counts: Record<EventKind, number> = {
  'write-ahead': 0,
  response: 0,
  ambiguous: 0,
  throttled: 0,
  'lookup-before': 0,
  'lookup-after': 0,
  'scan-before': 0,
  'scan-after': 0,
};

interface Trigger {
  kind: string;
  n: number;
  /** ms to wait after the event before acting. */
  delay: number;
}

/** A set of triggers; `fire` runs once, for the first that fires after `arm()`. */
class Triggers {
  private readonly list: Trigger[];
  private base: Record<string, number> | null = null;
  private fired = false;

  constructor(
    spec: string | undefined,
    private readonly fire: (why: string) => void,
  ) {
    this.list = (spec ?? '')
      .split(',')
      .filter(Boolean)
      .map((t) => {
        const m = /^([a-z-]+)(?::(\d+))?(?:\+(\d+))?$/.exec(t);
        const kind = m ? (ALIASES[m[1]!] ?? m[1]!) : '';
        if (!m || (kind !== 'now' && kind !== 'ms' && !(kind in counts)))
          throw new Error(`unknown trigger ${t}`);
        return { kind, n: Number(m[2] ?? 0), delay: Number(m[3] ?? 0) };
      });
  }

  arm(): void {
    if (this.base || this.list.length === 0) return;
    this.base = { ...counts };
    for (const t of this.list) {
      if (t.kind === 'now') this.trip(t, 'now');
      else if (t.kind === 'ms') setTimeout(() => this.trip(t, `ms:${t.n}`), t.n);
    }
  }

  check(kind: EventKind): void {
    if (!this.base) return;
    for (const t of this.list)
      if (t.kind === kind && counts[kind] - this.base[kind]! === t.n)
        this.trip(t, `${kind}:${t.n}`);
  }

  private trip(t: Trigger, why: string): void {
    if (this.fired) return;
    this.fired = true;
    if (t.delay > 0) setTimeout(() => this.fire(`${why} +${t.delay} ms`), t.delay);
    else this.fire(why);
  }
}

const stopHow = env.STOP as 'cancel' | 'pause' | undefined;
let engine: SellEngine;
let store: Store;
const crash = new Triggers(env.CRASH_AT, (why) => die(why));
const killAfterStop = new Triggers(env.KILL_AFTER_STOP, (why) => die(`after ${stopHow}: ${why}`));
const stopAt = new Triggers(env.STOP_AT, (why) => stopNow(why));

function stopNow(why: string): void {
  const run = store.runs.get(runId);
  if (!run || !['running', 'waiting', 'attention'].includes(run.state)) {
    say('stop-missed', { state: run?.state, why });
    return;
  }
  if (stopHow === 'cancel') engine.cancelRun(runId);
  else engine.pauseRun(runId);
  say('stopped', { how: stopHow, why, counts: store.batches.countByState(runId) });
  killAfterStop.arm();
}

function note(kind: EventKind): void {
  counts[kind]++;
  crash.check(kind);
  stopAt.check(kind);
  killAfterStop.check(kind);
}

// ── The engine ──────────────────────────────────────────────────────────────

/** The real client, with the lookups and the split-basket scans counted (crash points). */
function counted(client: AssetPayClient): EngineClient {
  return {
    sell: (body, options) => client.sell(body, options),
    getInventory: (tradeUrl, game, options) => client.getInventory(tradeUrl, game, options),
    async getTrades(refs, options) {
      // A lookup by externalId (reconciliation), not a poll of known trades by id.
      const lookup = refs.some((r) => r.startsWith('bs-'));
      if (lookup) note('lookup-before');
      const r = await client.getTrades(refs, options);
      if (lookup) note('lookup-after');
      return r;
    },
    async listTrades(options) {
      note('scan-before');
      const r = await client.listTrades(options);
      note('scan-after');
      return r;
    },
  };
}

async function main(): Promise<void> {
  store = new Store(dbPath);
  const limiter = new RateLimiter({ tier: 'verified' });
  const client = new AssetPayClient({
    baseUrl: env.BASE_URL!,
    apiKey: () => 'ap_sandbox_key',
    limiter,
    timeouts: { sellMs: 2_000, otherMs: 2_000, connectMs: 1_000 },
  });
  engine = new SellEngine({
    store,
    client: counted(client),
    limiter,
    clock: systemClock,
    events: () => undefined,
    logger: createLogger({ level: 'error' }),
    options: {
      concurrency: Number(env.CONCURRENCY ?? 4),
      timing: CRASH_TIMING,
      hooks: {
        afterWriteAhead: () => note('write-ahead'),
        afterResponse: (info) => {
          note('response');
          if (info.outcome === 'ambiguous') note('ambiguous');
          if (info.outcome === 'throttled') note('throttled');
        },
      },
    },
  });
  crash.arm();
  if (stopHow) stopAt.arm();
  await engine.start();
  say('started');
  const resume = env.RESUME === '1';
  let quietSince: number | null = null;
  let stuckSince: number | null = null;
  const until = Date.now() + 40_000;
  for (;;) {
    const counts = store.batches.countByState(runId);
    if (resume && store.runs.get(runId)?.state === 'paused') {
      // Paused: nothing may leave. Once no batch may still have a request out (the lookups
      // settled them), and a little longer, the trader resumes.
      if ((counts.sending ?? 0) + (counts.unknown ?? 0) > 0) quietSince = null;
      else if (quietSince === null) quietSince = Date.now();
      else if (Date.now() - quietSince >= 200) {
        say('quiet', { counts });
        engine.resumeRun(runId);
        say('resumed');
      }
    }
    const open = Object.entries(counts)
      .filter(([s]) => !['settled', 'skipped', 'canceled'].includes(s))
      .reduce((n, [, c]) => n + c, 0);
    // Final means every planned batch exists (they are written while the first ones sell) and is final.
    if (open === 0 && !store.runs.get(runId)?.batchesPending) break;
    // Nobody acts on a batch that waits for the trader in these trials, and nothing sends a
    // queued batch of a canceled run: either would never end.
    const canceled = store.runs.get(runId)?.state === 'canceled';
    const waiting =
      (counts['needs-review'] ?? 0) +
      (counts.blocked ?? 0) +
      (canceled ? (counts.queued ?? 0) + (counts.draft ?? 0) : 0);
    if (waiting === 0) stuckSince = null;
    else if (stuckSince === null) stuckSince = Date.now();
    else if (Date.now() - stuckSince > 2_000) {
      say('stuck', { counts, state: store.runs.get(runId)?.state });
      process.exit(4);
    }
    if (Date.now() > until) {
      say('timeout', { counts, state: store.runs.get(runId)?.state });
      process.exit(3);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await engine.stop();
  client.close();
  limiter.dispose();
  store.close();
  say('done');
  process.exit(0);
}

main().catch((error: unknown) => {
  say('error', {
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
});
