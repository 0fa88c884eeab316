import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type OneShotFault } from '../../emulator';
import { SANDBOX_KEY, tradeUrlFor } from '../../emulator/testing';
import {
  AssetPayClient,
  type AssetPayClientDeps,
} from '../../electron/main/services/assetpay/client';
import type { ApiOutcome } from '../../electron/main/services/assetpay/outcome';
import { RateLimiter } from '../../electron/main/services/assetpay/rate-limiter';
import { tradeSchema, type InventoryItem, type SellRequest } from '../../shared/api/schemas';

/*
 * The real client against the AssetPay emulator over loopback HTTP: pagination,
 * sells, every one-shot fault mapped to the outcome kind the retry matrix
 * (api §8) expects, batched lookups, the trade-list cursor, check-tradeurl,
 * key validation, and the client limiter keeping us under the emulator's
 * enforced tier limits.
 */

const SELLER = tradeUrlFor(12345678);
let emu: Emulator;
let inventory: InventoryItem[] = [];
let nextItem = 0;
let nextExternal = 0;
const clients: AssetPayClient[] = [];

function makeClient(extra: Partial<AssetPayClientDeps> = {}) {
  const limiter = extra.limiter ?? new RateLimiter({ tier: 'verified' });
  const client = new AssetPayClient({
    baseUrl: emu.url,
    apiKey: () => SANDBOX_KEY,
    limiter,
    ...extra,
  });
  clients.push(client);
  return { client, limiter };
}

/** A sell of the next unused sellable item, with a fresh externalId. */
function nextSell(count = 1): SellRequest {
  const items = inventory
    .slice(nextItem, nextItem + count)
    .map((item) => ({ itemId: item.id, price: item.offer!.price }));
  nextItem += count;
  if (items.length !== count) throw new Error('test inventory exhausted');
  return {
    tradeUrl: SELLER,
    items,
    game: '730',
    externalId: `client-emu-${++nextExternal}`,
    isInstant: true,
  };
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 7, itemsPerInventory: 700, lifecycle: { stepMs: 0 } });
  inventory = emu
    .inventoryOf(SELLER, '730')
    .filter((item) => item.tradable && item.offer?.accepted && (item.amount ?? 1) >= 1);
  expect(inventory.length).toBeGreaterThan(400);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await emu?.stop();
});

describe('inventory', () => {
  it('walking every page returns exactly what limit=-1 returns', async () => {
    const { client } = makeClient();
    const all = await client.getInventory(SELLER, '730', { pageSize: 'all' });
    const before = emu.state().requestCounts.inventory ?? 0;
    const paged = await client.getInventory(SELLER, '730', { pageSize: 64 });
    if (all.kind !== 'ok' || paged.kind !== 'ok') throw new Error(`${all.kind} / ${paged.kind}`);
    expect(all.data.items.length).toBe(700);
    expect(all.data.count).toBe(700);
    expect(paged.data.items).toEqual(all.data.items);
    expect(paged.data.count).toBe(all.data.count);
    expect((emu.state().requestCounts.inventory ?? 0) - before).toBe(Math.ceil(700 / 64));
  });

  it('Rust inventories and refresh work too', async () => {
    const { client } = makeClient();
    const rust = await client.getInventory(SELLER, '252490', { refresh: true, pageSize: 100 });
    expect(rust.kind).toBe('ok');
    if (rust.kind === 'ok') expect(rust.data.items.every((i) => i.appid === 252490)).toBe(true);
  });

  it('an account-level refusal is definitive', async () => {
    const { client } = makeClient();
    expect(await client.getInventory(tradeUrlFor(10005), '730')).toMatchObject({
      kind: 'definitive',
      key: 'USER_NOT_TRADEABLE',
    });
  });
});

