import { FaultPlan } from './faults/fault-plan';
import { toFaultSpec, validateEndpoint, validateOneShot } from './faults/fault-spec';
import { handleAdmin } from './handlers/admin';
import { handleIcon } from './handlers/icons';
import type { Reply } from './envelope';
import type { RequestContext } from './server/context';
import { parseTradeUrl } from './api/trade-url';
import { BotFleet } from './capacity/bot-fleet';
import { capacityConfig } from './capacity/capacity-config';
import { copyItem } from './inventory/generator';
import { queryInventory } from './inventory/query';
import { RateLimiter } from './rate-limiter';
import { RequestCounts, type Services } from './server/context';
import { listen } from './server/http-server';
import { handleSecure } from './server/secure-pipeline';
import { buildState } from './state';
import type { Emulator, EmulatorOptions } from './types';
import { openWorld, StateSaver, type Notice } from './persistence';
import { World, type WorldConfig } from './world';

/** Starts an AssetPay emulator on host:port (port 0 = ephemeral). See emulator/README.md. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const clock = options.clock ?? Date.now;
  const stepMs = options.lifecycle?.stepMs ?? 2000;
  const endings = ['declineShare', 'failShare', 'cancelShare'] as const;
  if (endings.reduce((sum, name) => sum + share(name, options.lifecycle?.[name]), 0) > 1) {
    throw new RangeError('declineShare + failShare + cancelShare must not exceed 1');
  }
  const notice = noticeFrom(options.onNotice);
  const worldConfig: Omit<WorldConfig, 'iconBaseUrl'> = {
    seed,
    apiKey: options.apiKey ?? 'ap_sandbox_key',
    itemsPerInventory: checkCount('itemsPerInventory', options.itemsPerInventory ?? 600),
    lifecycle: {
      stepMs,
      holdMs: options.lifecycle?.holdMs ?? Math.max(stepMs, 0),
      declineShare: share('declineShare', options.lifecycle?.declineShare),
      failShare: share('failShare', options.lifecycle?.failShare),
      cancelShare: share('cancelShare', options.lifecycle?.cancelShare),
      revertShare: share('revertShare', options.lifecycle?.revertShare),
    },
    splitShare: share('splitShare', options.splitShare),
    splitAbove:
      options.splitAbove === undefined
        ? undefined
        : checkPositive('splitAbove', options.splitAbove),
    priceDrift: options.priceDrift && checkDrift(options.priceDrift),
    clock,
    onSellCommitted: options.onSellCommitted,
  };
  // Every option is checked before the state file is touched.
  const faults = new FaultPlan(seed, options.faults ? toFaultSpec(options.faults) : {});
  const limiter = new RateLimiter(checkTier(options.tier), options.rateLimit ?? true);
  const latencyMs =
    options.latencyMs === undefined ? 0 : checkCount('latencyMs', options.latencyMs);
  const fleetConfig = options.capacity && capacityConfig(options.capacity, seed);
  // Bots work in real time: their timers are the server's, so stop() cancels them.
  let sleep: (ms: number) => Promise<void> = () => Promise.resolve();
  const fleet =
    fleetConfig &&
    new BotFleet(fleetConfig, {
      now: () => performance.now(),
      after: (ms, run) => void sleep(ms).then(run),
    });
  // Listen first: items carry picture URLs on this very server (emulator/icons), so the world
  // needs the URL. Nothing can know the port before this returns; a request that still comes
  // early (a fixed port) is told to retry.
  const routes: { app?: (ctx: RequestContext) => Reply | Promise<Reply> } = {};
  const server = await listen(
    (ctx) =>
      routes.app
        ? routes.app(ctx)
        : { kind: 'raw', status: 503, contentType: 'text/plain', body: 'starting' },
    host,
    options.port ?? 0,
  );
  sleep = server.sleep;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${server.port}`;

  const persistPath = options.persistPath;
  let world: World;
  try {
    const config: WorldConfig = {
      ...worldConfig,
      iconBaseUrl: options.pictures === false ? '' : url,
    };
    world = persistPath ? openWorld(persistPath, config, notice) : new World(config);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const saver = persistPath ? new StateSaver(world, persistPath, notice) : undefined;
  const services: Services = {
    world,
    faults,
    limiter,
    counts: new RequestCounts(),
    apiKey: world.config.apiKey,
    latencyMs,
    retryAfter: options.retryAfter ?? true,
    fleet,
  };

  const control: Omit<Emulator, 'url' | 'port' | 'stop'> = {
    state: () => buildState(services),
    setFaults: (spec) => services.faults.set(toFaultSpec(spec)),
    injectNext: (endpoint, fault, count = 1) => {
      if (!Number.isInteger(count) || count < 1)
        throw new RangeError(`count must be a positive integer, got ${count}`);
      services.faults.inject(validateEndpoint(endpoint), validateOneShot(fault), count);
    },
    setPrice: (itemId, priceUsd) => {
      world.sync();
      world.inventories.setPrice(itemId, priceUsd, world.now());
    },
    setAccepted: (itemId, accepted) => world.inventories.setAccepted(itemId, accepted, world.now()),
    advanceLifecycle: (ms) => world.advance(ms),
    setTradeStatus: (tradeId, status) => {
      const now = world.sync();
      const record = world.book.get(tradeId);
      if (!record) throw new Error(`Unknown trade id: ${tradeId}`);
      world.lifecycle.set(record, status, now);
    },
    inventoryOf: (tradeUrl, game) => {
      const parsed = parseTradeUrl(tradeUrl);
      if (!parsed) throw new Error(`Not a valid trade URL: ${tradeUrl}`);
      world.sync();
      const inventory = world.inventory(parsed.partner, game);
      const { inventory: items } = queryInventory(
        inventory,
        (stored) => stored.item.amount - world.book.heldUnits(stored.item.id),
        { acceptedOnly: false, sort: 'relevance', page: 1, limit: -1 },
      );
      return items.map(copyItem);
    },
    setBots: (bots) => {
      if (!fleet)
        throw new Error(
          'setBots needs the capacity option (the emulator runs without a bot fleet)',
        );
      fleet.setBots(bots);
    },
  };

  const onSellCommitted = options.onSellCommitted;
  routes.app = (ctx) => {
    if (ctx.path.startsWith('/__emulator/')) {
      services.counts.add('admin');
      return handleAdmin(ctx, control);
    }
    if (ctx.path.startsWith('/icons/')) {
      services.counts.add('icon');
      return handleIcon(ctx);
    }
    return handleSecure(ctx, services, { sleep: (ms) => sleep(ms), onSellCommitted });
  };

  return {
    url,
    port: server.port,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        // After the last request: the final, synchronous save (nothing is written after this).
        await saver?.close();
      }
    },
    ...control,
  };
}

/** Notices (persistence) go to onNotice, else to stderr; a throwing callback is ignored. */
function noticeFrom(onNotice: EmulatorOptions['onNotice']): Notice {
  return (message) => {
    try {
      if (onNotice) onNotice(message);
      else process.stderr.write(`emulator: ${message}\n`);
    } catch {
      // a logging callback must not break the emulator
    }
  };
}

function share(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || v < 0 || v > 1)
    throw new RangeError(`${name} must be within 0..1, got ${value}`);
  return v;
}

function checkPositive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function checkTier(tier: EmulatorOptions['tier']): 'verified' | 'unverified' {
  if (tier === undefined || tier === 'verified' || tier === 'unverified') return tier ?? 'verified';
  throw new RangeError(`tier must be verified or unverified, got ${String(tier)}`);
}

function checkDrift(
  drift: NonNullable<EmulatorOptions['priceDrift']>,
): NonNullable<EmulatorOptions['priceDrift']> {
  if (
    !(drift.everyMs > 0) ||
    !(drift.share >= 0 && drift.share <= 1) ||
    !(drift.maxPct >= 0 && drift.maxPct < 100)
  ) {
    throw new RangeError('priceDrift needs everyMs > 0, share in 0..1 and maxPct in 0..100');
  }
  return drift;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000)
    throw new RangeError(`${name} must be an integer 0..1000000`);
  return value;
}
