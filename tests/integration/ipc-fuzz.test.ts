import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { z } from 'zod';
import { createDispatcher, type Handlers } from '../../electron/main/ipc/dispatch';
import { contract, type Method } from '../../shared/contract/contract';
import type { IpcResult } from '../../shared/contract/result';
import {
  fileFingerprint,
  memorySecretStore,
  rowCounts,
  startTestApp,
  TRADE_URLS,
  type TestApp,
} from '../host/fixtures';
import { startTestHost, type TestHost } from '../host/test-host';

/*
 * IPC fuzz (design §7 "every IPC message's payload checked"): thousands of
 * malformed payloads across every channel — wrong types, missing and extra
 * fields, huge strings and arrays, prototype keys, NaN/Infinity/negative
 * numbers, over-long batches, nested junk, non-plain objects — must each come
 * back as a typed refusal, never reach a handler, never throw, and leave the
 * database byte-identical.
 */

const PER_METHOD = 150;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const confirmation = {
  planId: 'plan-1',
  preflightId: 'pre-1',
  itemCount: 1,
  batchCount: 1,
  accounts: [{ accountId: 'acc-1', label: 'Main', itemCount: 1 }],
  totalCents: 1075,
};

/** One well-formed request per method; the fuzzer breaks them. */
const BASELINES: Record<Method, unknown> = {
  getSettings: {},
  updateSettings: { tier: 'verified', batchSize: 100, concurrency: 2 },
  setApiKey: { environment: 'sandbox', apiKey: 'ap_fuzz_12345678' },
  getKeyStatus: { environment: 'sandbox' },
  deleteApiKey: { environment: 'staging' },
  validateApiKey: { environment: 'sandbox' },
  listAccounts: {},
  addAccount: { label: 'Main', tradeUrl: TRADE_URLS[1] },
  updateAccount: { accountId: 'acc-1', label: 'Main', tradeUrl: TRADE_URLS[1] },
  removeAccount: { accountId: 'acc-1' },
  checkAccount: { accountId: 'acc-1' },
  tradeUrlCheckWait: {},
  fetchInventory: { accountId: 'acc-1', game: '730', refresh: true },
  listSnapshots: {},
  inventoryColumns: { accountId: 'acc-1', game: '252490' },
  listInventory: {
    accountId: 'acc-1',
    game: '730',
    search: 'ak',
    minCents: 1,
    maxCents: 100,
    sellableOnly: true,
    sort: 'priceAsc',
    offset: 0,
    limit: 10,
  },
  listPlans: {},
  getPlan: { planId: 'plan-1' },
  createPlan: {
    name: 'Plan',
    options: { batchSize: 250, isInstant: true, priceToleranceBp: 100 },
    items: [{ accountId: 'acc-1', game: '730', itemId: 'item-12345', amount: 1 }],
  },
  updatePlan: {
    planId: 'plan-1',
    name: 'Plan',
    options: { batchSize: 10 },
    items: [{ accountId: 'acc-1', game: '252490', itemId: 'item-12345', amount: 3 }],
  },
  deletePlan: { planId: 'plan-1' },
  duplicatePlan: { planId: 'plan-1', name: 'Copy' },
  archivePlan: { planId: 'plan-1', archived: true },
  checkPlan: { planId: 'plan-1' },
  removePlanItems: {
    planId: 'plan-1',
    items: [{ accountId: 'acc-1', game: '730', itemId: 'item-12345' }],
  },
  planUnsold: { planId: 'plan-1' },
  importPlanItems: {
    planId: 'plan-1',
    accountId: 'acc-1',
    game: '730',
    format: 'csv',
    text: 'item-12345,10.75',
  },
  exportPlan: { planId: 'plan-1', format: 'json' },
  runPreflight: { planId: 'plan-1' },
  acceptPreflight: { planId: 'plan-1', preflightId: 'pre-1', acceptedItemIds: ['item-12345'] },
  startRun: { confirmation },
  armPlan: { planId: 'plan-1' },
  disarmPlan: { planId: 'plan-1' },
  pauseRun: { runId: 'run-1' },
  resumeRun: { runId: 'run-1' },
  cancelRun: { runId: 'run-1' },
  reviewBatch: { batchId: 'batch-1' },
  retryBatch: { batchId: 'batch-1', accept: ['item-12345'], leaveOut: ['item-67890'] },
  skipBatch: { batchId: 'batch-1' },
  listRuns: {},
  getRun: { runId: 'run-1' },
  queryTrades: {
    runId: 'run-1',
    status: 'completed',
    accountId: 'acc-1',
    game: '252490',
    from: '2026-01-01T00:00:00Z',
    to: '2026-12-31T00:00:00Z',
    search: 'x',
    offset: 0,
    limit: 10,
  },
  historyTotals: { game: '730', timeZone: 'America/New_York' },
  listOffersToAccept: {},
  exportHistory: { status: 'hold', search: 'AK' },
  getAppInfo: {},
  openExternal: { url: 'https://steamcommunity.com/tradeoffer/123/' },
};

