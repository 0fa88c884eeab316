import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AssetPayClient,
  type AssetPayClientDeps,
} from '../../electron/main/services/assetpay/client';
import { RateLimiter } from '../../electron/main/services/assetpay/rate-limiter';
import { createLogger, type LogRecord } from '../../electron/main/services/log';
import type { SellRequest } from '../../shared/api/schemas';

/*
 * Classification over real HTTP on 127.0.0.1, against small purpose-built
 * servers: the precise way to produce a reset after the request was sent, a
 * refused connection, a stalled connect, a slow response, an HTML 502.
 */

const KEY = 'ap_test_Secret-KEY_123456';
const TRADE_URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCd_-9z';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socketId: number;
}

type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
  n: number,
) => void;

interface TestServer {
  url: string;
  seen: Seen[];
  connections: number;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * An agent whose connections spend 2 s resolving the host name: the socket is
 * genuinely "connecting" (pending) for that long, like a stalled TCP connect or
 * a slow TLS handshake.
 */
function stallingAgent(port: number): http.Agent {
  class StallingAgent extends http.Agent {
    override createConnection(): net.Socket {
      return net.connect({
        host: 'stalled.localhost',
        port,
        lookup: ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
          setTimeout(
            () =>
              options.all
                ? cb(null, [{ address: '127.0.0.1', family: 4 }])
                : cb(null, '127.0.0.1', 4),
            2_000,
          );
        }) as unknown as net.LookupFunction,
      });
    }
  }
  const agent = new StallingAgent({ keepAlive: false });
  cleanups.push(() => agent.destroy());
  return agent;
}

