import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  createAppServices,
  pictureResponse,
  SandboxHost,
  type AppServices,
  type AppServicesOptions,
} from '../../electron/main/app';
import { createDispatcher, type Dispatcher } from '../../electron/main/ipc/dispatch';
import { createLogger, type Logger } from '../../electron/main/services/log';
import { SecretStore } from '../../electron/main/services/secrets/secret-store';
import type { EventName } from '../../shared/contract/contract';
import { bridgeConfig, bridgeScript } from './bridge';

/*
 * The second transport (design §8): serves the BUILT renderer to a real
 * browser on 127.0.0.1 and speaks the IPC contract over a loopback WebSocket,
 * through the same dispatcher and EventHub the Electron binding uses. The page
 * gets `window.bulkSeller` from /__host/bridge.js instead of the preload.
 *
 * The served index.html is the app's own, with two changes only:
 *   1. a classic <script src="/__host/bridge.js"> before the app's module script;
 *   2. the CSP's `connect-src` is the host's own ws:// origin instead of 'none'
 *      (every other directive is left exactly as built).
 *
 * Admin endpoints for end-to-end tests (JSON bodies, `content-type: application/json`):
 *   GET  /__host/health                 → { ok, online, restarts, sandboxUrl }
 *   GET  /__host/opened                 → { urls }: what openExternal was asked to open (a recorder stands in for the browser)
 *   POST /__host/opened  { failWith }   → opening fails with this reason from now on (null: it works again)
 *   POST /__host/restart                → shuts the services down and builds them again on the same
 *                                          data dir (what an app restart does); the page stays connected
 *   POST /__host/online   { online }    → connectivity as the engine sees it
 *   GET  /__host/sandbox/state          → the in-process emulator's state (404 before sandbox use)
 *   POST /__host/sandbox/price   { itemId, usd }
 *   POST /__host/sandbox/accepted { itemId, accepted }
 *   POST /__host/sandbox/inject  { endpoint, fault, count? }
 *   POST /__host/sandbox/advance { ms? }
 *   POST /__host/sandbox/trade-status { tradeId, status } → move one trade forward (e.g. the trader accepted it)
 *   POST /__host/sandbox/stop           → stops the sandbox emulator (started again on next use)
 *   GET  /__host/picture/<key>          → an item picture from the app's cache (the app's protocol)
 *
 * Only loopback: the server binds 127.0.0.1, refuses any Host header but its
 * own, and refuses WebSocket upgrades from any other page origin.
 */

export const WS_PATH = '/__host/ws';
export const BRIDGE_PATH = '/__host/bridge.js';
/** The test host's stand-in for the app's picture protocol: same cache, same answers, same origin as the page. */
export const PICTURES_PATH = '/__host/picture/';

export interface TestHostOptions {
  dataDir: string;
  /** Built renderer (relative to the working directory or absolute); default `out/renderer`. */
  rendererDir?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Passed to createAppServices (environment URLs, clock, sandbox options…). */
  services?: Omit<AppServicesOptions, 'dataDir' | 'secretStore' | 'logger'>;
  /** Default: the OS keychain via keytar under `keychainService`. */
  secretStore?: AppServicesOptions['secretStore'];
  /** Keychain service name for the default SecretStore; default `assetpay-bulk-seller-test-host` (never the app's own entry). */
  keychainService?: string;
  logger?: Logger;
}

