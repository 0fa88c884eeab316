import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssetPayClient } from '../../electron/main/services/assetpay/client';
import { classifyResponse, mapOutcome } from '../../electron/main/services/assetpay/outcome';
import { RateLimiter } from '../../electron/main/services/assetpay/rate-limiter';
import { inventoryPageSchema } from '../../shared/api/schemas';

/*
 * getInventory reads a 2xx body element by element (split-json.ts) and reuses
 * its receive buffer. Whatever the body, the outcome must be the one the
 * whole-body reading gives: classifyResponse on the text with
 * inventoryPageSchema, mapped as getInventory maps it.
 */

/** How often getInventory's body was read element by element, and how often it gave up. */
const splitting = vi.hoisted(() => ({ split: 0, gaveUp: 0 }));
vi.mock('../../electron/main/services/assetpay/split-json', async (importOriginal) => {
  const actual =
    await importOriginal<typeof import('../../electron/main/services/assetpay/split-json')>();
  return {
    ...actual,
    parseSplitting: (...args: Parameters<typeof actual.parseSplitting>) => {
      const result = actual.parseSplitting(...args);
      if (result) splitting.split++;
      else splitting.gaveUp++;
      return result;
    },
  };
});

const TRADE_URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Answer {
  status: number;
  body: string;
  /** Sent chunked, without Content-Length. */
  chunked?: boolean;
}

