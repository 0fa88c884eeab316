import { parseFaultSpec } from './faults/fault-spec';
import type { EmulatorOptions } from './types';

/* Command-line options of emulator/cli.ts → EmulatorOptions. Pure, so it is unit-tested. */

export const USAGE = `Usage: npm run emulator -- [options]
  --port N            listen port (default 4010; 0 = ephemeral)
  --host H            listen address (default 127.0.0.1)
  --api-key K         accepted api-key (default ap_sandbox_key)
  --items N           items per (account, game) inventory (default 600)
  --latency-ms M      latency added to every request (default 0)
  --seed S            seed for items, ids, outcomes, random faults (default 1)
  --tier T            verified | unverified rate limits (default verified)
  --no-rate-limit     disable the tier throttle
  --no-retry-after    omit Retry-After on 429
  --no-pictures       items carry no iconUrl (default: small PNGs served at /icons/…)
  --faults SPEC       e.g. "latency=50,server-error=0.05,reset-after-commit=0.02,no-bots=0.01,fleet-degraded=0.01,burst429=100/5"
  --lifecycle-ms MS   time between trade status steps (default 2000; 0 = manual only)
  --hold-ms MS        CS2 hold length (default = lifecycle step)
  --decline-share X   share of trades ending declined (0..1)
  --fail-share X      share of trades ending failed (0..1)
  --cancel-share X    share of trades ending canceled (0..1)
  --revert-share X    share of completed trades later reverted (0..1)
  --split-share X     share of sells answered as split baskets (0..1)
  --split-above N     split baskets of more than N items into trades of ≤ N
  --price-drift SPEC  everyMs/share/maxPct, e.g. 5000/0.05/3
  --state-file PATH   keep trades, used externalIds and sold items in PATH across restarts
  --bots B            finite capacity: B bots, each serving one sell at a time (off by default)
  --service-ms S      with --bots: ms a bot takes for a one-item sell (default 1000)
  --queue Q           with --bots: sells that may wait for a bot (default 2 × B)
  --service-jitter X  with --bots: service times vary by ± X (0..1, default 0.1)
  --help              this text`;

export class CliError extends Error {
  override readonly name = 'CliError';
}

export function parseCliArgs(argv: readonly string[]): EmulatorOptions | 'help' {
  const options: EmulatorOptions = { port: 4010 };
  const lifecycle: NonNullable<EmulatorOptions['lifecycle']> = { stepMs: 2000 };
  let lifecycleSet = false;
  const capacity: { bots?: number; serviceMs?: number; queue?: number; jitter?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--no-rate-limit') {
      options.rateLimit = false;
      continue;
    }
    if (arg === '--no-retry-after') {
      options.retryAfter = false;
      continue;
    }
    if (arg === '--no-pictures') {
      options.pictures = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!name.startsWith('--')) throw new CliError(`Unexpected argument "${arg}"\n${USAGE}`);
    if (value === undefined) throw new CliError(`${name} needs a value`);
    switch (name) {
      case '--port':
        options.port = int(name, value, 0, 65535);
        break;
      case '--host':
        options.host = value;
        break;
      case '--api-key':
        if (value === '') throw new CliError('--api-key must not be empty');
        options.apiKey = value;
        break;
      case '--items':
        options.itemsPerInventory = int(name, value, 0, 1_000_000);
        break;
      case '--latency-ms':
        options.latencyMs = int(name, value, 0, 600_000);
        break;
      case '--seed':
        options.seed = int(name, value, 0, 2 ** 32 - 1);
        break;
      case '--tier':
        if (value !== 'verified' && value !== 'unverified')
          throw new CliError('--tier must be verified or unverified');
        options.tier = value;
        break;
      case '--faults':
        try {
          options.faults = parseFaultSpec(value);
        } catch (error) {
          throw new CliError(`--faults: ${(error as Error).message}`);
        }
        break;
      case '--lifecycle-ms':
        lifecycle.stepMs = int(name, value, 0, 86_400_000);
        lifecycleSet = true;
        break;
      case '--hold-ms':
        lifecycle.holdMs = int(name, value, 0, 86_400_000 * 14);
        lifecycleSet = true;
        break;
      case '--decline-share':
        lifecycle.declineShare = fraction(name, value);
        lifecycleSet = true;
        break;
      case '--fail-share':
        lifecycle.failShare = fraction(name, value);
        lifecycleSet = true;
        break;
      case '--cancel-share':
        lifecycle.cancelShare = fraction(name, value);
        lifecycleSet = true;
        break;
      case '--revert-share':
        lifecycle.revertShare = fraction(name, value);
        lifecycleSet = true;
        break;
      case '--split-share':
        options.splitShare = fraction(name, value);
        break;
      case '--split-above':
        options.splitAbove = int(name, value, 1, 250);
        break;
      case '--price-drift': {
        const m = /^(\d+)\/(\d*\.?\d+)\/(\d*\.?\d+)$/.exec(value);
        if (!m || Number(m[1]) <= 0 || Number(m[2]) > 1)
          throw new CliError('--price-drift must be everyMs/share/maxPct, e.g. 5000/0.05/3');
        options.priceDrift = { everyMs: Number(m[1]), share: Number(m[2]), maxPct: Number(m[3]) };
        break;
      }
      case '--bots':
        capacity.bots = int(name, value, 0, 10_000);
        break;
      case '--service-ms':
        capacity.serviceMs = int(name, value, 0, 600_000);
        break;
      case '--queue':
        capacity.queue = int(name, value, 0, 1_000_000);
        break;
      case '--service-jitter':
        capacity.jitter = fraction(name, value);
        break;
      case '--state-file':
        if (value === '') throw new CliError('--state-file must not be empty');
        options.persistPath = value;
        break;
      default:
        throw new CliError(`Unknown option ${name}\n${USAGE}`);
    }
  }
  const sum =
    (lifecycle.declineShare ?? 0) + (lifecycle.failShare ?? 0) + (lifecycle.cancelShare ?? 0);
  if (sum > 1)
    throw new CliError('--decline-share + --fail-share + --cancel-share must not exceed 1');
  if (lifecycleSet) options.lifecycle = lifecycle;
  if (capacity.bots !== undefined) {
    options.capacity = {
      bots: capacity.bots,
      serviceMs: capacity.serviceMs ?? 1000,
      queue: capacity.queue ?? 2 * capacity.bots,
      ...(capacity.jitter === undefined ? {} : { jitter: capacity.jitter }),
    };
  } else if (Object.keys(capacity).length > 0) {
    throw new CliError('--service-ms, --queue and --service-jitter need --bots');
  }
  return options;
}

function int(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError(`${name} must be an integer in ${min}..${max}, got "${value}"`);
  }
  return Number(value);
}

function fraction(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new CliError(`${name} must be a number in 0..1, got "${value}"`);
  return n;
}
