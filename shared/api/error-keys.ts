/*
 * AssetPay error keys in the groups the product acts on (api §2, §8 retry
 * matrix). The one definition: the client's classifier, the engine's sell
 * policy and the words a batch shows all read these. Branch on the key, never
 * on the numeric code (codes were renumbered between doc versions, api §2).
 */

/** Merchant throttles: wait (Retry-After or back-off) and send the same request again. */
export const THROTTLE_KEYS: ReadonlySet<string> = new Set([
  'RATE_LIMITED',
  'TOO_MANY_ACTIVE_TRADES',
]);

/** Server failures that may have created the trade (api §8 "treat as ambiguous"). */
export const AMBIGUOUS_KEYS: ReadonlySet<string> = new Set(['SERVER_ERROR', 'DATABASE_ERROR']);

/** The API key (or its scope, or the caller's IP) was refused: the trader must fix the key. */
export const KEY_KEYS: ReadonlySet<string> = new Set([
  'MISSING_API_KEY',
  'INVALID_API_KEY',
  'API_KEY_REVOKED',
  'API_KEY_SCOPE_DENIED',
  'API_KEY_IP_DENIED',
  'INSUFFICIENT_SCOPE',
  'MERCHANT_API_KEY_REQUIRED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'ACCOUNT_DISABLED',
  'INVALID_CREDENTIALS',
  'INVALID_TOKEN',
  'MISSING_BEARER',
  'TOKEN_INVALID_OR_EXPIRED',
  'TOKEN_EXPIRED',
]);

/** Refused before any side effect: back off, then the same request again (api §8). */
export const SAME_REQUEST_KEYS: ReadonlySet<string> = new Set([
  'FLEET_DEGRADED',
  'DEPOSIT_IN_PROGRESS',
]);

/** Something about the batch's items: the trader reviews, a retry is a new attempt. */
export const ITEM_PROBLEM_KEYS: ReadonlySet<string> = new Set([
  'PRICE_CHANGED',
  'ITEMS_UNAVAILABLE',
  'ITEMS_NOT_ACCEPTED',
  'ITEM_OVERSTOCKED',
  'NO_OFFER_FOUND',
  'INSUFFICIENT_ITEM_AMOUNT',
  'EXCEEDS_MAX_AMOUNT',
  'MISSING_ITEMS',
]);

/** AssetPay or Steam is down for a while: the run waits and retries with a new attempt. */
export const PLATFORM_DOWN_KEYS: ReadonlySet<string> = new Set([
  'NO_BOTS_AVAILABLE',
  'SERVICE_UNAVAILABLE',
  'SYSTEM_MAINTENANCE',
  'DEPOSITS_PAUSED',
  'STEAM_UNAVAILABLE',
  'STEAM_RATE_LIMITED',
  'INVENTORY_FETCH_FAILED',
]);

/** The Steam account (or its trade URL) cannot trade: the trader fixes the account. */
export const ACCOUNT_KEYS: ReadonlySet<string> = new Set([
  'INVALID_TRADEURL',
  'USER_NOT_TRADEABLE',
  'INVENTORY_PRIVATE',
  'ESCROW_NOT_ALLOWED',
  'USER_NOT_FOUND',
]);
