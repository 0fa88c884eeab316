import type { Trade } from '../../../../shared/api/schemas';
import type { ApiOutcome } from '../assetpay/outcome';
import type { NextAction } from '../store';

/*
 * The retry matrix of api §8 for POST /secure/sell, as a pure function from
 * an outcome to what the engine must do. Branches on error.key, never on the
 * code (api §2); the HTTP status only decides for keys it does not know.
 */

export type SellDecision =
  /** 2xx: store the trade and every relatedTrades id; start tracking. */
  | { do: 'adopt'; trade: Trade }
  /** Provably not sent: same body, same externalId, after a short delay (the run waits while offline). */
  | { do: 'resend-same'; reason: string }
  /** Timeout/reset after send, 5xx without key, SERVER_ERROR, DATABASE_ERROR: the reconcile procedure. */
  | { do: 'reconcile'; reason: string }
  /** 429: the client already paused the limiter family; same externalId after the wait. */
  | { do: 'throttled'; key: string; retryAfterMs: number | undefined }
  /** Refused before any side effect: back off, same externalId. */
  | { do: 'backoff-same'; key: string; message: string }
  /** "Already created": look it up by externalId and adopt it (a failed one → next attempt). */
  | { do: 'lookup-adopt'; key: string }
  /** The batch must be fixed; a retry is attempt + 1 once the old externalId is proven not live. */
  | {
      do: 'review';
      key: string;
      message: string;
      actions: NextAction[];
      details: Record<string, unknown> | null;
      autoRetry: false;
    }
  /** Platform side down: pause the run with back-off; retry with a new attempt after the proof. */
  | { do: 'wait-run'; key: string; message: string }
  /** The offer could not be sent; the record is likely failed: look it up, retry with a new attempt. */
  | { do: 'next-attempt'; key: string; message: string }
  /** The trader must act (key, account). */
  | { do: 'block'; key: string; message: string; actions: NextAction[]; cause: 'key' | 'account' };

/** Item-level refusals (api §8 row "PRICE_CHANGED, ITEMS_*, ITEM_OVERSTOCKED, NO_OFFER_FOUND, …"). */
export const ITEM_PROBLEM_KEYS: ReadonlySet<string> = new Set([
  'PRICE_CHANGED',
  'ITEMS_UNAVAILABLE',
  'ITEMS_NOT_ACCEPTED',
  'ITEM_OVERSTOCKED',
  'NO_OFFER_FOUND',
  'INSUFFICIENT_ITEM_AMOUNT',
  'EXCEEDS_MAX_AMOUNT',
]);

/** Platform unavailable: pause the run (api §8 row "NO_BOTS_AVAILABLE, SERVICE_UNAVAILABLE, …, STEAM_*, 424"). */
const WAIT_KEYS: ReadonlySet<string> = new Set([
  'NO_BOTS_AVAILABLE',
  'SERVICE_UNAVAILABLE',
  'SYSTEM_MAINTENANCE',
  'DEPOSITS_PAUSED',
  'STEAM_UNAVAILABLE',
  'STEAM_RATE_LIMITED',
  'INVENTORY_FETCH_FAILED',
]);

const BACKOFF_SAME_KEYS: ReadonlySet<string> = new Set(['FLEET_DEGRADED', 'DEPOSIT_IN_PROGRESS']);
const ACCOUNT_KEYS: ReadonlySet<string> = new Set([
  'INVALID_TRADEURL',
  'USER_NOT_TRADEABLE',
  'INVENTORY_PRIVATE',
  'ESCROW_NOT_ALLOWED',
  'USER_NOT_FOUND',
]);

const REVIEW_TEXT: Record<string, string> = {
  PRICE_CHANGED:
    'AssetPay’s price changed for some items since the pre-flight. Retry re-checks the prices: rises and drops within your tolerance are applied, items that fell further are taken out of this batch.',
  ITEMS_UNAVAILABLE:
    'Some items are no longer in the account’s inventory (traded, or not tradable). Retry re-checks the inventory and takes them out of this batch.',
  ITEMS_NOT_ACCEPTED:
    'AssetPay no longer accepts some items. Retry re-checks the inventory and takes them out of this batch.',
  ITEM_OVERSTOCKED:
    'AssetPay holds too many of some items (overstocked). Retry takes them out of this batch (or lowers the amount to what AssetPay still takes).',
  NO_OFFER_FOUND:
    'AssetPay has no offer for some items. Retry re-checks the prices and takes items without an offer out of this batch.',
  INSUFFICIENT_ITEM_AMOUNT:
    'A stack amount is more than the account holds. Retry re-checks the inventory and lowers the amounts.',
  EXCEEDS_MAX_AMOUNT:
    'A stack amount is above what AssetPay accepts per item. Retry re-checks the inventory and lowers the amounts.',
};

