import { AppError } from '../../../shared/contract/result';
import type { ApiOutcome } from '../services/assetpay/outcome';
import { redactString } from '../services/log';
import { unreachableMessage } from '../services/assetpay/unreachable';
import { someNames } from '../../../shared/words';

/*
 * AssetPay outcomes of the interactive calls (inventory fetch, trade-URL
 * check, key check) as errors the trader can act on. Branches on `key`, never
 * on the numeric code (api §2). The server's own message is only a fallback,
 * and passes through the redactor first.
 */

const PLAIN_WORDS: Record<string, string> = {
  MISSING_API_KEY: 'No API key is set for this environment. Add it in Settings.',
  INVALID_API_KEY:
    'AssetPay refused the API key. Check it in Settings (it may have been mistyped or rotated).',
  API_KEY_REVOKED:
    'This API key was revoked in the AssetPay dashboard. Create a new key and set it in Settings.',
  API_KEY_SCOPE_DENIED:
    'This API key lacks the CORE_ACCESS scope. Enable it in the AssetPay dashboard.',
  API_KEY_IP_DENIED:
    'This API key is bound to other IP addresses. Allow this network in the AssetPay dashboard or use an unrestricted key.',
  UNAUTHORIZED: 'AssetPay refused the credentials. Check the API key in Settings.',
  FORBIDDEN:
    'AssetPay refused the request for this key. Check its scopes in the AssetPay dashboard.',
  INVALID_TRADEURL:
    'AssetPay says this trade URL is malformed or not accessible. Copy it again from Steam (Inventory → Trade offers → Who can send me trade offers).',
  USER_NOT_TRADEABLE:
    'Steam says this account cannot trade (private inventory, trade ban or restriction).',
  INVENTORY_FETCH_FAILED:
    'AssetPay could not load this inventory from Steam. Try again in a minute.',
  STEAM_UNAVAILABLE: 'Steam is unavailable right now. Try again later.',
  STEAM_RATE_LIMITED: 'Steam is rate-limiting AssetPay right now. Try again in a few minutes.',
  NO_BOTS_AVAILABLE: 'AssetPay has no trade bots available right now. Try again later.',
  FLEET_DEGRADED: 'AssetPay’s trade bots are degraded right now. Try again shortly.',
  SERVICE_UNAVAILABLE: 'AssetPay is unavailable right now. Try again later.',
  SYSTEM_MAINTENANCE: 'AssetPay is under maintenance. Try again later.',
  RATE_LIMITED: 'AssetPay is rate-limiting requests. Try again shortly.',
  TOO_MANY_ACTIVE_TRADES:
    'Too many trades are waiting to be accepted in Steam. Accept or decline some offers first.',
};

export function plainWords(key: string, fallback?: string): string {
  return PLAIN_WORDS[key] ?? (fallback ? redactString(fallback) : `AssetPay answered ${key}.`);
}

/** Returns the data of an `ok` outcome or throws the matching AppError. */
export function unwrap<T>(outcome: ApiOutcome<T>, what: string): T {
  switch (outcome.kind) {
    case 'ok':
      return outcome.data;
    case 'not-sent':
      throw new AppError('offline', `Could not ${what}. ${unreachableMessage(outcome.reason)}`, {
        reason: redactString(outcome.reason),
      });
    case 'ambiguous':
      throw new AppError(
        'api-error',
        `AssetPay did not answer properly while trying to ${what}. Try again.`,
        {
          key: outcome.key ?? 'NO_ANSWER',
        },
      );
    case 'throttled': {
      const wait =
        outcome.retryAfterMs !== undefined
          ? ` in ${Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))} s`
          : ' shortly';
      throw new AppError(
        'api-error',
        `${plainWords(outcome.key).replace(/ Try again.*$/, '')} Try again${wait}.`,
        {
          key: outcome.key,
          ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
        },
      );
    }
    case 'auth':
      throw new AppError('api-error', plainWords(outcome.key, outcome.message), {
        key: outcome.key,
      });
    case 'definitive':
      throw new AppError('api-error', plainWords(outcome.key, outcome.message), {
        key: outcome.key,
        ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
      });
  }
}

/** For messages that name items: at most `max` names, then "and N more". */
export function listSome(values: readonly string[], max = 5): string {
  return someNames(values, max);
}

/**
 * The engine names a transport failure by its raw reason ("not sent: getaddrinfo ENOTFOUND …");
 * the trader gets the same plain words as everywhere else, from what the app just learned.
 */
export function inPlainWords<T>(
  run: () => Promise<T>,
  unreachable: () => string | null,
): Promise<T> {
  return run().catch((error: unknown) => {
    const words = unreachable();
    if (error instanceof AppError && error.code === 'offline' && words !== null) {
      const what = error.message.split(':')[0]!.replace(/^Could not /, '');
      throw new AppError('offline', `Could not ${what}. ${words}`, error.details);
    }
    throw error;
  });
}
