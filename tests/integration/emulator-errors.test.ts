import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type InventoryItem } from '../../emulator';
import { call, tradeUrlFor, type HttpResult } from '../../emulator/testing';

/* Every documented bad input gets its documented key and HTTP status (api §2, §4). */

interface ErrorJson {
  success: false;
  requestId: string;
  error: {
    code: number;
    key: string;
    message: string;
    fields?: Record<string, string>;
    details?: { items?: Array<Record<string, unknown>> };
  };
}

function expectError(
  res: HttpResult,
  status: number,
  key: string,
  code?: number,
): ErrorJson['error'] {
  const body = res.json as ErrorJson;
  expect({ status: res.status, key: body?.error?.key }).toEqual({ status, key });
  expect(body.success).toBe(false);
  expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body.error;
}

const URL_A = tradeUrlFor(424242);
let emulator: Emulator;
let n = 0;
const nextId = () => `err-${++n}`;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 5, lifecycle: { stepMs: 0 } });
});
afterAll(() => emulator.stop());

const sell = (body: unknown, apiKey?: string | null) =>
  call(emulator.url, 'POST', '/secure/sell', { body, apiKey });
const pool = () =>
  emulator.inventoryOf(URL_A, '730').filter((i) => i.tradable && i.offer?.accepted);
const line = (item: InventoryItem) => ({ itemId: item.id, price: item.offer!.price });

describe('emulator authentication', () => {
  it('MISSING_API_KEY 401 and INVALID_API_KEY 401 on every /secure route', async () => {
    for (const [method, path, body] of [
      ['GET', '/secure/inventory', undefined],
      ['POST', '/secure/sell', {}],
      ['GET', '/secure/trades', undefined],
      ['GET', '/secure/trades/abc', undefined],
      ['POST', '/secure/check-tradeurl', {}],
    ] as const) {
      expectError(
        await call(emulator.url, method, path, { body, apiKey: null }),
        401,
        'MISSING_API_KEY',
        1900,
      );
      expectError(
        await call(emulator.url, method, path, { body, apiKey: 'ap_nope' }),
        401,
        'INVALID_API_KEY',
        1901,
      );
    }
  });

  it('an unknown /secure route is NOT_FOUND', async () => {
    expectError(await call(emulator.url, 'GET', '/secure/prices'), 404, 'NOT_FOUND');
  });
});

