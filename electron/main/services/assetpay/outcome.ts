import { z } from 'zod';
import { AMBIGUOUS_KEYS, KEY_KEYS, THROTTLE_KEYS } from '../../../../shared/api/error-keys';

/*
 * What a call to AssetPay came to, as a value (style.md "Errors are values at
 * the edges"). The classifier below is pure: it sees the HTTP status, two
 * headers and the body text, and decides. It branches on `error.key`, never on
 * `error.code` (codes were renumbered between doc versions, api §2); the HTTP
 * status is only a fallback for keys it does not know and for bodies that are
 * not an AssetPay envelope.
 */

export type ApiOutcome<T> =
  | { kind: 'ok'; data: T; httpStatus: number; requestId?: string }
  | {
      kind: 'definitive';
      key: string;
      code: number;
      message: string;
      httpStatus: number;
      fields?: Record<string, string>;
      details?: Record<string, unknown>;
      requestId?: string;
    }
  /** The trade may exist: timeout or reset after sending, 5xx without a key / non-JSON, SERVER_ERROR, DATABASE_ERROR. */
  | { kind: 'ambiguous'; reason: string; httpStatus?: number; key?: string }
  /** Provably never reached the server: connect refused, DNS, connect timeout, aborted before sending. */
  | { kind: 'not-sent'; reason: string }
  /** 429 RATE_LIMITED / TOO_MANY_ACTIVE_TRADES; `retryAfterMs` from Retry-After when present. */
  | { kind: 'throttled'; key: string; retryAfterMs?: number; httpStatus: number }
  /** 401/403 credential problems: stop, the trader must fix the key. */
  | { kind: 'auth'; key: string; message: string; httpStatus: number };

export type OutcomeKind = ApiOutcome<unknown>['kind'];
/** Every outcome except `ok`, typed so it can be returned from any `ApiOutcome<T>` function. */
export type ApiFailure = Exclude<ApiOutcome<never>, { kind: 'ok' }>;

/** Key used for responses that are not the AssetPay envelope we expect (HTML 4xx, a 2xx read failing its schema). */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';
/** `code` of definitive outcomes the client made up (there is no server code to report). */
export const NO_CODE = 0;

/**
 * How each known key is classified, whatever HTTP status carried it.
 * `DEPOSIT_IN_PROGRESS` (co: 429) is a per-Steam-user refusal raised before any
 * side effect (api §2, §8), not a merchant throttle: definitive, so the engine
 * resends the same externalId after a backoff and the limiter is not paused.
 */
const KEY_KIND: ReadonlyMap<string, 'throttled' | 'auth' | 'ambiguous'> = new Map([
  ...[...THROTTLE_KEYS].map((k) => [k, 'throttled'] as const),
  // api §8: "5xx … with SERVER_ERROR", and DATABASE_ERROR "treat as ambiguous server failure".
  ...[...AMBIGUOUS_KEYS].map((k) => [k, 'ambiguous'] as const),
  // api §2 auth / API-key tables, plus the SDK-only keys.
  ...[...KEY_KEYS].map((k) => [k, 'auth'] as const),
]);

/** Keys that are definitive whatever the status (listed so the status fallback never reclassifies them). */
const KNOWN_DEFINITIVE_KEYS: ReadonlySet<string> = new Set([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'SYSTEM_MAINTENANCE',
  'UNPROCESSABLE',
  'SERVICE_UNAVAILABLE',
  'NO_BOTS_AVAILABLE',
  'FLEET_DEGRADED',
  'DEPOSITS_PAUSED',
  'DEPOSIT_IN_PROGRESS',
  'EXTERNAL_ID_EXISTS',
  'MISSING_ITEMS',
  'INVENTORY_FETCH_FAILED',
  'NO_OFFER_FOUND',
  'TRADE_OFFER_FAILED',
  'USER_NOT_TRADEABLE',
  'TOO_MANY_ITEMS',
  'ITEMS_UNAVAILABLE',
  'ITEMS_NOT_ACCEPTED',
  'PRICE_CHANGED',
  'INVALID_TRADEURL',
  'INSUFFICIENT_ITEM_AMOUNT',
  'EXCEEDS_MAX_AMOUNT',
  'TRADE_NOT_FOUND',
  'STEAM_UNAVAILABLE',
  'STEAM_RATE_LIMITED',
  'ITEM_OVERSTOCKED',
  'INSTANT_DEPOSITS_DISABLED',
  'ESCROW_NOT_ALLOWED',
  'INVENTORY_PRIVATE',
  'ITEM_NOT_FOUND',
  'USER_NOT_FOUND',
  'INVALID_AMOUNT',
]);

export type KeyClass = 'throttled' | 'auth' | 'ambiguous' | 'definitive';

