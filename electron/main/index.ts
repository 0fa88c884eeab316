import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  Notification,
  powerMonitor,
  protocol,
  type MenuItemConstructorOptions,
} from 'electron';
import { GAME_NAMES, GAMES, type GameId } from '../../shared/api/games';
import type { Method, ParsedRequestOf, ResponseOf } from '../../shared/contract/contract';
import { formatUsd } from '../../shared/money';
import { PICTURE_SCHEME } from '../../shared/pictures';
import { createAppServices, pictureResponse, type AppServices } from './app';
import { decideOfferReminder, NO_REMINDERS_YET } from './app/offer-reminder';
import { createDispatcher, type Dispatcher } from './ipc/dispatch';
import { bindIpc, createEventPusher } from './ipc-binding';
import { applySecurityPolicy, createSecureWindow, openExternalIfAllowed } from './security';
import type { AppLocation } from './security-policy';
import type { Logger } from './services/log';
import { SecretStore } from './services/secrets/secret-store';

/*
 * The app's lifecycle, and the only file besides the preload and security.ts
 * that touches Electron: one window, the security policy, the services bound
 * to IPC, the menu, connectivity, notifications and a clean shutdown.
 */

const isDev = !app.isPackaged;
const RENDERER_INDEX = join(__dirname, '../renderer/index.html');
const PRELOAD = join(__dirname, '../preload/index.cjs');
const DOCS_URL = 'https://assetpay.gg/docs/api-reference/introduction';
const CONNECTIVITY_POLL_MS = 5_000;
/** How often main looks whether offers have waited long enough for a reminder (app/offer-reminder.ts). */
const OFFER_REMINDER_POLL_MS = 30_000;
/** Sells are write-ahead (design §5), so a shutdown cut short is recovered on the next start. */
const SHUTDOWN_TIMEOUT_MS = 30_000;
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const location: AppLocation = {
  indexFileUrl: pathToFileURL(RENDERER_INDEX).href,
  devServerUrl: isDev ? (process.env.ELECTRON_RENDERER_URL ?? null) : null,
};
const trustedIds = new Set<number>();
let mainWindow: BrowserWindow | null = null;
let services: AppServices | null = null;
let stopWatching: (() => void) | null = null;
let stopReminding: (() => void) | null = null;
let shuttingDown: false | 'started' | 'done' = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  // Item pictures come from main's cache through this scheme (CSP img-src names it); it must be
  // registered before the app is ready. `secure`: treated like https (no mixed-content warnings).
  protocol.registerSchemesAsPrivileged([
    { scheme: PICTURE_SCHEME, privileges: { standard: true, secure: true } },
  ]);
  app.on('second-instance', () => focusWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', onBeforeQuit);
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const running = await createAppServices({
    dataDir: app.getPath('userData'),
    secretStore: new SecretStore(),
    openExternal: openAllowlisted,
    version: app.getVersion(),
    online: net.isOnline(),
    // The local sandbox's pictures are on loopback: fetched only by a development build, never a packaged one.
    pictures: { allowSandboxPictures: !app.isPackaged },
  });
  services = running;
  const logger = running.logger;
  applySecurityPolicy(location, logger);

  servePictures(running);

  const dispatcher = createDispatcher(running.handlers, { logger });
  bindIpc({ ipcMain, dispatch: dispatcher.dispatch, trust: { trustedIds, app: location }, logger });
  running.events.subscribe(createEventPusher(() => mainWindow?.webContents ?? null, location));
  notifyOnEvents(running);
  stopWatching = watchConnectivity(running);
  stopReminding = remindOfWaitingOffers(running);

  Menu.setApplicationMenu(buildMenu(dispatcher, logger));
  createWindow();
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });
}

function createWindow(): void {
  const window = createSecureWindow(
    {
      width: 1280,
      height: 800,
      minWidth: 960,
      minHeight: 600,
      show: false,
      title: 'AssetPay Bulk Seller',
    },
    { preload: PRELOAD, devTools: isDev },
  );
  const id = window.webContents.id;
  trustedIds.add(id);
  window.webContents.once('destroyed', () => trustedIds.delete(id));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
  void (location.devServerUrl
    ? window.loadURL(location.devServerUrl)
    : window.loadFile(RENDERER_INDEX));
}