describe('emulator POST /secure/sell refusals', () => {
  it('VALIDATION_FAILED 422 with fields: 251 items, price 0, unknown field, bad JSON', async () => {
    const items = Array.from({ length: 251 }, (_, i) => ({
      itemId: `730-424242-${i}-xxxxx`,
      price: 1,
    }));
    let error = expectError(await sell({ tradeUrl: URL_A, items }), 422, 'VALIDATION_FAILED', 1001);
    expect(error.fields).toEqual({ items: 'items must contain at most 250 elements' });

    const [a] = pool();
    error = expectError(
      await sell({ tradeUrl: URL_A, items: [{ itemId: a!.id, price: 0 }] }),
      422,
      'VALIDATION_FAILED',
    );
    expect(Object.keys(error.fields!)).toEqual(['items.0.price']);
    expect(error.message).toContain('items.0.price');

    error = expectError(
      await sell({ tradeUrl: URL_A, items: [line(a!)], reference: 'x' }),
      422,
      'VALIDATION_FAILED',
    );
    expect(Object.keys(error.fields!)).toEqual(['reference']);
    error = expectError(
      await sell({ tradeUrl: URL_A, items: [{ ...line(a!), offer: { price: 1 } }] }),
      422,
      'VALIDATION_FAILED',
    );
    expect(Object.keys(error.fields!)).toEqual(['items.0.offer']);

    error = expectError(await sell('{"tradeUrl": '), 422, 'VALIDATION_FAILED');
    expect(error.fields).toHaveProperty('body');
    expect(emulator.state().trades).toHaveLength(0);
  });

  it('INVALID_TRADEURL 400 for a string that fails the pattern', async () => {
    const [a] = pool();
    for (const bad of [
      'https://www.steamcommunity.com/tradeoffer/new/?partner=424242&token=AbCdEfGh',
      `${URL_A}&`,
      'https://steamcommunity.com/tradeoffer/new/?partner=424242&token=AbCdEfG',
      'http://steamcommunity.com/tradeoffer/new/?partner=424242&token=AbCdEfGh',
    ]) {
      expectError(await sell({ tradeUrl: bad, items: [line(a!)] }), 400, 'INVALID_TRADEURL', 13);
    }
  });

  it('ITEMS_UNAVAILABLE 400 for an unknown id, another account’s item, a non-tradable item and an item in a live trade', async () => {
    const [a, b] = pool();
    let error = expectError(
      await sell({
        tradeUrl: URL_A,
        items: [line(a!), { itemId: '730-424242-0-zzzzz', price: 1 }],
      }),
      400,
      'ITEMS_UNAVAILABLE',
      9,
    );
    expect(error.details!.items).toEqual([{ itemId: '730-424242-0-zzzzz' }]);

    const other = emulator.inventoryOf(tradeUrlFor(777), '730')[0]!;
    error = expectError(
      await sell({ tradeUrl: URL_A, items: [line(other)] }),
      400,
      'ITEMS_UNAVAILABLE',
    );
    expect(error.details!.items![0]!.itemId).toBe(other.id);

    const untradable = emulator.inventoryOf(URL_A, '730').find((i) => !i.tradable)!;
    expectError(
      await sell({ tradeUrl: URL_A, items: [line(untradable)] }),
      400,
      'ITEMS_UNAVAILABLE',
    );

    const ok = await sell({ tradeUrl: URL_A, externalId: nextId(), items: [line(a!)] });
    expect(ok.status).toBe(200);
    error = expectError(
      await sell({ tradeUrl: URL_A, externalId: nextId(), items: [line(a!), line(b!)] }),
      400,
      'ITEMS_UNAVAILABLE',
    );
    expect(error.details!.items).toEqual([{ itemId: a!.id, marketHashName: a!.marketHashName }]);
    // A refusal creates nothing and consumes nothing.
    expect(emulator.state().trades).toHaveLength(1);
    expect(emulator.state().consumedExternalIds).toEqual([`err-${n - 1}`]);
  });

  it('ITEMS_NOT_ACCEPTED 400', async () => {
    const rejected = emulator
      .inventoryOf(URL_A, '730')
      .find((i) => i.tradable && !i.offer!.accepted)!;
    const error = expectError(
      await sell({ tradeUrl: URL_A, items: [line(rejected)] }),
      400,
      'ITEMS_NOT_ACCEPTED',
      10,
    );
    expect(error.details!.items).toEqual([
      { itemId: rejected.id, marketHashName: rejected.marketHashName },
    ]);
    const [c] = pool();
    emulator.setAccepted(c!.id, false);
    expectError(await sell({ tradeUrl: URL_A, items: [line(c!)] }), 400, 'ITEMS_NOT_ACCEPTED');
    emulator.setAccepted(c!.id, true);
  });

  it('PRICE_CHANGED 409 when a price is not exactly the current offer', async () => {
    const [a, b] = pool();
    emulator.setPrice(b!.id, 3.21);
    const error = expectError(
      await sell({ tradeUrl: URL_A, items: [line(a!), line(b!)] }),
      409,
      'PRICE_CHANGED',
      11,
    );
    expect(error.details!.items).toEqual([
      {
        itemId: b!.id,
        marketHashName: b!.marketHashName,
        submitted: b!.offer!.price,
        current: 3.21,
      },
    ]);
    // A sub-cent difference is still a change (no tolerance).
    expectError(
      await sell({ tradeUrl: URL_A, items: [{ itemId: b!.id, price: 3.2100001 }] }),
      409,
      'PRICE_CHANGED',
    );
    const ok = await sell({
      tradeUrl: URL_A,
      externalId: nextId(),
      items: [{ itemId: b!.id, price: 3.21 }],
    });
    expect(ok.status).toBe(200);
  });

  it('EXTERNAL_ID_EXISTS 409, checked before the items so a resend learns the first attempt landed', async () => {
    const [a] = pool();
    const body = { tradeUrl: URL_A, externalId: 'dup-1', items: [line(a!)] };
    expect((await sell(body)).status).toBe(200);
    const error = expectError(await sell(body), 409, 'EXTERNAL_ID_EXISTS', 1);
    expect(error.details).toEqual({ externalId: 'dup-1' });
    const [b] = pool();
    expectError(await sell({ ...body, items: [line(b!)] }), 409, 'EXTERNAL_ID_EXISTS');
  });

  it('INSUFFICIENT_ITEM_AMOUNT and EXCEEDS_MAX_AMOUNT for Rust stacks', async () => {
    const rust = emulator
      .inventoryOf(URL_A, '252490')
      .filter((i) => i.tradable && i.offer!.accepted);
    const capped = rust.find((i) => i.offer!.maxAmount! < i.amount!)!;
    let error = expectError(
      await sell({
        tradeUrl: URL_A,
        game: '252490',
        items: [
          { itemId: capped.id, price: capped.offer!.price, amount: capped.offer!.maxAmount! + 1 },
        ],
      }),
      400,
      'EXCEEDS_MAX_AMOUNT',
      20,
    );
    expect(error.details!.items![0]).toMatchObject({
      itemId: capped.id,
      maxAmount: capped.offer!.maxAmount,
    });

    const stack = rust.find((i) => i.amount! > 5 && i.offer!.maxAmount === i.amount)!;
    const ok = await sell({
      tradeUrl: URL_A,
      game: '252490',
      externalId: nextId(),
      items: [{ itemId: stack.id, price: stack.offer!.price, amount: 3 }],
    });
    expect(ok.status).toBe(200);
    const left = emulator.inventoryOf(URL_A, '252490').find((i) => i.id === stack.id)!;
    expect(left.amount).toBe(stack.amount! - 3);
    error = expectError(
      await sell({
        tradeUrl: URL_A,
        game: '252490',
        items: [{ itemId: stack.id, price: stack.offer!.price, amount: stack.amount! - 2 }],
      }),
      400,
      'INSUFFICIENT_ITEM_AMOUNT',
      19,
    );
    expect(error.details!.items![0]).toMatchObject({
      itemId: stack.id,
      available: stack.amount! - 3,
    });
    // CS2 items hold exactly one unit.
    const [c] = pool();
    expectError(
      await sell({ tradeUrl: URL_A, items: [{ ...line(c!), amount: 2 }] }),
      400,
      'EXCEEDS_MAX_AMOUNT',
    );
    // A Rust item under game 730 does not exist for that game.
    expectError(
      await sell({
        tradeUrl: URL_A,
        game: '730',
        items: [{ itemId: stack.id, price: stack.offer!.price }],
      }),
      400,
      'ITEMS_UNAVAILABLE',
    );
  });

  it('USER_NOT_TRADEABLE for banned / private accounts, INVALID_TRADEURL for an unknown user', async () => {
    const banned = tradeUrlFor(20004);
    const item = emulator.inventoryOf(banned, '730')[0]!;
    expectError(
      await sell({ tradeUrl: banned, items: [line(item)] }),
      400,
      'USER_NOT_TRADEABLE',
      7,
    );
    expectError(
      await call(emulator.url, 'GET', '/secure/inventory', { query: { tradeUrl: banned } }),
      400,
      'USER_NOT_TRADEABLE',
    );
    expectError(
      await call(emulator.url, 'GET', '/secure/inventory', {
        query: { tradeUrl: tradeUrlFor(20007) },
      }),
      400,
      'INVALID_TRADEURL',
    );
    const vac = tradeUrlFor(20002);
    const cs2 = emulator.inventoryOf(vac, '730').find((i) => i.tradable && i.offer!.accepted)!;
    expectError(await sell({ tradeUrl: vac, items: [line(cs2)] }), 400, 'USER_NOT_TRADEABLE');
    const rust = emulator.inventoryOf(vac, '252490').find((i) => i.tradable && i.offer!.accepted)!;
    expect(
      (
        await sell({
          tradeUrl: vac,
          game: '252490',
          externalId: nextId(),
          items: [{ itemId: rust.id, price: rust.offer!.price }],
        })
      ).status,
    ).toBe(200);
  });
});