/**
 * Classifies an error key. Known keys decide by themselves; an unknown key
 * falls back on the status class (429 → throttled, 401/403 → auth, anything
 * else → definitive: a 5xx *with a key* is an explained refusal, api §8).
 */
export function classifyErrorKey(key: string, httpStatus: number): KeyClass {
  const known = KEY_KIND.get(key);
  if (known) return known;
  if (KNOWN_DEFINITIVE_KEYS.has(key)) return 'definitive';
  if (httpStatus === 429) return 'throttled';
  if (httpStatus === 401 || httpStatus === 403) return 'auth';
  return 'definitive';
}

export function isThrottleKey(key: string): boolean {
  return KEY_KIND.get(key) === 'throttled';
}
export function isAuthKey(key: string): boolean {
  return KEY_KIND.get(key) === 'auth';
}
export function isAmbiguousKey(key: string): boolean {
  return KEY_KIND.get(key) === 'ambiguous';
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds ("120", also a
 * lenient "1.5") or an HTTP-date (all three RFC 9110 forms start with a day
 * name). A date in the past gives 0. Anything else, negative numbers included,
 * gives undefined (→ the caller backs off on its own, api §3).
 */
export function parseRetryAfter(
  header: string | readonly string[] | undefined,
  nowMs: number,
): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const ms = Math.round(Number(value) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    return Math.max(0, at - nowMs);
  }
  return undefined;
}

/**
 * The error part of the envelope (api §2), read leniently: the key is what
 * matters, so a missing `requestId`, `code` or `message` must not hide it
 * (the shared errorEnvelopeSchema requires all three).
 */
