/** The Steam page where the trader accepts AssetPay's offer (main's openExternal allowlist takes exactly this form). */
export function tradeOfferUrl(offerId: string): string {
  return `https://steamcommunity.com/tradeoffer/${encodeURIComponent(offerId)}/`;
}