export interface TestHost {
  url: string;
  port: number;
  /** URLs the app asked to open in the browser (allowlisted ones only reach here). */
  openedUrls: string[];
  /** The services currently behind the host (replaced by restart). */
  services(): AppServices;
  restart(): Promise<void>;
  setOnline(online: boolean): void;
  stop(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const MAX_WS_FRAME = 25 * 1024 * 1024;
const MAX_ADMIN_BODY = 64 * 1024;

export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const logger =
    options.logger ?? createLogger({ level: 'warn', base: { component: 'test-host' } });
  const rendererDir = resolve(options.rendererDir ?? 'out/renderer');
  const secretStore =
    options.secretStore ??
    new SecretStore({ service: options.keychainService ?? 'assetpay-bulk-seller-test-host' });
  // One sandbox for the host's lifetime: AssetPay does not restart when the app does.
  const sandboxOption = options.services?.sandbox;
  const sandbox =
    sandboxOption instanceof SandboxHost ? sandboxOption : new SandboxHost(sandboxOption ?? {});
  const sockets = new Set<WebSocket>();
  const openedUrls: string[] = [];
  /** Set by POST /__host/opened: the browser "cannot be opened" for this reason. */
  let openFailure: string | null = null;
  let online = true;
  let restarts = 0;
  let stopped = false;

  type Built = { services: AppServices; dispatcher: Dispatcher; unsubscribe: () => void };
  const build = async (): Promise<Built> => {
    const services = await createAppServices({
      // The recorder stands in for the browser (the app's openExternal hands it allowlisted URLs only).
      openExternal: async (url) => {
        if (openFailure !== null) throw new Error(openFailure);
        openedUrls.push(url);
      },
      ...options.services,
      // A test tool: the sandbox emulator's pictures are allowed, as in an unpackaged build.
      pictures: { allowSandboxPictures: true, ...options.services?.pictures },
      picturesUrl: PICTURES_PATH,
      sandbox,
      dataDir: options.dataDir,
      secretStore,
    });
    services.setOnline(online);
    const dispatcher = createDispatcher(services.handlers, { logger: services.logger });
    const unsubscribe = services.events.subscribe((event: EventName, payload: unknown) => {
      const frame = JSON.stringify({ type: 'event', event, payload });
      for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
    });
    return { services, dispatcher, unsubscribe };
  };

  let active = await build();
  /** Calls and admin requests wait on this while a restart is in progress. */
  let ready: Promise<Built> = Promise.resolve(active);
  let restarting: Promise<void> | null = null;

  const server = http.createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      logger.error('test host request failed', { error, url: req.url });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;

  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    const path = (req.url ?? '').split('?')[0];
    if (
      path !== WS_PATH ||
      !allowedHosts.has(host) ||
      (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, '')))
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        void onCall(ws, data.toString());
      });
    });
  });

  async function onCall(ws: WebSocket, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return reply(ws, null, {
        ok: false,
        error: { code: 'invalid-request', message: 'The message is not JSON.' },
      });
    }
    const m = message as {
      type?: unknown;
      id?: unknown;
      method?: unknown;
      payload?: unknown;
    } | null;
    const id =
      m && typeof m === 'object' && (typeof m.id === 'number' || typeof m.id === 'string')
        ? m.id
        : null;
    if (!m || typeof m !== 'object' || m.type !== 'call' || id === null) {
      return reply(ws, id, {
        ok: false,
        error: {
          code: 'invalid-request',
          message: 'Expected { type: "call", id, method, payload }.',
        },
      });
    }
    if (typeof m.method !== 'string') {
      return reply(ws, id, {
        ok: false,
        error: { code: 'unknown-channel', message: 'The method name must be text.' },
      });
    }
    const { dispatcher } = await ready;
    const result = await dispatcher.dispatch(m.method, m.payload);
    reply(ws, id, result);
  }

  function reply(ws: WebSocket, id: unknown, result: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }));
  }

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host))
      return send(res, 403, 'text/plain; charset=utf-8', 'forbidden host');
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (path.startsWith('/__host/')) return handleAdmin(req, res, path, host);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    return serveRenderer(res, path, host);
  }

  async function handleAdmin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    host: string,
  ): Promise<void> {
    if (req.method === 'GET' && path === BRIDGE_PATH) {
      return send(res, 200, MIME['.js']!, bridgeScript(bridgeConfig(WS_PATH)));
    }
    const { services } = await ready;
    if (req.method === 'GET' && path.startsWith(PICTURES_PATH)) {
      const answer = await pictureResponse(services.pictures, path.slice(PICTURES_PATH.length));
      return send(res, answer.status, answer.contentType, answer.body);
    }
    if (req.method === 'GET' && path === '/__host/health') {
      return json(res, 200, {
        ok: true,
        online,
        restarts,
        sandboxUrl: services.sandbox()?.url ?? null,
        host,
      });
    }
    if (req.method === 'GET' && path === '/__host/opened')
      return json(res, 200, { urls: openedUrls });
    if (req.method === 'GET' && path === '/__host/sandbox/state') {
      const emulator = services.sandbox();
      return emulator
        ? json(res, 200, emulator.state())
        : json(res, 404, { error: 'the sandbox has not been started' });
    }
    if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
    // A JSON content type keeps a cross-site form post (a "simple" request) from reaching these.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { error: 'content-type must be application/json' });
    }
    const body = await readJsonBody(req);
    if (body === undefined) return json(res, 400, { error: 'invalid JSON body' });
    switch (path) {
      case '/__host/restart':
        await restart();
        return json(res, 200, { ok: true, restarts });
      case '/__host/opened': {
        if (body.failWith !== null && typeof body.failWith !== 'string')
          return json(res, 400, { error: 'failWith must be a reason (text) or null' });
        openFailure = body.failWith;
        return json(res, 200, { ok: true, failWith: openFailure });
      }
      case '/__host/sandbox/stop':
        // AssetPay (and its picture host) gone: only what the app cached is left.
        await sandbox.stop();
        return json(res, 200, { ok: true });
      case '/__host/online': {
        if (typeof body.online !== 'boolean')
          return json(res, 400, { error: 'online must be a boolean' });
        setOnline(body.online);
        return json(res, 200, { ok: true, online });
      }
      case '/__host/sandbox/price':
      case '/__host/sandbox/accepted':
      case '/__host/sandbox/inject':
      case '/__host/sandbox/trade-status':
      case '/__host/sandbox/advance': {
        const emulator = services.sandbox();
        if (!emulator) return json(res, 404, { error: 'the sandbox has not been started' });
        try {
          if (path.endsWith('/price')) emulator.setPrice(String(body.itemId), Number(body.usd));
          else if (path.endsWith('/accepted'))
            emulator.setAccepted(String(body.itemId), body.accepted === true);
          else if (path.endsWith('/trade-status'))
            emulator.setTradeStatus(String(body.tradeId), body.status as never);
          else if (path.endsWith('/inject')) {
            emulator.injectNext(
              body.endpoint as never,
              body.fault as never,
              typeof body.count === 'number' ? body.count : 1,
            );
          } else emulator.advanceLifecycle(typeof body.ms === 'number' ? body.ms : undefined);
        } catch (error) {
          return json(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
        return json(res, 200, { ok: true });
      }
      default:
        return json(res, 404, { error: 'no such admin endpoint' });
    }
  }

  async function serveRenderer(
    res: http.ServerResponse,
    path: string,
    host: string,
  ): Promise<void> {
    const relative = path === '/' || path === '' ? 'index.html' : path.replace(/^\/+/, '');
    const target = normalize(join(rendererDir, relative));
    if (target !== rendererDir && !target.startsWith(rendererDir + sep)) {
      return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
    }
    const isFile = await stat(target).then(
      (s) => s.isFile(),
      () => false,
    );
    // Client-side routes fall back to the app; a missing asset is a plain 404.
    const file = isFile
      ? target
      : extname(relative) === ''
        ? join(rendererDir, 'index.html')
        : null;
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    if (file.endsWith(`${sep}index.html`) && file === join(rendererDir, 'index.html')) {
      const html = await readFile(file, 'utf8').catch(() => null);
      if (html === null) {
        return send(
          res,
          503,
          'text/plain; charset=utf-8',
          `The renderer is not built in ${rendererDir}: run npx electron-vite build.`,
        );
      }
      return send(res, 200, MIME['.html']!, rewriteIndexHtml(html, `ws://${host}`));
    }
    const content = await readFile(file);
    return send(res, 200, MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', content);
  }

  function restart(): Promise<void> {
    restarting ??= (async () => {
      let settle!: (built: Promise<Built>) => void;
      ready = new Promise<Built>((r) => (settle = r));
      try {
        active.unsubscribe();
        await active.services.shutdown();
        const next = build();
        settle(next);
        active = await next;
        restarts++;
      } finally {
        restarting = null;
      }
    })();
    return restarting;
  }

  function setOnline(value: boolean): void {
    online = value;
    void ready.then(({ services }) => services.setOnline(value));
  }

  return {
    url,
    port,
    openedUrls,
    services: () => active.services,
    restart,
    setOnline,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (restarting) await restarting.catch(() => undefined);
      active.unsubscribe();
      await active.services.shutdown();
      if (!(sandboxOption instanceof SandboxHost)) await sandbox.stop();
    },
  };
}

/** The app's index.html with the bridge script first and the CSP's connect-src opened to `wsOrigin` only. */
export function rewriteIndexHtml(html: string, wsOrigin: string): string {
  let out = html.replace(
    /(<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=")([^"]*)(")/i,
    (_all, start: string, policy: string, end: string) =>
      `${start}${withConnectSrc(policy, wsOrigin)}${end}`,
  );
  const tag = `<script src="${BRIDGE_PATH}"></script>`;
  const firstScript = out.search(/<script\b/i);
  out =
    firstScript === -1
      ? out.replace(/<\/head>/i, `    ${tag}\n  </head>`)
      : `${out.slice(0, firstScript)}${tag}\n    ${out.slice(firstScript)}`;
  return out;
}

function withConnectSrc(policy: string, wsOrigin: string): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const index = directives.findIndex((d) => /^connect-src\b/i.test(d));
  const directive = `connect-src ${wsOrigin}`;
  if (index === -1) directives.push(directive);
  else directives[index] = directive;
  return directives.join('; ');
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, MIME['.json']!, JSON.stringify(body));
}

async function readJsonBody(
  req: http.IncomingMessage,
): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function resolveDir(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
}