describe('emulator inventory and trade lookup refusals', () => {
  it('GET /secure/inventory: INVALID_TRADEURL 400, VALIDATION_FAILED for bad query values', async () => {
    const inv = (query: Record<string, string | number>) =>
      call(emulator.url, 'GET', '/secure/inventory', { query });
    expectError(await inv({ tradeUrl: `${URL_A}&x=1` }), 400, 'INVALID_TRADEURL');
    expect(expectError(await inv({}), 422, 'VALIDATION_FAILED').fields).toEqual({
      tradeUrl: 'tradeUrl is required',
    });
    for (const [name, value] of [
      ['page', 0],
      ['limit', 0],
      ['limit', -2],
      ['game', 440],
      ['sort', 'cheapest'],
      ['acceptedOnly', 'yes'],
      ['minPrice', 'abc'],
      ['search', 'x'.repeat(101)],
    ] as const) {
      expect(
        Object.keys(
          expectError(await inv({ tradeUrl: URL_A, [name]: value }), 422, 'VALIDATION_FAILED')
            .fields!,
        ),
      ).toEqual([name]);
    }
  });

  it('GET /secure/trades/{refs}: TRADE_NOT_FOUND 404, batches omit unknown refs, > 100 refs is VALIDATION_FAILED', async () => {
    expectError(
      await call(emulator.url, 'GET', '/secure/trades/does-not-exist'),
      404,
      'TRADE_NOT_FOUND',
      21,
    );
    const trades = emulator.state().trades;
    const [t1, t2] = trades;
    const batch = await call(
      emulator.url,
      'GET',
      `/secure/trades/${t1!.id},nope,${encodeURIComponent(t2!.externalId!)},${t1!.externalId}`,
    );
    expect(batch.status).toBe(200);
    expect((batch.json as { data: Array<{ id: string }> }).data.map((t) => t.id)).toEqual([
      t1!.id,
      t2!.id,
    ]);
    const none = await call(emulator.url, 'GET', '/secure/trades/nope-1,nope-2');
    expect(none.status).toBe(200);
    expect((none.json as { data: unknown[] }).data).toEqual([]);
    const refs = Array.from({ length: 101 }, (_, i) => `r${i}`).join(',');
    expectError(
      await call(emulator.url, 'GET', `/secure/trades/${refs}`),
      422,
      'VALIDATION_FAILED',
    );
    const hundred = Array.from({ length: 100 }, (_, i) => `r${i}`).join(',');
    expect((await call(emulator.url, 'GET', `/secure/trades/${hundred}`)).status).toBe(200);
  });

  it('GET /secure/trades: VALIDATION_FAILED for limit, type, game and cursor', async () => {
    for (const query of [
      { limit: 0 },
      { limit: 101 },
      { type: 'buy' },
      { game: '440' },
      { cursor: 'not a cursor' },
      { cursor: 'e30' },
    ]) {
      expectError(
        await call(emulator.url, 'GET', '/secure/trades', { query }),
        422,
        'VALIDATION_FAILED',
      );
    }
  });

  it('POST /secure/check-tradeurl: VALIDATION_FAILED for a bad body', async () => {
    for (const body of [
      {},
      { tradeurl: 5 },
      { tradeurl: URL_A, extra: 1 },
      { tradeurl: URL_A, forceRefresh: 'no' },
      [],
    ]) {
      expectError(
        await call(emulator.url, 'POST', '/secure/check-tradeurl', { body }),
        422,
        'VALIDATION_FAILED',
      );
    }
  });
});

