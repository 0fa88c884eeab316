import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorState,
} from '../../../emulator';
import type { GameId } from '../../../shared/api/games';
import type { PlanItem } from '../../../shared/contract/views';
import {
  AssetPayClient,
  type ClientTimeouts,
} from '../../../electron/main/services/assetpay/client';
import { systemClock } from '../../../electron/main/services/assetpay/clock';
import { RateLimiter } from '../../../electron/main/services/assetpay/rate-limiter';
import { Store } from '../../../electron/main/services/store';
import { TcpProxy } from './tcp-proxy';
import {
  checkInvariant,
  SellEngine,
  type EngineClient,
  type EngineEvent,
  type EngineTiming,
  type SellEngineOptions,
} from '../../../electron/main/services/engine';

export const SANDBOX_KEY = 'ap_sandbox_key';

/**
 * The real client with some calls replaced: the stand-in for an AssetPay answer
 * the emulator cannot give (named in each test that uses one).
 */
export function clientWith(c: AssetPayClient, replace: Partial<EngineClient>): EngineClient {
  return {
    getInventory: c.getInventory.bind(c),
    getTrades: c.getTrades.bind(c),
    listTrades: c.listTrades.bind(c),
    sell: c.sell.bind(c),
    ...replace,
  };
}

/** A definitive refusal as the client reports it. */
export function refusal(key: string, httpStatus: number, message: string) {
  return { kind: 'definitive', key, code: 0, message, httpStatus } as const;
}

/**
 * AssetPay answers TRADE_OFFER_FAILED to the first sell although its trade was
 * created and lives on (the offer is retried on AssetPay's side) — the case the
 * retry matrix says to look up (api §8). The emulator always records such a
 * trade as failed, so the answer is substituted; the trade is real.
 */
export function tradeOfferFailedButLive(): (c: AssetPayClient) => EngineClient {
  let first = true;
  return (c) =>
    clientWith(c, {
      sell: async (body, opts) => {
        const outcome = await c.sell(body, opts);
        if (!first || outcome.kind !== 'ok') return outcome;
        first = false;
        return refusal('TRADE_OFFER_FAILED', 500, 'Trade offer failed');
      },
    });
}

/**
 * Every send of attempt 1 is answered EXTERNAL_ID_EXISTS, and no lookup finds
 * it: a lagging read replica, or an error that consumes the id without a
 * findable record (api §10.6). `onSell` sees every sell, refused or not.
 */
export function existsButUnfindable(
  onSell: () => void = () => undefined,
): (c: AssetPayClient) => EngineClient {
  return (c) =>
    clientWith(c, {
      sell: async (body, opts) => {
        onSell();
        return body.externalId?.endsWith('-1')
          ? refusal('EXTERNAL_ID_EXISTS', 409, 'externalId already used')
          : c.sell(body, opts);
      },
    });
}