function focusWindow(): BrowserWindow | null {
  if (!mainWindow) return null;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

async function openAllowlisted(url: string): Promise<void> {
  if (!(await openExternalIfAllowed(url, services?.logger)))
    throw new Error('URL is not on the allowlist');
}

/** `bulk-seller-picture://icon/<key>` → the picture from main's cache, or a 404 (the page shows its placeholder). */
function servePictures(running: AppServices): void {
  protocol.handle(PICTURE_SCHEME, async (request) => {
    const key = new URL(request.url).pathname.replace(/^\/+/, '');
    const answer = await pictureResponse(running.pictures, key);
    return new Response(answer.body, {
      status: answer.status,
      headers: {
        'content-type': answer.contentType,
        'x-content-type-options': 'nosniff',
        'cache-control': answer.status === 200 ? 'private, max-age=86400' : 'no-store',
      },
    });
  });
}

/** `net.isOnline()` only sees the network interface; the engine also pauses on connect failures. */
function watchConnectivity(running: AppServices): () => void {
  const check = () => running.setOnline(net.isOnline());
  const timer = setInterval(check, CONNECTIVITY_POLL_MS);
  const suspend = () => running.setOnline(false);
  powerMonitor.on('suspend', suspend);
  powerMonitor.on('resume', check);
  return () => {
    clearInterval(timer);
    powerMonitor.off('suspend', suspend);
    powerMonitor.off('resume', check);
  };
}

function notify(title: string, body: string): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  notification.on('click', () => focusWindow());
  notification.show();
}

/** Offers waiting in Steam for more than a few minutes: one desktop notification (the decision is pure). */
function remindOfWaitingOffers(running: AppServices): () => void {
  let state = NO_REMINDERS_YET;
  const timer = setInterval(() => {
    void Promise.resolve(running.handlers.listOffersToAccept({}))
      .then((offers) => {
        const decision = decideOfferReminder(
          offers.map((o) => ({ tradeId: o.tradeId, waitingSince: o.updatedAt })),
          Date.now(),
          state,
        );
        state = decision.state;
        if (decision.notification) notify(decision.notification.title, decision.notification.body);
      })
      .catch((error: unknown) => running.logger.warn('offer reminder failed', { error }));
  }, OFFER_REMINDER_POLL_MS);
  return () => clearInterval(timer);
}

function notifyOnEvents(running: AppServices): void {
  running.events.on('attention', ({ title, body }) => notify(title, body));
  // Only a run seen unfinished in this session is announced, not old runs replayed at start-up.
  const unfinished = new Set<string>();
  running.events.on('runProgress', (run) => {
    if (run.state !== 'finished') {
      unfinished.add(run.id);
    } else if (unfinished.delete(run.id)) {
      const { creditedCents, failedCents } = run.totals;
      notify(
        'Run finished',
        `${run.planName}: ${formatUsd(creditedCents)} credited, ${formatUsd(failedCents)} failed.`,
      );
    }
  });
}

function onBeforeQuit(event: Electron.Event): void {
  if (shuttingDown === 'done') return;
  // Hold the quit until in-flight database transactions have finished; app.exit skips this handler.
  event.preventDefault();
  if (shuttingDown) return;
  shuttingDown = 'started';
  stopWatching?.();
  stopReminding?.();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
  void Promise.race([services?.shutdown() ?? Promise.resolve(), timeout])
    .catch((error: unknown) => services?.logger.error('shutdown failed', { error }))
    .finally(() => {
      shuttingDown = 'done';
      app.exit(0);
    });
}
function fail(error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox('AssetPay Bulk Seller could not start', detail);
  app.exit(1);
}

// ── Menu ─────────────────────────────────────────────────────────────────────

