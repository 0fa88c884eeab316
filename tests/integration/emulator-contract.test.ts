import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { call, tradeUrlFor, type HttpResult } from '../../emulator/testing';

/*
 * Every response body the emulator sends is validated against the vendor
 * OpenAPI 3.1 response schema for that operation and status (JSON Schema
 * 2020-12). Statuses the document does not list for an operation (409, 422,
 * 503 …, documented in api §2) are validated against the shared ErrorEnvelope.
 */

type Json = Record<string, unknown>;
const doc = JSON.parse(
  readFileSync(join(__dirname, '../../emulator/contract/assetpay-openapi-secure.json'), 'utf8'),
) as {
  components: { schemas: Json };
  paths: Record<string, Record<string, { responses: Record<string, Json> }>>;
};

function inlineRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(inlineRefs);
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as { $ref?: string }).$ref;
  if (ref) {
    const name = ref.replace('#/components/schemas/', '');
    return inlineRefs(doc.components.schemas[name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineRefs(v)]));
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const errorEnvelope = ajv.compile(inlineRefs(doc.components.schemas.ErrorEnvelope) as Json);
const validators = new Map<string, ValidateFunction>();

type Operation =
  | 'GET /secure/inventory'
  | 'POST /secure/sell'
  | 'GET /secure/trades'
  | 'GET /secure/trades/{tradeId}'
  | 'POST /secure/check-tradeurl';

/** Statuses seen per operation, to prove every documented one was exercised. */
const seen = new Map<Operation, Set<string>>();

function expectContract(operation: Operation, res: HttpResult): void {
  const [method, path] = operation.split(' ') as [string, string];
  const status = String(res.status);
  seen.set(operation, (seen.get(operation) ?? new Set()).add(status));
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const documented = doc.paths[path]![method.toLowerCase()]!.responses[status];
  let validate: ValidateFunction;
  if (documented) {
    const key = `${operation} ${status}`;
    if (!validators.has(key)) {
      const schema = (documented.content as Record<string, { schema: Json }>)['application/json']!
        .schema;
      validators.set(key, ajv.compile(inlineRefs(schema) as Json));
    }
    validate = validators.get(key)!;
  } else {
    expect(res.status).toBeGreaterThanOrEqual(400);
    validate = errorEnvelope;
  }
  const valid = validate(res.json);
  if (!valid)
    throw new Error(
      `${operation} ${status} violates the contract: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 500)}`,
    );
  if (res.status >= 400) expect(errorEnvelope(res.json)).toBe(true);
}

let emulator: Emulator;
const URL_A = tradeUrlFor(12345);

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 11,
    lifecycle: { stepMs: 0, revertShare: 0.5, failShare: 0.3 },
  });
});
afterAll(() => emulator.stop());

const get = (
  path: string,
  query?: Record<string, string | number | boolean | undefined>,
  apiKey?: string | null,
) => call(emulator.url, 'GET', path, { query, apiKey });
const post = (path: string, body: unknown, apiKey?: string | null) =>
  call(emulator.url, 'POST', path, { body, apiKey });

function sellable(tradeUrl: string, game: '730' | '252490', n: number) {
  return emulator
    .inventoryOf(tradeUrl, game)
    .filter((i) => i.tradable && i.offer?.accepted)
    .slice(0, n)
    .map((i) => ({
      itemId: i.id,
      price: i.offer!.price,
      ...(game === '252490' ? { amount: 1 } : {}),
    }));
}

