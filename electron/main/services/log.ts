/*
 * A small structured logger that redacts secrets before anything is written.
 * The merchant API key must never reach a log (design §6, §7; api §1 "keep the
 * key in the OS credential store and never log it"), so redaction lives in the
 * logger itself rather than in every caller: anything that looks like an
 * AssetPay key (`ap_…`), any secret registered with `addSecret`, the values of
 * credential-named fields and Steam trade-URL tokens are masked.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Registers a value that must never be written (e.g. the API key just read from the keychain). */
  addSecret?(secret: string): void;
}

export const REDACTED = '[REDACTED]';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** AssetPay merchant keys are `ap_…` (api §1). */
const API_KEY_PATTERN = /ap_[A-Za-z0-9_-]+/g;
/**
 * The token of a Steam trade URL lets anyone send that account offers; keep the
 * partner, hide the token — also when the URL is percent-encoded in a query.
 */
const TRADE_URL_TOKEN_PATTERN = /((?:[?&]|%26|%3F)token(?:=|%3D))[A-Za-z0-9_-]+/gi;
/** Field names whose values are credentials whatever they look like. */
const SECRET_FIELD = /^(api[-_]?key|authorization|x-api-key|password|secret|api[-_]?secret)$/i;
/** Secrets shorter than this are not substituted inside other text (too many false hits). */
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 8;

/** Masks every registered secret, every `ap_…` key and every trade-URL token in a string. */
export function redactString(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret))
      out = out.split(secret).join(REDACTED);
  }
  return out.replace(API_KEY_PATTERN, REDACTED).replace(TRADE_URL_TOKEN_PATTERN, `$1${REDACTED}`);
}

/** Deep copy of `value` with secrets masked (strings, credential-named fields, Errors). */
export function redact(value: unknown, secrets: Iterable<string> = []): unknown {
  const list = [...secrets];
  return redactValue(value, list, 0, new WeakSet());
}

function redactValue(
  value: unknown,
  secrets: string[],
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const out: LogFields = {
      name: value.name,
      message: redactString(value.message, secrets),
    };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = redactValue(code, secrets, depth + 1, seen);
    if (value.cause !== undefined) out.cause = redactValue(value.cause, secrets, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1, seen));
  const out: LogFields = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_FIELD.test(key) && v !== undefined && v !== null && v !== ''
        ? REDACTED
        : redactValue(v, secrets, depth + 1, seen);
  }
  return out;
}

export interface LogRecord {
  time: string;
  level: LogLevel;
  message: string;
  [field: string]: unknown;
}

export interface LoggerOptions {
  /** Lowest level written; default 'info'. */
  level?: LogLevel;
  /** Receives each redacted record; default: one JSON line on stderr. */
  sink?: (record: LogRecord) => void;
  /** Extra secrets to mask, read at every write (e.g. from the keychain cache). */
  secrets?: () => Iterable<string>;
  /** Fields added to every record (e.g. `{ service: 'assetpay' }`). */
  base?: LogFields;
}

export class RedactingLogger implements Logger {
  private readonly minRank: number;
  private readonly sink: (record: LogRecord) => void;
  private readonly extraSecrets: (() => Iterable<string>) | undefined;
  private readonly secrets = new Set<string>();
  private readonly base: LogFields;

  constructor(options: LoggerOptions = {}) {
    this.minRank = LEVEL_RANK[options.level ?? 'info'];
    this.sink = options.sink ?? ((record) => process.stderr.write(`${JSON.stringify(record)}\n`));
    this.extraSecrets = options.secrets;
    this.base = options.base ?? {};
  }

  addSecret(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }

  isEnabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= this.minRank;
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LEVEL_RANK[level] < this.minRank) return;
    const secrets = [...this.secrets];
    if (this.extraSecrets) for (const s of this.extraSecrets()) if (s) secrets.push(s);
    const redactedFields = redactValue(
      { ...this.base, ...fields },
      secrets,
      0,
      new WeakSet(),
    ) as LogFields;
    const record: LogRecord = {
      ...redactedFields,
      time: new Date().toISOString(),
      level,
      message: redactString(message, secrets),
    };
    try {
      this.sink(record);
    } catch {
      // A failing sink must never break the caller (logging is best effort).
    }
  }
}

export function createLogger(options: LoggerOptions = {}): RedactingLogger {
  return new RedactingLogger(options);
}

/** Discards everything; the default when a service is built without a logger. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