describe('emulator tier rate limits', () => {
  let slow: Emulator;
  afterEach(() => slow?.stop());

  it('unverified: the 51st sell in a minute is RATE_LIMITED 429 with Retry-After, before any side effect', async () => {
    let now = 1_700_000_000_000;
    slow = await startEmulator({ tier: 'unverified', clock: () => now, lifecycle: { stepMs: 0 } });
    const url = tradeUrlFor(5150);
    for (let i = 0; i < 50; i++) {
      const res = await call(slow.url, 'POST', '/secure/sell', {
        body: { tradeUrl: url, items: [{ itemId: '730-5150-0-nope1', price: 1 }] },
      });
      expect(res.status).toBe(400);
    }
    const items = slow.inventoryOf(url, '730').filter((i) => i.tradable && i.offer!.accepted);
    const body = {
      tradeUrl: url,
      externalId: 'rl-1',
      items: [{ itemId: items[0]!.id, price: items[0]!.offer!.price }],
    };
    const limited = await call(slow.url, 'POST', '/secure/sell', { body });
    const error = expectError(limited, 429, 'RATE_LIMITED', 1005);
    expect(error).toBeDefined();
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(slow.state().trades).toHaveLength(0);
    // Other routes have their own budget.
    expect((await call(slow.url, 'GET', '/secure/trades')).status).toBe(200);
    now += 1200;
    expect((await call(slow.url, 'POST', '/secure/sell', { body })).status).toBe(200);
    expectError(
      await call(slow.url, 'POST', '/secure/sell', { body: { ...body, externalId: 'rl-2' } }),
      429,
      'RATE_LIMITED',
    );
  });

  it('unverified: inventory 100/min and trade lookups 100/min; retryAfter:false omits the header', async () => {
    const now = 0;
    slow = await startEmulator({ tier: 'unverified', clock: () => now, retryAfter: false });
    const url = tradeUrlFor(5151);
    for (let i = 0; i < 100; i++)
      expect(
        (await call(slow.url, 'GET', '/secure/inventory', { query: { tradeUrl: url, limit: 1 } }))
          .status,
      ).toBe(200);
    const limited = await call(slow.url, 'GET', '/secure/inventory', { query: { tradeUrl: url } });
    expectError(limited, 429, 'RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBeNull();
    for (let i = 0; i < 100; i++)
      expect((await call(slow.url, 'GET', '/secure/trades/x')).status).toBe(404);
    expectError(await call(slow.url, 'GET', '/secure/trades/x'), 429, 'RATE_LIMITED');
  });

  it('verified tier and rateLimit:false do not throttle 200 quick sells', async () => {
    slow = await startEmulator({ rateLimit: false, tier: 'unverified' });
    for (let i = 0; i < 200; i++) {
      expect(
        (
          await call(slow.url, 'POST', '/secure/sell', {
            body: { tradeUrl: URL_A, items: [{ itemId: 'nope-nope', price: 1 }] },
          })
        ).status,
      ).toBe(400);
    }
  });
});
