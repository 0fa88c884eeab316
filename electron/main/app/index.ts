import { appendFileSync, mkdirSync } from 'node:fs';
import { UNFINISHED_RUN_STATES } from '../../../shared/domain';
import { join } from 'node:path';
import type { Environment } from '../../../shared/domain';
import type { Settings } from '../../../shared/contract/views';
import type { Emulator } from '../../../emulator';
import pkg from '../../../package.json';
import type { Handlers } from '../../../shared/contract/contract';
import { EventHub } from './event-hub';
import { systemClock, type Clock } from '../services/assetpay/clock';
import type { ClientTimeouts } from '../services/assetpay/client';
import { RateLimiter } from '../services/assetpay/rate-limiter';
import { createLogger, type Logger, type LogLevel } from '../services/log';
import { Store } from '../services/store';
import { ApiAccess, SandboxHost, type SandboxOptions, type SecretStoreLike } from './api-access';
import type { AppContext } from './context';
import { WorkInProgress } from './work-in-progress';
import { accountHandlers } from './handlers/accounts';
import { appHandlers } from './handlers/app';
import { inventoryHandlers } from './handlers/inventory';
import { planFileHandlers } from './handlers/plan-files';
import { planHandlers } from './handlers/plans';
import { queryHandlers } from './handlers/queries';
import { settingsHandlers } from './handlers/settings';
import { submitHandlers } from './handlers/submit';
import { createEngine } from './engine-wiring';
import { ReachabilityTracker } from './reachability';
import { createPictureCache, type PictureOptions } from './pictures';
import type { PictureCache } from '../services/pictures';
import { APP_PICTURES_URL } from '../../../shared/pictures';
import type { SellEngine, SellEngineOptions } from '../services/engine';

/*
 * The composition root of the main process's application layer: opens the
 * store in the data folder, builds the limiter, the AssetPay access (key from
 * the keychain, sandbox emulator on demand), the sell engine and the event
 * hub, and returns one handler per contract method. Transports (Electron IPC
 * in electron/main/index.ts, the WebSocket test host in tests/host) wrap
 * `handlers` with the dispatcher and forward `events` — nothing here knows
 * which one is in use, and nothing here imports Electron.
 */

export interface AppServicesOptions {
  /** The app's user-data folder: the database and the logs live here. */
  dataDir: string;
  /** The OS keychain (SecretStore); the only place the API key is kept. */
  secretStore: SecretStoreLike;
  clock?: Clock;
  /** Overrides per environment (tests point production/staging/sandbox at an emulator they own). */
  environmentBaseUrls?: Partial<Record<Environment, string>>;
  /** Start the sandbox emulator at once when the sandbox is the selected environment (default: on first use). */
  startSandbox?: boolean;
  /** Options for the in-process sandbox emulator, or a SandboxHost shared across service instances (kept running on shutdown). */
  sandbox?: SandboxOptions | SandboxHost;
  /** Electron's shell.openExternal in the app; receives allowlisted URLs only. Default: refuse. */
  openExternal?: (url: string) => Promise<void>;
  /** Default: a redacting JSON-lines logger writing to `<dataDir>/logs/main.log`. */
  logger?: Logger;
  /** Level of the default file logger (default 'info'). */
  logLevel?: LogLevel;
  version?: string;
  /** Initial connectivity (default true). */
  online?: boolean;
  /** Database file name inside dataDir (default `bulk-seller.sqlite`). */
  dbFileName?: string;
  clientTimeouts?: ClientTimeouts;
  /** Engine timing and hooks (tests speed up polling and back-offs). */
  engine?: SellEngineOptions;
  /** Item pictures: which hosts besides the public ones, and the disk cap (app/pictures.ts). */
  pictures?: PictureOptions;
  /** Where the renderer asks for pictures (default: the app's protocol; the test host serves a path). */
  picturesUrl?: string;
}

export interface AppServices {
  handlers: Handlers;
  events: EventHub;
  engine: SellEngine;
  store: Store;
  logger: Logger;
  /** Item pictures on disk; serve them with pictureResponse (app/pictures.ts). */
  pictures: PictureCache;
  dbPath: string;
  logPath: string | null;
  isOnline(): boolean;
  setOnline(online: boolean): void;
  /** The in-process sandbox emulator, once started. */
  sandbox(): Emulator | null;
  shutdown(): Promise<void>;
}

