import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tradeSchema } from '../../shared/api/schemas';
import {
  classifyErrorKey,
  classifyResponse,
  classifyTransportFailure,
  mapOutcome,
  parseRetryAfter,
  UNEXPECTED_RESPONSE,
  type ApiOutcome,
  type RawResponse,
} from '../../electron/main/services/assetpay/outcome';

const NOW = Date.parse('2026-05-14T12:00:00.000Z');
const REQUEST_ID = '550e8400-e29b-41d4-a716-446655440000';

function errorBody(key: string, extra: Record<string, unknown> = {}, code = 42): string {
  return JSON.stringify({
    requestId: REQUEST_ID,
    success: false,
    error: { code, key, message: `message for ${key}`, ...extra },
  });
}

function res(status: number, body: string, more: Partial<RawResponse> = {}): RawResponse {
  return { status, body, ...more };
}

const trade = {
  id: 'trade-1',
  type: 'deposit',
  source: 'self',
  status: 'initiated',
  game: '730',
  externalId: 'plan-1-batch-1-1',
  merchantId: 'merchant-1',
  clientSteamID: '76561198012345678',
  clientTradeUrl: 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=ABCDEFGH',
  items: [{ id: 'item-00001', appid: 730, tradable: true, offer: { price: 10.75 } }],
  totalPrice: 10.75,
  createdAt: '2026-05-14T12:00:00.000Z',
  updatedAt: '2026-05-14T12:00:00.000Z',
};
const ok = (data: unknown) => JSON.stringify({ requestId: REQUEST_ID, success: true, data });

const sellOutcome = (r: RawResponse) => classifyResponse(r, tradeSchema, 'write', NOW);
const readOutcome = (r: RawResponse) => classifyResponse(r, tradeSchema, 'read', NOW);

