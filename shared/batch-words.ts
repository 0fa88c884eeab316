import { AWAITING_TRADE_STATUSES, type BatchState } from './domain';
import type { TradeStatus } from './api/schemas';
import { ACCOUNT_KEYS, KEY_KEYS, PLATFORM_DOWN_KEYS } from './api/error-keys';
import { formatUsd } from './money';

/*
 * The words a batch card shows (design §1 flow 5), derived every time from
 * what the batch is now: its state, the last error key (api §2 keys, never
 * codes), when it is tried next and its trades. Nothing stores these words,
 * so they can never go stale (a 7-day hold keeps saying the right thing).
 */

export interface BatchFacts {
  state: BatchState;
  lastErrorKey: string | null;
  lastErrorMessage: string | null;
  lastErrorDetails: Record<string, unknown> | null;
  /** Epoch ms of the next try (queued) or check (unknown), if any. */
  nextAttemptAt: number | null;
  trades: readonly {
    status: TradeStatus;
    offerId: string | null;
    holdEndDate: string | null;
    totalCents: number;
  }[];
}

export function describeBatch(b: BatchFacts, now: number): string {
  const key = b.lastErrorKey;
  switch (b.state) {
    case 'draft':
    case 'queued':
      return queuedWords(b, now);
    case 'sending':
      return 'Being sent to AssetPay…';
    case 'unknown':
      return 'AssetPay did not say clearly whether this sell went through. The app is checking by its externalId; its items stay reserved until it knows, so nothing is sold twice.';
    case 'created':
    case 'tracking':
      return tradeProgress(b.trades);
    case 'settled':
      return settledWords(b.trades);
    case 'needs-review':
      return reviewWords(key, b.lastErrorDetails, b.lastErrorMessage);
    case 'blocked':
      if (key && KEY_KEYS.has(key))
        return `AssetPay refused the API key (${key}). Enter a valid key with the CORE_ACCESS scope in Settings, then retry.`;
      if (key === 'INVALID_TRADEURL')
        return 'AssetPay says the account’s trade URL is malformed or inaccessible. Fix it in Accounts, then retry.';
      if (key && ACCOUNT_KEYS.has(key))
        return 'AssetPay says this Steam account cannot trade (trade ban, private inventory, VAC ban for CS2, or Steam restrictions). Check the account in Accounts, then retry.';
      return `${key ? `${key}: ` : ''}this batch cannot be sent as it is. Fix the account, then retry, or skip it.`;
    case 'skipped':
      return 'Skipped: its items were not sold.';
    case 'canceled':
      return 'Canceled: its items were not sold.';
  }
}

function at(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

function queuedWords(b: BatchFacts, now: number): string {
  const later = b.nextAttemptAt !== null && b.nextAttemptAt > now;
  const when = later ? ` Next try at ${at(b.nextAttemptAt!)}.` : '';
  switch (b.lastErrorKey) {
    case null:
      return 'Waiting to be sent.';
    case 'NOT_SENT':
      return `AssetPay could not be reached; the same request will be sent again.${when}`;
    case 'RATE_LIMITED':
    case 'TOO_MANY_ACTIVE_TRADES':
      return `Rate limited by AssetPay; the same request goes again after the wait.${when}`;
    case 'FLEET_DEGRADED':
    case 'DEPOSIT_IN_PROGRESS':
      return `AssetPay asked to retry shortly (${b.lastErrorKey}); the same request goes again.${when}`;
    case 'TRADE_OFFER_FAILED':
      return `Steam could not send the trade offer; a new attempt follows.${when}`;
    default:
      if (PLATFORM_DOWN_KEYS.has(b.lastErrorKey) || b.lastErrorKey.startsWith('STEAM_'))
        return `${platformWords(b.lastErrorKey)} A new attempt follows once the previous one is proven not live.${when}`;
      return `Waiting to be sent again.${when}`;
  }
}

export function platformWords(key: string): string {
  switch (key) {
    case 'NO_BOTS_AVAILABLE':
      return 'AssetPay has no trade bots online; the run waits and retries by itself.';
    case 'SYSTEM_MAINTENANCE':
      return 'AssetPay is in maintenance; the run waits and retries by itself.';
    case 'DEPOSITS_PAUSED':
      return 'AssetPay has paused deposits; the run waits and retries by itself.';
    case 'SERVICE_UNAVAILABLE':
      return 'AssetPay’s deposit service is down; the run waits and retries by itself.';
    default:
      return key.startsWith('STEAM_')
        ? 'Steam is failing or throttling; the run waits and retries by itself.'
        : `AssetPay is unavailable (${key}); the run waits and retries by itself.`;
  }
}

const REVIEW_WORDS: Record<string, string> = {
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
  TRADE_OFFER_FAILED:
    'Steam could not send the trade offer several times. Retry when Steam works again, or skip.',
};

function reviewWords(
  key: string | null,
  details: Record<string, unknown> | null,
  serverMessage: string | null,
): string {
  if (key && REVIEW_WORDS[key]) return REVIEW_WORDS[key];
  if (key === 'VALIDATION_FAILED') {
    const fields = details?.fields;
    const list =
      fields && typeof fields === 'object'
        ? Object.entries(fields as Record<string, unknown>)
            .slice(0, 5)
            .map(([f, why]) => `${f}: ${String(why)}`)
            .join('; ')
        : '';
    return `AssetPay refused the request as invalid${list ? ` (${list})` : ''}. It will not be resent as is; fix the items (or skip the batch), then retry.`;
  }
  return `AssetPay refused this batch (${key ?? 'no key'}: ${serverMessage?.trim() || 'no reason given'}). Retry sends it again as a new attempt; skip leaves its items unsold.`;
}

function tradeProgress(trades: BatchFacts['trades']): string {
  if (trades.length === 0) return 'Trade created; waiting for its details.';
  const offers = trades.filter((t) => t.status === 'active' && t.offerId);
  if (offers.length > 0)
    return `Accept the AssetPay trade offer${offers.length > 1 ? 's' : ''} ${offers.map((t) => `#${t.offerId}`).join(', ')} in Steam.`;
  const hold = trades.find((t) => t.status === 'hold');
  if (hold)
    return `Accepted; Steam holds the items${hold.holdEndDate ? ` until ${hold.holdEndDate.slice(0, 16).replace('T', ' ')} UTC` : ''}.`;
  if (trades.some((t) => AWAITING_TRADE_STATUSES.includes(t.status)))
    return 'Waiting for AssetPay to send the Steam trade offer.';
  return 'The trades are done; checking that no split trade of this batch is missing before closing it.';
}

function settledWords(trades: BatchFacts['trades']): string {
  const completed = trades.filter((t) => t.status === 'completed');
  const failed = trades.filter((t) => t.status !== 'completed');
  if (failed.length === 0)
    return `Sold: ${formatUsd(completed.reduce((sum, t) => sum + t.totalCents, 0))} credited.`;
  const statuses = [...new Set(failed.map((t) => t.status))].join(', ');
  return completed.length > 0
    ? `Partly sold; ${failed.length} ${failed.length === 1 ? 'trade' : 'trades'} ended ${statuses}.`
    : `Not sold: the trade ended ${statuses}. The items stay in the Steam account.`;
}