describe('emulator OpenAPI contract', () => {
  it('GET /secure/inventory', async () => {
    const op = 'GET /secure/inventory';
    for (const query of [
      { tradeUrl: URL_A },
      { tradeUrl: URL_A, game: 252490, limit: -1 },
      {
        tradeUrl: URL_A,
        game: 730,
        page: 3,
        limit: 7,
        sort: 'priceDesc',
        acceptedOnly: true,
        search: 'a',
        minPrice: 0.5,
        maxPrice: 5000,
        refresh: true,
      },
    ]) {
      const res = await get('/secure/inventory', query);
      expect(res.status).toBe(200);
      expectContract(op, res);
    }
    expectContract(
      op,
      await get('/secure/inventory', {
        tradeUrl: 'https://steamcommunity.com/tradeoffer/new/?partner=1',
      }),
    ); // 400
    expectContract(op, await get('/secure/inventory', { tradeUrl: URL_A }, null)); // 401
    expectContract(op, await get('/secure/inventory', { tradeUrl: tradeUrlFor(10004) })); // 400 USER_NOT_TRADEABLE
    expectContract(op, await get('/secure/inventory', { tradeUrl: URL_A, limit: 0 })); // 422
    emulator.injectNext('inventory', 'scope-denied');
    expectContract(op, await get('/secure/inventory', { tradeUrl: URL_A })); // 403
    emulator.injectNext('inventory', 'rate-limited');
    expectContract(op, await get('/secure/inventory', { tradeUrl: URL_A })); // 429
    emulator.injectNext('inventory', 'server-error');
    expectContract(op, await get('/secure/inventory', { tradeUrl: URL_A })); // 500
    emulator.injectNext('inventory', 'no-bots');
    expectContract(op, await get('/secure/inventory', { tradeUrl: URL_A })); // 503
    expect(seen.get(op)).toEqual(new Set(['200', '400', '401', '403', '422', '429', '500', '503']));
  });

  it('POST /secure/sell, including split baskets and every refusal', async () => {
    const op = 'POST /secure/sell';
    const split = await startEmulator({ seed: 11, splitAbove: 2, lifecycle: { stepMs: 0 } });
    try {
      const items = split
        .inventoryOf(URL_A, '730')
        .filter((i) => i.tradable && i.offer?.accepted)
        .slice(0, 5);
      const res = await call(split.url, 'POST', '/secure/sell', {
        body: {
          tradeUrl: URL_A,
          game: '730',
          externalId: 'split-1',
          isInstant: true,
          items: items.map((i) => ({ itemId: i.id, price: i.offer!.price })),
        },
      });
      expect(res.status).toBe(200);
      expectContract(op, res);
      expect((res.json as { data: { relatedTrades: unknown[] } }).data.relatedTrades).toHaveLength(
        2,
      );
    } finally {
      await split.stop();
    }

    const rust = await post('/secure/sell', {
      tradeUrl: URL_A,
      game: '252490',
      externalId: 'c-rust',
      items: sellable(URL_A, '252490', 3),
    });
    expect(rust.status).toBe(200);
    expectContract(op, rust);

    const body = {
      tradeUrl: URL_A,
      game: '730',
      externalId: 'c-1',
      isInstant: false,
      items: sellable(URL_A, '730', 3),
    };
    expectContract(op, await post('/secure/sell', body)); // 200
    expectContract(op, await post('/secure/sell', body)); // 409 EXTERNAL_ID_EXISTS
    expectContract(op, await post('/secure/sell', { ...body, externalId: 'c-2' })); // 400 ITEMS_UNAVAILABLE
    expectContract(op, await post('/secure/sell', { ...body, foo: 1 })); // 422
    expectContract(op, await post('/secure/sell', body, 'ap_wrong')); // 401
    const fresh = { ...body, externalId: 'c-3', items: sellable(URL_A, '730', 2) };
    for (const fault of [
      'scope-denied',
      'rate-limited',
      'trade-offer-failed',
      'no-bots',
      'price-changed',
      'overstocked',
    ] as const) {
      emulator.injectNext('sell', fault);
      const res = await post('/secure/sell', { ...fresh, externalId: `c-${fault}` });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectContract(op, res);
    }
    expect(seen.get(op)).toEqual(
      new Set(['200', '400', '401', '403', '409', '422', '429', '500', '503']),
    );
  });

  it('GET /secure/trades and /secure/trades/{tradeId} in every status', async () => {
    // More single-item trades so the seeded shares produce every ending.
    for (let i = 0; i < 8; i++) {
      const res = await post('/secure/sell', {
        tradeUrl: URL_A,
        externalId: `walk-${i}`,
        items: sellable(URL_A, '730', 1),
      });
      expect(res.status).toBe(200);
    }
    // Walk every trade through the whole lifecycle, validating at each step.
    const statusesSeen = new Set<string>();
    for (let step = 0; step < 6; step++) {
      const list = await get('/secure/trades', { limit: 100 });
      expect(list.status).toBe(200);
      expectContract('GET /secure/trades', list);
      const trades = (list.json as { data: { items: Array<{ id: string; status: string }> } }).data
        .items;
      for (const t of trades) statusesSeen.add(t.status);
      const batch = await get(`/secure/trades/${trades.map((t) => t.id).join(',')},unknown-ref`);
      expectContract('GET /secure/trades/{tradeId}', batch);
      const one = await get(`/secure/trades/${trades[0]!.id}`);
      expectContract('GET /secure/trades/{tradeId}', one);
      emulator.advanceLifecycle();
    }
    expect(statusesSeen).toEqual(
      new Set(['initiated', 'active', 'hold', 'completed', 'reverted', 'failed']),
    );

    const first = await get('/secure/trades', { limit: 1, game: '730' });
    const cursor = (first.json as { data: { nextCursor: string } }).data.nextCursor;
    expect(typeof cursor).toBe('string');
    expectContract('GET /secure/trades', await get('/secure/trades', { limit: 1, cursor }));
    expectContract('GET /secure/trades', await get('/secure/trades', { type: 'withdraw' }));
    expectContract('GET /secure/trades', await get('/secure/trades', { limit: 500 })); // 422
    expectContract('GET /secure/trades', await get('/secure/trades', {}, null)); // 401
    emulator.injectNext('trades', 'scope-denied');
    expectContract('GET /secure/trades', await get('/secure/trades'));
    emulator.injectNext('trades', 'rate-limited');
    expectContract('GET /secure/trades', await get('/secure/trades'));

    expectContract('GET /secure/trades/{tradeId}', await get('/secure/trades/nope')); // 404
    expectContract('GET /secure/trades/{tradeId}', await get('/secure/trades/nope', {}, null)); // 401
    emulator.injectNext('trades', 'scope-denied');
    expectContract('GET /secure/trades/{tradeId}', await get('/secure/trades/c-1'));
    emulator.injectNext('trades', 'rate-limited');
    expectContract('GET /secure/trades/{tradeId}', await get('/secure/trades/c-1'));
    expect(seen.get('GET /secure/trades/{tradeId}')).toEqual(
      new Set(['200', '401', '403', '404', '429']),
    );
    expect(seen.get('GET /secure/trades')).toEqual(new Set(['200', '401', '403', '422', '429']));
  });

  it('POST /secure/check-tradeurl', async () => {
    const op = 'POST /secure/check-tradeurl';
    for (const partner of [12345, 10002, 10003, 10004, 10005, 10006, 10007, 10009]) {
      const res = await post('/secure/check-tradeurl', {
        tradeurl: tradeUrlFor(partner),
        forceRefresh: true,
      });
      expect(res.status).toBe(200);
      expectContract(op, res);
    }
    const malformed = await post('/secure/check-tradeurl', {
      tradeurl: 'http://steamcommunity.com/x',
    });
    expectContract(op, malformed);
    expect((malformed.json as { data: { state: number } }).data.state).toBe(6);
    expectContract(op, await post('/secure/check-tradeurl', { tradeUrl: URL_A })); // 422 (wrong case)
    expectContract(op, await post('/secure/check-tradeurl', { tradeurl: URL_A }, null)); // 401
    emulator.injectNext('check-tradeurl', 'scope-denied');
    expectContract(op, await post('/secure/check-tradeurl', { tradeurl: URL_A }));
    emulator.injectNext('check-tradeurl', 'rate-limited');
    expectContract(op, await post('/secure/check-tradeurl', { tradeurl: URL_A }));
    expect(seen.get(op)).toEqual(new Set(['200', '401', '403', '422', '429']));
  });

  it('rejects a body that breaks the contract (the validator can fail)', () => {
    const broken: HttpResult = {
      status: 200,
      headers: new Headers({ 'content-type': 'application/json' }),
      text: '',
      json: { requestId: 'x', success: true, data: { id: 'x', status: 'weird' } },
    };
    expect(() => expectContract('GET /secure/trades/{tradeId}', broken)).toThrow(
      /violates the contract/,
    );
  });
});