describe('classifyResponse — the retry matrix of api §8, key by key', () => {
  // [key, HTTP status the docs give it, expected kind]
  const matrix: [string, number, ApiOutcome<unknown>['kind']][] = [
    ['RATE_LIMITED', 429, 'throttled'],
    ['TOO_MANY_ACTIVE_TRADES', 429, 'throttled'],
    ['SERVER_ERROR', 500, 'ambiguous'],
    ['DATABASE_ERROR', 500, 'ambiguous'],
    ['FLEET_DEGRADED', 503, 'definitive'],
    ['DEPOSIT_IN_PROGRESS', 429, 'definitive'],
    ['EXTERNAL_ID_EXISTS', 409, 'definitive'],
    ['PRICE_CHANGED', 409, 'definitive'],
    ['ITEMS_NOT_ACCEPTED', 400, 'definitive'],
    ['ITEM_OVERSTOCKED', 409, 'definitive'],
    ['ITEMS_UNAVAILABLE', 400, 'definitive'],
    ['NO_OFFER_FOUND', 400, 'definitive'],
    ['INSUFFICIENT_ITEM_AMOUNT', 400, 'definitive'],
    ['EXCEEDS_MAX_AMOUNT', 400, 'definitive'],
    ['NO_BOTS_AVAILABLE', 503, 'definitive'],
    ['SERVICE_UNAVAILABLE', 503, 'definitive'],
    ['SYSTEM_MAINTENANCE', 503, 'definitive'],
    ['DEPOSITS_PAUSED', 503, 'definitive'],
    ['STEAM_UNAVAILABLE', 424, 'definitive'],
    ['STEAM_RATE_LIMITED', 424, 'definitive'],
    ['INVENTORY_FETCH_FAILED', 424, 'definitive'],
    ['TRADE_OFFER_FAILED', 500, 'definitive'],
    ['VALIDATION_FAILED', 422, 'definitive'],
    ['INVALID_TRADEURL', 400, 'definitive'],
    ['USER_NOT_TRADEABLE', 400, 'definitive'],
    ['TRADE_NOT_FOUND', 404, 'definitive'],
    ['MISSING_API_KEY', 401, 'auth'],
    ['INVALID_API_KEY', 401, 'auth'],
    ['API_KEY_REVOKED', 401, 'auth'],
    ['API_KEY_SCOPE_DENIED', 403, 'auth'],
    ['API_KEY_IP_DENIED', 403, 'auth'],
    ['UNAUTHORIZED', 401, 'auth'],
    ['FORBIDDEN', 403, 'auth'],
  ];

  it.each(matrix)('%s (HTTP %i) → %s', (key, status, kind) => {
    const outcome = sellOutcome(res(status, errorBody(key)));
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'ok' || outcome.kind === 'not-sent') throw new Error('unexpected');
    expect(outcome.key).toBe(key);
    expect(outcome.httpStatus).toBe(status);
  });

  it('branches on the key, not the status: the same key keeps its class under any status', () => {
    expect(sellOutcome(res(400, errorBody('RATE_LIMITED'))).kind).toBe('throttled');
    expect(sellOutcome(res(503, errorBody('INVALID_API_KEY'))).kind).toBe('auth');
    expect(sellOutcome(res(409, errorBody('SERVER_ERROR'))).kind).toBe('ambiguous');
    expect(sellOutcome(res(500, errorBody('PRICE_CHANGED'))).kind).toBe('definitive');
    // The numeric code is irrelevant: RATE_LIMITED was 1007 in the old docs, 1005 now.
    expect(sellOutcome(res(429, errorBody('RATE_LIMITED', {}, 1007))).kind).toBe('throttled');
    expect(sellOutcome(res(429, errorBody('SOMETHING', {}, 1005))).kind).toBe('throttled'); // status fallback, see below
  });

  it('unknown keys fall back on the status class; a 5xx with any key is definitive', () => {
    expect(classifyErrorKey('NEW_THROTTLE_KEY', 429)).toBe('throttled');
    expect(classifyErrorKey('NEW_AUTH_KEY', 401)).toBe('auth');
    expect(classifyErrorKey('NEW_AUTH_KEY', 403)).toBe('auth');
    expect(classifyErrorKey('SOME_NEW_REFUSAL', 503)).toBe('definitive');
    expect(classifyErrorKey('SOME_NEW_REFUSAL', 400)).toBe('definitive');
    // …but a known key is never reclassified by the status.
    expect(classifyErrorKey('DEPOSIT_IN_PROGRESS', 429)).toBe('definitive');
  });

  it('a definitive outcome carries code, message, fields, details and the requestId', () => {
    const outcome = sellOutcome(
      res(
        409,
        errorBody(
          'ITEM_OVERSTOCKED',
          {
            details: { items: [{ itemId: 'item-00001', marketHashName: 'AK', remaining: 0 }] },
          },
          45,
        ),
      ),
    );
    expect(outcome).toEqual({
      kind: 'definitive',
      key: 'ITEM_OVERSTOCKED',
      code: 45,
      message: 'message for ITEM_OVERSTOCKED',
      httpStatus: 409,
      details: { items: [{ itemId: 'item-00001', marketHashName: 'AK', remaining: 0 }] },
      requestId: REQUEST_ID,
    });
    const validation = sellOutcome(
      res(
        422,
        JSON.stringify({
          requestId: REQUEST_ID,
          success: false,
          error: {
            code: 1001,
            key: 'VALIDATION_FAILED',
            message: ['items.0.price: bad', 'game: bad'],
            fields: { 'items.0.price': 'bad' },
          },
        }),
      ),
    );
    expect(validation).toMatchObject({
      kind: 'definitive',
      message: 'items.0.price: bad; game: bad',
      fields: { 'items.0.price': 'bad' },
    });
  });

  it('reads the key even when requestId, code or message are missing (the key is what matters)', () => {
    const bare = JSON.stringify({ success: false, error: { key: 'PRICE_CHANGED' } });
    expect(sellOutcome(res(409, bare, { requestIdHeader: 'hdr' }))).toEqual({
      kind: 'definitive',
      key: 'PRICE_CHANGED',
      code: 0,
      message: 'PRICE_CHANGED',
      httpStatus: 409,
      requestId: 'hdr',
    });
    const noSuccessFlag = JSON.stringify({
      error: { key: 'NO_BOTS_AVAILABLE', code: 'x', message: 'm' },
    });
    expect(sellOutcome(res(503, noSuccessFlag))).toMatchObject({
      kind: 'definitive',
      key: 'NO_BOTS_AVAILABLE',
      code: 0,
    });
    const throttled = JSON.stringify({ success: false, error: { key: 'RATE_LIMITED' } });
    expect(sellOutcome(res(429, throttled, { retryAfter: '3' }))).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 3000,
    });
  });

  it('auth outcomes keep the server message', () => {
    expect(sellOutcome(res(401, errorBody('INVALID_API_KEY')))).toEqual({
      kind: 'auth',
      key: 'INVALID_API_KEY',
      message: 'message for INVALID_API_KEY',
      httpStatus: 401,
    });
  });
});

