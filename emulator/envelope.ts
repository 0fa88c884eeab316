/*
 * The documented envelope and the error catalogue (api §2). Handlers return
 * `Reply` values; only the HTTP layer turns them into bytes, adding the
 * per-request `requestId`.
 */

/** Error keys the emulator can answer with: code and HTTP status from api §2. */
export const ERRORS = {
  VALIDATION_FAILED: { code: 1001, status: 422, message: 'The request data is invalid' },
  NOT_FOUND: { code: 1003, status: 404, message: 'Resource not found' },
  RATE_LIMITED: { code: 1005, status: 429, message: 'Too many requests' },
  SERVER_ERROR: { code: 1006, status: 500, message: 'Internal server error' },
  SYSTEM_MAINTENANCE: { code: 1007, status: 503, message: 'The system is under maintenance' },
  SERVICE_UNAVAILABLE: {
    code: 1009,
    status: 503,
    message: 'Deposit services are temporarily unavailable',
  },
  NO_BOTS_AVAILABLE: { code: 1010, status: 503, message: 'No trade bots are available' },
  FLEET_DEGRADED: { code: 1011, status: 503, message: 'The bot fleet is degraded, retry shortly' },
  // Code not published (api §2 "DEPOSITS_PAUSED ?"); 1012 is the emulator's choice.
  DEPOSITS_PAUSED: { code: 1012, status: 503, message: 'Deposits are paused' },
  MISSING_API_KEY: { code: 1900, status: 401, message: 'The api-key header is missing' },
  INVALID_API_KEY: { code: 1901, status: 401, message: 'The API key is invalid' },
  API_KEY_SCOPE_DENIED: {
    code: 1903,
    status: 403,
    message: 'The API key lacks the CORE_ACCESS scope',
  },
  EXTERNAL_ID_EXISTS: {
    code: 1,
    status: 409,
    message: 'A trade with this externalId already exists',
  },
  TRADE_OFFER_FAILED: { code: 5, status: 500, message: 'The Steam trade offer could not be sent' },
  USER_NOT_TRADEABLE: { code: 7, status: 400, message: 'The Steam account cannot trade' },
  ITEMS_UNAVAILABLE: { code: 9, status: 400, message: 'Some items are not available' },
  ITEMS_NOT_ACCEPTED: { code: 10, status: 400, message: 'Some items are not accepted for deposit' },
  PRICE_CHANGED: { code: 11, status: 409, message: 'Price has changed since you last fetched it' },
  INVALID_TRADEURL: { code: 13, status: 400, message: 'The trade URL is invalid or inaccessible' },
  INSUFFICIENT_ITEM_AMOUNT: {
    code: 19,
    status: 400,
    message: 'The account does not hold that many units',
  },
  EXCEEDS_MAX_AMOUNT: { code: 20, status: 400, message: 'The amount exceeds the allowed maximum' },
  TRADE_NOT_FOUND: { code: 21, status: 404, message: 'Trade not found' },
  ITEM_OVERSTOCKED: { code: 45, status: 409, message: 'Some items are overstocked' },
} as const;

export type ErrorKey = keyof typeof ERRORS;

export interface ErrorBody {
  code: number;
  key: string;
  message: string | string[];
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
}

/** What a handler decided; the HTTP layer renders it. */
export type Reply =
  | { kind: 'ok'; data: unknown; headers?: Record<string, string> }
  | { kind: 'error'; status: number; error: ErrorBody; headers?: Record<string, string> }
  /** Any body verbatim (admin JSON, an HTML 502, a JSON 500 without the envelope, a picture). */
  | { kind: 'raw'; status: number; contentType: string; body: string | Uint8Array }
  /** Destroy the socket without answering. */
  | { kind: 'reset' }
  /** Never answer; the socket stays open until the client gives up or the emulator stops. */
  | { kind: 'hang' };

export interface ErrorExtras {
  message?: string;
  fields?: Record<string, string>;
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function ok(data: unknown): Reply {
  return { kind: 'ok', data };
}

export function fail(key: ErrorKey, extras: ErrorExtras = {}): Reply {
  const spec = ERRORS[key];
  const error: ErrorBody = { code: spec.code, key, message: extras.message ?? spec.message };
  if (extras.fields) error.fields = extras.fields;
  if (extras.details) error.details = extras.details;
  return extras.headers
    ? { kind: 'error', status: spec.status, error, headers: extras.headers }
    : { kind: 'error', status: spec.status, error };
}

/** Fields are capped at 20 entries and the message names the first 5 (OpenAPI ErrorEnvelope). */
export const MAX_FIELDS = 20;

export function validationFailed(fields: Record<string, string>): Reply {
  const entries = Object.entries(fields).slice(0, MAX_FIELDS);
  const named = entries.slice(0, 5).map(([path, reason]) => `${path}: ${reason}`);
  const more = entries.length > 5 ? ` (+${entries.length - 5} more)` : '';
  return fail('VALIDATION_FAILED', {
    message: `${named.join('; ')}${more}`,
    fields: Object.fromEntries(entries),
  });
}

/** Collects field errors up to the cap; reports whether more may be added. */
export class FieldErrors {
  readonly fields: Record<string, string> = {};
  private count = 0;

  add(path: string, reason: string): void {
    if (this.count >= MAX_FIELDS || path in this.fields) return;
    this.fields[path] = reason;
    this.count++;
  }

  get full(): boolean {
    return this.count >= MAX_FIELDS;
  }

  get empty(): boolean {
    return this.count === 0;
  }
}

export function json(status: number, body: unknown): Reply {
  return {
    kind: 'raw',
    status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(body),
  };
}
