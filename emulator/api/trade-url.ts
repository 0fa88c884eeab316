/*
 * Steam trade URLs as AssetPay's server checks them (api §7): the pattern is
 * matched exactly — no trimming, no reordering, no re-encoding.
 */

/** The server regex, verbatim from api §7. */
export const TRADE_URL_PATTERN =
  /^https:\/\/steamcommunity\.com\/tradeoffer\/new\/\?partner=\d{1,10}&token=[A-Za-z0-9_-]{8}$/;

/** SteamID64 = 76561197960265728 + partner (api §7). */
const STEAM_ID64_BASE = 76561197960265728n;

export interface TradeUrlParts {
  /** The 32-bit Steam account id, written without leading zeros (the emulator's account key). */
  partner: string;
  steamId64: string;
}

/** The partner and SteamID64 of a URL that matches the pattern exactly; undefined otherwise. */
export function parseTradeUrl(url: string): TradeUrlParts | undefined {
  if (!TRADE_URL_PATTERN.test(url)) return undefined;
  const digits = /[?&]partner=(\d+)/.exec(url)![1]!;
  const partner = BigInt(digits);
  return { partner: partner.toString(), steamId64: (STEAM_ID64_BASE + partner).toString() };
}
