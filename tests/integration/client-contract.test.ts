import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetPayClient } from '../../electron/main/services/assetpay/client';
import { RateLimiter } from '../../electron/main/services/assetpay/rate-limiter';
import type { SellRequest } from '../../shared/api/schemas';
// The in-repo copy of shared/docs/assetpay-openapi-secure.json (byte-identical).
import openapi from '../../emulator/contract/assetpay-openapi-secure.json';

/*
 * Contract: the bodies the client actually puts on the wire (captured by a
 * tiny server) validate against the vendor's OpenAPI request schemas
 * (assetpay-openapi-secure.json, `additionalProperties: false`).
 */

const spec = openapi as unknown as {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: object }> } }>
  >;
};
const requestSchema = (path: string) =>
  spec.paths[path]!.post!.requestBody!.content['application/json']!.schema;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validateSell = ajv.compile(requestSchema('/secure/sell'));
const validateCheck = ajv.compile(requestSchema('/secure/check-tradeurl'));

const TRADE_URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCd_-9z';
const captured: { url: string; body: string }[] = [];
let server: http.Server;
let client: AssetPayClient;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      // Answer with an error: the contract under test is the request, not the response.
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          requestId: 'r',
          success: false,
          error: { code: 1001, key: 'VALIDATION_FAILED', message: 'captured' },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  client = new AssetPayClient({
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: () => 'ap_contract_test',
    limiter: new RateLimiter({ tier: 'verified' }),
  });
});

afterAll(async () => {
  client.close();
  await new Promise<void>((r) => server.close(() => r()));
});

async function sentBody(body: SellRequest): Promise<unknown> {
  captured.length = 0;
  const outcome = await client.sell(body);
  expect(outcome.kind).toBe('definitive');
  expect(captured).toHaveLength(1);
  return JSON.parse(captured[0]!.body);
}

describe('outgoing sell body vs the OpenAPI request schema', () => {
  const bodies: [string, SellRequest][] = [
    [
      'one CS2 item',
      {
        tradeUrl: TRADE_URL,
        items: [{ itemId: 'a1b2c3d4-0001', price: 10.75 }],
        game: '730',
        externalId: 'p1-b1-1',
        isInstant: true,
      },
    ],
    [
      'Rust stacks with amounts, isInstant false',
      {
        tradeUrl: TRADE_URL,
        items: [
          { itemId: 'rust-item-1', price: 0.03, amount: 10_000 },
          { itemId: 'rust-item-2', price: 1234.5, amount: 1 },
        ],
        game: '252490',
        externalId: 'x'.repeat(128),
        isInstant: false,
      },
    ],
    [
      '250 items (the cap)',
      {
        tradeUrl: TRADE_URL,
        items: Array.from({ length: 250 }, (_, i) => ({
          itemId: `item-${String(i).padStart(5, '0')}`,
          price: 0.01 + i / 100,
        })),
        game: '730',
        externalId: '3f2b8c1e-6a55-4c3b-9a34-1f0e7d2c9b10-1',
        isInstant: true,
      },
    ],
  ];

  it.each(bodies)('%s', async (_name, body) => {
    const sent = await sentBody(body);
    const valid = validateSell(sent);
    expect(validateSell.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(sent).toEqual(body);
  });

  it('the validator is not vacuous: it rejects what the server would reject', () => {
    const good = {
      tradeUrl: TRADE_URL,
      items: [{ itemId: 'a1b2c3d4-0001', price: 10.75 }],
      game: '730',
      externalId: 'e',
      isInstant: true,
    };
    expect(validateSell(good)).toBe(true);
    expect(validateSell({ ...good, extra: 1 })).toBe(false); // additionalProperties: false
    expect(validateSell({ ...good, items: [] })).toBe(false);
    expect(validateSell({ ...good, items: [{ itemId: 'abc', price: 1 }] })).toBe(false); // itemId < 5
    expect(validateSell({ ...good, items: [{ itemId: 'abcdef', price: 0 }] })).toBe(false);
    expect(validateSell({ ...good, tradeUrl: `${TRADE_URL}&` })).toBe(false);
    expect(validateSell({ ...good, externalId: '' })).toBe(false);
  });
});

describe('outgoing check-tradeurl body vs the OpenAPI request schema', () => {
  it('uses `tradeurl` and validates', async () => {
    for (const forceRefresh of [undefined, true, false]) {
      captured.length = 0;
      await client.checkTradeUrl(TRADE_URL, forceRefresh === undefined ? {} : { forceRefresh });
      const sent = JSON.parse(captured[0]!.body) as unknown;
      expect(validateCheck(sent)).toBe(true);
      expect(sent).toEqual({ tradeurl: TRADE_URL, forceRefresh: forceRefresh ?? false });
    }
    expect(validateCheck({ tradeUrl: TRADE_URL })).toBe(false);
  });
});
