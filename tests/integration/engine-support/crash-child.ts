/*
 * A sell engine in its own process, for the crash tests. It opens the
 * database the parent prepared, starts (reconciling whatever an earlier
 * process left in flight), and runs until every batch of the run is final.
 *
 * env: DB_PATH, BASE_URL, RUN_ID, CONCURRENCY (4), CRASH_AT (optional):
 *   after-write-ahead:N  SIGKILL itself right after the Nth write-ahead commit (the request has not left)
 *   after-response:N     SIGKILL itself after reading the Nth answer, before its outcome is committed
 * stdout: one JSON line per event of interest ({"ev":"started"}, {"ev":"done"}).
 */
import { AssetPayClient } from '../../../electron/main/services/assetpay/client';
import { systemClock } from '../../../electron/main/services/assetpay/clock';
import { RateLimiter } from '../../../electron/main/services/assetpay/rate-limiter';
import { SellEngine } from '../../../electron/main/services/engine';
import { createLogger } from '../../../electron/main/services/log';
import { Store } from '../../../electron/main/services/store';
import { CRASH_TIMING } from './crash-timing';

const env = process.env;
const dbPath = env.DB_PATH!;
const runId = env.RUN_ID!;
const [point, nText] = (env.CRASH_AT ?? '').split(':');
const crashN = Number(nText ?? 0);
let writeAheads = 0;
let responses = 0;

function say(ev: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ev, ...extra })}\n`);
}

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

async function main(): Promise<void> {
  const store = new Store(dbPath);
  const limiter = new RateLimiter({ tier: 'verified' });
  const client = new AssetPayClient({
    baseUrl: env.BASE_URL!,
    apiKey: () => 'ap_sandbox_key',
    limiter,
    timeouts: { sellMs: 2_000, otherMs: 2_000, connectMs: 1_000 },
  });
  const engine = new SellEngine({
    store,
    client,
    limiter,
    clock: systemClock,
    events: () => undefined,
    logger: createLogger({ level: 'error' }),
    options: {
      concurrency: Number(env.CONCURRENCY ?? 4),
      timing: CRASH_TIMING,
      hooks: {
        afterWriteAhead: () => {
          if (point === 'after-write-ahead' && ++writeAheads === crashN) die();
        },
        afterResponse: () => {
          if (point === 'after-response' && ++responses === crashN) die();
        },
      },
    },
  });
  await engine.start();
  say('started');
  const until = Date.now() + 40_000;
  for (;;) {
    const counts = store.batches.countByState(runId);
    const open = Object.entries(counts)
      .filter(([s]) => !['settled', 'skipped', 'canceled'].includes(s))
      .reduce((n, [, c]) => n + c, 0);
    // Final means every planned batch exists (they are written while the first ones sell) and is final.
    if (open === 0 && !store.runs.get(runId)?.batchesPending) break;
    if (Date.now() > until) {
      say('timeout', { counts });
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