export function tradeUrlFor(partner: number | string, token = 'AbCdEfGh'): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${partner}&token=${token}`;
}

/** Everything fast: the tests wait for real time, so keep every delay in the tens of ms. */
export const FAST_TIMING: Partial<EngineTiming> = {
  activePollMs: 100,
  holdPollMs: 150,
  completedPollMs: 400,
  completedWatchMs: 1_500,
  missingPollMs: 200,
  notSentRetryMs: 50,
  notSentRetryCapMs: 400,
  backoffBaseMs: 40,
  backoffCapMs: 300,
  waitBaseMs: 100,
  waitCapMs: 600,
  resendDelayMs: 30,
  lookupBaseMs: 40,
  lookupCapMs: 300,
  inFlightWindowMs: 1_500,
  coalesceMs: 50,
  armedRetryMs: 200,
};

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  engine?: SellEngineOptions;
  timeouts?: ClientTimeouts;
  /** Point the client somewhere else (a proxy in front of the emulator). */
  baseUrl?: (emulatorUrl: string) => string;
  /** Put a cuttable TCP proxy between the client and the emulator (h.proxy). */
  proxy?: boolean;
  /** Wrap the real client (fault injection the emulator has no switch for). */
  wrapClient?: (client: AssetPayClient) => EngineClient;
  dir?: string;
}

/** Statuses in which AssetPay holds the items (live or completed). */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const HELD: readonly string[] = ['initiated', 'pending', 'active', 'hold', 'completed'];

export class Harness {
  readonly events: EngineEvent[] = [];
  /** Date.now() at which each of `events` arrived. */
  readonly eventTimes: number[] = [];
  engine!: SellEngine;
  client!: AssetPayClient;
  limiter!: RateLimiter;
  store!: Store;
  apiKey = SANDBOX_KEY;
  proxy: TcpProxy | null = null;
  private constructor(
    readonly emulator: Emulator,
    readonly dir: string,
    private readonly options: HarnessOptions,
    private readonly ownsDir: boolean,
  ) {}

  /** A harness with one account (trade-URL partner `partner`) whose `game` inventory is fetched. */
  static async withInventory(
    options: HarnessOptions,
    partner = 12345,
    game: GameId = '730',
  ): Promise<{ h: Harness; accountId: string }> {
    const h = await Harness.start(options);
    const accountId = h.addAccount(partner);
    await h.fetchInventory(accountId, game);
    return { h, accountId };
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const emulator = await startEmulator({
      seed: 7,
      itemsPerInventory: 300,
      lifecycle: { stepMs: 80 },
      ...(options.emulator ?? {}),
    });
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'engine-'));
    const h = new Harness(emulator, dir, options, options.dir === undefined);
    if (options.proxy) h.proxy = await TcpProxy.start(emulator.port);
    h.open();
    return h;
  }

  get dbPath(): string {
    return join(this.dir, 'app.db');
  }

  /** (Re)builds store, limiter, client and engine on the same database file. */
  open(engineOptions: SellEngineOptions = {}): void {
    this.store = new Store(this.dbPath);
    this.limiter = new RateLimiter({ tier: 'verified' });
    const direct = this.proxy ? this.proxy.url : this.emulator.url;
    const baseUrl = this.options.baseUrl ? this.options.baseUrl(direct) : direct;
    this.client = new AssetPayClient({
      baseUrl,
      apiKey: () => this.apiKey,
      limiter: this.limiter,
      timeouts: {
        sellMs: 3_000,
        otherMs: 3_000,
        connectMs: 1_000,
        ...(this.options.timeouts ?? {}),
      },
    });
    const opts = { ...(this.options.engine ?? {}), ...engineOptions };
    this.engine = new SellEngine({
      store: this.store,
      client: this.options.wrapClient ? this.options.wrapClient(this.client) : this.client,
      limiter: this.limiter,
      clock: systemClock,
      events: (e) => {
        this.events.push(e);
        this.eventTimes.push(Date.now());
      },
      options: { concurrency: 4, ...opts, timing: { ...FAST_TIMING, ...(opts.timing ?? {}) } },
    });
  }

  async restart(engineOptions: SellEngineOptions = {}): Promise<void> {
    await this.engine.stop();
    this.client.close();
    this.store.close();
    this.open(engineOptions);
    await this.engine.start();
  }

  async close(): Promise<void> {
    await this.engine.stop();
    this.client.close();
    this.limiter.dispose();
    this.store.close();
    await this.proxy?.close();
    await this.emulator.stop();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  addAccount(partner: number, label = `acc-${partner}`): string {
    return this.store.accounts.add({ label, tradeUrl: tradeUrlFor(partner) }).id;
  }

  /** Fetches and caches an inventory through the real client. */
  async fetchInventory(accountId: string, game: GameId = '730'): Promise<number> {
    const account = this.store.accounts.require(accountId);
    const r = await this.client.getInventory(account.tradeUrl, game, { refresh: true });
    if (r.kind !== 'ok') throw new Error(`inventory: ${r.kind}`);
    this.store.inventory.replaceSnapshot(accountId, game, r.data.items, new Date().toISOString(), {
      count: r.data.count,
      apiUpdatedAt: r.data.updatedAt,
    });
    return r.data.items.length;
  }

  /** Sellable cached items of an account, as plan items. */
  sellable(accountId: string, game: GameId = '730', limit = 100_000): PlanItem[] {
    return this.store.inventory
      .query({ accountId, game, sellableOnly: true, limit })
      .rows.map((r) => ({
        accountId,
        game,
        itemId: r.itemId,
        name: r.name,
        priceUsd: r.priceUsd,
        priceCents: r.priceCents,
        amount: 1,
      }));
  }

  /** Ten items to split: CS2 skins, or 3 units of Rust stacks of 6+ (that AssetPay takes 3 of). */
  splittable(accountId: string, game: GameId): PlanItem[] {
    const rows = this.store.inventory
      .query({ accountId, game, sellableOnly: true, limit: 1000 })
      .rows.filter((r) => game === '730' || (r.amount >= 6 && (r.maxAmount ?? 1000) >= 3));
    return rows.slice(0, 10).map((r) => ({
      accountId,
      game,
      itemId: r.itemId,
      name: r.name,
      priceUsd: r.priceUsd,
      priceCents: r.priceCents,
      amount: game === '730' ? 1 : 3,
    }));
  }

  /** Emulator trades (live or completed) that hold one of `items` but are unknown to the app. */
  unknownTradesOf(items: readonly PlanItem[]): string[] {
    const ours = new Set(items.map((i) => i.itemId));
    return this.emulator
      .state()
      .trades.filter(
        (t) =>
          HELD.includes(t.status) &&
          t.itemIds.some((id) => ours.has(id)) &&
          this.store.trades.get(t.id) === null,
      )
      .map((t) => t.id);
  }

  /** Offline, a plan of `items` armed ("submit when online"): the plan and its armed run. */
  armOffline(
    items: PlanItem[],
    options: { batchSize?: number; priceToleranceBp?: number } = {},
  ): { planId: string; runId: string } {
    this.engine.setOnline(false);
    const plan = this.store.plans.create({ name: 'armed', items, options });
    this.engine.armPlan(plan.id);
    const [run] = this.store.runs.byPlan(plan.id);
    return { planId: plan.id, runId: run!.id };
  }

  /** Plan → pre-flight → accept → run. */
  async submit(
    items: PlanItem[],
    options: { batchSize?: number; priceToleranceBp?: number } = {},
  ): Promise<{ planId: string; runId: string }> {
    const plan = this.store.plans.create({ name: 'test plan', items, options });
    const diff = await this.engine.runPreflight(plan.id);
    const confirmation = this.engine.acceptPreflight(
      plan.id,
      diff.preflightId,
      diff.rows.map((r) => r.itemId),
    );
    const run = this.engine.createRun(plan.id, confirmation);
    return { planId: plan.id, runId: run.id };
  }

  batchStates(runId: string): Record<string, number> {
    return this.store.batches.countByState(runId) as Record<string, number>;
  }

  async waitFor(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Every sell sent has its outcome written and no batch is written ahead (after a pause, offline…). */
  async waitForSendsDone(): Promise<void> {
    await this.waitFor('sells in flight and their outcomes', () => {
      const stats = this.engine.stats();
      return stats.activeSends === 0 && stats.outcomesPending === 0;
    });
  }

  async waitForBatches(runId: string, states: string[], timeoutMs = 60_000): Promise<void> {
    await this.waitFor(
      `batches of ${runId} in ${states.join('|')} (now ${JSON.stringify(this.batchStates(runId))})`,
      () => {
        const counts = this.batchStates(runId);
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        return total > 0 && states.reduce((a, s) => a + (counts[s] ?? 0), 0) === total;
      },
      timeoutMs,
    );
  }

  /** Emulator ground truth: no item in two live/completed trades. */
  soldTwice(state: EmulatorState = this.emulator.state()): string[] {
    const seen = new Map<string, number>();
    for (const t of state.trades) {
      // A Rust stack may be sold in parts; the emulator checks those (duplicateSoldItemIds).
      if (t.game !== '730' || !HELD.includes(t.status)) continue;
      for (const id of t.itemIds) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    return [...seen]
      .filter(([, n]) => n > 1)
      .map(([id]) => id)
      .concat(state.duplicateSoldItemIds);
  }

  /** The invariant and the emulator agree: nothing sold twice, every item in exactly one place. */
  check(scope: { runId?: string; planId?: string } = {}): ReturnType<typeof checkInvariant> {
    const report = checkInvariant(this.store, scope);
    const twice = this.soldTwice();
    if (twice.length)
      report.violations.push(`emulator: sold twice: ${twice.slice(0, 5).join(', ')}`);
    // Every trade the emulator holds with one of our externalIds (or related to one) is known locally.
    const state = this.emulator.state();
    const ours = state.trades.filter((t) => t.externalId?.startsWith('bs-'));
    for (const t of ours) {
      if (!HELD.includes(t.status)) continue;
      const local = this.store.trades.get(t.id);
      if (!local)
        report.violations.push(
          `emulator trade ${t.id} (${t.externalId}) is live but unknown locally`,
        );
    }
    report.ok = report.violations.length === 0;
    return report;
  }
}
