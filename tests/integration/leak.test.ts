import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator';
import { createDispatcher } from '../../electron/main/ipc/dispatch';
import type { Method, RequestOf } from '../../shared/contract/contract';
import { startTestApp, testKeychain, TRADE_URLS, waitUntil, type TestApp } from '../host/fixtures';

/*
 * The API key crosses IPC once, renderer → main, and lives only in the OS
 * keychain (design §3, §6, §7). A full sandbox sell with a known key — plus a
 * staging key check that succeeds and one that fails, and faults on the sell
 * path so the error and reconcile branches log too — must leave no trace of
 * any key in the database file and its WAL, the log files, any IPC response or
 * any pushed event. The keys deliberately do not start with `ap_`, so the
 * logger's pattern redaction cannot hide a leak: only "never written" passes.
 */

const SANDBOX_KEY = `LEAKSANDBOX${randomBytes(16).toString('hex')}`;
const STAGING_KEY = `LEAKSTAGING${randomBytes(16).toString('hex')}`;
const WRONG_KEY = `LEAKWRONG${randomBytes(16).toString('hex')}`;
const KEYS = [SANDBOX_KEY, STAGING_KEY, WRONG_KEY];

const keychain = testKeychain('leak');
let dir: string;
let app: TestApp;
let staging: Emulator;
const responses: string[] = [];
const eventPayloads: string[] = [];

/** Every way the key's text could be stored: raw UTF-8, UTF-16, base64, hex, and its distinctive tail. */
function needles(key: string): Buffer[] {
  return [
    Buffer.from(key, 'utf8'),
    Buffer.from(key, 'utf16le'),
    Buffer.from(Buffer.from(key).toString('base64').slice(0, 40), 'utf8'),
    Buffer.from(Buffer.from(key).toString('hex'), 'utf8'),
    Buffer.from(key.slice(-20), 'utf8'),
  ];
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

function hitsIn(haystacks: { name: string; bytes: Buffer }[]): string[] {
  const hits: string[] = [];
  for (const { name, bytes } of haystacks) {
    for (const key of KEYS) {
      for (const needle of needles(key))
        if (bytes.includes(needle)) hits.push(`${name} contains ${key.slice(0, 12)}…`);
    }
  }
  return hits;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-leak-'));
  staging = await startEmulator({ apiKey: STAGING_KEY, itemsPerInventory: 10, seed: 5 });
  app = await startTestApp({
    dataDir: dir,
    secretStore: keychain,
    logLevel: 'debug',
    environmentBaseUrls: { staging: staging.url },
    sandbox: { itemsPerInventory: 80, seed: 21, lifecycle: { stepMs: 100 } },
    engine: {
      timing: {
        activePollMs: 100,
        holdPollMs: 100,
        missingPollMs: 150,
        backoffBaseMs: 100,
        backoffCapMs: 300,
        waitBaseMs: 150,
        waitCapMs: 500,
        lookupBaseMs: 100,
        lookupCapMs: 300,
        resendDelayMs: 50,
        notSentRetryMs: 100,
        inFlightWindowMs: 1_500,
      },
    },
  });
  // Record every answer and every push, as a transport would carry them.
  const dispatcher = createDispatcher(app.services.handlers, { logger: app.services.logger });
  app.call = (async <M extends Method>(method: M, request: RequestOf<M>) => {
    const result = await dispatcher.dispatch(method, request);
    responses.push(JSON.stringify(result));
    return result;
  }) as TestApp['call'];
  app.ok = (async <M extends Method>(method: M, request: RequestOf<M>) => {
    const result = await app.call(method, request);
    if (!result.ok)
      throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
    return result.data;
  }) as TestApp['ok'];
  app.services.events.subscribe((event, payload) =>
    eventPayloads.push(JSON.stringify({ event, payload })),
  );
});

