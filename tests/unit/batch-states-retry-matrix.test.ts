import { describe, expect, it } from 'vitest';
import { tradeSchema } from '../../shared/api/schemas';
import {
  classifyResponse,
  classifyTransportFailure,
} from '../../electron/main/services/assetpay/outcome';
import { decideSell, ITEM_PROBLEM_KEYS } from '../../electron/main/services/engine';

/* The api §8 retry matrix as data: every row, including keys the emulator cannot produce. */

function answer(
  status: number,
  key: string,
  extra: Record<string, unknown> = {},
  retryAfter?: string,
) {
  const body = JSON.stringify({
    requestId: 'r',
    success: false,
    error: { code: 1, key, message: `${key} happened`, ...extra },
  });
  return decideSell(
    classifyResponse(
      { status, body, ...(retryAfter ? { retryAfter } : {}) },
      tradeSchema,
      'write',
      Date.now(),
    ),
  );
}

describe('retry matrix (decideSell)', () => {
  it('connect failure → same body, same externalId', () => {
    expect(decideSell(classifyTransportFailure('before-send', 'ECONNREFUSED'))).toMatchObject({
      do: 'resend-same',
    });
  });

  it('timeout / reset after send, 5xx without key, SERVER_ERROR, DATABASE_ERROR → reconcile', () => {
    expect(decideSell(classifyTransportFailure('after-send', 'ECONNRESET'))).toMatchObject({
      do: 'reconcile',
    });
    expect(
      decideSell(
        classifyResponse(
          { status: 502, body: '<html>502</html>', contentType: 'text/html' },
          tradeSchema,
          'write',
          0,
        ),
      ),
    ).toMatchObject({ do: 'reconcile' });
    expect(
      decideSell(
        classifyResponse({ status: 500, body: '{"statusCode":500}' }, tradeSchema, 'write', 0),
      ),
    ).toMatchObject({ do: 'reconcile' });
    expect(answer(500, 'SERVER_ERROR')).toMatchObject({ do: 'reconcile' });
    expect(answer(500, 'DATABASE_ERROR')).toMatchObject({ do: 'reconcile' });
  });

  it('429 RATE_LIMITED / TOO_MANY_ACTIVE_TRADES → throttled (Retry-After honoured)', () => {
    expect(answer(429, 'RATE_LIMITED', {}, '3')).toEqual({
      do: 'throttled',
      key: 'RATE_LIMITED',
      retryAfterMs: 3000,
    });
    expect(answer(429, 'TOO_MANY_ACTIVE_TRADES')).toMatchObject({
      do: 'throttled',
      retryAfterMs: undefined,
    });
  });

  it('FLEET_DEGRADED, DEPOSIT_IN_PROGRESS → back off, same externalId', () => {
    expect(answer(503, 'FLEET_DEGRADED')).toMatchObject({ do: 'backoff-same' });
    expect(answer(429, 'DEPOSIT_IN_PROGRESS')).toMatchObject({ do: 'backoff-same' });
  });

  it('EXTERNAL_ID_EXISTS → look up and adopt', () => {
    expect(answer(409, 'EXTERNAL_ID_EXISTS')).toMatchObject({ do: 'lookup-adopt' });
  });

  it('item refusals → needs review, each with its own way out (issue 14: only PRICE_CHANGED reviews prices)', () => {
    for (const [status, key, actions] of [
      [409, 'PRICE_CHANGED', ['review-prices', 'skip']],
      [409, 'ITEM_OVERSTOCKED', ['review-items', 'skip']],
      [400, 'ITEMS_NOT_ACCEPTED', ['review-items', 'skip']],
      [400, 'ITEMS_UNAVAILABLE', ['review-items', 'skip']],
      [400, 'NO_OFFER_FOUND', ['review-items', 'skip']],
      [400, 'INSUFFICIENT_ITEM_AMOUNT', ['review-items', 'skip']],
      [400, 'EXCEEDS_MAX_AMOUNT', ['review-items', 'skip']],
    ] as const) {
      expect(ITEM_PROBLEM_KEYS.has(key)).toBe(true);
      const d = answer(status, key, { details: { items: [{ itemId: 'x' }] } });
      expect(d, key).toMatchObject({
        do: 'review',
        key,
        actions,
        details: { items: [{ itemId: 'x' }] },
      });
    }
  });

  it('NO_BOTS_AVAILABLE, SERVICE_UNAVAILABLE, SYSTEM_MAINTENANCE, DEPOSITS_PAUSED, STEAM_*, 424 → the run waits', () => {
    for (const [status, key] of [
      [503, 'NO_BOTS_AVAILABLE'],
      [503, 'SERVICE_UNAVAILABLE'],
      [503, 'SYSTEM_MAINTENANCE'],
      [503, 'DEPOSITS_PAUSED'],
      [424, 'STEAM_UNAVAILABLE'],
      [424, 'STEAM_RATE_LIMITED'],
      [424, 'STEAM_SOMETHING_NEW'],
      [424, 'WHATEVER'],
      [424, 'INVENTORY_FETCH_FAILED'],
    ] as const) {
      expect(answer(status, key), key).toMatchObject({ do: 'wait-run', key });
    }
  });

  it('TRADE_OFFER_FAILED → look up, next attempt', () => {
    expect(answer(500, 'TRADE_OFFER_FAILED')).toMatchObject({ do: 'next-attempt' });
  });

  it('VALIDATION_FAILED → needs review with the fields, never auto-retried', () => {
    const d = answer(422, 'VALIDATION_FAILED', { fields: { 'items.3.itemId': 'duplicate' } });
    expect(d).toMatchObject({
      do: 'review',
      autoRetry: false,
      details: { fields: { 'items.3.itemId': 'duplicate' } },
    });
  });

  it('INVALID_TRADEURL, USER_NOT_TRADEABLE → blocked, fix the account', () => {
    expect(answer(400, 'INVALID_TRADEURL')).toMatchObject({
      do: 'block',
      cause: 'account',
      actions: ['fix-account', 'retry', 'skip'],
    });
    expect(answer(400, 'USER_NOT_TRADEABLE')).toMatchObject({ do: 'block', cause: 'account' });
  });

  it('401/403 → blocked, fix the key', () => {
    for (const [status, key] of [
      [401, 'INVALID_API_KEY'],
      [401, 'API_KEY_REVOKED'],
      [403, 'API_KEY_SCOPE_DENIED'],
      [403, 'API_KEY_IP_DENIED'],
      [401, 'SOMETHING_ELSE'],
    ] as const) {
      expect(answer(status, key), key).toMatchObject({
        do: 'block',
        cause: 'key',
        actions: ['fix-key', 'retry'],
      });
    }
  });

  it('an unknown 4xx key → needs review; an unknown 5xx key → the run waits', () => {
    expect(answer(400, 'BRAND_NEW_KEY')).toMatchObject({
      do: 'review',
      actions: ['retry', 'skip'],
    });
    expect(answer(503, 'BRAND_NEW_OUTAGE')).toMatchObject({ do: 'wait-run' });
  });
});
