import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SecretStore } from '../../electron/main/services/secrets/secret-store';
import { eventSubscriberName, type BulkSellerApi } from '../../shared/contract/api';
import { contract, events, type EventName } from '../../shared/contract/contract';
import { memorySecretStore } from '../host/fixtures';
import { rewriteIndexHtml, startTestHost, type TestHost } from '../host/test-host';

/*
 * The WebSocket test host (design §8): serves the renderer with the bridge
 * and the one CSP change, speaks the contract through the real dispatcher,
 * pushes events, restarts the services in place. Runs inside the Secret
 * Service session tests/run-all.sh starts.
 */

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const INDEX = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta
      http-equiv="Content-Security-Policy"
      content="${CSP}"
    />
    <title>AssetPay Bulk Seller</title>
    <script type="module" crossorigin src="./assets/index-abc.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`;
const TRADE_URL = 'https://steamcommunity.com/tradeoffer/new/?partner=123456&token=AbCdEf12';

let dir: string;
let host: TestHost;
const keychainService = `assetpay-bulk-seller-test-host-${process.pid}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-host-test-'));
  const rendererDir = join(dir, 'renderer');
  const assets = join(rendererDir, 'assets');
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX);
  writeFileSync(join(assets, 'index-abc.js'), 'console.log("app")');
  host = await startTestHost({
    dataDir: join(dir, 'data'),
    rendererDir,
    keychainService,
    services: { sandbox: { itemsPerInventory: 40, seed: 7 } },
  });
});

afterAll(async () => {
  await host?.stop();
  await new SecretStore({ service: keychainService }).delete('sandbox').catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function connect(origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/__host/ws`, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(
  ws: WebSocket,
  id: number,
  method: string,
  payload: unknown,
): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, method, payload }));
  });
}

