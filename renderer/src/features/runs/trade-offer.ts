/** The Steam page where the trader accepts AssetPay's offer (main's openExternal allowlist takes exactly this form). */
export function tradeOfferUrl(offerId: string): string {
  return `https://steamcommunity.com/tradeoffer/${encodeURIComponent(offerId)}/`;
}

/** Steam's list of every offer waiting for the logged-in account (main's allowlist takes exactly this). */
export const STEAM_INCOMING_OFFERS_URL = 'https://steamcommunity.com/my/tradeoffers/';