afterAll(async () => {
  await app?.services.shutdown();
  await staging?.stop();
  for (const env of ['sandbox', 'staging', 'production'] as const)
    await keychain.delete(env).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the API key never leaks', () => {
  it('runs a full sandbox sell with a known key and finds the key nowhere but the keychain', async () => {
    // The one crossing: renderer → main.
    expect(await app.ok('setApiKey', { environment: 'sandbox', apiKey: SANDBOX_KEY })).toEqual({
      environment: 'sandbox',
      present: true,
      hint: SANDBOX_KEY.slice(-4),
    });
    expect(await keychain.get('sandbox')).toBe(SANDBOX_KEY);
    expect(await app.ok('validateApiKey', { environment: 'sandbox' })).toMatchObject({
      result: 'valid',
    });

    // Staging: a key that works and one that does not (the error paths log).
    await app.ok('setApiKey', { environment: 'staging', apiKey: STAGING_KEY });
    expect(await app.ok('validateApiKey', { environment: 'staging' })).toMatchObject({
      result: 'valid',
    });
    await app.ok('setApiKey', { environment: 'staging', apiKey: WRONG_KEY });
    expect(await app.ok('validateApiKey', { environment: 'staging' })).toMatchObject({
      result: 'invalid-key',
    });
    await app.ok('getKeyStatus', { environment: 'staging' });

    const account = await app.ok('addAccount', { label: 'Leak check', tradeUrl: TRADE_URLS[0]! });
    await app.ok('checkAccount', { accountId: account.id });
    await app.ok('fetchInventory', { accountId: account.id, game: '730' });
    const rows = (
      await app.ok('listInventory', { accountId: account.id, sellableOnly: true, limit: 12 })
    ).rows;
    const plan = await app.ok('createPlan', {
      name: 'Leak run',
      options: { batchSize: 3 },
      items: rows.map((r) => ({ accountId: account.id, game: r.game, itemId: r.itemId })),
    });
    const diff = await app.ok('runPreflight', { planId: plan.id });
    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: diff.rows.map((r) => r.itemId),
    });

    // Faults on the sell path: an ambiguous 500 after the trade was created, and a throttle.
    const emulator = app.services.sandbox()!;
    emulator.injectNext('sell', 'server-error-after-commit');
    emulator.injectNext('sell', 'rate-limited');
    const run = await app.ok('startRun', { confirmation });
    await waitUntil(
      async () => (await app.ok('getRun', { runId: run.id })).run.state === 'finished',
      60_000,
      100,
    );
    const done = await app.ok('getRun', { runId: run.id });
    expect(done.batches.every((b) => b.state === 'settled')).toBe(true);
    expect(emulator.state().duplicateSoldItemIds).toEqual([]);
    await app.ok('queryTrades', { runId: run.id });
    await app.ok('exportHistory', {});
    await app.ok('exportPlan', { planId: plan.id, format: 'json' });
    await app.ok('listRuns', {});
    await app.ok('getSettings', {});
    await app.ok('getAppInfo', {});

    // The key did reach the server (the sell worked with it) …
    expect(emulator.state().trades.length).toBeGreaterThan(0);

    // … and nowhere else.
    const check = (when: string) => {
      const haystacks = [
        ...filesUnder(dir).map((path) => ({
          name: `${when}: ${path.slice(dir.length)}`,
          bytes: readFileSync(path),
        })),
        ...responses.map((text, i) => ({ name: `response #${i}`, bytes: Buffer.from(text) })),
        ...eventPayloads.map((text, i) => ({ name: `event #${i}`, bytes: Buffer.from(text) })),
      ];
      expect(hitsIn(haystacks)).toEqual([]);
      return haystacks.length;
    };
    const files = filesUnder(dir).map((p) => p.slice(dir.length));
    expect(files).toEqual(
      expect.arrayContaining(['/bulk-seller.sqlite', '/bulk-seller.sqlite-wal', '/logs/main.log']),
    );
    expect(readFileSync(join(dir, 'logs', 'main.log'), 'utf8').length).toBeGreaterThan(1000);
    expect(responses.length).toBeGreaterThan(20);
    expect(eventPayloads.length).toBeGreaterThan(5);
    check('running');

    // After shutdown the WAL is checkpointed into the main file: scan again.
    await app.services.shutdown();
    check('after shutdown');

    // The scan itself works: the keychain's own storage is the one place the key is (sanity of the needle search).
    expect(hitsIn([{ name: 'probe', bytes: Buffer.from(`x${SANDBOX_KEY}x`) }])).not.toEqual([]);
  });
});
