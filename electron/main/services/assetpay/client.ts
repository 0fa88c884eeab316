import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { GameId } from '../../../../shared/api/games';
import {
  checkTradeUrlResultSchema,
  inventoryPageSchema,
  sellRequestSchema,
  tradeListPageSchema,
  tradeSchema,
  type CheckTradeUrlResult,
  type InventoryItem,
  type SellRequest,
  type Trade,
  type TradeListPage,
} from '../../../../shared/api/schemas';
import { silentLogger, type Logger } from '../log';
import { backoffMs } from './backoff';
import { isAbortError } from './clock';
import {
  classifyParsedResponse,
  classifyTransportFailure,
  describeOutcome,
  mapOutcome,
  parseBody,
  type ApiOutcome,
  type CallMode,
} from './outcome';
import type { EndpointFamily, RateLimiter } from './rate-limiter';
import { unreachableMessage } from './unreachable';

/*
 * The AssetPay merchant API client (api §4). Built on node:http(s) with a
 * keep-alive agent rather than fetch so it can tell *where* a failure
 * happened (api §8 retry matrix):
 *   - before the connection existed (refused, DNS, connect timeout, aborted
 *     while waiting) → `not-sent`: the request provably never reached AssetPay;
 *   - once connected, the request bytes go out at once, so any failure from
 *     then on (reset, response timeout, abort) → `ambiguous`.
 * Every method returns an ApiOutcome value; exceptions are only for bugs (an
 * invalid sell body, a ref containing a comma, a bad page size).
 */

export interface ClientTimeouts {
  /** Whole sell call; the SDK uses 100 s because sells can be slow (api §4.2). */
  sellMs?: number;
  /** Every other call (SDK: 30 s). */
  otherMs?: number;
  /** Until the TCP (and TLS) connection is up; after it the call counts as sent. */
  connectMs?: number;
}

export interface AssetPayClientDeps {
  baseUrl: string;
  /** Read before every call (the keychain may change underneath). Null/empty → MISSING_API_KEY, nothing sent. */
  apiKey: () => Promise<string | null> | string | null;
  limiter: RateLimiter;
  timeouts?: ClientTimeouts;
  logger?: Logger;
  /** Defaults to a keep-alive agent owned (and closed) by the client. */
  agent?: http.Agent;
  /** Sees every outcome (the app tells from them whether AssetPay can be reached). */
  onOutcome?: (outcome: ApiOutcome<unknown>) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface SellOptions extends CallOptions {
  /**
   * The caller already took this request's token from the shared rate
   * limiter: the engine waits for it itself, so a pause or cancel can still
   * stop the sell while it waits (design §5); the client must not take another.
   */
  tokenTaken?: boolean;
  /**
   * Stops the sell only while nothing can have reached AssetPay: before the
   * connection is up (the keychain read, a TLS handshake). The answer is then
   * `not-sent`. Once connected it is ignored, and the sell is answered (or
   * ambiguous) as usual: a trader's cancel never turns a sale into a guess.
   */
  cancelBeforeSend?: AbortSignal;
}

export interface InventoryOptions extends CallOptions {
  /** Bypass AssetPay's inventory cache (sent on the first page only). */
  refresh?: boolean;
  /** Items per page (default 2,000): each page is read and checked on its own, so memory stays bounded. 'all' → one `limit=-1` call. */
  pageSize?: number | 'all';
}

export interface InventoryResult {
  items: InventoryItem[];
  /** The server's `count` (from the last page read). */
  count: number;
  /** The server's `updatedAt` (from the first page). */
  updatedAt: string;
}

export interface TradesLookup {
  trades: Trade[];
  /** Asked-for refs that matched no returned trade's `id` or `externalId`. */
  missing: string[];
}

export interface ListTradesOptions extends CallOptions {
  cursor?: string;
  game?: GameId;
  type?: 'deposit' | 'withdraw';
  /** 1–100 (server default 20). */
  limit?: number;
}

export interface CheckTradeUrlOptions extends CallOptions {
  forceRefresh?: boolean;
}

export type KeyValidationResult = 'valid' | 'invalid-key' | 'missing-scope' | 'unreachable';
export interface KeyValidation {
  result: KeyValidationResult;
  message: string;
}

export const DEFAULT_TIMEOUTS: Required<ClientTimeouts> = {
  sellMs: 100_000,
  otherMs: 30_000,
  connectMs: 10_000,
};

/** `GET /secure/trades/{refs}` takes at most 100 comma-separated refs (api §4.5). */
export const MAX_REFS_PER_LOOKUP = 100;
/** Inventory items per page: each page is read and checked on its own, so a 50,000-item inventory never sits in memory as one body. */
export const DEFAULT_INVENTORY_PAGE = 2_000;
/** Lookup chunks in flight at once for one getTrades call (the limiter still paces them). */
const LOOKUP_CONCURRENCY = 4;
const USER_AGENT = 'AssetPayBulkSeller/0.1 (+node)';
/** Errors that mean a kept-alive socket had been closed by the server before we used it. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

const tradeLookupSchema = z.union([z.array(tradeSchema), tradeSchema]);
const anyDataSchema = z.unknown();

interface CallSpec<S extends z.ZodType> {
  family: EndpointFamily;
  method: 'GET' | 'POST';
  /** Path and query, already encoded. */
  path: string;
  body?: string;
  schema: S;
  mode: CallMode;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** The rate-limiter token was taken by the caller (SellOptions.tokenTaken). */
  tokenTaken?: boolean;
  /** SellOptions.cancelBeforeSend. */
  cancelBeforeSend?: AbortSignal;
}