async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const socketId = (req.socket as net.Socket & { __id?: number }).__id ?? -1;
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        socketId,
      });
      handler(req, res, body, seen.length);
    });
  });
  server.on('connection', (socket: net.Socket & { __id?: number }) => {
    socket.__id = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const ts: TestServer = {
    url: `http://127.0.0.1:${port}`,
    seen,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  cleanups.push(() => ts.close());
  return ts;
}

function makeClient(baseUrl: string, extra: Partial<AssetPayClientDeps> = {}) {
  const limiter = extra.limiter ?? new RateLimiter({ tier: 'verified' });
  const client = new AssetPayClient({ baseUrl, apiKey: () => KEY, limiter, ...extra });
  cleanups.push(() => {
    client.close();
    limiter.dispose();
  });
  return { client, limiter };
}

function send(
  res: http.ServerResponse,
  status: number,
  payload: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
const okEnvelope = (data: unknown) => ({ requestId: 'req-1', success: true, data });
const errEnvelope = (key: string, code = 1, message = `msg ${key}`) => ({
  requestId: 'req-err',
  success: false,
  error: { code, key, message },
});

function trade(id: string, externalId?: string) {
  return {
    id,
    type: 'deposit',
    source: 'self',
    status: 'initiated',
    game: '730',
    merchantId: 'm-1',
    clientSteamID: '76561197972611406',
    clientTradeUrl: TRADE_URL,
    items: [{ id: 'item-000001', appid: 730, tradable: true, offer: { price: 10.75 } }],
    totalPrice: 10.75,
    createdAt: '2026-05-14T12:00:00.000Z',
    updatedAt: '2026-05-14T12:00:00.000Z',
    ...(externalId ? { externalId } : {}),
  };
}

function sellBody(overrides: Partial<SellRequest> = {}): SellRequest {
  return {
    tradeUrl: TRADE_URL,
    items: [
      { itemId: 'item-000001', price: 10.75 },
      { itemId: 'item-000002', price: 0.1 + 0.2 },
      { itemId: 'item-000003', price: 1e-2, amount: 3 },
    ],
    game: '730',
    externalId: 'plan1-batch1-1',
    isInstant: true,
    ...overrides,
  };
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('sell over HTTP', () => {
  it('sends the exact validated JSON with the api-key header and returns the parsed trade', async () => {
    const server = await startServer((_req, res) =>
      send(res, 201, okEnvelope(trade('t-1', 'plan1-batch1-1'))),
    );
    const { client } = makeClient(server.url);
    const body = sellBody();
    const outcome = await client.sell(body);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(outcome.data.id).toBe('t-1');
    expect(outcome.httpStatus).toBe(201);
    expect(outcome.requestId).toBe('req-1');

    const [req] = server.seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/secure/sell');
    expect(req?.headers['api-key']).toBe(KEY);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req?.body).toBe(JSON.stringify(body));
    // Prices go out exactly as given, float warts included (api §4.2).
    expect(req?.body).toContain('"price":10.75');
    expect(req?.body).toContain('"price":0.30000000000000004');
    expect(req?.body).toContain('"price":0.01');
  });

  it('throws on an invalid body (a bug) and sends nothing', async () => {
    const server = await startServer((_req, res) => send(res, 201, okEnvelope(trade('t'))));
    const { client } = makeClient(server.url);
    await expect(client.sell({ ...sellBody(), items: [] })).rejects.toThrow();
    await expect(client.sell({ ...sellBody(), externalId: 'a,b' })).rejects.toThrow();
    await expect(
      client.sell({ ...sellBody(), extra: 1 } as unknown as SellRequest),
    ).rejects.toThrow();
    await expect(client.sell(sellBody({ tradeUrl: `${TRADE_URL}&` }))).rejects.toThrow();
    expect(server.seen).toHaveLength(0);
  });

  it('honours a base URL with a path prefix', async () => {
    const server = await startServer((_req, res) => send(res, 201, okEnvelope(trade('t-1'))));
    const { client } = makeClient(`${server.url}/sandbox/`);
    expect((await client.sell(sellBody())).kind).toBe('ok');
    expect(server.seen[0]?.url).toBe('/sandbox/secure/sell');
  });

  it('a reset after the request was sent is ambiguous — never retried', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const { client } = makeClient(server.url);
    const outcome = await client.sell(sellBody());
    expect(outcome.kind).toBe('ambiguous');
    expect(server.seen).toHaveLength(1);
  });

  it('a reset in the middle of the response body is ambiguous', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': 5000 });
      res.write('{"requestId":"x","success":true,"data":{');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const { client } = makeClient(server.url);
    const outcome = await client.sell(sellBody());
    expect(outcome.kind).toBe('ambiguous');
  });

  it('no answer within sellMs is ambiguous', async () => {
    const server = await startServer(() => {
      /* hang */
    });
    const { client } = makeClient(server.url, { timeouts: { sellMs: 300 } });
    const started = Date.now();
    const outcome = await client.sell(sellBody());
    expect(outcome).toMatchObject({ kind: 'ambiguous', reason: expect.stringContaining('300 ms') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.seen).toHaveLength(1);
  });

  it('an HTML 502 from a proxy is ambiguous, not an exception', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const { client } = makeClient(server.url);
    const outcome = await client.sell(sellBody());
    expect(outcome).toMatchObject({ kind: 'ambiguous', httpStatus: 502 });
  });

  it('a 2xx whose trade fails the schema is ambiguous for a sell', async () => {
    const server = await startServer((_req, res) =>
      send(res, 201, okEnvelope({ ...trade('t'), status: 'NEW_STATUS' })),
    );
    const { client } = makeClient(server.url);
    expect((await client.sell(sellBody())).kind).toBe('ambiguous');
  });

  it('a 5xx with a specific key is definitive; SERVER_ERROR is ambiguous', async () => {
    const server = await startServer((_req, res, _b, n) =>
      n === 1
        ? send(res, 500, errEnvelope('TRADE_OFFER_FAILED', 5))
        : send(res, 500, errEnvelope('SERVER_ERROR', 1006)),
    );
    const { client } = makeClient(server.url);
    expect(await client.sell(sellBody())).toMatchObject({
      kind: 'definitive',
      key: 'TRADE_OFFER_FAILED',
      httpStatus: 500,
    });
    expect(await client.sell(sellBody())).toMatchObject({
      kind: 'ambiguous',
      key: 'SERVER_ERROR',
      httpStatus: 500,
    });
  });
});

describe('requests that never reached the server', () => {
  it('a refused connection is not-sent', async () => {
    const port = await closedPort();
    const { client } = makeClient(`http://127.0.0.1:${port}`);
    const outcome = await client.sell(sellBody());
    expect(outcome.kind).toBe('not-sent');
    if (outcome.kind === 'not-sent') expect(outcome.reason).toMatch(/ECONNREFUSED/);
  });

  it('a connect that does not complete within connectMs is not-sent', async () => {
    const server = await startServer((_req, res) => send(res, 201, okEnvelope(trade('t'))));
    const port = Number(new URL(server.url).port);
    const agent = stallingAgent(port);
    const { client } = makeClient(server.url, { agent, timeouts: { connectMs: 150 } });
    const started = Date.now();
    const outcome = await client.sell(sellBody());
    expect(outcome).toMatchObject({
      kind: 'not-sent',
      reason: expect.stringContaining('connect timeout'),
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.seen).toHaveLength(0);
  });

  it('a DNS failure is not-sent', async () => {
    const { client } = makeClient('http://no-such-host.invalid:1');
    const outcome = await client.getTrades(['a']);
    expect(outcome.kind).toBe('not-sent');
  });

  it('no API key → auth MISSING_API_KEY without sending or spending a token', async () => {
    const server = await startServer((_req, res) => send(res, 201, okEnvelope(trade('t'))));
    for (const apiKey of [() => null, () => '', async () => '   ', async () => null]) {
      const { client, limiter } = makeClient(server.url, { apiKey });
      expect(await client.sell(sellBody())).toMatchObject({ kind: 'auth', key: 'MISSING_API_KEY' });
      expect(limiter.stats().sell.acquired).toBe(0);
    }
    const { client } = makeClient(server.url, {
      apiKey: () => {
        throw new Error('keychain locked');
      },
    });
    expect(await client.sell(sellBody())).toMatchObject({
      kind: 'auth',
      key: 'MISSING_API_KEY',
      message: expect.stringContaining('keychain locked'),
    });
    expect(server.seen).toHaveLength(0);
  });
});

describe('abort', () => {
  it('aborted before sending (waiting for the limiter) → not-sent, nothing reaches the server', async () => {
    const server = await startServer((_req, res) => send(res, 201, okEnvelope(trade('t'))));
    const { client, limiter } = makeClient(server.url);
    limiter.pauseFor('sell', 60_000);
    const controller = new AbortController();
    const pending = client.sell(sellBody(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    expect(await pending).toEqual({ kind: 'not-sent', reason: 'aborted' });
    const already = new AbortController();
    already.abort();
    expect(await client.getTrades(['x'], { signal: already.signal })).toEqual({
      kind: 'not-sent',
      reason: 'aborted',
    });
    expect(server.seen).toHaveLength(0);
  });

  it('cancelBeforeSend stops a sell still connecting (not-sent, nothing arrives); once connected it is ignored', async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const server = await startServer((_req, res) => {
      arrived();
      setTimeout(() => send(res, 201, okEnvelope(trade('t'))), 100);
    });
    const stalled = makeClient(server.url, {
      agent: stallingAgent(Number(new URL(server.url).port)),
      timeouts: { connectMs: 5_000 },
    });
    const cancel = new AbortController();
    const connecting = stalled.client.sell(sellBody(), { cancelBeforeSend: cancel.signal });
    setTimeout(() => cancel.abort(), 100);
    expect(await connecting).toEqual({ kind: 'not-sent', reason: 'aborted' });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.seen).toHaveLength(0);

    // Connected, the request may have reached AssetPay: the sell is answered as usual.
    const { client } = makeClient(server.url);
    const late = new AbortController();
    const answered = client.sell(sellBody(), { cancelBeforeSend: late.signal });
    await reached;
    late.abort();
    expect(await answered).toMatchObject({ kind: 'ok' });
  });

  it('aborted after sending → ambiguous', async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const server = await startServer(() => arrived());
    const { client } = makeClient(server.url);
    const controller = new AbortController();
    const pending = client.sell(sellBody(), { signal: controller.signal });
    await reached;
    controller.abort();
    expect(await pending).toEqual({ kind: 'ambiguous', reason: 'aborted' });
  });
});

describe('keep-alive', () => {
  it('reuses one connection for sequential calls', async () => {
    const server = await startServer((_req, res) => send(res, 200, okEnvelope(trade('t-1'))));
    const { client } = makeClient(server.url);
    for (let i = 0; i < 5; i++) expect((await client.getTrades(['t-1'])).kind).toBe('ok');
    expect(server.seen).toHaveLength(5);
    expect(server.connections).toBe(1);
  });

  it('a GET reset on a reused socket before any response is retried once on a fresh one; a POST is not', async () => {
    const server = await startServer((req, res, _body, n) => {
      if (n === 2 || n === 5) return req.socket.destroy();
      if (req.method === 'POST') return send(res, 201, okEnvelope(trade('t-1')));
      send(res, 200, okEnvelope(trade('t-1')));
    });
    const { client } = makeClient(server.url);
    expect((await client.getTrades(['t-1'])).kind).toBe('ok'); // #1 opens the socket
    expect((await client.getTrades(['t-1'])).kind).toBe('ok'); // #2 reset on the reused socket, #3 retried
    expect(server.seen.map((s) => s.socketId)).toEqual([1, 1, 2]);
    expect((await client.sell(sellBody())).kind).toBe('ok'); // #4 on socket 2
    expect((await client.sell(sellBody())).kind).toBe('ambiguous'); // #5 reset: may have been processed
    expect(server.seen).toHaveLength(5);
  });
});

describe('429 and the limiter', () => {
  it('Retry-After pauses the family in the shared limiter for that long', async () => {
    const server = await startServer((_req, res) =>
      send(res, 429, errEnvelope('RATE_LIMITED', 1005), { 'retry-after': '2' }),
    );
    const { client, limiter } = makeClient(server.url);
    const before = limiter.now();
    expect(await client.sell(sellBody())).toEqual({
      kind: 'throttled',
      key: 'RATE_LIMITED',
      httpStatus: 429,
      retryAfterMs: 2_000,
    });
    const paused = limiter.stats().sell.pausedUntil;
    expect(paused).not.toBeNull();
    expect(paused! - before).toBeGreaterThanOrEqual(2_000);
    expect(paused! - before).toBeLessThan(2_500);
    expect(limiter.tryAcquire('sell')).toBe(false);
    expect(limiter.tryAcquire('trades')).toBe(true);
  });

  it('without Retry-After the pause is an exponential backoff (5–10 s, then 10–20 s)', async () => {
    const server = await startServer((_req, res) =>
      send(res, 429, errEnvelope('RATE_LIMITED', 1005)),
    );
    const clock = { now: () => fakeNow, sleep: () => new Promise<void>(() => {}) };
    let fakeNow = 1_000;
    const limiter = new RateLimiter({ tier: 'verified', clock });
    const { client } = makeClient(server.url, { limiter });
    const first = await client.getTrades(['a']);
    expect(first).toEqual({ kind: 'throttled', key: 'RATE_LIMITED', httpStatus: 429 });
    const p1 = limiter.stats().trades.pausedUntil! - fakeNow;
    expect(p1).toBeGreaterThanOrEqual(5_000);
    expect(p1).toBeLessThanOrEqual(10_000);
    fakeNow += p1 + 1_000; // the pause is over; the next call is sent and throttled again
    await client.getTrades(['a']);
    const p2 = limiter.stats().trades.pausedUntil! - fakeNow;
    expect(p2).toBeGreaterThanOrEqual(10_000);
    expect(p2).toBeLessThanOrEqual(20_000);
    expect(limiter.stats().trades.pauses).toBe(2);
  });
});

describe('reads over HTTP', () => {
  function inventoryServer(total: number, opts: { lieCount?: number; repeat?: boolean } = {}) {
    const items = Array.from({ length: total }, (_, i) => ({
      id: `item-${String(i).padStart(6, '0')}`,
      appid: 730,
      tradable: true,
      offer: { price: 1.25, accepted: true },
    }));
    return startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const limit = Number(url.searchParams.get('limit'));
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice =
        limit === -1
          ? items
          : opts.repeat
            ? items.slice(0, limit)
            : items.slice((page - 1) * limit, page * limit);
      send(
        res,
        200,
        okEnvelope({
          inventory: slice,
          count: opts.lieCount ?? total,
          updatedAt: '2026-05-14T12:00:00.000Z',
        }),
      );
    });
  }

  it('getInventory: limit=-1 and a page walk return the same items; the query is encoded', async () => {
    const server = await inventoryServer(7);
    const { client } = makeClient(server.url);
    const all = await client.getInventory(TRADE_URL, '730', { refresh: true, pageSize: 'all' });
    const paged = await client.getInventory(TRADE_URL, '730', { pageSize: 3, refresh: true });
    expect(all.kind).toBe('ok');
    expect(paged.kind).toBe('ok');
    if (all.kind !== 'ok' || paged.kind !== 'ok') return;
    expect(paged.data.items).toEqual(all.data.items);
    expect(all.data.count).toBe(7);
    expect(paged.data.count).toBe(7);
    const urls = server.seen.map((s) => new URL(s.url, 'http://x'));
    expect(urls[0]?.searchParams.get('limit')).toBe('-1');
    expect(urls[0]?.searchParams.get('tradeUrl')).toBe(TRADE_URL);
    expect(server.seen[0]?.url).toContain(encodeURIComponent(TRADE_URL));
    expect(
      urls
        .slice(1)
        .map((u) => [
          u.searchParams.get('page'),
          u.searchParams.get('limit'),
          u.searchParams.get('refresh'),
        ]),
    ).toEqual([
      ['1', '3', 'true'],
      ['2', '3', null],
      ['3', '3', null],
    ]);
    expect(urls.every((u) => u.searchParams.get('game') === '730')).toBe(true);
  });

  it('getInventory stops on an empty page when the server over-reports count', async () => {
    const server = await inventoryServer(5, { lieCount: 1_000 });
    const { client } = makeClient(server.url);
    const outcome = await client.getInventory(TRADE_URL, '252490', { pageSize: 2 });
    expect(outcome).toMatchObject({ kind: 'ok', data: { count: 1_000 } });
    if (outcome.kind === 'ok') expect(outcome.data.items).toHaveLength(5);
    expect(server.seen).toHaveLength(4); // 2 + 2 + 1 + empty
  });

  it('getInventory stops when a page only repeats items already seen', async () => {
    const server = await inventoryServer(5, { lieCount: 1_000, repeat: true });
    const { client } = makeClient(server.url);
    const outcome = await client.getInventory(TRADE_URL, '730', { pageSize: 2 });
    if (outcome.kind !== 'ok') throw new Error(outcome.kind);
    expect(outcome.data.items).toHaveLength(2);
    expect(server.seen).toHaveLength(2);
  });

  it('getInventory returns the failing page outcome and refuses a bad page size', async () => {
    const server = await startServer((_req, res) =>
      send(res, 424, errEnvelope('STEAM_UNAVAILABLE', 31)),
    );
    const { client } = makeClient(server.url);
    expect(await client.getInventory(TRADE_URL, '730', { pageSize: 10 })).toMatchObject({
      kind: 'definitive',
      key: 'STEAM_UNAVAILABLE',
    });
    await expect(client.getInventory(TRADE_URL, '730', { pageSize: 0 })).rejects.toThrow(
      RangeError,
    );
  });

  it('getTrades: 250 refs → 3 calls of ≤ 100, each ref encoded, merged, missing diffed by id or externalId', async () => {
    const server = await startServer((req, res) => {
      const refs = decodeURIComponent((req.url ?? '').slice('/secure/trades/'.length)).split(',');
      // Every third ref is unknown; refs starting with "ext" resolve through externalId.
      const found = refs
        .filter((_r, i) => i % 3 !== 0)
        .map((r) => (r.startsWith('ext') ? trade(`id-of-${r}`, r) : trade(r)));
      send(res, 200, okEnvelope(found));
    });
    const { client } = makeClient(server.url);
    const refs = Array.from({ length: 250 }, (_, i) => (i % 2 ? `ext/${i}` : `trade-${i}`));
    const outcome = await client.getTrades(refs);
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(server.seen).toHaveLength(3);
    const sizes = server.seen
      .map((s) => s.url.slice('/secure/trades/'.length).split(',').length)
      .sort((a, b) => b - a);
    expect(sizes).toEqual([100, 100, 50]);
    expect(server.seen.every((s) => !s.url.includes('ext/'))).toBe(true); // '/' encoded as %2F
    const expectedMissing = [
      ...refs.slice(0, 100).filter((_r, i) => i % 3 === 0),
      ...refs.slice(100, 200).filter((_r, i) => i % 3 === 0),
      ...refs.slice(200).filter((_r, i) => i % 3 === 0),
    ];
    expect(new Set(outcome.data.missing)).toEqual(new Set(expectedMissing));
    expect(outcome.data.trades).toHaveLength(250 - expectedMissing.length);
  });

  it('getTrades: a single-ref 404 TRADE_NOT_FOUND is ok with the ref missing; a single trade object is accepted', async () => {
    const server = await startServer((req, res) =>
      req.url?.endsWith('/known')
        ? send(res, 200, okEnvelope(trade('t-9', 'known')))
        : send(res, 404, errEnvelope('TRADE_NOT_FOUND', 21)),
    );
    const { client } = makeClient(server.url);
    expect(await client.getTrades(['nope'])).toMatchObject({
      kind: 'ok',
      data: { trades: [], missing: ['nope'] },
    });
    const known = await client.getTrades(['known', 'known']);
    expect(known).toMatchObject({ kind: 'ok', data: { missing: [] } });
    if (known.kind === 'ok') expect(known.data.trades.map((t) => t.id)).toEqual(['t-9']);
    expect(await client.getTrades([])).toMatchObject({
      kind: 'ok',
      data: { trades: [], missing: [] },
    });
    await expect(client.getTrades(['a,b'])).rejects.toThrow(RangeError);
  });

  it('getTrades: if a chunk fails, that failure is returned', async () => {
    const server = await startServer((_req, res, _b, n) =>
      n === 2
        ? send(res, 429, errEnvelope('RATE_LIMITED', 1005), { 'retry-after': '1' })
        : send(res, 200, okEnvelope([])),
    );
    const { client } = makeClient(server.url);
    const refs = Array.from({ length: 150 }, (_, i) => `r${i}`);
    expect(await client.getTrades(refs)).toMatchObject({
      kind: 'throttled',
      key: 'RATE_LIMITED',
      retryAfterMs: 1_000,
    });
  });

  it('listTrades sends cursor/game/type/limit; checkTradeUrl sends `tradeurl`', async () => {
    const server = await startServer((req, res) => {
      if (req.url?.startsWith('/secure/check-tradeurl')) {
        return send(
          res,
          200,
          okEnvelope({
            state: 1,
            steamid: '76561197972611406',
            message: 'Trade URL is valid',
            canTrade: true,
          }),
        );
      }
      send(res, 200, okEnvelope({ items: [trade('t-1')], nextCursor: 'c2' }));
    });
    const { client } = makeClient(server.url);
    const page = await client.listTrades({
      cursor: 'abc=+/',
      game: '252490',
      type: 'deposit',
      limit: 100,
    });
    expect(page).toMatchObject({ kind: 'ok', data: { nextCursor: 'c2' } });
    const q = new URL(server.seen[0]!.url, 'http://x').searchParams;
    expect([q.get('cursor'), q.get('game'), q.get('type'), q.get('limit')]).toEqual([
      'abc=+/',
      '252490',
      'deposit',
      '100',
    ]);
    await expect(client.listTrades({ limit: 101 })).rejects.toThrow(RangeError);

    const check = await client.checkTradeUrl(TRADE_URL, { forceRefresh: true });
    expect(check).toMatchObject({ kind: 'ok', data: { state: 1, canTrade: true } });
    expect(JSON.parse(server.seen[1]!.body)).toEqual({ tradeurl: TRADE_URL, forceRefresh: true });
  });

  it('a read whose data fails the schema is definitive UNEXPECTED_RESPONSE; a 404 HTML page too', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/secure/trades') return send(res, 200, okEnvelope({ items: 'nope' }));
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    const { client } = makeClient(server.url);
    expect(await client.listTrades()).toMatchObject({
      kind: 'definitive',
      key: 'UNEXPECTED_RESPONSE',
      httpStatus: 200,
    });
    expect(await client.getTrades(['x'])).toMatchObject({
      kind: 'definitive',
      key: 'UNEXPECTED_RESPONSE',
      httpStatus: 404,
    });
  });
});