function buildMenu(dispatcher: Dispatcher, logger: Logger): Menu {
  const call = async <M extends Method>(
    method: M,
    request: ParsedRequestOf<M>,
  ): Promise<ResponseOf<M>> => {
    const result = await dispatcher.dispatch(method, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.data as ResponseOf<M>;
  };
  const guarded = (what: string, action: () => Promise<void>) => () => {
    action().catch((error: unknown) => {
      logger.warn(`menu: ${what} failed`, { error });
      dialog.showErrorBox(`${what} failed`, error instanceof Error ? error.message : String(error));
    });
  };

  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Import list…',
          accelerator: 'CmdOrCtrl+O',
          click: guarded('Import', () => importList(call)),
        },
        {
          label: 'Export history…',
          accelerator: 'CmdOrCtrl+Shift+E',
          click: guarded('Export', () => exportHistory(call)),
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(isDev
          ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Run',
      submenu: [
        {
          label: 'Pause all',
          accelerator: 'CmdOrCtrl+Shift+P',
          click: guarded('Pause all', () => pauseAll(call)),
        },
      ],
    },
    {
      role: 'help',
      submenu: [
        {
          label: 'AssetPay docs',
          click: guarded('Opening the docs', () => openAllowlisted(DOCS_URL)),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}

type Call = <M extends Method>(method: M, request: ParsedRequestOf<M>) => Promise<ResponseOf<M>>;

async function pauseAll(call: Call): Promise<void> {
  const runs = await call('listRuns', {});
  const active = runs.filter(
    (run) => run.state === 'running' || run.state === 'waiting' || run.state === 'attention',
  );
  await Promise.all(active.map((run) => call('pauseRun', { runId: run.id })));
}

async function exportHistory(call: Call): Promise<void> {
  const { fileName, text } = await call('exportHistory', {});
  const window = focusWindow();
  const options = { defaultPath: fileName, filters: [{ name: 'CSV', extensions: ['csv'] }] };
  const target = window
    ? await dialog.showSaveDialog(window, options)
    : await dialog.showSaveDialog(options);
  if (!target.canceled && target.filePath) await writeFile(target.filePath, text, 'utf8');
}

/** Imports a CSV/JSON item list into a new draft plan, asking which account and game it is for. */
async function importList(call: Call): Promise<void> {
  const window = focusWindow();
  if (!window) return;
  const picked = await dialog.showOpenDialog(window, {
    title: 'Import list',
    properties: ['openFile'],
    filters: [{ name: 'Item lists (itemId,price[,amount])', extensions: ['csv', 'json', 'txt'] }],
  });
  const path = picked.filePaths[0];
  if (picked.canceled || !path) return;
  if ((await stat(path)).size > MAX_IMPORT_BYTES) throw new Error('The file is larger than 20 MB.');

  const accounts = await call('listAccounts', {});
  if (accounts.length === 0) throw new Error('Add a Steam account first (Accounts).');
  const account =
    accounts.length === 1
      ? accounts[0]
      : await choose(
          window,
          'Import into which account?',
          accounts.map((a) => a.label),
          accounts,
        );
  if (!account) return;
  const games = [GAMES.cs2, GAMES.rust] as GameId[];
  const game = await choose(
    window,
    'Which game are these items from?',
    games.map((g) => GAME_NAMES[g]),
    games,
  );
  if (!game) return;

  const name = basename(path, extname(path)).slice(0, 100) || 'Imported list';
  const plan = await call('createPlan', { name });
  const text = await readFile(path, 'utf8');
  const format = extname(path).toLowerCase() === '.json' ? 'json' : 'csv';
  const result = await call('importPlanItems', {
    planId: plan.id,
    accountId: account.id,
    game,
    format,
    text,
  });
  await dialog.showMessageBox(window, {
    type: result.errors.length > 0 ? 'warning' : 'info',
    message: `Imported ${result.imported} items into the draft plan “${plan.name}”.`,
    detail:
      result.errors.length > 0
        ? `${result.errors.length} rows were refused, e.g. row ${result.errors[0]!.row}: ${result.errors[0]!.reason}`
        : 'Open Plans to review it.',
  });
}

async function choose<T>(
  window: BrowserWindow,
  message: string,
  labels: string[],
  values: T[],
): Promise<T | null> {
  const { response } = await dialog.showMessageBox(window, {
    type: 'question',
    message,
    buttons: [...labels, 'Cancel'],
    cancelId: labels.length,
    defaultId: 0,
  });
  return values[response] ?? null;
}
