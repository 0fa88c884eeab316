import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions, type Trade } from '../../emulator';
import { call, tradeUrlFor, type HttpResult } from '../../emulator/testing';

/* Each one-shot and random fault, and where it sits relative to the commit point. */

const URL_A = tradeUrlFor(90210);
let emulator: Emulator;
let committed: Trade[];

async function start(options: EmulatorOptions = {}): Promise<void> {
  committed = [];
  emulator = await startEmulator({
    seed: 21,
    lifecycle: { stepMs: 0 },
    onSellCommitted: (trade) => {
      // Called before the response is written: the trade is already in the book.
      expect(emulator.state().trades.some((t) => t.id === trade.id)).toBe(true);
      committed.push(trade);
    },
    ...options,
  });
}
beforeEach(() => start());
afterEach(() => emulator.stop());

let counter = 0;
function sellBody(count = 1, skip = 0) {
  const items = emulator
    .inventoryOf(URL_A, '730')
    .filter((i) => i.tradable && i.offer!.accepted)
    .slice(skip, skip + count)
    .map((i) => ({ itemId: i.id, price: i.offer!.price }));
  return { tradeUrl: URL_A, game: '730', externalId: `f-${++counter}`, isInstant: true, items };
}
const sell = (body: unknown, timeoutMs?: number) =>
  call(emulator.url, 'POST', '/secure/sell', { body, timeoutMs });
const keyOf = (res: HttpResult) => (res.json as { error?: { key: string; code: number } }).error;