const protoJunk = (): unknown => JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');

/** Values that are wrong somewhere: types, numbers, sizes, nesting, non-plain objects. */
function junkValues(r: () => number): unknown[] {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 40; i++) deep = { nest: deep };
  return [
    null,
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0.01,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    'x'.repeat(257 + Math.floor(r() * 3000)),
    '\u0000\uffff\ud800',
    true,
    false,
    [],
    [null],
    [[[[]]]],
    {},
    { a: { b: { c: [1, { d: null }] } } },
    deep,
    protoJunk(),
    { constructor: { prototype: { polluted: true } } },
    new Date(),
    new Map([['a', 1]]),
    new Set([1]),
    new Uint8Array(4),
    /regex/,
    Object.create({ inherited: 1 }),
    '2026-13-45T99:99:99Z',
    'javascript:alert(1)',
  ];
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
}

function addKeyAt(root: unknown, path: Path, key: string, value: unknown): unknown {
  const copy = clone(root);
  let node = copy as Record<string | number, unknown>;
  for (const k of path) node = node[k] as Record<string | number, unknown>;
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Hand-written cases the random mutations would rarely hit. */
function specialCases(method: Method): unknown[] {
  const base = BASELINES[method] as Record<string, unknown>;
  const out: unknown[] = [
    JSON.parse(
      `{"__proto__": {"isAdmin": true}, ${JSON.stringify(base).slice(1, -1) || '"x": 1'}}`,
    ),
    { ...base, constructor: 'x' },
    { ...base, prototype: {} },
    [base],
    JSON.stringify(base),
  ];
  if (method === 'createPlan' || method === 'updatePlan') {
    const item = { accountId: 'acc-1', game: '730', itemId: 'item-12345' };
    out.push({ ...base, options: { batchSize: 251 } });
    out.push({ ...base, options: { batchSize: 0 } });
    out.push({ ...base, options: { priceToleranceBp: -1 } });
    out.push({ ...base, options: { priceToleranceBp: Number.NaN } });
    out.push({
      ...base,
      items: Array.from({ length: 100_001 }, (_, i) => ({ ...item, itemId: `item-${i}-xxxx` })),
    });
    out.push({ ...base, items: [{ ...item, amount: 10_001 }] });
    out.push({ ...base, items: [{ ...item, amount: -5 }] });
    out.push({ ...base, items: [{ ...item, itemId: 'abc' }] });
    out.push({ ...base, items: [{ ...item, game: 570 }] });
    out.push({ ...base, items: [{ ...item, price: 10.75 }] });
  }
  if (method === 'updateSettings') {
    out.push(
      { batchSize: 251 },
      { concurrency: 17 },
      { priceToleranceBp: 10_001 },
      { environment: 'prod' },
      { apiKey: 'ap_x_12345678' },
    );
  }
  if (method === 'importPlanItems')
    out.push({ ...base, text: 'x'.repeat(20 * 1024 * 1024 + 1) }, { ...base, format: 'xlsx' });
  if (method === 'acceptPreflight')
    out.push({ ...base, acceptedItemIds: Array.from({ length: 100_001 }, (_, i) => `i${i}`) });
  if (method === 'listInventory')
    out.push(
      { minCents: -100 },
      { maxCents: Number.NaN },
      { limit: 100_001 },
      { offset: -1 },
      { sort: 'DROP TABLE' },
    );
  if (method === 'queryTrades')
    out.push({ limit: 5_001 }, { from: 'yesterday' }, { status: 'sold' }, { game: '440' });
  if (method === 'historyTotals')
    out.push({ timeZone: 'Mars/Olympus_Mons' }, { timeZone: '' }, { timeZone: 60 }, {});
  if (method === 'retryBatch')
    out.push({ ...base, accept: Array.from({ length: 251 }, (_, i) => `i${i}`) });
  if (method === 'setApiKey')
    out.push(
      { environment: 'sandbox', apiKey: 'has spaces in it' },
      { environment: 'sandbox', apiKey: 'short' },
    );
  if (method === 'startRun') {
    out.push({ confirmation: { ...confirmation, totalCents: Number.NaN } });
    out.push({ confirmation: { ...confirmation, totalCents: 10.5 } });
    out.push({ confirmation: { ...confirmation, extra: true } });
  }
  if (method === 'openExternal') out.push({ url: 'x'.repeat(2_001) }, { url: 42 });
  return out;
}

function malformedFor(method: Method, count: number, seed: number): unknown[] {
  const schema = contract[method].request as z.ZodType;
  const r = rng(seed);
  const base = BASELINES[method];
  expect(schema.safeParse(base).success, `baseline of ${method} must be valid`).toBe(true);
  const out: unknown[] = [];
  const isInvalid = (candidate: unknown) =>
    candidate !== undefined && !schema.safeParse(candidate).success;
  for (const candidate of specialCases(method)) if (isInvalid(candidate)) out.push(candidate);
  const all = paths(base);
  const objectPaths = all.filter((p) => {
    let node: unknown = base;
    for (const k of p) node = (node as Record<string | number, unknown>)[k];
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  const junk = junkValues(r);
  let guard = 0;
  while (out.length < count && guard++ < count * 50) {
    const kind = r();
    let candidate: unknown;
    if (kind < 0.55) {
      const path = all[Math.floor(r() * all.length)]!;
      candidate = setAt(base, path, junk[Math.floor(r() * junk.length)]);
    } else if (kind < 0.7 && all.length > 1) {
      candidate = deleteAt(base, all[1 + Math.floor(r() * (all.length - 1))]!);
    } else {
      const path = objectPaths[Math.floor(r() * objectPaths.length)]!;
      const key = [
        '__proto__',
        'constructor',
        'prototype',
        'extra',
        'toString',
        'x'.repeat(300),
        'apiKey',
        '',
      ][Math.floor(r() * 8)]!;
      candidate = addKeyAt(base, path, key, junk[Math.floor(r() * junk.length)]);
    }
    if (isInvalid(candidate)) out.push(candidate);
  }
  return out;
}

let dir: string;
let app: TestApp;
let calledHandlers: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-fuzz-'));
  app = await startTestApp({
    dataDir: dir,
    secretStore: memorySecretStore(),
    sandbox: { itemsPerInventory: 30, seed: 3 },
  });
  // Some real data, so "unchanged" means something.
  const account = await app.ok('addAccount', { label: 'Main', tradeUrl: TRADE_URLS[0]! });
  await app.ok('fetchInventory', { accountId: account.id, game: '730' });
  const rows = await app.ok('listInventory', {
    accountId: account.id,
    sellableOnly: true,
    limit: 5,
  });
  await app.ok('createPlan', {
    name: 'Fuzz plan',
    items: rows.rows.map((row) => ({ accountId: account.id, game: row.game, itemId: row.itemId })),
  });
  app.services.store.db.pragma('wal_checkpoint(TRUNCATE)');
});

afterAll(async () => {
  await app?.services.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('IPC fuzz', () => {
  it('refuses ≥ 5,000 malformed payloads across every channel with typed errors, touching nothing', async () => {
    calledHandlers = [];
    // The same dispatcher configuration as the app, over handlers that record any call that gets through.
    const spy = new Proxy(app.services.handlers, {
      get(target, key: string) {
        const handler = (target as Record<string, unknown>)[key];
        return (request: unknown) => {
          calledHandlers.push(key);
          return (handler as (r: unknown) => unknown)(request);
        };
      },
    }) as Handlers;
    const dispatcher = createDispatcher(spy, { logger: app.services.logger });

    const dbPath = app.services.dbPath;
    const beforeBytes = fileFingerprint(dbPath);
    const beforeRows = rowCounts(app.services.store.db);

    let sent = 0;
    const codes = new Map<string, number>();
    const tally = (res: IpcResult<unknown>) => {
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(['invalid-request', 'unknown-channel']).toContain(res.error.code);
      expect(typeof res.error.message).toBe('string');
      expect(res.error.message).not.toMatch(/\n\s+at /); // no stack
      codes.set(res.error.code, (codes.get(res.error.code) ?? 0) + 1);
      sent++;
    };

    const methods = Object.keys(contract) as Method[];
    for (const [i, method] of methods.entries()) {
      const payloads = malformedFor(method, PER_METHOD, 1000 + i);
      expect(payloads.length, method).toBeGreaterThanOrEqual(PER_METHOD);
      for (const payload of payloads) tally(await dispatcher.dispatch(method, payload));
    }

    // Unknown channels: random names, prototype names, channel names instead of method names.
    const r = rng(99);
    const names = [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '',
      ' ',
      'getSettings ',
      'GETSETTINGS',
      'x'.repeat(10_000),
      ...methods.map((m) => contract[m].channel),
    ];
    for (let i = 0; i < 400; i++) names.push(Math.floor(r() * 1e12).toString(36) + '\u0000' + i);
    for (const name of names) tally(await dispatcher.dispatch(name, BASELINES.getSettings));

    expect(sent).toBeGreaterThanOrEqual(5_000);
    expect(calledHandlers).toEqual([]);
    expect(codes.get('unknown-channel')).toBe(names.length);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

    expect(rowCounts(app.services.store.db)).toEqual(beforeRows);
    expect(fileFingerprint(dbPath)).toBe(beforeBytes);

    // Still serving.
    expect(await app.call('listPlans', {})).toMatchObject({ ok: true });
  });

  it('refuses well-formed requests for things that do not exist with typed errors (no internal errors)', async () => {
    const before = rowCounts(app.services.store.db);
    const cases: [Method, unknown, string[]][] = [
      ['getPlan', { planId: 'nope' }, ['not-found']],
      ['deletePlan', { planId: 'nope' }, ['not-found']],
      ['exportPlan', { planId: 'nope', format: 'csv' }, ['not-found']],
      ['removeAccount', { accountId: 'nope' }, ['not-found']],
      ['updateAccount', { accountId: 'nope', label: 'x' }, ['not-found']],
      ['getRun', { runId: 'nope' }, ['not-found']],
      [
        'importPlanItems',
        { planId: 'nope', accountId: 'nope', game: '730', format: 'csv', text: '' },
        ['not-found', 'invalid-request'],
      ],
      [
        'createPlan',
        { name: 'x', items: [{ accountId: 'nope', game: '730', itemId: 'item-00000' }] },
        ['invalid-request'],
      ],
      [
        'openExternal',
        { url: 'https://steamcommunity.com.evil.io/tradeoffer/1/' },
        ['invalid-request'],
      ],
      ['openExternal', { url: 'javascript:alert(1)' }, ['invalid-request']],
      [
        'addAccount',
        {
          label: 'x',
          tradeUrl: 'https://www.steamcommunity.com/tradeoffer/new/?partner=1&token=AbCdEf12',
        },
        ['invalid-request'],
      ],
    ];
    for (const [method, payload, expected] of cases) {
      const res = await app.dispatcher.dispatch(method, payload);
      expect(res.ok, method).toBe(false);
      if (!res.ok) expect(expected, `${method}: ${res.error.message}`).toContain(res.error.code);
    }
    expect(rowCounts(app.services.store.db)).toEqual(before);
  });

  describe('over the test host WebSocket', () => {
    let host: TestHost;
    let hostDir: string;
    beforeAll(async () => {
      hostDir = mkdtempSync(join(tmpdir(), 'bulk-seller-fuzz-host-'));
      host = await startTestHost({
        dataDir: hostDir,
        rendererDir: hostDir,
        secretStore: memorySecretStore(),
      });
    });
    afterAll(async () => {
      await host?.stop();
      rmSync(hostDir, { recursive: true, force: true });
    });

    it('answers junk frames and malformed calls with typed errors and keeps the connection', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/__host/ws`);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const results: IpcResult<unknown>[] = [];
      ws.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'result') results.push(message.result);
      });
      const frames: string[] = [
        '',
        'null',
        '[]',
        '{',
        '"x"',
        '{"type":"call"}',
        '{"type":"call","id":{},"method":"getSettings"}',
      ];
      const methods = Object.keys(contract) as Method[];
      for (const [i, method] of methods.entries()) {
        for (const payload of malformedFor(method, 15, 5000 + i)) {
          let text: string;
          try {
            text = JSON.stringify({ type: 'call', id: frames.length, method, payload });
          } catch {
            continue;
          }
          if (text === undefined) continue;
          frames.push(text);
        }
      }
      for (const frame of frames) ws.send(frame);
      const expected = frames.length;
      const until = Date.now() + 60_000;
      while (results.length < expected && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      // Every frame gets an answer; JSON may make some payloads valid (NaN → null, Date → string), so only refusals are checked for type.
      expect(results.length).toBe(expected);
      for (const res of results) {
        if (!res.ok)
          expect(
            ['invalid-request', 'unknown-channel', 'not-found', 'conflict', 'offline', 'api-error'],
            res.error.message,
          ).toContain(res.error.code);
      }
      expect(results.filter((r) => !r.ok && r.error.code === 'internal')).toEqual([]);
      expect(ws.readyState).toBe(WebSocket.OPEN);
      ws.close();
    });
  });
});