describe('sell', () => {
  it('creates a trade that passes the schema and echoes the externalId and items', async () => {
    const { client } = makeClient();
    const body = nextSell(3);
    const outcome = await client.sell(body);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    expect(tradeSchema.safeParse(outcome.data).success).toBe(true);
    expect(outcome.data).toMatchObject({
      type: 'deposit',
      source: 'self',
      status: 'initiated',
      externalId: body.externalId,
      game: '730',
    });
    expect(outcome.data.items.map((i) => i.id).sort()).toEqual(
      body.items.map((i) => i.itemId).sort(),
    );
    expect(outcome.requestId).toBeTruthy();
    // The same externalId again is refused: it already exists (api §8).
    expect(await client.sell(body)).toMatchObject({
      kind: 'definitive',
      key: 'EXTERNAL_ID_EXISTS',
    });
  });

  // [fault, expected kind, expected key (if any), was a trade created?]
  const faults: [OneShotFault, ApiOutcome<unknown>['kind'], string | undefined, boolean][] = [
    ['server-error', 'ambiguous', 'SERVER_ERROR', false],
    ['server-error-no-key', 'ambiguous', undefined, false],
    ['server-error-after-commit', 'ambiguous', 'SERVER_ERROR', true],
    ['html-502', 'ambiguous', undefined, false],
    ['reset-before-commit', 'ambiguous', undefined, false],
    ['reset-after-commit', 'ambiguous', undefined, true],
    ['hang-after-commit', 'ambiguous', undefined, true],
    ['no-bots', 'definitive', 'NO_BOTS_AVAILABLE', false],
    ['fleet-degraded', 'definitive', 'FLEET_DEGRADED', false],
    ['deposits-paused', 'definitive', 'DEPOSITS_PAUSED', false],
    ['maintenance', 'definitive', 'SYSTEM_MAINTENANCE', false],
    ['price-changed', 'definitive', 'PRICE_CHANGED', false],
    ['overstocked', 'definitive', 'ITEM_OVERSTOCKED', false],
    ['trade-offer-failed', 'definitive', 'TRADE_OFFER_FAILED', false],
    ['rate-limited', 'throttled', 'RATE_LIMITED', false],
    ['rate-limited-no-retry-after', 'throttled', 'RATE_LIMITED', false],
    ['invalid-api-key', 'auth', 'INVALID_API_KEY', false],
    ['scope-denied', 'auth', 'API_KEY_SCOPE_DENIED', false],
  ];

  it.each(faults)('fault %s → %s', async (fault, kind, key, created) => {
    // A fresh limiter per case: a throttled outcome pauses the family.
    const { client, limiter } = makeClient({ timeouts: { sellMs: 500 } });
    const body = nextSell();
    const tradesBefore = emu.state().trades.length;
    emu.injectNext('sell', fault);
    const outcome = await client.sell(body);
    expect(outcome.kind).toBe(kind);
    if (key !== undefined) expect(outcome).toMatchObject({ key });
    const newTrades = emu.state().trades.slice(tradesBefore);
    const live = newTrades.filter((t) => t.externalId === body.externalId && t.status !== 'failed');
    expect(live.length > 0).toBe(created);

    if (fault === 'rate-limited') {
      expect(outcome).toMatchObject({ retryAfterMs: 1_000 });
      expect(limiter.stats().sell.pausedUntil).not.toBeNull();
    }
    if (fault === 'rate-limited-no-retry-after') {
      expect('retryAfterMs' in outcome).toBe(false);
      const wait = limiter.stats().sell.pausedUntil! - limiter.now();
      expect(wait).toBeGreaterThan(4_000); // backoff 5–10 s
    }
    if (fault === 'no-bots' || fault === 'trade-offer-failed') {
      // The externalId is consumed by a failed trade record (api §8).
      expect(emu.state().consumedExternalIds).toContain(body.externalId);
    }
    if (kind === 'ambiguous' && created) {
      // Reconciliation would find it by externalId (api §8).
      const lookup = await makeClient().client.getTrades([body.externalId]);
      expect(lookup).toMatchObject({ kind: 'ok', data: { missing: [] } });
    }
  });

  it('a { delayMs } fault only slows the call; beyond sellMs it becomes ambiguous', async () => {
    const { client } = makeClient({ timeouts: { sellMs: 400 } });
    emu.injectNext('sell', { delayMs: 150 });
    const started = Date.now();
    expect((await client.sell(nextSell())).kind).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emu.injectNext('sell', { delayMs: 1_000 });
    expect(await client.sell(nextSell())).toMatchObject({
      kind: 'ambiguous',
      reason: expect.stringContaining('400 ms'),
    });
  });

  it('faults on read endpoints map the same way', async () => {
    const { client } = makeClient();
    emu.injectNext('inventory', 'html-502');
    expect(await client.getInventory(SELLER, '730')).toMatchObject({
      kind: 'ambiguous',
      httpStatus: 502,
    });
    emu.injectNext('trades', 'server-error');
    expect(await client.getTrades(['x'])).toMatchObject({ kind: 'ambiguous', key: 'SERVER_ERROR' });
    emu.injectNext('check-tradeurl', 'maintenance');
    expect(await client.checkTradeUrl(SELLER)).toMatchObject({
      kind: 'definitive',
      key: 'SYSTEM_MAINTENANCE',
    });
    emu.injectNext('trades', 'rate-limited');
    expect(await client.listTrades()).toMatchObject({ kind: 'throttled', retryAfterMs: 1_000 });
  });

  it('a GET reset on a reused keep-alive socket is retried once (reads are idempotent)', async () => {
    const { client } = makeClient();
    expect((await client.getTrades(['warm-up'])).kind).toBe('ok'); // opens the socket
    const before = emu.state().requestCounts['trade-lookup'] ?? 0;
    emu.injectNext('trades', 'reset-before-commit');
    expect(await client.getTrades(['x'])).toMatchObject({ kind: 'ok', data: { missing: ['x'] } });
    expect((emu.state().requestCounts['trade-lookup'] ?? 0) - before).toBe(2);
  });
});

