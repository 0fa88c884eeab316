import type { BatchView, TradeView } from '../../../shared/contract/views';
import { formatUsd } from '../../../shared/money';

/*
 * Plain words and the next action for a batch card (design §1 flow 5). The
 * engine writes a message and next actions when it moves a batch; where it
 * left none, they are derived here from the state, the last error key
 * (api §2 keys, never codes) and the batch's trades.
 */

type NextAction = BatchView['nextActions'][number];

const IN_FLIGHT = new Set<string>(['initiated', 'pending', 'active', 'hold']);

const REFUSED_ITEMS = new Set([
  'ITEMS_NOT_ACCEPTED',
  'ITEMS_UNAVAILABLE',
  'ITEM_OVERSTOCKED',
  'NO_OFFER_FOUND',
  'INSUFFICIENT_ITEM_AMOUNT',
  'EXCEEDS_MAX_AMOUNT',
  'MISSING_ITEMS',
]);
const ACCOUNT_KEYS = new Set([
  'INVALID_TRADEURL',
  'USER_NOT_TRADEABLE',
  'INVENTORY_PRIVATE',
  'ESCROW_NOT_ALLOWED',
]);
const KEY_KEYS = new Set([
  'MISSING_API_KEY',
  'INVALID_API_KEY',
  'API_KEY_REVOKED',
  'API_KEY_SCOPE_DENIED',
  'API_KEY_IP_DENIED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'INSUFFICIENT_SCOPE',
]);

export function withPlainWords(view: BatchView): BatchView {
  const derived = describeBatch(view);
  return {
    ...view,
    message: view.message ?? derived.message,
    nextActions: view.nextActions.length > 0 ? view.nextActions : derived.nextActions,
  };
}

export function describeBatch(view: BatchView): {
  message: string | null;
  nextActions: NextAction[];
} {
  const key = view.lastErrorKey;
  switch (view.state) {
    case 'draft':
    case 'queued':
      return { message: 'Waiting to be sent.', nextActions: [] };
    case 'sending':
      return { message: 'Being sent to AssetPay…', nextActions: [] };
    case 'unknown':
      return {
        message:
          'AssetPay did not say clearly whether this sell went through. The app is checking by its externalId; its items stay reserved until it knows, so nothing is sold twice.',
        nextActions: [],
      };
    case 'created':
    case 'tracking':
      return { message: tradeProgress(view.trades), nextActions: [] };
    case 'settled':
      return { message: settledWords(view.trades), nextActions: [] };
    case 'needs-review':
      if (key === 'PRICE_CHANGED') {
        return {
          message:
            'AssetPay’s prices changed since the pre-flight. Review the new prices, then retry this batch or skip it.',
          nextActions: ['review-prices', 'retry', 'skip'],
        };
      }
      if (key && REFUSED_ITEMS.has(key)) {
        return {
          message: `AssetPay refused some items of this batch (${key}). Retry without them or skip the batch.`,
          nextActions: ['retry', 'skip'],
        };
      }
      return {
        message: 'This batch needs your review before it is sent again.',
        nextActions: ['retry', 'skip'],
      };
    case 'blocked':
      if (key && ACCOUNT_KEYS.has(key)) {
        return {
          message:
            'AssetPay cannot trade with this Steam account (trade URL, privacy or trade restrictions). Fix the account, then retry.',
          nextActions: ['fix-account', 'retry', 'skip'],
        };
      }
      if (key && KEY_KEYS.has(key)) {
        return {
          message: 'AssetPay refused the API key. Fix it in Settings, then retry.',
          nextActions: ['fix-key', 'retry'],
        };
      }
      return {
        message: `AssetPay is not taking sells right now${key ? ` (${key})` : ''}. Retry later or skip the batch.`,
        nextActions: ['retry', 'skip'],
      };
    case 'skipped':
      return { message: 'Skipped: its items were not sold.', nextActions: [] };
    case 'canceled':
      return { message: 'Canceled before it was sent: its items were not sold.', nextActions: [] };
  }
}

function tradeProgress(trades: readonly TradeView[]): string {
  if (trades.length === 0) return 'Trade created; waiting for its details.';
  const offers = trades.filter(
    (t) =>
      (t.status === 'active' || t.status === 'initiated' || t.status === 'pending') && t.offerId,
  );
  if (offers.length > 0) {
    return `Accept the AssetPay trade offer${offers.length > 1 ? 's' : ''} ${offers.map((t) => `#${t.offerId}`).join(', ')} in Steam.`;
  }
  if (trades.every((t) => !IN_FLIGHT.has(t.status))) {
    return 'The trades are done; checking that no split trade of this batch is missing before closing it.';
  }
  const hold = trades.find((t) => t.status === 'hold');
  if (hold)
    return `Accepted; Steam holds the items${hold.holdEndDate ? ` until ${hold.holdEndDate.slice(0, 16).replace('T', ' ')} UTC` : ''}.`;
  return 'Waiting for AssetPay to send the Steam trade offer.';
}

function settledWords(trades: readonly TradeView[]): string {
  const completed = trades.filter((t) => t.status === 'completed');
  const failed = trades.filter((t) => t.status !== 'completed');
  if (failed.length === 0) {
    return `Sold: ${formatUsd(completed.reduce((sum, t) => sum + t.totalCents, 0))} credited.`;
  }
  const statuses = [...new Set(failed.map((t) => t.status))].join(', ');
  return completed.length > 0
    ? `Partly sold; ${failed.length} trade(s) ended ${statuses}.`
    : `Not sold: the trade ended ${statuses}. The items stay in the Steam account.`;
}
