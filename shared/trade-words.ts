import type { TradeStatus } from './api/schemas';

/*
 * Why a trade ended without selling, in the trader's words (history, design §1
 * flow 6). AssetPay's `Trade.error` (api §5) is kept as given and shown with
 * the words, so a support request can quote it; an error this list does not
 * know is shown as it is.
 */

const TRADE_ERRORS: Record<string, string> = {
  OFFER_NOT_ACCEPTED: 'The Steam offer was not accepted in time',
  USER_TRADE_RESTRICTED: 'Steam restricts trading on this account',
  STEAM_ACCOUNT_RESTRICTED: 'Steam restricts trading on this account',
  USER_INVENTORY_PRIVATE: 'The Steam inventory is private',
  USER_ESCROW: 'Steam would hold the trade in escrow (no Steam Guard mobile authenticator)',
  USER_NOT_FOUND: 'Steam does not know this account',
  TRADE_URL_INVALID: 'The trade URL is invalid or no longer works',
  SERVICE_UNAVAILABLE: 'AssetPay’s trade service was unavailable; nothing was taken',
  PRICE_CHANGED: 'AssetPay’s price changed before the offer went out',
  MERCHANT_REJECTED: 'Rejected on the merchant side',
  APPROVAL_TIMEOUT: 'Not approved in time',
  MARKET_UNAVAILABLE: 'The market was unavailable',
  LISTING_UNAVAILABLE: 'A listing was no longer available',
  NO_LISTING_AT_PRICE: 'No listing at that price',
  PURCHASE_FAILED: 'The purchase failed',
  BUYER_TRADE_RESTRICTED: 'The buyer cannot trade',
};

/** Why a trade that did not sell ended so, or null for a trade that sold or is under way. */
export function tradeOutcomeWords(status: TradeStatus, error: string | null): string | null {
  if (error) return `${TRADE_ERRORS[error] ?? 'AssetPay gave this reason'} (${error}).`;
  switch (status) {
    case 'failed':
      return 'The trade failed; AssetPay gave no reason.';
    case 'declined':
      return 'Declined in Steam, or left to expire: nothing was sold.';
    case 'canceled':
      return 'Canceled before it was accepted (an unaccepted offer expires): nothing was sold.';
    case 'reverted':
      return 'Reversed after it completed: the credit was taken back.';
    default:
      return null;
  }
}