function nextEvent(ws: WebSocket, event: EventName): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'event' && message.event === event) {
        ws.off('message', onMessage);
        resolve(message.payload);
      }
    };
    ws.on('message', onMessage);
  });
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('test host', () => {
  it('serves index.html with the bridge first and only connect-src changed', async () => {
    const res = await fetch(`${host.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const bridgeAt = html.indexOf('<script src="/__host/bridge.js"></script>');
    const appAt = html.indexOf('<script type="module"');
    expect(bridgeAt).toBeGreaterThan(0);
    expect(bridgeAt).toBeLessThan(appAt);
    const policy = /content="([^"]*)"/.exec(
      html.slice(html.indexOf('Content-Security-Policy')),
    )![1]!;
    expect(policy).toBe(
      CSP.replace("connect-src 'none'", `connect-src ws://127.0.0.1:${host.port}`),
    );
    expect(
      html.replace(/\s+<script src="\/__host\/bridge.js"><\/script>/, '').replace(policy, CSP),
    ).toBe(INDEX);
  });

  it('serves assets, falls back to the app for routes, refuses traversal and foreign hosts', async () => {
    expect(await (await fetch(`${host.url}/assets/index-abc.js`)).text()).toBe(
      'console.log("app")',
    );
    expect((await fetch(`${host.url}/runs/123`)).status).toBe(200);
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${host.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    const foreign = await new Promise<number>((resolve) => {
      const req = http.get(
        { host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80' } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', () => resolve(0));
    });
    expect(foreign).toBe(403);
  });

  it('speaks the contract over the WebSocket, through the dispatcher', async () => {
    const ws = await connect(host.url);
    const settings = await call(ws, 1, 'getSettings', {});
    expect(settings).toMatchObject({ ok: true, data: { environment: 'sandbox' } });
    const bad = await call(ws, 2, 'addAccount', {
      label: 'main',
      tradeUrl: 'https://steamcommunity.com/tradeoffer/new/?partner=1&token=short',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(bad.error?.message).toMatch(/token/);
    expect(await call(ws, 3, 'noSuchMethod', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(
      await call(ws, 4, 'getKeyStatus', { environment: 'sandbox', __proto__x: 1 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'call', id: 5 }));
    expect(await call(ws, 6, 'listAccounts', {})).toMatchObject({ ok: true, data: [] });
    ws.close();
  });

  it('refuses a WebSocket from another origin', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
  });

  it('pushes events (connectivity) and toggles online through the admin endpoint', async () => {
    const ws = await connect();
    const offline = nextEvent(ws, 'connectivity');
    expect((await post('/__host/online', { online: false })).status).toBe(200);
    expect(await offline).toMatchObject({ online: false, assetpay: { state: 'unknown' } });
    expect(await call(ws, 1, 'getAppInfo', {})).toMatchObject({
      ok: true,
      data: { online: false },
    });
    const online = nextEvent(ws, 'connectivity');
    await post('/__host/online', { online: true });
    expect(await online).toMatchObject({ online: true });
    expect(
      (await fetch(`${host.url}/__host/online`, { method: 'POST', body: '{"online":true}' }))
        .status,
    ).toBe(415);
    ws.close();
  });

  it('gives the page window.bulkSeller with exactly the BulkSellerApi shape, working end to end', async () => {
    const script = await (await fetch(`${host.url}/__host/bridge.js`)).text();
    const sandbox: Record<string, unknown> = {
      location: { protocol: 'http:', host: `127.0.0.1:${host.port}` },
      WebSocket,
      setTimeout,
      console,
    };
    sandbox.window = sandbox;
    vm.createContext(sandbox);
    vm.runInContext(script, sandbox);
    const api = sandbox.bulkSeller as BulkSellerApi & { __proto__?: unknown };
    const expected = [
      ...Object.keys(contract),
      ...(Object.keys(events) as EventName[]).map((e) => eventSubscriberName(e)),
    ].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    expect(Object.isFrozen(api)).toBe(true);

    const added = await api.addAccount({ label: 'Main', tradeUrl: TRADE_URL });
    expect(added.ok).toBe(true);
    const got: unknown[] = [];
    const off = api.onConnectivity((payload) => got.push(payload));
    await post('/__host/online', { online: false });
    await post('/__host/online', { online: true });
    await waitFor(() => got.length === 2);
    expect(got).toEqual([
      { online: false, assetpay: { state: 'unknown', message: null } },
      { online: true, assetpay: { state: 'unknown', message: null } },
    ]);
    off();

    // The sandbox needs no key: the inventory comes from the in-process emulator.
    if (!added.ok) throw new Error('unreachable');
    const snapshot = await api.fetchInventory({ accountId: added.data.id, game: '730' });
    expect(snapshot).toMatchObject({
      ok: true,
      data: { accountId: added.data.id, game: '730', itemCount: 40 },
    });
    const health = (await (await fetch(`${host.url}/__host/health`)).json()) as {
      sandboxUrl: string | null;
    };
    expect(health.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const list = await api.listInventory({ accountId: added.data.id, limit: 5 });
    expect(list.ok && list.data.total).toBe(40);
  });

  it('restarts the services in place on the same data dir', async () => {
    const ws = await connect();
    const before = await call(ws, 1, 'listAccounts', {});
    expect(before.data).toHaveLength(1);
    const sandboxBefore = (
      (await (await fetch(`${host.url}/__host/health`)).json()) as { sandboxUrl: string }
    ).sandboxUrl;
    const res = await post('/__host/restart', {});
    expect((await res.json()) as unknown).toMatchObject({ ok: true, restarts: 1 });
    const after = await call(ws, 2, 'listAccounts', {});
    expect(after).toEqual(before);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // AssetPay (the sandbox) does not restart with the app.
    expect(
      ((await (await fetch(`${host.url}/__host/health`)).json()) as { sandboxUrl: string })
        .sandboxUrl,
    ).toBe(sandboxBefore);
    expect((await fetch(`${host.url}/__host/sandbox/state`)).status).toBe(200);
    ws.close();
  });
});

describe('rewriteIndexHtml', () => {
  it('adds connect-src when the policy has none and the bridge before </head> when there is no script', () => {
    const out = rewriteIndexHtml(
      `<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>`,
      'ws://127.0.0.1:1',
    );
    expect(out).toContain(`content="default-src 'none'; connect-src ws://127.0.0.1:1"`);
    expect(out).toContain('<script src="/__host/bridge.js"></script>');
  });
});

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('test host restart mid-run', () => {
  let runDir: string;
  let runHost: TestHost;

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'bulk-seller-host-restart-'));
    runHost = await startTestHost({
      dataDir: join(runDir, 'data'),
      rendererDir: runDir,
      secretStore: memorySecretStore(),
      services: {
        sandbox: { itemsPerInventory: 60, seed: 9, latencyMs: 150, lifecycle: { stepMs: 100 } },
        engine: {
          concurrency: 2,
          timing: {
            activePollMs: 100,
            holdPollMs: 100,
            missingPollMs: 200,
            lookupBaseMs: 100,
            lookupCapMs: 400,
            resendDelayMs: 50,
            notSentRetryMs: 100,
            inFlightWindowMs: 1_500,
          },
        },
      },
    });
  });

  afterAll(async () => {
    await runHost?.stop();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('recovers the run after a backend restart with every item sold exactly once', async () => {
    const api = runHost.services().handlers;
    const account = await api.addAccount({ label: 'Main', tradeUrl: TRADE_URL });
    await api.fetchInventory({ accountId: account.id, game: '730' });
    const rows = (
      await api.listInventory({ accountId: account.id, sellableOnly: true, offset: 0, limit: 20 })
    ).rows;
    const plan = await api.createPlan({
      name: 'Restart me',
      options: { batchSize: 2 },
      items: rows.map((r) => ({ accountId: account.id, game: r.game, itemId: r.itemId })),
    });
    const diff = await api.runPreflight({ planId: plan.id });
    const confirmation = await api.acceptPreflight({
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [],
    });
    const run = await api.startRun({ confirmation });
    expect(run.totals.batches).toBe(10);

    // Restart while sells are in flight.
    await waitFor(() => (runHost.services().sandbox()?.state().trades.length ?? 0) >= 2, 20_000);
    const res = await post2(runHost, '/__host/restart', {});
    expect(res.status).toBe(200);

    const ws = new WebSocket(`ws://127.0.0.1:${runHost.port}/__host/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    let board: { run: { state: string }; batches: { state: string }[] } | undefined;
    await waitFor(async () => {
      const got = await call(ws, Date.now(), 'getRun', { runId: run.id });
      board = got.data as typeof board;
      return board?.run.state === 'finished';
    }, 60_000);
    ws.close();
    expect(board!.batches.every((b) => b.state === 'settled')).toBe(true);
    const state = runHost.services().sandbox()!.state();
    expect(state.duplicateSoldItemIds).toEqual([]);
    expect([...state.soldItemIds].sort()).toEqual(rows.map((r) => r.itemId).sort());
  });
});

async function post2(target: TestHost, path: string, body: unknown): Promise<Response> {
  return fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
