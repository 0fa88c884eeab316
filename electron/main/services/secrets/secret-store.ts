import { createRequire } from 'node:module';
import { AppError } from '../../../../shared/errors';
import { ENVIRONMENTS, type Environment } from '../../../../shared/domain';

/*
 * The merchant API key lives in the OS credential store and nowhere else
 * (design §3, §6; api §1): macOS Keychain, Windows Credential Manager, or a
 * Secret Service (gnome-keyring, KWallet) on Linux, through keytar. One entry
 * per environment, so a staging key can never be sent to production.
 *
 * There is deliberately no fallback: when the credential store is missing or
 * locked we say so and what to install, instead of writing the key to disk.
 */

export const KEYCHAIN_SERVICE = 'assetpay-bulk-seller';

/** The subset of keytar this store uses; tests may pass another implementation. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeyStatus {
  environment: Environment;
  present: boolean;
  /** At most the last 4 characters; `null` when there is no key (or it is too short to hint at). */
  hint: string | null;
}

/** The credential store cannot be reached. Maps to the contract's `keychain-unavailable` error. */
export class KeychainUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('keychain-unavailable', message);
    this.name = 'KeychainUnavailableError';
    if (options && 'cause' in options) (this as { cause?: unknown }).cause = options.cause;
  }
}

const LINUX_ADVICE =
  'install and unlock a Secret Service such as gnome-keyring (packages gnome-keyring, libsecret-1-0), ' +
  'or KWallet with its Secret Service interface, then sign in to a desktop session so it is unlocked and restart the app';

/** libsecret / D-Bus messages that mean "no usable Secret Service", as keytar reports them on Linux. */
const NO_SECRET_SERVICE = [
  /autolaunch D-Bus/i, // no session bus and no $DISPLAY to start one
  /org\.freedesktop\.secrets/i, // bus present, nothing provides the Secret Service
  /DBUS_SESSION_BUS_ADDRESS/i,
  /Could not connect/i,
  /locked collection/i, // keyring present but locked (no unlock prompt possible)
  /No such secret collection/i,
  /Cannot create an item/i,
];

export function keychainAdvice(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin')
    return 'allow the app to use the macOS Keychain (unlock the login keychain) and try again';
  if (platform === 'win32')
    return 'check that Windows Credential Manager is available for your user and try again';
  return LINUX_ADVICE;
}

/** Turns whatever keytar threw into a message a trader can act on. Never includes the key. */
export function toKeychainError(
  error: unknown,
  platform: NodeJS.Platform = process.platform,
): KeychainUnavailableError {
  if (error instanceof KeychainUnavailableError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const known = NO_SECRET_SERVICE.some((pattern) => pattern.test(detail));
  const what =
    known || platform === 'linux'
      ? 'No OS keychain (Secret Service) is available'
      : 'The OS keychain refused the request';
  return new KeychainUnavailableError(`${what} (${detail}): ${keychainAdvice(platform)}.`, {
    cause: error,
  });
}

/**
 * How much of a key may be shown: the last 4 characters, but always keep at
 * least 8 characters unseen, so short keys show fewer (11 → 3 … 8 → none).
 */
export function keyHint(apiKey: string): string | null {
  const length = Math.max(0, Math.min(4, apiKey.length - 8));
  return length === 0 ? null : apiKey.slice(-length);
}

const requireNative = createRequire(__filename);

/** keytar is a native module: load it on first use so a missing build is a clear error, not a crash at start-up. */
function loadKeytar(): KeytarLike {
  try {
    return requireNative('keytar') as KeytarLike;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new KeychainUnavailableError(
      `The keychain module (keytar) could not be loaded (${detail}). Reinstall the app; on Linux also ${LINUX_ADVICE}.`,
      { cause: error },
    );
  }
}

function checkEnvironment(environment: Environment): Environment {
  if (!(ENVIRONMENTS as readonly string[]).includes(environment)) {
    throw new AppError('invalid-request', `Unknown environment "${String(environment)}".`);
  }
  return environment;
}

export class SecretStore {
  private keytar: KeytarLike | null = null;

  constructor(
    private readonly options: {
      service?: string;
      loadKeytar?: () => KeytarLike;
      platform?: NodeJS.Platform;
    } = {},
  ) {}

  private get service(): string {
    return this.options.service ?? KEYCHAIN_SERVICE;
  }

  private async call<T>(operation: (keytar: KeytarLike) => Promise<T>): Promise<T> {
    this.keytar ??= (this.options.loadKeytar ?? loadKeytar)();
    try {
      return await operation(this.keytar);
    } catch (error) {
      throw toKeychainError(error, this.options.platform);
    }
  }

  async set(environment: Environment, apiKey: string): Promise<void> {
    const account = checkEnvironment(environment);
    if (typeof apiKey !== 'string' || apiKey.length === 0) {
      throw new AppError('invalid-request', 'The API key is empty.');
    }
    await this.call((keytar) => keytar.setPassword(this.service, account, apiKey));
  }

  /** Main process only: the key itself never crosses IPC (design §3). */
  async get(environment: Environment): Promise<string | null> {
    const account = checkEnvironment(environment);
    const key = await this.call((keytar) => keytar.getPassword(this.service, account));
    return key === null || key === '' ? null : key;
  }

  async status(environment: Environment): Promise<KeyStatus> {
    const key = await this.get(environment);
    return { environment, present: key !== null, hint: key === null ? null : keyHint(key) };
  }

  /** Resolves whether or not a key was stored. */
  async delete(environment: Environment): Promise<void> {
    const account = checkEnvironment(environment);
    await this.call((keytar) => keytar.deletePassword(this.service, account));
  }
}