describe('lookups and listing', () => {
  const created: { id: string; externalId: string }[] = [];

  beforeAll(async () => {
    const { client } = makeClient();
    for (let i = 0; i < 150; i++) {
      const body = nextSell();
      const outcome = await client.sell(body);
      if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
      created.push({ id: outcome.data.id, externalId: body.externalId });
    }
  });

  it('getTrades with 250 refs makes 3 calls and lists exactly the unknown refs as missing', async () => {
    const { client } = makeClient();
    const known = created.map((t, i) => (i % 2 ? t.id : t.externalId));
    const unknown = Array.from({ length: 100 }, (_, i) => `no-such-trade-${i}`);
    const refs = known.flatMap((ref, i) => (i < 100 ? [ref, unknown[i]!] : [ref]));
    expect(refs).toHaveLength(250);
    const before = emu.state().requestCounts['trade-lookup'] ?? 0;
    const outcome = await client.getTrades(refs);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    expect((emu.state().requestCounts['trade-lookup'] ?? 0) - before).toBe(3);
    expect(outcome.data.missing.sort()).toEqual([...unknown].sort());
    expect(outcome.data.trades.map((t) => t.id).sort()).toEqual(created.map((t) => t.id).sort());
  });

  it('a single unknown ref (404 TRADE_NOT_FOUND) is ok/missing; a single known ref resolves', async () => {
    const { client } = makeClient();
    expect(await client.getTrades(['nope'])).toMatchObject({
      kind: 'ok',
      data: { trades: [], missing: ['nope'] },
    });
    const one = await client.getTrades([created[0]!.externalId]);
    expect(one).toMatchObject({ kind: 'ok', data: { missing: [] } });
    if (one.kind === 'ok') expect(one.data.trades[0]?.id).toBe(created[0]!.id);
  });

  it('listTrades: a cursor walk visits every CS2 trade once', async () => {
    const { client } = makeClient();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await client.listTrades({
        game: '730',
        type: 'deposit',
        limit: 37,
        ...(cursor ? { cursor } : {}),
      });
      if (page.kind !== 'ok') throw new Error(JSON.stringify(page));
      seen.push(...page.data.items.map((t) => t.id));
      if (page.data.nextCursor === null) break;
      cursor = page.data.nextCursor;
    }
    const expected = emu
      .state()
      .trades.filter((t) => t.game === '730')
      .map((t) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.sort());
    expect(seen.length).toBeGreaterThanOrEqual(150);
  });
});

describe('check-tradeurl and validateKey', () => {
  it('checkTradeUrl reports the account state', async () => {
    const { client } = makeClient();
    expect(await client.checkTradeUrl(SELLER)).toMatchObject({
      kind: 'ok',
      data: { state: 1, canTrade: true, steamid: '76561197972611406' },
    });
    expect(await client.checkTradeUrl(tradeUrlFor(20005), { forceRefresh: true })).toMatchObject({
      kind: 'ok',
      data: { state: 5 },
    });
    expect(await client.checkTradeUrl(tradeUrlFor(30006))).toMatchObject({
      kind: 'ok',
      data: { reason: { escrowDays: 15 } },
    });
    expect(await client.checkTradeUrl(`${SELLER}&`)).toMatchObject({
      kind: 'ok',
      data: { state: 6 },
    });
  });

  it('validateKey: valid, invalid, missing scope, unreachable', async () => {
    expect((await makeClient().client.validateKey()).result).toBe('valid');
    expect((await makeClient({ apiKey: () => 'ap_wrong_key' }).client.validateKey()).result).toBe(
      'invalid-key',
    );
    emu.injectNext('trades', 'scope-denied');
    expect((await makeClient().client.validateKey()).result).toBe('missing-scope');
    const stopped = await startEmulator({ itemsPerInventory: 1 });
    const url = stopped.url;
    await stopped.stop();
    const offline = new AssetPayClient({
      baseUrl: url,
      apiKey: () => SANDBOX_KEY,
      limiter: new RateLimiter({ tier: 'verified' }),
    });
    clients.push(offline);
    expect((await offline.validateKey()).result).toBe('unreachable');
  });
});

describe('the client limiter against the emulator’s enforced tier limits', () => {
  it('unverified: 10 concurrent lookups are paced so none is throttled', async () => {
    const strict = await startEmulator({
      tier: 'unverified',
      rateLimit: true,
      itemsPerInventory: 1,
    });
    try {
      const limiter = new RateLimiter({ tier: 'unverified' });
      const client = new AssetPayClient({
        baseUrl: strict.url,
        apiKey: () => SANDBOX_KEY,
        limiter,
      });
      clients.push(client);
      const started = Date.now();
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => client.getTrades([`r-${i}`])),
      );
      expect(outcomes.map((o) => o.kind)).toEqual(Array(10).fill('ok'));
      // Burst of 3, then 95/min ≈ one every 632 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(7 * 632 - 50);
      expect(limiter.stats().trades.waited).toBe(7);
    } finally {
      await strict.stop();
    }
  });
});
