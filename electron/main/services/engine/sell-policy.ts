import type { Trade } from '../../../../shared/api/schemas';
import {
  ACCOUNT_KEYS,
  ITEM_PROBLEM_KEYS,
  PLATFORM_DOWN_KEYS,
  SAME_REQUEST_KEYS,
} from '../../../../shared/api/error-keys';
import type { ApiOutcome } from '../assetpay/outcome';
import type { NextAction } from '../store';

/*
 * The retry matrix of api §8 for POST /secure/sell, as a pure function from
 * an outcome to what the engine must do. Branches on error.key, never on the
 * code (api §2); the HTTP status only decides for keys it does not know. The
 * words the trader reads are derived later from the key (shared/batch-words.ts).
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
  | { do: 'backoff-same'; key: string }
  /** "Already created": look it up by externalId and adopt it (a failed one → next attempt). */
  | { do: 'lookup-adopt'; key: string }
  /** The batch must be fixed; a retry is attempt + 1 once the old externalId is proven not live. */
  | {
      do: 'review';
      key: string;
      actions: NextAction[];
      details: Record<string, unknown> | null;
      autoRetry: false;
    }
  /** Platform side down: the run waits with back-off; a new attempt follows after the proof. */
  | { do: 'wait-run'; key: string }
  /** The offer could not be sent; the record is likely failed: a new attempt after the proof. */
  | { do: 'next-attempt'; key: string }
  /** The trader must act (key, account). */
  | { do: 'block'; key: string; actions: NextAction[]; cause: 'key' | 'account' };

export { ITEM_PROBLEM_KEYS };

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
      return { do: 'block', key: outcome.key, cause: 'key', actions: ['fix-key', 'retry'] };
    case 'definitive':
      return decideDefinitive(outcome.key, outcome.httpStatus, outcome.fields, outcome.details);
  }
}

export function decideDefinitive(
  key: string,
  httpStatus: number,
  fields?: Record<string, string>,
  details?: Record<string, unknown>,
): SellDecision {
  if (key === 'EXTERNAL_ID_EXISTS') return { do: 'lookup-adopt', key };
  if (SAME_REQUEST_KEYS.has(key)) return { do: 'backoff-same', key };
  if (ITEM_PROBLEM_KEYS.has(key)) return review(key, itemProblemActions(key), details ?? null);
  if (key === 'VALIDATION_FAILED')
    return review(key, ['retry', 'skip'], fields ? { fields } : null);
  if (key === 'TRADE_OFFER_FAILED') return { do: 'next-attempt', key };
  if (ACCOUNT_KEYS.has(key))
    return { do: 'block', key, cause: 'account', actions: ['fix-account', 'retry', 'skip'] };
  if (PLATFORM_DOWN_KEYS.has(key) || key.startsWith('STEAM_') || httpStatus === 424)
    return { do: 'wait-run', key };
  if (httpStatus === 401 || httpStatus === 403)
    return { do: 'block', key, cause: 'key', actions: ['fix-key', 'retry'] };
  if (httpStatus >= 500) return { do: 'wait-run', key };
  return review(key, ['retry', 'skip'], details ?? null);
}

/**
 * Each item refusal has its own way out (issue 14): a price change is reviewed
 * as prices; an overstocked, unavailable or not-accepted item is reviewed as
 * an item (sell what AssetPay still takes, or leave it out). The review holds
 * the retry, so a bare "Retry" (which applies the plan's tolerance) is not offered.
 */
export function itemProblemActions(key: string): NextAction[] {
  return [key === 'PRICE_CHANGED' ? 'review-prices' : 'review-items', 'skip'];
}

function review(
  key: string,
  actions: NextAction[],
  details: Record<string, unknown> | null,
): SellDecision {
  return { do: 'review', key, actions, details, autoRetry: false };
}