describe('emulator one-shot faults on POST /secure/sell', () => {
  it.each([
    ['server-error', 500, 'SERVER_ERROR'],
    ['fleet-degraded', 503, 'FLEET_DEGRADED'],
    ['deposits-paused', 503, 'DEPOSITS_PAUSED'],
    ['maintenance', 503, 'SYSTEM_MAINTENANCE'],
    ['rate-limited-no-retry-after', 429, 'RATE_LIMITED'],
    ['invalid-api-key', 401, 'INVALID_API_KEY'],
    ['scope-denied', 403, 'API_KEY_SCOPE_DENIED'],
  ] as const)(
    '%s answers %i %s before any side effect; the same externalId then succeeds',
    async (fault, status, key) => {
      const body = sellBody();
      emulator.injectNext('sell', fault);
      const res = await sell(body);
      expect(res.status).toBe(status);
      expect(keyOf(res)?.key).toBe(key);
      expect(res.headers.get('retry-after')).toBeNull();
      expect(emulator.state().trades).toHaveLength(0);
      expect(committed).toHaveLength(0);
      expect((await sell(body)).status).toBe(200);
    },
  );

  it('DEPOSITS_PAUSED uses code 1012', async () => {
    emulator.injectNext('sell', 'deposits-paused');
    expect(keyOf(await sell(sellBody()))).toEqual({
      code: 1012,
      key: 'DEPOSITS_PAUSED',
      message: 'Deposits are paused',
    });
  });

  it('rate-limited carries Retry-After: 1', async () => {
    emulator.injectNext('sell', 'rate-limited');
    const res = await sell(sellBody());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('server-error-no-key: a 500 without the envelope', async () => {
    emulator.injectNext('sell', 'server-error-no-key');
    const res = await sell(sellBody());
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(emulator.state().trades).toHaveLength(0);
  });

  it('html-502: text/html body from a "proxy"', async () => {
    emulator.injectNext('sell', 'html-502');
    const res = await sell(sellBody());
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toBe('<html>502 Bad Gateway</html>');
    expect(res.json).toBeUndefined();
    expect(emulator.state().trades).toHaveLength(0);
  });

  it('reset-before-commit: connection dropped, nothing created, externalId free', async () => {
    const body = sellBody();
    emulator.injectNext('sell', 'reset-before-commit');
    await expect(sell(body)).rejects.toThrow();
    expect(emulator.state().trades).toHaveLength(0);
    expect((await sell(body)).status).toBe(200);
  });

  it('reset-after-commit: trade created and reported to onSellCommitted, connection dropped; a resend gets EXTERNAL_ID_EXISTS', async () => {
    const body = sellBody(2);
    emulator.injectNext('sell', 'reset-after-commit');
    await expect(sell(body)).rejects.toThrow();
    expect(committed).toHaveLength(1);
    expect(committed[0]).toMatchObject({
      externalId: body.externalId,
      status: 'initiated',
      relatedTrades: [],
    });
    const again = await sell(body);
    expect(again.status).toBe(409);
    expect(keyOf(again)?.key).toBe('EXTERNAL_ID_EXISTS');
    const found = await call(emulator.url, 'GET', `/secure/trades/${body.externalId}`);
    expect((found.json as { data: Trade }).data.id).toBe(committed[0]!.id);
  });

  it('server-error-after-commit: 500 SERVER_ERROR but the trade exists (ambiguous)', async () => {
    const body = sellBody();
    emulator.injectNext('sell', 'server-error-after-commit');
    const res = await sell(body);
    expect(res.status).toBe(500);
    expect(keyOf(res)?.key).toBe('SERVER_ERROR');
    expect(emulator.state().trades.map((t) => t.externalId)).toEqual([body.externalId]);
  });

  it('hang-after-commit: trade created, no answer; stop() still closes promptly', async () => {
    const body = sellBody();
    emulator.injectNext('sell', 'hang-after-commit');
    await expect(sell(body, 400)).rejects.toThrow();
    expect(committed).toHaveLength(1);
    expect(emulator.state().trades[0]!.externalId).toBe(body.externalId);

    emulator.injectNext('sell', 'hang-after-commit');
    const pending = sell(sellBody(1, 1), 30_000);
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    await emulator.stop();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - t).toBeLessThan(2000);
    await start(); // for afterEach
  });

  it('no-bots: 503 after validation; a failed trade consumes the externalId; items stay sellable', async () => {
    const body = sellBody(2);
    emulator.injectNext('sell', 'no-bots');
    const res = await sell(body);
    expect(res.status).toBe(503);
    expect(keyOf(res)).toMatchObject({ key: 'NO_BOTS_AVAILABLE', code: 1010 });
    expect(committed).toHaveLength(0);
    const found = await call(emulator.url, 'GET', `/secure/trades/${body.externalId}`);
    expect((found.json as { data: Trade }).data).toMatchObject({
      status: 'failed',
      externalId: body.externalId,
      error: 'SERVICE_UNAVAILABLE',
    });
    expect(emulator.state().consumedExternalIds).toEqual([body.externalId]);
    expect(keyOf(await sell(body))?.key).toBe('EXTERNAL_ID_EXISTS');
    expect((await sell({ ...body, externalId: `${body.externalId}-2` })).status).toBe(200);
  });

  it('no-bots on an invalid body is consumed without effect', async () => {
    emulator.injectNext('sell', 'no-bots');
    const res = await sell({ ...sellBody(), items: [{ itemId: 'nope-nope', price: 1 }] });
    expect(keyOf(res)?.key).toBe('ITEMS_UNAVAILABLE');
    expect(emulator.state().pendingInjections).toBe(0);
    expect(emulator.state().consumedExternalIds).toEqual([]);
  });

  it('trade-offer-failed: 500 TRADE_OFFER_FAILED with a failed trade record', async () => {
    const body = sellBody();
    emulator.injectNext('sell', 'trade-offer-failed');
    const res = await sell(body);
    expect(res.status).toBe(500);
    expect(keyOf(res)).toMatchObject({ key: 'TRADE_OFFER_FAILED', code: 5 });
    expect(emulator.state().trades).toMatchObject([
      { externalId: body.externalId, status: 'failed' },
    ]);
  });

  it('price-changed: the offer really moves; PRICE_CHANGED until the client re-fetches', async () => {
    const body = sellBody(3);
    const target = body.items[0]!;
    emulator.injectNext('sell', 'price-changed');
    const res = await sell(body);
    expect(res.status).toBe(409);
    const details = (
      res.json as {
        error: {
          details: { items: Array<{ itemId: string; submitted: number; current: number }> };
        };
      }
    ).error.details;
    expect(details.items).toHaveLength(1);
    expect(details.items[0]!.itemId).toBe(target.itemId);
    expect(details.items[0]!.submitted).toBe(target.price);
    expect(details.items[0]!.current).not.toBe(target.price);
    const current = emulator.inventoryOf(URL_A, '730').find((i) => i.id === target.itemId)!.offer!
      .price;
    expect(current).toBe(details.items[0]!.current);
    expect(keyOf(await sell(body))?.key).toBe('PRICE_CHANGED');
    const fixed = {
      ...body,
      items: body.items.map((i) => (i.itemId === target.itemId ? { ...i, price: current } : i)),
    };
    expect((await sell(fixed)).status).toBe(200);
  });

  it('overstocked: 409 ITEM_OVERSTOCKED naming the item with remaining 0, no trade', async () => {
    const body = sellBody(2);
    emulator.injectNext('sell', 'overstocked');
    const res = await sell(body);
    expect(res.status).toBe(409);
    const error = (
      res.json as { error: { key: string; code: number; details: { items: unknown[] } } }
    ).error;
    expect(error.key).toBe('ITEM_OVERSTOCKED');
    expect(error.code).toBe(45);
    expect(error.details.items).toEqual([
      { itemId: body.items[0]!.itemId, marketHashName: expect.any(String), remaining: 0 },
    ]);
    expect(emulator.state().trades).toHaveLength(0);
    expect((await sell(body)).status).toBe(200);
  });

  it('{delayMs} delays one request', async () => {
    emulator.injectNext('sell', { delayMs: 250 });
    const t = Date.now();
    expect((await sell(sellBody())).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    const t2 = Date.now();
    await sell(sellBody(1, 1));
    expect(Date.now() - t2).toBeLessThan(200);
  });
});

describe('emulator one-shot targeting', () => {
  it('endpoint queues before "any"; count; other endpoints unaffected', async () => {
    emulator.injectNext('inventory', 'maintenance', 2);
    emulator.injectNext('any', 'fleet-degraded');
    expect(keyOf(await sell(sellBody()))?.key).toBe('FLEET_DEGRADED');
    expect((await sell(sellBody())).status).toBe(200);
    const inv = () =>
      call(emulator.url, 'GET', '/secure/inventory', { query: { tradeUrl: URL_A } });
    expect(keyOf(await inv())?.key).toBe('SYSTEM_MAINTENANCE');
    expect(keyOf(await inv())?.key).toBe('SYSTEM_MAINTENANCE');
    expect((await inv()).status).toBe(200);
    expect(() => emulator.injectNext('sell', 'boom' as never)).toThrow();
    expect(() => emulator.injectNext('sell', 'server-error', 0)).toThrow();
  });

  it('faults on other endpoints: reset, hang, html-502, no-bots', async () => {
    emulator.injectNext('trades', 'reset-after-commit');
    await expect(call(emulator.url, 'GET', '/secure/trades')).rejects.toThrow();
    emulator.injectNext('trades', 'hang-after-commit');
    await expect(
      call(emulator.url, 'GET', '/secure/trades/x', { timeoutMs: 300 }),
    ).rejects.toThrow();
    emulator.injectNext('check-tradeurl', 'html-502');
    expect(
      (await call(emulator.url, 'POST', '/secure/check-tradeurl', { body: { tradeurl: URL_A } }))
        .status,
    ).toBe(502);
    emulator.injectNext('inventory', 'no-bots');
    expect(
      keyOf(await call(emulator.url, 'GET', '/secure/inventory', { query: { tradeUrl: URL_A } }))
        ?.key,
    ).toBe('NO_BOTS_AVAILABLE');
    expect((await call(emulator.url, 'GET', '/secure/trades')).status).toBe(200);
  });
});

describe('emulator random faults', () => {
  it('latency option and faults.latencyMs add to every request', async () => {
    await emulator.stop();
    await start({ latencyMs: 120 });
    let t = Date.now();
    await call(emulator.url, 'GET', '/secure/trades');
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
    emulator.setFaults('latency=150');
    t = Date.now();
    await call(emulator.url, 'GET', '/secure/trades');
    expect(Date.now() - t).toBeGreaterThanOrEqual(260);
  });

  it('rate 1 makes every request fail that way; rate 0 never', async () => {
    emulator.setFaults({ serverErrorRate: 1 });
    for (let i = 0; i < 5; i++)
      expect((await call(emulator.url, 'GET', '/secure/trades')).status).toBe(500);
    emulator.setFaults('fleet-degraded=1');
    expect(keyOf(await sell(sellBody()))?.key).toBe('FLEET_DEGRADED');
    expect((await call(emulator.url, 'GET', '/secure/trades')).status).toBe(200); // sells only
    emulator.setFaults('html-502=1');
    expect((await call(emulator.url, 'GET', '/secure/trades')).status).toBe(502);
    emulator.setFaults('no-bots=1');
    const body = sellBody();
    expect(keyOf(await sell(body))?.key).toBe('NO_BOTS_AVAILABLE');
    expect(emulator.state().consumedExternalIds).toContain(body.externalId);
    emulator.setFaults('reset-after-commit=1');
    await expect(sell(sellBody())).rejects.toThrow();
    expect(committed).toHaveLength(1);
    emulator.setFaults('none');
    expect((await sell(sellBody())).status).toBe(200);
    expect(emulator.state().faults).toEqual({});
    expect(() => emulator.setFaults('server-error=2')).toThrow(/server-error/);
  });

  it('random SERVER_ERRORs on sells are split before / after the commit', async () => {
    emulator.setFaults({ serverErrorRate: 1 });
    let created = 0;
    for (let i = 0; i < 40; i++) {
      const before = emulator.state().trades.length;
      const res = await sell(sellBody(1, i));
      expect(keyOf(res)?.key).toBe('SERVER_ERROR');
      created += emulator.state().trades.length - before;
    }
    expect(created).toBeGreaterThan(8);
    expect(created).toBeLessThan(32);
  });

  it('burst429 answers the last `length` of every `every` requests with 429', async () => {
    emulator.setFaults('burst429=10/3');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await call(emulator.url, 'GET', '/secure/trades')).status);
    expect(statuses).toEqual([
      200, 200, 200, 200, 200, 200, 200, 429, 429, 429, 200, 200, 200, 200, 200, 200, 200, 429, 429,
      429,
    ]);
  });

  it('the same seed and request order give the same fault pattern', async () => {
    const run = async (seed: number) => {
      const e = await startEmulator({
        seed,
        lifecycle: { stepMs: 0 },
        faults: { serverErrorRate: 0.3, html502Rate: 0.1, fleetDegradedRate: 0.2 },
      });
      try {
        const out: number[] = [];
        for (let i = 0; i < 60; i++) {
          const items = e
            .inventoryOf(URL_A, '730')
            .filter((x) => x.tradable && x.offer!.accepted)
            .slice(0, 1);
          out.push(
            (
              await call(e.url, 'POST', '/secure/sell', {
                body: {
                  tradeUrl: URL_A,
                  items: items.map((x) => ({ itemId: x.id, price: x.offer!.price })),
                },
              })
            ).status,
          );
        }
        return out;
      } finally {
        await e.stop();
      }
    };
    const a = await run(99);
    expect(await run(99)).toEqual(a);
    expect(await run(100)).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 500, 502, 503]));
  });
});