async function serve(answers: Answer[]): Promise<string> {
  let n = 0;
  const server = http.createServer((_req, res) => {
    const answer = answers[Math.min(n++, answers.length - 1)]!;
    if (answer.chunked) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      const bytes = Buffer.from(answer.body, 'utf8');
      for (let i = 0; i < bytes.length; i += 7_777) res.write(bytes.subarray(i, i + 7_777));
      res.end();
    } else {
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(answer.body),
      });
      res.end(answer.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function makeClient(baseUrl: string): AssetPayClient {
  const limiter = new RateLimiter({ tier: 'verified' });
  const client = new AssetPayClient({ baseUrl, apiKey: () => 'ap_test_key', limiter });
  cleanups.push(() => {
    client.close();
    limiter.dispose();
  });
  return client;
}

/** The outcome of reading the body whole, as getInventory (limit=-1) reports it. */
function reference(answer: Answer) {
  return mapOutcome(
    classifyResponse(
      { status: answer.status, body: answer.body, contentType: 'application/json' },
      inventoryPageSchema,
      'read',
      Date.now(),
    ),
    (p) => ({ items: p.inventory, count: p.count, updatedAt: p.updatedAt }),
  );
}

function item(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `730-1-${i}`,
    assetId: String(22_742_504_000 + i),
    name: i % 3 === 0 ? `★ Karambit | Fade ${i}` : `AK-47 | "Redline" ${i}`,
    marketHashName: `AK-47 | Redline (Field-Tested) [${i}]`,
    type: 'Rifle',
    iconUrl: '',
    appid: 730,
    tradable: i % 5 !== 0,
    amount: 1,
    marketPrice: 10.05 + i,
    offer: { price: 8.75 + i / 100, reference: String(i), accepted: i % 7 !== 0, maxAmount: 1 },
    exterior: 'Field-Tested',
    wear: '0.19884334',
    paintSeed: i,
    ...extra,
  };
}

function page(items: unknown[], rest: Record<string, unknown> = {}): string {
  return JSON.stringify({
    requestId: 'req-1',
    success: true,
    data: { inventory: items, count: items.length, updatedAt: '2026-05-14T12:00:00.000Z', ...rest },
  });
}

const many = Array.from({ length: 3_000 }, (_, i) => item(i)); // ~1.2 MB: a reused receive buffer

const answers: [string, Answer][] = [
  ['a large page', { status: 200, body: page(many) }],
  ['a large page, chunked', { status: 200, body: page(many), chunked: true }],
  ['an empty page', { status: 200, body: page([]) }],
  ['a small page with extra keys', { status: 200, body: page([item(1)], { collateral: 5 }) }],
  [
    'an item failing the schema',
    { status: 200, body: page([item(1), { ...item(2), id: '' }, item(3, { appid: 'x' })]) },
  ],
  ['the page failing the schema', { status: 200, body: page([item(1)], { count: -1 }) }],
  [
    'inventory not an array',
    { status: 200, body: JSON.stringify({ success: true, data: { inventory: {} } }) },
  ],
  [
    'a duplicate inventory key',
    {
      status: 200,
      body: `{"success":true,"data":{"inventory":[${JSON.stringify(item(1))}],"count":1,"updatedAt":"t","inventory":[]}}`,
    },
  ],
  ['truncated JSON', { status: 200, body: page(many).slice(0, 50_000) }],
  ['not JSON', { status: 200, body: '<html>ok</html>' }],
  [
    'an error envelope',
    {
      status: 424,
      body: JSON.stringify({
        requestId: 'req-2',
        success: false,
        error: { code: 31, key: 'STEAM_UNAVAILABLE', message: 'Steam is down' },
      }),
    },
  ],
  [
    'an error envelope on a 200 carrying an inventory',
    {
      status: 200,
      body: JSON.stringify({
        success: false,
        error: { key: 'INVENTORY_PRIVATE', message: 'private' },
        data: { inventory: [item(1)] },
      }),
    },
  ],
];

describe('getInventory body reading', () => {
  it.each(answers)('%s: the same outcome as reading the body whole', async (_name, answer) => {
    const client = makeClient(await serve([answer]));
    const outcome = await client.getInventory(TRADE_URL, '730');
    expect(outcome).toEqual(reference(answer));
  });

  it('2xx bodies whose items all pass are read element by element; the others whole', async () => {
    // Every item valid (the rest of the page is still checked by its own schema).
    const split = [
      'a large page',
      'a large page, chunked',
      'an empty page',
      'a small page with extra keys',
      'the page failing the schema',
      'an error envelope on a 200 carrying an inventory',
    ];
    for (const [name, answer] of answers) {
      splitting.split = 0;
      splitting.gaveUp = 0;
      const client = makeClient(await serve([answer]));
      await client.getInventory(TRADE_URL, '730');
      const expected = split.includes(name)
        ? { split: 1, gaveUp: 0 }
        : answer.status === 200
          ? { split: 0, gaveUp: 1 }
          : { split: 0, gaveUp: 0 }; // a non-2xx answer is not split at all
      expect(splitting, name).toEqual(expected);
    }
  });

  it('a failing item is reported as the whole-body check reports it', async () => {
    const answer = answers.find(([name]) => name === 'an item failing the schema')![1];
    const client = makeClient(await serve([answer]));
    const outcome = await client.getInventory(TRADE_URL, '730');
    expect(outcome).toMatchObject({ kind: 'definitive', key: 'UNEXPECTED_RESPONSE' });
    if (outcome.kind === 'definitive')
      expect(outcome.message).toMatch(/failed validation: inventory\.1\.id: .*inventory\.2\.appid/);
  });

  it('reuses the receive buffer call after call, and concurrent calls do not share it', async () => {
    const bodies = [page(many), page(many.slice(0, 2_000)), page(many.slice(500))];
    const client = makeClient(
      await serve([
        ...bodies.map((body) => ({ status: 200, body })),
        ...bodies.map((body) => ({ status: 200, body })),
      ]),
    );
    for (const body of bodies) {
      expect(await client.getInventory(TRADE_URL, '730')).toEqual(reference({ status: 200, body }));
    }
    const together = await Promise.all(bodies.map(() => client.getInventory(TRADE_URL, '730')));
    const expected = bodies.map((body) => reference({ status: 200, body }));
    // The server answers in arrival order; compare as a set of outcomes.
    const key = (o: unknown) => JSON.stringify(o);
    expect(together.map(key).sort()).toEqual(expected.map(key).sort());
  });
});