const lenientErrorSchema = z.looseObject({
  key: z.string().min(1),
  code: z.number().optional().catch(undefined),
  message: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
  fields: z.record(z.string(), z.string()).optional().catch(undefined),
  details: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/** A call either creates something (sell: an unreadable 2xx may mean a live trade) or only reads. */
export type CallMode = 'write' | 'read';

export interface RawResponse {
  status: number;
  /** Body as received; may be empty, HTML, truncated JSON… */
  body: string;
  retryAfter?: string | undefined;
  /** Response `x-request-id`, used when the body carries none (api §2). */
  requestIdHeader?: string | undefined;
  contentType?: string | undefined;
}

/** A response body read as JSON: `isJson` false for an empty body or text that is not JSON. */
export type ParsedBody = { isJson: true; json: unknown } | { isJson: false };

const NOT_JSON: ParsedBody = { isJson: false };

/** Parses a body (text, or the received bytes as UTF-8) as JSON. */
export function parseBody(body: string | Buffer): ParsedBody {
  if (body.length === 0) return NOT_JSON;
  try {
    return {
      isJson: true,
      json: JSON.parse(typeof body === 'string' ? body : body.toString('utf8')),
    };
  } catch {
    return NOT_JSON;
  }
}

/**
 * Turns a received HTTP response into an outcome. `dataSchema` validates the
 * envelope's `data` on success.
 */
export function classifyResponse<S extends z.ZodType>(
  res: RawResponse,
  dataSchema: S,
  mode: CallMode,
  nowMs: number,
): ApiOutcome<z.output<S>> {
  return classifyParsedResponse(res, parseBody(res.body), dataSchema, mode, nowMs);
}

/**
 * classifyResponse for a body already parsed (parseBody). The client uses it so
 * that the body text (megabytes for a whole inventory) is garbage as soon as
 * JSON.parse is done, not kept alive while the schema walks the parsed value.
 */
export function classifyParsedResponse<S extends z.ZodType>(
  res: Omit<RawResponse, 'body'>,
  body: ParsedBody,
  dataSchema: S,
  mode: CallMode,
  nowMs: number,
): ApiOutcome<z.output<S>> {
  const { status } = res;
  const { isJson } = body;
  const json = body.isJson ? body.json : undefined;

  // 1. An AssetPay error envelope: the key decides (api §2, §8).
  if (isJson && isObject(json) && json.success !== true && isObject(json.error)) {
    const parsed = lenientErrorSchema.safeParse(json.error);
    if (parsed.success) {
      const error = parsed.data;
      const requestId =
        (typeof json.requestId === 'string' && json.requestId) || res.requestIdHeader;
      const message =
        error.message === undefined
          ? error.key
          : Array.isArray(error.message)
            ? error.message.join('; ')
            : error.message;
      switch (classifyErrorKey(error.key, status)) {
        case 'throttled': {
          const retryAfterMs = parseRetryAfter(res.retryAfter, nowMs);
          return {
            kind: 'throttled',
            key: error.key,
            httpStatus: status,
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          };
        }
        case 'auth':
          return { kind: 'auth', key: error.key, message, httpStatus: status };
        case 'ambiguous':
          return {
            kind: 'ambiguous',
            reason: `${error.key} (HTTP ${status}): ${message}`,
            httpStatus: status,
            key: error.key,
          };
        case 'definitive':
          return {
            kind: 'definitive',
            key: error.key,
            code: error.code ?? NO_CODE,
            message,
            httpStatus: status,
            ...(error.fields ? { fields: error.fields } : {}),
            ...(error.details ? { details: error.details } : {}),
            ...(requestId ? { requestId } : {}),
          };
      }
    }
  }

  // 2. A success envelope on a 2xx.
  if (status >= 200 && status < 300) {
    if (isJson && isObject(json) && json.success === true && 'data' in json) {
      const parsed = dataSchema.safeParse(json.data);
      if (parsed.success) {
        const requestId =
          (typeof json.requestId === 'string' && json.requestId) || res.requestIdHeader;
        return {
          kind: 'ok',
          data: parsed.data,
          httpStatus: status,
          ...(requestId ? { requestId } : {}),
        };
      }
      return unreadableSuccess(
        res,
        mode,
        `response data failed validation: ${summariseIssues(parsed.error)}`,
      );
    }
    return unreadableSuccess(
      res,
      mode,
      isJson ? 'response is not an AssetPay success envelope' : 'response body is not JSON',
    );
  }

  // 3. No usable envelope: fall back on the status.
  const what = isJson
    ? 'without an AssetPay error key'
    : `with a non-JSON body${res.contentType ? ` (${res.contentType.split(';')[0]})` : ''}`;
  if (status >= 500) {
    // api §8: "5xx without key" / an HTML 502 from a proxy — the request may have been processed.
    return { kind: 'ambiguous', reason: `HTTP ${status} ${what}`, httpStatus: status };
  }
  if (status === 429) {
    // A proxy's plain 429 (e.g. an HTML page from a CDN) is still a throttle: nothing was processed.
    const retryAfterMs = parseRetryAfter(res.retryAfter, nowMs);
    return {
      kind: 'throttled',
      key: 'RATE_LIMITED',
      httpStatus: status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return {
    kind: 'definitive',
    key: UNEXPECTED_RESPONSE,
    code: NO_CODE,
    message: `Unexpected HTTP ${status} ${what}`,
    httpStatus: status,
    ...(res.requestIdHeader ? { requestId: res.requestIdHeader } : {}),
  };
}

/** A 2xx we cannot read: for a sell the trade may exist (ambiguous); for a read it is a definitive oddity. */
function unreadableSuccess<T>(
  res: Omit<RawResponse, 'body'>,
  mode: CallMode,
  reason: string,
): ApiOutcome<T> {
  if (mode === 'write')
    return { kind: 'ambiguous', reason: `HTTP ${res.status}: ${reason}`, httpStatus: res.status };
  return {
    kind: 'definitive',
    key: UNEXPECTED_RESPONSE,
    code: NO_CODE,
    message: `HTTP ${res.status}: ${reason}`,
    httpStatus: res.status,
    ...(res.requestIdHeader ? { requestId: res.requestIdHeader } : {}),
  };
}

/** Where a transport failure happened relative to the request reaching the server. */
export type TransportPhase = 'before-send' | 'after-send';

/** Network failures: provably unsent before the connection existed, possibly processed after. */
export function classifyTransportFailure(phase: TransportPhase, reason: string): ApiFailure {
  return phase === 'before-send' ? { kind: 'not-sent', reason } : { kind: 'ambiguous', reason };
}

/** Applies `fn` to the data of an `ok` outcome and passes every failure through unchanged. */
export function mapOutcome<T, U>(outcome: ApiOutcome<T>, fn: (data: T) => U): ApiOutcome<U> {
  if (outcome.kind !== 'ok') return outcome;
  return { ...outcome, data: fn(outcome.data) };
}

/** One line for logs and the UI. */
export function describeOutcome(outcome: ApiOutcome<unknown>): string {
  switch (outcome.kind) {
    case 'ok':
      return `ok (HTTP ${outcome.httpStatus})`;
    case 'definitive':
      return `${outcome.key} (HTTP ${outcome.httpStatus}): ${outcome.message}`;
    case 'ambiguous':
      return `ambiguous: ${outcome.reason}`;
    case 'not-sent':
      return `not sent: ${outcome.reason}`;
    case 'throttled':
      return `${outcome.key} (HTTP ${outcome.httpStatus})${outcome.retryAfterMs !== undefined ? `, retry after ${outcome.retryAfterMs} ms` : ''}`;
    case 'auth':
      return `${outcome.key} (HTTP ${outcome.httpStatus}): ${outcome.message}`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