const RETRY_ON_FRESH_SOCKET = Symbol('retry');

export class AssetPayClient {
  private readonly transport: typeof http | typeof https;
  private readonly isTls: boolean;
  private readonly hostname: string;
  private readonly port: number;
  private readonly prefix: string;
  private readonly apiKey: AssetPayClientDeps['apiKey'];
  private readonly onOutcome: AssetPayClientDeps['onOutcome'];
  private readonly limiter: RateLimiter;
  private readonly timeouts: Required<ClientTimeouts>;
  private readonly logger: Logger;
  private readonly agent: http.Agent;
  private readonly ownsAgent: boolean;
  /** Consecutive 429s without Retry-After per family, for the backoff (api §3). */
  private readonly throttleStreak = new Map<EndpointFamily, number>();

  constructor(deps: AssetPayClientDeps) {
    const url = new URL(deps.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`AssetPay base URL must be http(s): ${deps.baseUrl}`);
    }
    this.isTls = url.protocol === 'https:';
    this.transport = this.isTls ? https : http;
    // URL keeps IPv6 literals bracketed; http.request wants them bare.
    this.hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port ? Number(url.port) : this.isTls ? 443 : 80;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.apiKey = deps.apiKey;
    this.onOutcome = deps.onOutcome;
    this.limiter = deps.limiter;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(deps.timeouts ?? {}) };
    this.logger = deps.logger ?? silentLogger;
    this.ownsAgent = deps.agent === undefined;
    this.agent =
      deps.agent ??
      new (this.isTls ? https.Agent : http.Agent)({
        keepAlive: true,
        // Idle sockets are dropped after 4 s (or 1 s before the server's Keep-Alive
        // hint, whichever is shorter) so we rarely write to a socket the server has
        // just closed — for a sell that would be an ambiguous outcome.
        timeout: 4_000,
        maxSockets: 64,
        maxFreeSockets: 16,
        scheduling: 'lifo',
      });
  }

  /** Closes idle sockets of the client's own agent (an injected agent is left alone). */
  close(): void {
    if (this.ownsAgent) this.agent.destroy();
  }

  // ── Endpoints ────────────────────────────────────────────────────────────

  /** `GET /secure/inventory` (api §4.1): the whole inventory, by `limit=-1` or page by page. */
  async getInventory(
    tradeUrl: string,
    game: GameId,
    options: InventoryOptions = {},
  ): Promise<ApiOutcome<InventoryResult>> {
    const pageSize = options.pageSize ?? DEFAULT_INVENTORY_PAGE;
    const base = `/secure/inventory?tradeUrl=${encodeURIComponent(tradeUrl)}&game=${encodeURIComponent(game)}`;
    const refresh = options.refresh ? '&refresh=true' : '';
    const page = (query: string) =>
      this.call({
        family: 'inventory',
        method: 'GET',
        path: base + query,
        schema: inventoryPageSchema,
        mode: 'read',
        timeoutMs: this.timeouts.otherMs,
        signal: options.signal,
      });

    if (pageSize === 'all') {
      const outcome = await page(`${refresh}&limit=-1`);
      return mapOutcome(outcome, (p) => ({
        items: p.inventory,
        count: p.count,
        updatedAt: p.updatedAt,
      }));
    }
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer or 'all': ${pageSize}`);
    }

    const items: InventoryItem[] = [];
    const seen = new Set<string>();
    let count = 0;
    let updatedAt = '';
    for (let n = 1; ; n++) {
      const outcome = await page(`${n === 1 ? refresh : ''}&page=${n}&limit=${pageSize}`);
      if (outcome.kind !== 'ok') return outcome;
      const data = outcome.data;
      count = data.count;
      if (n === 1) updatedAt = data.updatedAt;
      let added = 0;
      for (const item of data.inventory) {
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        items.push(item);
        added++;
      }
      // Stop when `count` is reached, and never trust `count` alone: an empty
      // page, or one that only repeats items we have, ends the walk too.
      if (items.length >= count || data.inventory.length === 0 || added === 0) {
        return {
          kind: 'ok',
          data: { items, count, updatedAt },
          httpStatus: outcome.httpStatus,
          ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
        };
      }
    }
  }

  /**
   * `POST /secure/sell` (api §4.2). The body is validated first (an invalid
   * body is a bug: throws) and sent as the exact JSON of the validated object,
   * so prices go out exactly as the inventory gave them.
   */
  async sell(body: SellRequest, options: SellOptions = {}): Promise<ApiOutcome<Trade>> {
    const valid = sellRequestSchema.parse(body);
    return this.call({
      family: 'sell',
      method: 'POST',
      path: '/secure/sell',
      body: JSON.stringify(valid),
      schema: tradeSchema,
      mode: 'write',
      timeoutMs: this.timeouts.sellMs,
      signal: options.signal,
      tokenTaken: options.tokenTaken === true,
      ...(options.cancelBeforeSend ? { cancelBeforeSend: options.cancelBeforeSend } : {}),
    });
  }

  /**
   * `GET /secure/trades/{ref,…}` (api §4.5) for any number of ids/externalIds:
   * ≤ 100 per call, results merged, unresolved refs listed in `missing`
   * (a multi-ref call omits them silently; a single-ref call answers 404
   * TRADE_NOT_FOUND). The first failing chunk's outcome is returned.
   */
  async getTrades(
    refs: readonly string[],
    options: CallOptions = {},
  ): Promise<ApiOutcome<TradesLookup>> {
    const unique = [...new Set(refs)];
    for (const ref of unique) {
      if (ref === '' || ref.includes(','))
        throw new RangeError(`Invalid trade ref: ${JSON.stringify(ref)}`);
    }
    if (unique.length === 0)
      return { kind: 'ok', data: { trades: [], missing: [] }, httpStatus: 0 };

    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += MAX_REFS_PER_LOOKUP)
      chunks.push(unique.slice(i, i + MAX_REFS_PER_LOOKUP));
    const results: (ApiOutcome<Trade[]> | undefined)[] = new Array(chunks.length);
    let nextChunk = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && nextChunk < chunks.length) {
        const index = nextChunk++;
        const result = await this.lookupChunk(chunks[index]!, options.signal);
        results[index] = result;
        if (result.kind !== 'ok') failed = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, chunks.length) }, worker));

    const trades: Trade[] = [];
    const byId = new Set<string>();
    let httpStatus = 0;
    for (const result of results) {
      if (result === undefined) continue; // not started because an earlier chunk failed
      if (result.kind !== 'ok') return result;
      httpStatus = result.httpStatus || httpStatus;
      for (const trade of result.data) {
        if (byId.has(trade.id)) continue;
        byId.add(trade.id);
        trades.push(trade);
      }
    }
    const found = new Set<string>();
    for (const trade of trades) {
      found.add(trade.id);
      if (trade.externalId !== undefined) found.add(trade.externalId);
    }
    return {
      kind: 'ok',
      data: { trades, missing: unique.filter((ref) => !found.has(ref)) },
      httpStatus,
    };
  }

  /** `GET /secure/trades` (api §4.4): one page of the merchant's own trades. */
  async listTrades(options: ListTradesOptions = {}): Promise<ApiOutcome<TradeListPage>> {
    const query = new URLSearchParams();
    if (options.cursor !== undefined) query.set('cursor', options.cursor);
    if (options.game !== undefined) query.set('game', options.game);
    if (options.type !== undefined) query.set('type', options.type);
    if (options.limit !== undefined) {
      if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 100) {
        throw new RangeError(`listTrades limit must be 1–100: ${options.limit}`);
      }
      query.set('limit', String(options.limit));
    }
    const qs = query.toString();
    return this.call({
      family: 'trades',
      method: 'GET',
      path: `/secure/trades${qs ? `?${qs}` : ''}`,
      schema: tradeListPageSchema,
      mode: 'read',
      timeoutMs: this.timeouts.otherMs,
      signal: options.signal,
    });
  }

  /** `POST /secure/check-tradeurl` (api §4.7); note the body key `tradeurl`. */
  async checkTradeUrl(
    tradeUrl: string,
    options: CheckTradeUrlOptions = {},
  ): Promise<ApiOutcome<CheckTradeUrlResult>> {
    return this.call({
      family: 'check-tradeurl',
      method: 'POST',
      path: '/secure/check-tradeurl',
      body: JSON.stringify({ tradeurl: tradeUrl, forceRefresh: options.forceRefresh ?? false }),
      schema: checkTradeUrlResultSchema,
      mode: 'read',
      timeoutMs: this.timeouts.otherMs,
      signal: options.signal,
    });
  }

  /** A cheap authenticated call (`GET /secure/trades?limit=1`) to tell the trader whether the key works. */
  async validateKey(options: CallOptions = {}): Promise<KeyValidation> {
    const outcome = await this.call({
      family: 'trades',
      method: 'GET',
      path: '/secure/trades?limit=1',
      schema: anyDataSchema,
      mode: 'read',
      timeoutMs: this.timeouts.otherMs,
      signal: options.signal,
    });
    switch (outcome.kind) {
      case 'ok':
        return { result: 'valid', message: 'The API key works.' };
      case 'auth':
        return keyProblem(outcome.key, outcome.message);
      case 'throttled':
        return {
          result: 'unreachable',
          message: `AssetPay is rate-limiting requests (${outcome.key}); try again${
            outcome.retryAfterMs !== undefined
              ? ` in ${Math.ceil(outcome.retryAfterMs / 1000)} s`
              : ' shortly'
          }.`,
        };
      case 'not-sent':
        return { result: 'unreachable', message: unreachableMessage(outcome.reason) };
      case 'ambiguous':
        return {
          result: 'unreachable',
          message: `AssetPay did not answer properly: ${outcome.reason}`,
        };
      case 'definitive':
        return {
          result: 'unreachable',
          message: `AssetPay refused the check: ${outcome.key}: ${outcome.message}`,
        };
    }
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────

  private async lookupChunk(
    refs: string[],
    signal: AbortSignal | undefined,
  ): Promise<ApiOutcome<Trade[]>> {
    const outcome = await this.call({
      family: 'trades',
      method: 'GET',
      path: `/secure/trades/${refs.map(encodeURIComponent).join(',')}`,
      schema: tradeLookupSchema,
      mode: 'read',
      timeoutMs: this.timeouts.otherMs,
      signal,
    });
    // A lookup that resolved nothing is an answer, not a failure (api §4.5, §8).
    if (outcome.kind === 'definitive' && outcome.key === 'TRADE_NOT_FOUND') {
      return {
        kind: 'ok',
        data: [],
        httpStatus: outcome.httpStatus,
        ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
      };
    }
    return mapOutcome(outcome, (data) => (Array.isArray(data) ? data : [data]));
  }

  private async call<S extends z.ZodType>(spec: CallSpec<S>): Promise<ApiOutcome<z.output<S>>> {
    const { signal } = spec;
    if (signal?.aborted) return { kind: 'not-sent', reason: 'aborted' };

    let key: string | null;
    try {
      key = await this.apiKey();
    } catch (error) {
      return {
        kind: 'auth',
        key: 'MISSING_API_KEY',
        message: `The API key could not be read: ${error instanceof Error ? error.message : String(error)}`,
        httpStatus: 0,
      };
    }
    key = key?.trim() ?? null;
    if (!key)
      return { kind: 'auth', key: 'MISSING_API_KEY', message: 'No API key is set.', httpStatus: 0 };
    this.logger.addSecret?.(key);

    try {
      if (!spec.tokenTaken) await this.limiter.acquire(spec.family, signal);
    } catch (error) {
      if (isAbortError(error)) return { kind: 'not-sent', reason: 'aborted' };
      throw error;
    }
    if (signal?.aborted || spec.cancelBeforeSend?.aborted)
      return { kind: 'not-sent', reason: 'aborted' };

    const started = performance.now();
    let outcome = await this.send(spec, key, true);
    if (outcome === RETRY_ON_FRESH_SOCKET)
      outcome = (await this.send(spec, key, false)) as ApiOutcome<z.output<S>>;

    if (outcome.kind === 'throttled') {
      // One 429 pauses every caller of the family (api §3): Retry-After when given, else backoff.
      const streak = this.throttleStreak.get(spec.family) ?? 0;
      this.throttleStreak.set(spec.family, streak + 1);
      this.limiter.pauseFor(spec.family, outcome.retryAfterMs ?? backoffMs(streak));
    } else if (outcome.kind !== 'not-sent' && outcome.kind !== 'ambiguous') {
      this.throttleStreak.delete(spec.family);
    }

    this.onOutcome?.(outcome);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (outcome.kind === 'ok') {
      this.logger.debug('assetpay call', {
        method: spec.method,
        path: spec.path,
        status: outcome.httpStatus,
        ms,
      });
    } else {
      this.logger.warn('assetpay call failed', {
        method: spec.method,
        path: spec.path,
        kind: outcome.kind,
        outcome: describeOutcome(outcome),
        ms,
      });
    }
    return outcome;
  }

  /**
   * One HTTP exchange. `allowStaleRetry`: a GET that fails on a reused
   * keep-alive socket before any response byte is retried once on a fresh
   * connection (safe: reads are idempotent). A POST never is.
   */
  private send<S extends z.ZodType>(
    spec: CallSpec<S>,
    apiKey: string,
    allowStaleRetry: boolean,
  ): Promise<ApiOutcome<z.output<S>> | typeof RETRY_ON_FRESH_SOCKET> {
    type Result = ApiOutcome<z.output<S>> | typeof RETRY_ON_FRESH_SOCKET;
    return new Promise<Result>((resolvePromise) => {
      // Dropped once settled: the request's listeners outlive the answer by a tick, and
      // through `resolve` they would keep the outcome (a whole inventory) reachable.
      let resolve: ((result: Result) => void) | null = resolvePromise;
      const { signal, timeoutMs } = spec;
      const connectMs = Math.min(this.timeouts.connectMs, timeoutMs);
      let connected = false;
      let responseStarted = false;
      /** The whole answer is in: from here on only its parse decides the outcome. */
      let complete = false;
      let settled = false;
      let req: http.ClientRequest | undefined;

      const headers: http.OutgoingHttpHeaders = {
        'api-key': apiKey,
        accept: 'application/json',
        'user-agent': USER_AGENT,
        'x-request-id': randomUUID(),
      };
      if (spec.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(spec.body);
      }

      const stopWatching = (): void => {
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        signal?.removeEventListener('abort', onAbort);
        spec.cancelBeforeSend?.removeEventListener('abort', onCancelBeforeSend);
      };
      const finish = (result: Result): void => {
        if (settled) return;
        settled = true;
        stopWatching();
        const settle = resolve!;
        resolve = null;
        settle(result);
      };
      const fail = (reason: string): void => {
        if (settled || complete) return;
        finish(classifyTransportFailure(connected ? 'after-send' : 'before-send', reason));
        req?.destroy();
      };
      const onAbort = (): void => fail('aborted');
      // Nothing can have reached AssetPay before the connection is up: stop there only.
      const onCancelBeforeSend = (): void => {
        if (!connected) fail('aborted');
      };

      const connectTimer = setTimeout(() => {
        if (!connected) fail(`connect timeout after ${connectMs} ms`);
      }, connectMs);
      const totalTimer = setTimeout(() => {
        fail(
          connected
            ? `no complete response within ${timeoutMs} ms`
            : `not connected within ${timeoutMs} ms`,
        );
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      spec.cancelBeforeSend?.addEventListener('abort', onCancelBeforeSend, { once: true });

      try {
        req = this.transport.request({
          hostname: this.hostname,
          port: this.port,
          path: this.prefix + spec.path,
          method: spec.method,
          headers,
          agent: this.agent,
        });
      } catch (error) {
        // e.g. an API key with characters not allowed in a header: nothing was sent.
        fail(`request not created: ${errorText(error)}`);
        return;
      }

      req.on('socket', (socket) => {
        const markConnected = (): void => {
          connected = true;
          clearTimeout(connectTimer);
        };
        // `pending`: connect() not called yet or still in progress. A kept-alive
        // socket is not pending and is already past its TLS handshake.
        if (!socket.pending) {
          markConnected();
        } else if (this.isTls) {
          (socket as TLSSocket).once('secureConnect', markConnected);
        } else {
          socket.once('connect', markConnected);
        }
      });

      req.on('response', (res) => {
        responseStarted = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(`response interrupted: ${errorText(error)}`));
        res.on('close', () => {
          if (!res.complete) fail('connection closed before the response was complete');
        });
        res.on('end', () => {
          if (!res.complete) return; // 'close' reports it
          complete = true;
          stopWatching();
          try {
            finish(
              classifyParsedResponse(
                {
                  status: res.statusCode ?? 0,
                  retryAfter: headerText(res.headers['retry-after']),
                  requestIdHeader: headerText(res.headers['x-request-id']),
                  contentType: res.headers['content-type'],
                },
                parseBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)),
                spec.schema,
                spec.mode,
                Date.now(),
              ),
            );
          } catch (error) {
            // A bug in reading a complete answer: the trade may exist, so it is looked up, never resent blind.
            finish(classifyTransportFailure('after-send', `answer not read: ${errorText(error)}`));
          }
        });
      });

      req.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        if (
          allowStaleRetry &&
          spec.method === 'GET' &&
          req?.reusedSocket &&
          !responseStarted &&
          error.code !== undefined &&
          STALE_SOCKET_CODES.has(error.code)
        ) {
          finish(RETRY_ON_FRESH_SOCKET);
          return;
        }
        fail(errorText(error));
      });

      req.end(spec.body);
    });
  }
}

function keyProblem(key: string, serverMessage: string): KeyValidation {
  switch (key) {
    case 'API_KEY_SCOPE_DENIED':
    case 'INSUFFICIENT_SCOPE':
      return {
        result: 'missing-scope',
        message: 'The key lacks the CORE_ACCESS scope; enable it in the AssetPay dashboard.',
      };
    case 'API_KEY_IP_DENIED':
      return {
        result: 'invalid-key',
        message:
          'The key is restricted to other IP addresses; allow this IP or use an unrestricted key.',
      };
    case 'API_KEY_REVOKED':
      return {
        result: 'invalid-key',
        message: 'The key has been revoked; create a new one in the AssetPay dashboard.',
      };
    case 'MISSING_API_KEY':
      return { result: 'invalid-key', message: 'No API key is set.' };
    case 'INVALID_API_KEY':
      return { result: 'invalid-key', message: 'AssetPay does not recognise this key.' };
    default:
      return {
        result: 'invalid-key',
        message: `AssetPay refused the key (${key}): ${serverMessage}`,
      };
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