export const DB_FILE_NAME = 'bulk-seller.sqlite';
export const SANDBOX_STATE_FILE_NAME = 'sandbox-state.json';

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const clock = options.clock ?? systemClock;
  mkdirSync(options.dataDir, { recursive: true });
  let logPath: string | null = null;
  let logger = options.logger;
  if (!logger) {
    const dir = join(options.dataDir, 'logs');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'main.log');
    logPath = path;
    logger = createLogger({
      level: options.logLevel ?? 'info',
      sink: (record) => {
        try {
          appendFileSync(path, `${JSON.stringify(record)}\n`);
        } catch {
          // Logging is best effort; a full disk must not stop a sell.
        }
      },
    });
  }
  const log = logger;

  const dbPath = join(options.dataDir, options.dbFileName ?? DB_FILE_NAME);
  const store = Store.open(dbPath, { now: () => clock.now() });
  const settings = store.settings.get();
  const limiter = new RateLimiter({ tier: settings.tier, clock });
  const ownsSandbox = !(options.sandbox instanceof SandboxHost);
  const sandbox =
    options.sandbox instanceof SandboxHost
      ? options.sandbox
      : new SandboxHost({
          // The sandbox keeps its trades across app restarts, as AssetPay would.
          persistPath: join(options.dataDir, SANDBOX_STATE_FILE_NAME),
          onNotice: (message) => log.info(`sandbox: ${message}`),
          ...(options.sandbox ?? {}),
        });
  let online = options.online ?? true;
  const hub = new EventHub({ logger: log });
  const pushConnectivity = (): void => {
    hub.emit('connectivity', { online, assetpay: reachability.current() });
  };
  const reachability: ReachabilityTracker = new ReachabilityTracker({
    clock,
    environment: () => store.settings.environment(),
    isOnline: () => online,
    probe: async () => (await api.client()).validateKey(),
    onChange: pushConnectivity,
  });
  const api = new ApiAccess({
    secretStore: options.secretStore,
    environment: () => store.settings.get().environment,
    limiter,
    logger: log,
    sandbox,
    onOutcome: (environment, outcome) => reachability.note(environment, outcome),
    ...(options.environmentBaseUrls ? { baseUrls: options.environmentBaseUrls } : {}),
    ...(options.clientTimeouts ? { timeouts: options.clientTimeouts } : {}),
    now: () => clock.now(),
  });
  const pictures = createPictureCache({
    dataDir: options.dataDir,
    options: options.pictures ?? {},
    sandbox,
    sandboxOverride: options.environmentBaseUrls?.sandbox,
    isOnline: () => online,
    logger: log,
  });

  const startSandboxInBackground = (): void => {
    if (options.environmentBaseUrls?.sandbox) return;
    api.baseUrl('sandbox').catch((error: unknown) => log.error('sandbox did not start', { error }));
  };

  const ctx: AppContext = {
    store,
    api,
    secretStore: options.secretStore,
    limiter,
    hub,
    logger: log,
    clock,
    version: options.version ?? pkg.version,
    picturesUrl: options.picturesUrl ?? APP_PICTURES_URL,
    isOnline: () => online,
    reachability: () => reachability.current(),
    environment: () => store.settings.get().environment,
    openExternal:
      options.openExternal ??
      (async () => {
        throw new Error('openExternal is not available in this process');
      }),
    applySettings: (next: Settings, previous: Settings) => {
      if (next.concurrency !== previous.concurrency) engine.setConcurrency(next.concurrency);
      if (next.tier !== previous.tier) engine.setTier(next.tier);
      // What was known of one AssetPay says nothing of another; the engine turns to the new one.
      if (next.environment !== previous.environment) {
        reachability.reset();
        engine.environmentChanged();
      }
      if (
        next.environment !== previous.environment &&
        next.environment === 'sandbox' &&
        options.startSandbox
      ) {
        startSandboxInBackground();
      }
    },
    activeRunCount: () => store.runs.listByStates(UNFINISHED_RUN_STATES).length,
    work: new WorkInProgress(),
    keyChanged: () => engine.keyChanged(),
  };

  const engine = createEngine(ctx, settings, options.engine);

  const handlers: Handlers = {
    ...settingsHandlers(ctx),
    ...accountHandlers(ctx),
    ...inventoryHandlers(ctx),
    ...planHandlers(ctx),
    ...planFileHandlers(ctx),
    ...submitHandlers(ctx, engine),
    ...queryHandlers(ctx, engine),
    ...appHandlers(ctx),
  };

  if (options.startSandbox && settings.environment === 'sandbox') startSandboxInBackground();
  engine.setOnline(online);
  await engine.start();
  log.info('app services started', { dataDir: options.dataDir, environment: settings.environment });

  let shutDown: Promise<void> | null = null;
  return {
    handlers,
    events: hub,
    engine,
    store,
    logger: log,
    pictures,
    dbPath,
    logPath,
    isOnline: () => online,
    setOnline(next: boolean) {
      if (next === online) return;
      online = next;
      engine.setOnline(next);
      reachability.reset();
      pushConnectivity();
      log.info('connectivity changed', { online: next });
    },
    sandbox: () => sandbox.current(),
    shutdown() {
      shutDown ??= (async () => {
        try {
          await engine.stop();
        } catch (error) {
          log.error('engine did not stop cleanly', { error });
        }
        reachability.close();
        hub.close();
        api.close();
        limiter.dispose();
        if (ownsSandbox) await sandbox.stop();
        store.close();
        log.info('app services stopped');
      })();
      return shutDown;
    },
  };
}

export { pictureResponse, type PictureOptions, type PictureResponse } from './pictures';
export {
  SandboxHost,
  SANDBOX_DEFAULT_KEY,
  ENVIRONMENT_BASE_URLS,
  type SecretStoreLike,
  type SandboxOptions,
} from './api-access';
