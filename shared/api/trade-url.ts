/**
 * Steam trade URLs exactly as AssetPay's server validates them (api §7):
 * https only, host exactly steamcommunity.com, `partner` (1–10 digits) then
 * `token` (exactly 8 of A-Z a-z 0-9 _ -), nothing else.
 */
export const TRADE_URL_PATTERN =
  /^https:\/\/steamcommunity\.com\/tradeoffer\/new\/\?partner=\d{1,10}&token=[A-Za-z0-9_-]{8}$/;

/** SteamID64 = this base + the 32-bit `partner` account id. */
const STEAM_ID64_BASE = 76561197960265728n;

export type TradeUrlCheck =
  { ok: true; url: string; partner: string; steamId64: string } | { ok: false; reason: string };

/** Trims surrounding whitespace only; never reorders or re-encodes (api §7). */
export function parseTradeUrl(input: string): TradeUrlCheck {
  const url = input.trim();
  if (TRADE_URL_PATTERN.test(url)) {
    const partner = /partner=(\d+)/.exec(url)![1]!;
    return { ok: true, url, partner, steamId64: (STEAM_ID64_BASE + BigInt(partner)).toString() };
  }
  return { ok: false, reason: explainTradeUrl(url) };
}

export function isValidTradeUrl(input: string): boolean {
  return TRADE_URL_PATTERN.test(input);
}

/** A specific reason the trader can act on, checked from the outside in. */
function explainTradeUrl(url: string): string {
  if (url === '') return 'Trade URL is empty.';
  if (!url.startsWith('https://')) return 'Trade URL must start with https://.';
  if (!url.startsWith('https://steamcommunity.com/'))
    return 'Trade URL must be on steamcommunity.com (without "www.").';
  if (!url.startsWith('https://steamcommunity.com/tradeoffer/new/?'))
    return 'Trade URL must have the path /tradeoffer/new/?…';
  const query = url.slice('https://steamcommunity.com/tradeoffer/new/?'.length);
  if (query.endsWith('&')) return 'Trade URL must not end with "&".';
  if (url.includes('#')) return 'Trade URL must not contain a fragment ("#…").';
  const partner = /^partner=(\d*)(?:&|$)/.exec(query)?.[1];
  if (partner === undefined) return 'Trade URL must start its query with partner=<1–10 digits>.';
  if (partner.length < 1 || partner.length > 10)
    return `Trade URL partner must be 1–10 digits (got ${partner.length}).`;
  const token = /&token=([^&#]*)/.exec(query)?.[1];
  if (token === undefined) return 'Trade URL must have a token parameter.';
  if (token.length !== 8)
    return `Trade URL token must be exactly 8 characters of A-Z a-z 0-9 _ - (got ${token.length}).`;
  const bad = /[^A-Za-z0-9_-]/.exec(token)?.[0];
  if (bad !== undefined)
    return `Trade URL token may only contain A-Z a-z 0-9 _ - (found ${JSON.stringify(bad)}).`;
  return 'Trade URL must contain only partner and token, with nothing after them.';
}