describe('validateKey', () => {
  it('maps each answer to valid / invalid-key / missing-scope / unreachable', async () => {
    const answers = [
      (res: http.ServerResponse) => send(res, 200, okEnvelope({ items: [], nextCursor: null })),
      (res: http.ServerResponse) => send(res, 401, errEnvelope('INVALID_API_KEY', 1901)),
      (res: http.ServerResponse) => send(res, 401, errEnvelope('API_KEY_REVOKED', 1902)),
      (res: http.ServerResponse) => send(res, 403, errEnvelope('API_KEY_SCOPE_DENIED', 1903)),
      (res: http.ServerResponse) => send(res, 403, errEnvelope('API_KEY_IP_DENIED')),
      (res: http.ServerResponse) => send(res, 502, '<html>bad gateway</html>'),
    ];
    const server = await startServer((_req, res, _b, n) => answers[n - 1]!(res));
    const { client } = makeClient(server.url);
    const results = [];
    for (let i = 0; i < answers.length; i++) results.push(await client.validateKey());
    expect(results.map((r) => r.result)).toEqual([
      'valid',
      'invalid-key',
      'invalid-key',
      'missing-scope',
      'invalid-key',
      'unreachable',
    ]);
    expect(results[2]?.message).toMatch(/revoked/);
    expect(results[4]?.message).toMatch(/IP/);
    expect(
      server.seen.every((s) => s.url === '/secure/trades?limit=1' && s.headers['api-key'] === KEY),
    ).toBe(true);

    const port = await closedPort();
    const offline = makeClient(`http://127.0.0.1:${port}`).client;
    expect((await offline.validateKey()).result).toBe('unreachable');
    const keyless = makeClient(server.url, { apiKey: () => null }).client;
    expect(await keyless.validateKey()).toMatchObject({
      result: 'invalid-key',
      message: 'No API key is set.',
    });
  });
});

describe('logging', () => {
  it('never logs the key, even when the server echoes it back', async () => {
    const server = await startServer((req, res) =>
      send(
        res,
        401,
        errEnvelope('INVALID_API_KEY', 1901, `Unknown key ${String(req.headers['api-key'])}`),
      ),
    );
    const records: LogRecord[] = [];
    const logger = createLogger({ level: 'debug', sink: (r) => records.push(r) });
    const { client } = makeClient(server.url, {
      logger,
      apiKey: () => 'plain-secret-without-prefix',
    });
    await client.getInventory(TRADE_URL, '730');
    const { client: client2 } = makeClient(server.url, { logger });
    await client2.sell(sellBody());
    const text = JSON.stringify(records);
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('plain-secret-without-prefix');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('Secret-KEY');
    expect(text).not.toContain('AbCd_-9z'); // the trade-URL token in the inventory query
    expect(text).toContain('INVALID_API_KEY');
  });
});