describe('classifyResponse — bodies that are not an AssetPay envelope', () => {
  const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';

  it('an HTML 502 is ambiguous (never thrown), for writes and reads alike', () => {
    for (const classify of [sellOutcome, readOutcome]) {
      const outcome = classify(res(502, html, { contentType: 'text/html; charset=utf-8' }));
      expect(outcome.kind).toBe('ambiguous');
      if (outcome.kind !== 'ambiguous') return;
      expect(outcome.httpStatus).toBe(502);
      expect(outcome.key).toBeUndefined();
      expect(outcome.reason).toContain('non-JSON');
      expect(outcome.reason).toContain('text/html');
    }
  });

  it('a 5xx with JSON but no error key, or an empty body, is ambiguous', () => {
    expect(sellOutcome(res(500, JSON.stringify({ message: 'oops' })))).toMatchObject({
      kind: 'ambiguous',
      httpStatus: 500,
    });
    expect(sellOutcome(res(503, ''))).toMatchObject({ kind: 'ambiguous', httpStatus: 503 });
    // An envelope whose error has no key is not "a 5xx with a specific key".
    const keyless = JSON.stringify({
      requestId: 'r',
      success: false,
      error: { code: 1006, message: 'x' },
    });
    expect(sellOutcome(res(500, keyless))).toMatchObject({ kind: 'ambiguous', httpStatus: 500 });
  });

  it('a 4xx non-JSON is definitive UNEXPECTED_RESPONSE', () => {
    const outcome = readOutcome(
      res(404, '<h1>Not Found</h1>', { contentType: 'text/html', requestIdHeader: 'hdr-id' }),
    );
    expect(outcome).toMatchObject({
      kind: 'definitive',
      key: UNEXPECTED_RESPONSE,
      code: 0,
      httpStatus: 404,
      requestId: 'hdr-id',
    });
    expect(sellOutcome(res(400, 'Bad Request')).kind).toBe('definitive');
  });

  it('a plain (non-JSON) 429 from a proxy is still a throttle, with its Retry-After', () => {
    expect(sellOutcome(res(429, '<html>slow down</html>', { retryAfter: '7' }))).toEqual({
      kind: 'throttled',
      key: 'RATE_LIMITED',
      httpStatus: 429,
      retryAfterMs: 7000,
    });
  });

  it('a 2xx whose data fails the schema: sell → ambiguous (the trade may exist), read → definitive', () => {
    const bad = ok({ ...trade, status: 'WEIRD' });
    const sell = sellOutcome(res(201, bad));
    expect(sell.kind).toBe('ambiguous');
    if (sell.kind === 'ambiguous') {
      expect(sell.httpStatus).toBe(201);
      expect(sell.reason).toContain('status');
    }
    expect(readOutcome(res(200, bad))).toMatchObject({
      kind: 'definitive',
      key: UNEXPECTED_RESPONSE,
      httpStatus: 200,
    });
  });

  it('a 2xx that is not JSON or not an envelope: sell → ambiguous, read → definitive', () => {
    expect(sellOutcome(res(200, '<html>ok</html>')).kind).toBe('ambiguous');
    expect(sellOutcome(res(200, JSON.stringify(trade))).kind).toBe('ambiguous'); // data without envelope
    expect(sellOutcome(res(200, '{"requestId":"x","success":tr')).kind).toBe('ambiguous'); // truncated
    expect(readOutcome(res(200, '<html>ok</html>')).kind).toBe('definitive');
  });

  it('a valid 2xx is ok, with the requestId from the body or else the header', () => {
    const outcome = sellOutcome(res(201, ok(trade)));
    expect(outcome.kind).toBe('ok');
    if (outcome.kind === 'ok') {
      expect(outcome.data.id).toBe('trade-1');
      expect(outcome.data.items[0]?.offer?.price).toBe(10.75);
      expect(outcome.requestId).toBe(REQUEST_ID);
    }
    const noBodyId = classifyResponse(
      res(200, JSON.stringify({ requestId: '', success: true, data: { n: 1 } }), {
        requestIdHeader: 'from-header',
      }),
      z.object({ n: z.number() }),
      'read',
      NOW,
    );
    expect(noBodyId).toEqual({
      kind: 'ok',
      data: { n: 1 },
      httpStatus: 200,
      requestId: 'from-header',
    });
  });

  it('unknown response fields pass through (the vendor adds fields)', () => {
    const outcome = readOutcome(res(200, ok({ ...trade, somethingNew: 1 })));
    expect(outcome.kind).toBe('ok');
    if (outcome.kind === 'ok')
      expect((outcome.data as Record<string, unknown>).somethingNew).toBe(1);
  });
});