function text(message: string | undefined, fallback: string): string {
  return message && message.trim() ? message : fallback;
}

export function decideSell(outcome: ApiOutcome<Trade>): SellDecision {
  switch (outcome.kind) {
    case 'ok':
      return { do: 'adopt', trade: outcome.data };
    case 'not-sent':
      return { do: 'resend-same', reason: outcome.reason };
    case 'ambiguous':
      return { do: 'reconcile', reason: outcome.reason };
    case 'throttled':
      return { do: 'throttled', key: outcome.key, retryAfterMs: outcome.retryAfterMs };
    case 'auth':
      return {
        do: 'block',
        key: outcome.key,
        cause: 'key',
        actions: ['fix-key', 'retry'],
        message: `AssetPay refused the API key (${outcome.key}). Enter a valid key with the CORE_ACCESS scope in Settings, then retry.`,
      };
    case 'definitive':
      return decideDefinitive(
        outcome.key,
        outcome.httpStatus,
        outcome.message,
        outcome.fields,
        outcome.details,
      );
  }
}

export function decideDefinitive(
  key: string,
  httpStatus: number,
  message: string,
  fields?: Record<string, string>,
  details?: Record<string, unknown>,
): SellDecision {
  if (key === 'EXTERNAL_ID_EXISTS') return { do: 'lookup-adopt', key };
  if (BACKOFF_SAME_KEYS.has(key)) return { do: 'backoff-same', key, message: text(message, key) };
  if (ITEM_PROBLEM_KEYS.has(key)) {
    return {
      do: 'review',
      key,
      message: REVIEW_TEXT[key]!,
      actions: ['review-prices', 'retry', 'skip'],
      details: details ?? null,
      autoRetry: false,
    };
  }
  if (key === 'VALIDATION_FAILED') {
    const list = Object.entries(fields ?? {})
      .slice(0, 5)
      .map(([f, why]) => `${f}: ${why}`)
      .join('; ');
    return {
      do: 'review',
      key,
      message: `AssetPay refused the request as invalid${list ? ` (${list})` : ''}. It will not be resent as is; fix the items (or skip the batch), then retry.`,
      actions: ['retry', 'skip'],
      details: fields ? { fields } : null,
      autoRetry: false,
    };
  }
  if (key === 'TRADE_OFFER_FAILED') {
    return {
      do: 'next-attempt',
      key,
      message: 'Steam could not send the trade offer. The batch is retried with a new attempt.',
    };
  }
  if (ACCOUNT_KEYS.has(key)) {
    const why =
      key === 'INVALID_TRADEURL'
        ? 'AssetPay says the account’s trade URL is malformed or inaccessible.'
        : 'AssetPay says this Steam account cannot trade (trade ban, private inventory, VAC ban for CS2, or Steam restrictions).';
    return {
      do: 'block',
      key,
      cause: 'account',
      actions: ['fix-account', 'retry', 'skip'],
      message: `${why} Check the account (and its trade URL) in Accounts, then retry.`,
    };
  }
  if (WAIT_KEYS.has(key) || key.startsWith('STEAM_') || httpStatus === 424) {
    return { do: 'wait-run', key, message: waitText(key) };
  }
  if (httpStatus === 401 || httpStatus === 403) {
    return {
      do: 'block',
      key,
      cause: 'key',
      actions: ['fix-key', 'retry'],
      message: `AssetPay refused the API key (${key}). Check the key in Settings, then retry.`,
    };
  }
  if (httpStatus >= 500) return { do: 'wait-run', key, message: waitText(key) };
  return {
    do: 'review',
    key,
    message: `AssetPay refused this batch (${key}: ${text(message, 'no reason given')}). Retry sends it again as a new attempt; skip leaves its items unsold.`,
    actions: ['retry', 'skip'],
    details: details ?? null,
    autoRetry: false,
  };
}

function waitText(key: string): string {
  switch (key) {
    case 'NO_BOTS_AVAILABLE':
      return 'AssetPay has no trade bots online. The run waits and retries by itself.';
    case 'SYSTEM_MAINTENANCE':
      return 'AssetPay is in maintenance. The run waits and retries by itself.';
    case 'DEPOSITS_PAUSED':
      return 'AssetPay has paused deposits. The run waits and retries by itself.';
    case 'SERVICE_UNAVAILABLE':
      return 'AssetPay’s deposit service is down. The run waits and retries by itself.';
    default:
      return key.startsWith('STEAM_')
        ? 'Steam is failing or throttling. The run waits and retries by itself.'
        : `AssetPay is unavailable (${key}). The run waits and retries by itself.`;
  }
}
