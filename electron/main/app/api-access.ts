import type { Environment } from '../../../shared/domain';
import type { ApiOutcome } from '../services/assetpay/outcome';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator';
import { AssetPayClient, type ClientTimeouts } from '../services/assetpay/client';
import type { RateLimiter } from '../services/assetpay/rate-limiter';
import type { Logger } from '../services/log';

/*
 * Which AssetPay the app talks to, and with which key. Production and staging
 * are the documented hosts (api §1 "Base URLs"); the sandbox is the emulator,
 * started in this process on 127.0.0.1 on first use, so a new trader can try
 * everything without a key. The key is read from the OS keychain when a
 * request is made (cached a few seconds so a 5,000-sells/min run does not
 * hammer D-Bus), registered with the logger as a secret, and never stored
 * anywhere else.
 */

export const ENVIRONMENT_BASE_URLS: Record<Exclude<Environment, 'sandbox'>, string> = {
  production: 'https://api.assetpay.gg',
  staging: 'https://api-staging.assetpay.gg',
};

/** The emulator's built-in key (emulator README): public, not a secret. */
export const SANDBOX_DEFAULT_KEY = 'ap_sandbox_key';

const KEY_CACHE_MS = 5_000;

/** What the app needs of the keychain (SecretStore implements it; tests may pass a fake). */
export interface SecretStoreLike {
  set(environment: Environment, apiKey: string): Promise<void>;
  get(environment: Environment): Promise<string | null>;
  status(
    environment: Environment,
  ): Promise<{ environment: Environment; present: boolean; hint: string | null }>;
  delete(environment: Environment): Promise<void>;
}

export type SandboxOptions = Omit<EmulatorOptions, 'apiKey' | 'host' | 'clock' | 'onSellCommitted'>;

/**
 * The in-process sandbox. One emulator at a time, on loopback only; started
 * with the trader's sandbox key when one is set (else the built-in key) and
 * restarted on the same port when that key changes. Can be shared by several
 * service instances (the test host keeps it across a backend restart, as the
 * real AssetPay would be).
 */
export class SandboxHost {
  private emulator: Emulator | null = null;
  private key: string | null = null;
  private pending: Promise<Emulator> | null = null;
  /** Bumped at every (re)start, so clients bound to an old server (stale keep-alive sockets) are replaced. */
  generation = 0;

  constructor(private readonly options: SandboxOptions = {}) {}

  current(): Emulator | null {
    return this.emulator;
  }

  ensure(apiKey: string): Promise<Emulator> {
    const run = async (): Promise<Emulator> => {
      if (this.emulator && this.key === apiKey) return this.emulator;
      const port = this.emulator?.port ?? this.options.port ?? 0;
      if (this.emulator) {
        await this.emulator.stop();
        this.emulator = null;
      }
      const emulator = await startEmulator({ ...this.options, port, host: '127.0.0.1', apiKey });
      this.emulator = emulator;
      this.key = apiKey;
      this.generation++;
      return emulator;
    };
    // Serialise: two callers never start two emulators.
    const next = (this.pending ?? Promise.resolve(null as unknown as Emulator))
      .catch(() => null)
      .then(run);
    this.pending = next;
    return next;
  }

  async stop(): Promise<void> {
    await this.pending?.catch(() => null);
    const emulator = this.emulator;
    this.emulator = null;
    this.key = null;
    if (emulator) await emulator.stop();
  }
}

export interface ApiAccessDeps {
  secretStore: SecretStoreLike;
  environment: () => Environment;
  limiter: RateLimiter;
  logger: Logger;
  sandbox: SandboxHost;
  baseUrls?: Partial<Record<Environment, string>>;
  timeouts?: ClientTimeouts;
  now?: () => number;
  /** Sees the outcome of every call, with the environment it went to. */
  onOutcome?: (environment: Environment, outcome: ApiOutcome<unknown>) => void;
}

export class ApiAccess {
  private readonly clients = new Map<string, AssetPayClient>();
  private readonly keyCache = new Map<Environment, { key: string | null; until: number }>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly deps: ApiAccessDeps) {
    this.now = deps.now ?? Date.now;
  }

  get environment(): Environment {
    return this.deps.environment();
  }

  /** The stored key of an environment (main only); null when none. Errors: KeychainUnavailableError. */
  async storedKey(environment: Environment): Promise<string | null> {
    const cached = this.keyCache.get(environment);
    if (cached && cached.until > this.now()) return cached.key;
    const key = await this.deps.secretStore.get(environment);
    if (key) this.deps.logger.addSecret?.(key);
    this.keyCache.set(environment, { key, until: this.now() + KEY_CACHE_MS });
    return key;
  }

  /** The key requests use: the stored one, or the sandbox's built-in key. */
  async requestKey(environment: Environment): Promise<string | null> {
    const key = await this.storedKey(environment);
    if (key === null && environment === 'sandbox') return SANDBOX_DEFAULT_KEY;
    return key;
  }

  forgetKey(environment: Environment): void {
    this.keyCache.delete(environment);
  }

  /** Base URL of an environment; for the sandbox this starts the emulator. */
  async baseUrl(environment: Environment): Promise<string> {
    const override = this.deps.baseUrls?.[environment];
    if (override) return override;
    if (environment !== 'sandbox') return ENVIRONMENT_BASE_URLS[environment];
    const emulator = await this.deps.sandbox.ensure(
      (await this.requestKey('sandbox')) ?? SANDBOX_DEFAULT_KEY,
    );
    return emulator.url;
  }

  /** A client for the environment (default: the selected one). One per base URL, reused. */
  async client(environment: Environment = this.environment): Promise<AssetPayClient> {
    if (this.closed) throw new Error('ApiAccess is closed');
    const baseUrl = await this.baseUrl(environment);
    const generation =
      environment === 'sandbox' && !this.deps.baseUrls?.sandbox ? this.deps.sandbox.generation : 0;
    const id = `${environment} ${baseUrl} ${generation}`;
    let client = this.clients.get(id);
    if (!client) {
      // A restarted sandbox: the old client's sockets point at a server that is gone.
      for (const [otherId, other] of this.clients) {
        if (otherId.startsWith(`${environment} ${baseUrl} `)) {
          other.close();
          this.clients.delete(otherId);
        }
      }
      client = new AssetPayClient({
        baseUrl,
        apiKey: () => this.requestKey(environment),
        limiter: this.deps.limiter,
        logger: this.deps.logger,
        ...(this.deps.timeouts ? { timeouts: this.deps.timeouts } : {}),
        ...(this.deps.onOutcome
          ? {
              onOutcome: (outcome: ApiOutcome<unknown>) =>
                this.deps.onOutcome!(environment, outcome),
            }
          : {}),
      });
      this.clients.set(id, client);
    }
    return client;
  }

  /** After a sandbox key change: restart the emulator with it (same port) if it is running. */
  async refreshSandbox(): Promise<void> {
    if (this.deps.baseUrls?.sandbox || !this.deps.sandbox.current()) return;
    await this.baseUrl('sandbox');
  }

  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    this.keyCache.clear();
  }
}