describe('throttled outcomes and Retry-After', () => {
  it('parses delta-seconds from the header into retryAfterMs', () => {
    expect(sellOutcome(res(429, errorBody('RATE_LIMITED'), { retryAfter: '30' }))).toEqual({
      kind: 'throttled',
      key: 'RATE_LIMITED',
      httpStatus: 429,
      retryAfterMs: 30_000,
    });
  });

  it('parses an HTTP-date relative to now', () => {
    const outcome = sellOutcome(
      res(429, errorBody('RATE_LIMITED'), { retryAfter: 'Thu, 14 May 2026 12:00:45 GMT' }),
    );
    expect(outcome).toMatchObject({ kind: 'throttled', retryAfterMs: 45_000 });
  });

  it('omits retryAfterMs when the header is absent or garbage', () => {
    const absent = sellOutcome(res(429, errorBody('RATE_LIMITED')));
    expect(absent.kind).toBe('throttled');
    expect('retryAfterMs' in absent).toBe(false);
    const garbage = sellOutcome(
      res(429, errorBody('TOO_MANY_ACTIVE_TRADES'), { retryAfter: 'soon' }),
    );
    expect(garbage).toEqual({ kind: 'throttled', key: 'TOO_MANY_ACTIVE_TRADES', httpStatus: 429 });
  });

  it('parseRetryAfter handles every form', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
    expect(parseRetryAfter(['5', '9'], NOW)).toBe(5_000);
    // IMF-fixdate, RFC 850 and asctime forms.
    expect(parseRetryAfter('Thu, 14 May 2026 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Thursday, 14-May-26 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Thu May 14 12:01:00 2026', NOW)).toBeTypeOf('number');
    // A date in the past means "now".
    expect(parseRetryAfter('Wed, 13 May 2026 12:00:00 GMT', NOW)).toBe(0);
    for (const garbage of [
      undefined,
      '',
      '   ',
      'soon',
      '-5',
      '1e3',
      '5s',
      'Thu, 99 Foo 2026 GMT',
      'NaN',
      '0x10',
    ]) {
      expect(parseRetryAfter(garbage, NOW), String(garbage)).toBeUndefined();
    }
  });
});

describe('transport failures and helpers', () => {
  it('before the request left → not-sent; after → ambiguous', () => {
    expect(classifyTransportFailure('before-send', 'ECONNREFUSED')).toEqual({
      kind: 'not-sent',
      reason: 'ECONNREFUSED',
    });
    expect(classifyTransportFailure('after-send', 'ECONNRESET')).toEqual({
      kind: 'ambiguous',
      reason: 'ECONNRESET',
    });
  });

  it('mapOutcome maps ok data and passes failures through untouched', () => {
    const okOutcome: ApiOutcome<number> = { kind: 'ok', data: 2, httpStatus: 200, requestId: 'r' };
    expect(mapOutcome(okOutcome, (n) => n * 10)).toEqual({
      kind: 'ok',
      data: 20,
      httpStatus: 200,
      requestId: 'r',
    });
    const failure: ApiOutcome<number> = { kind: 'not-sent', reason: 'x' };
    expect(mapOutcome<number, number>(failure, (n) => n * 10)).toBe(failure);
  });
});
