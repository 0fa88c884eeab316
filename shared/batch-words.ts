import { AWAITING_TRADE_STATUSES, type BatchState, type NextAction } from './domain';
import type { TradeStatus } from './api/schemas';
import { ACCOUNT_KEYS, KEY_KEYS, PLATFORM_DOWN_KEYS } from './api/error-keys';
import { refusedItems, type RefusedItem } from './api/refused-items';
import type { ReviewItem } from './model';
import { formatUsd } from './money';
import { plural, someNames } from './words';

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
      return tradeProgress(b.trades, now);
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

/** "2026-05-14 12:00" (UTC). */
function minute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
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

/** "2 items (A, B)" or "some items" when AssetPay did not name them. */
function whichItems(named: { name: string }[]): string {
  if (named.length === 0) return 'some items';
  return `${plural(named.length, 'item')} (${someNames(named.map((n) => n.name))})`;
}

function itOrThem(named: unknown[]): string {
  return named.length === 1 ? 'it' : 'them';
}

/** Each item-level refusal in its own words, with its own way out (issue 14: never "prices changed" for another cause). */
const REVIEW_WORDS: Record<string, (named: RefusedItem[]) => string> = {
  PRICE_CHANGED: (named) =>
    `AssetPay’s offer changed for ${whichItems(named)} since the price check. Review the new prices: sell each at AssetPay’s current offer, or leave it out.`,
  ITEM_OVERSTOCKED: (named) => {
    const takes = named.map((n) =>
      n.remaining ? `${n.name}: it takes only ${n.remaining} more` : `${n.name}: it takes no more`,
    );
    return `AssetPay is overstocked on ${named.length > 0 ? someNames(takes) : 'some items'}. Review ${itOrThem(named)}: sell what AssetPay still takes, or leave ${itOrThem(named)} out.`;
  },
  ITEMS_UNAVAILABLE: (named) =>
    `${named.length > 0 ? whichItems(named) : 'Some items'} ${named.length === 1 ? 'is' : 'are'} no longer in the account’s inventory (traded elsewhere, or not tradable). Leave ${itOrThem(named)} out and send the rest, or skip the batch.`,
  ITEMS_NOT_ACCEPTED: (named) =>
    `AssetPay no longer accepts ${whichItems(named)}. Leave ${itOrThem(named)} out and send the rest, or skip the batch.`,
  NO_OFFER_FOUND: (named) =>
    `AssetPay has no offer for ${whichItems(named)}. Leave ${itOrThem(named)} out and send the rest, or skip the batch.`,
  INSUFFICIENT_ITEM_AMOUNT: (named) =>
    `A stack amount is more than the account holds (${whichItems(named)}). Review: sell the units still there, or leave ${itOrThem(named)} out.`,
  EXCEEDS_MAX_AMOUNT: (named) =>
    `A stack amount is above what AssetPay takes per item (${whichItems(named)}). Review: sell the most AssetPay takes, or leave ${itOrThem(named)} out.`,
  TRADE_OFFER_FAILED: () =>
    'Steam could not send the trade offer several times. Retry when Steam works again, or skip.',
};

/** Review words that depend on the batch's details rather than on refused items. */
function externalIdWords(details: Record<string, unknown> | null): string {
  const externalId =
    typeof details?.externalId === 'string' ? details.externalId : 'its externalId';
  return `AssetPay says this sell (${externalId}) was created, but no lookup finds it. Check ${externalId} in the AssetPay dashboard: skip the batch if nothing was sold there, or retry it as a new attempt.`;
}

function reviewWords(
  key: string | null,
  details: Record<string, unknown> | null,
  serverMessage: string | null,
): string {
  if (key === 'EXTERNAL_ID_UNFINDABLE') return externalIdWords(details);
  const words = key ? REVIEW_WORDS[key] : undefined;
  if (words) return words(refusedItems(details));
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

/** The button of each next action. */
export const ACTION_LABELS: Record<NextAction, string> = {
  'review-prices': 'Review prices',
  'review-items': 'Review items',
  retry: 'Retry',
  skip: 'Skip batch',
  'fix-account': 'Fix the account',
  'fix-key': 'Fix the API key',
};

/** The title of a refused batch's review. */
export function reviewTitle(key: string | null, seq: number): string {
  switch (key) {
    case 'PRICE_CHANGED':
      return `Batch #${seq}: AssetPay’s prices changed`;
    case 'ITEM_OVERSTOCKED':
      return `Batch #${seq}: AssetPay is overstocked`;
    case 'ITEMS_UNAVAILABLE':
      return `Batch #${seq}: items no longer in the inventory`;
    case 'ITEMS_NOT_ACCEPTED':
      return `Batch #${seq}: items AssetPay no longer accepts`;
    default:
      return `Batch #${seq}: review its items`;
  }
}

/** Why an item is in a review, beyond its price (null: only its price changed). */
export function reviewItemWords(
  item: Pick<ReviewItem, 'problem' | 'units' | 'amount'>,
): string | null {
  switch (item.problem) {
    case 'unavailable':
      return 'No longer in the account’s inventory';
    case 'not-accepted':
      return 'AssetPay does not accept it now';
    case 'overstocked':
      return item.units === 0
        ? 'AssetPay takes no more of it now'
        : `AssetPay takes only ${item.units} of ${item.amount} now`;
    case 'amount-capped':
      return item.units === 0
        ? 'No units left to sell'
        : `Only ${item.units} of ${item.amount} units can go`;
    case 'price-changed':
      return null;
  }
}

function tradeProgress(trades: BatchFacts['trades'], now: number): string {
  if (trades.length === 0) return 'Trade created; waiting for its details.';
  const offers = trades.filter((t) => t.status === 'active' && t.offerId);
  if (offers.length > 0)
    return `Accept the AssetPay trade offer${offers.length > 1 ? 's' : ''} ${offers.map((t) => `#${t.offerId}`).join(', ')} in Steam.`;
  const holds = trades.filter((t) => t.status === 'hold');
  // The latest end decides: until then some items are still held.
  const end = Math.max(...holds.map((t) => (t.holdEndDate ? Date.parse(t.holdEndDate) : NaN)));
  if (holds.length > 0 && Number.isFinite(end) && end <= now)
    return `Steam’s hold ended at ${minute(end)} UTC; AssetPay completes the sale shortly (the app checks).`;
  if (holds.length > 0)
    return `Accepted; Steam holds the items${Number.isFinite(end) ? ` until ${minute(end)} UTC` : ''}.`;
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
    ? `Partly sold; ${plural(failed.length, 'trade')} ended ${statuses}.`
    : `Not sold: the trade ended ${statuses}. The items stay in the Steam account.`;
}