describe('emulator admin endpoints', () => {
  it('state, faults, inject, price, accepted, advance, trade-status, inventory over HTTP', async () => {
    const admin = (path: string, body?: unknown) =>
      call(emulator.url, body === undefined ? 'GET' : 'POST', `/__emulator/${path}`, {
        body,
        apiKey: null,
      });
    expect((await admin('faults', 'server-error=0.5')).json).toEqual({
      ok: true,
      faults: { serverErrorRate: 0.5 },
    });
    expect((await admin('faults', { noBotsRate: 0.25 })).json).toEqual({
      ok: true,
      faults: { noBotsRate: 0.25 },
    });
    const bad = await admin('faults', 'explode=1');
    expect(bad.status).toBe(400);
    expect((bad.json as { error: string }).error).toMatch(/Unknown fault/);
    expect((await admin('faults', '')).json).toEqual({ ok: true, faults: {} });

    expect(
      (await admin('inject', { endpoint: 'sell', fault: 'maintenance', count: 2 })).status,
    ).toBe(200);
    expect((await admin('state')).json).toMatchObject({ pendingInjections: 2 });
    expect((await admin('inject', { endpoint: 'nowhere', fault: 'maintenance' })).status).toBe(400);
    expect(keyOf(await sell(sellBody()))?.key).toBe('SYSTEM_MAINTENANCE');
    expect(keyOf(await sell(sellBody()))?.key).toBe('SYSTEM_MAINTENANCE');

    const body = sellBody();
    expect((await admin('price', { itemId: body.items[0]!.itemId, price: 4.56 })).status).toBe(200);
    expect(keyOf(await sell(body))?.key).toBe('PRICE_CHANGED');
    expect(
      (await admin('accepted', { itemId: body.items[0]!.itemId, accepted: false })).status,
    ).toBe(200);
    expect(keyOf(await sell({ ...body, items: [{ ...body.items[0]!, price: 4.56 }] }))?.key).toBe(
      'ITEMS_NOT_ACCEPTED',
    );
    expect((await admin('price', { itemId: 'unknown-item', price: 1 })).status).toBe(400);

    const res = await sell(sellBody(1, 5));
    const id = (res.json as { data: Trade }).data.id;
    expect((await admin('advance', {})).status).toBe(200);
    expect(emulator.state().trades[0]!.status).toBe('active');
    expect((await admin('trade-status', { tradeId: id, status: 'declined' })).status).toBe(200);
    expect((await admin('trade-status', { tradeId: id, status: 'completed' })).status).toBe(400);
    expect((await admin('advance', { ms: 5000 })).status).toBe(200);

    const inv = await call(
      emulator.url,
      'GET',
      `/__emulator/inventory?tradeUrl=${encodeURIComponent(URL_A)}&game=730`,
      { apiKey: null },
    );
    expect(inv.json).toEqual(emulator.inventoryOf(URL_A, '730'));
    const state = (await admin('state')).json as {
      trades: unknown[];
      requestCounts: Record<string, number>;
      statusCounts: Record<string, number>;
    };
    expect(state.trades).toHaveLength(1);
    expect(state.statusCounts.declined).toBe(1);
    expect(state.requestCounts.sell).toBe(5);
    expect(state.requestCounts.admin).toBeGreaterThan(10);
    expect((await admin('nothing-here')).status).toBe(404);
  });
});
