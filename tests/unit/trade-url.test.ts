import { describe, expect, it } from 'vitest';
import { isValidTradeUrl, parseTradeUrl, TRADE_URL_PATTERN } from '../../shared/api/trade-url';
import { tradeUrlSchema } from '../../shared/api/schemas';

const GOOD = 'https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCd_-9z';

function reasonOf(url: string): string {
  const result = parseTradeUrl(url);
  if (result.ok) throw new Error(`expected ${url} to be refused`);
  return result.reason;
}

describe('parseTradeUrl — accepted', () => {
  it('accepts the canonical form and derives the SteamID64 from partner (api §7)', () => {
    expect(parseTradeUrl(GOOD)).toEqual({
      ok: true,
      url: GOOD,
      partner: '12345678',
      steamId64: '76561197972611406', // 76561197960265728 + 12345678
    });
  });

  it('accepts 1- and 10-digit partners (the full 32-bit range) and every token character class', () => {
    expect(
      parseTradeUrl('https://steamcommunity.com/tradeoffer/new/?partner=0&token=________'),
    ).toMatchObject({
      ok: true,
      steamId64: '76561197960265728',
    });
    const max = parseTradeUrl(
      'https://steamcommunity.com/tradeoffer/new/?partner=4294967295&token=Zz09-_aA',
    );
    expect(max).toMatchObject({ ok: true, partner: '4294967295', steamId64: '76561202255233023' });
  });

  it('trims surrounding whitespace (and returns the trimmed URL) but does not re-encode', () => {
    const result = parseTradeUrl(`  \t${GOOD}\n `);
    expect(result).toMatchObject({ ok: true, url: GOOD });
    // isValidTradeUrl is the server's exact check: it does not trim.
    expect(isValidTradeUrl(`  ${GOOD}`)).toBe(false);
    expect(isValidTradeUrl(GOOD)).toBe(true);
  });
});

describe('parseTradeUrl — refused, with a specific reason', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '   ', /is empty/],
    ['http', GOOD.replace('https://', 'http://'), /must start with https:\/\//],
    ['upper-case scheme', GOOD.replace('https', 'HTTPS'), /must start with https:\/\//],
    [
      'www.',
      GOOD.replace('steamcommunity', 'www.steamcommunity'),
      /steamcommunity\.com \(without "www\."\)/,
    ],
    [
      'look-alike host',
      GOOD.replace('steamcommunity.com', 'steamcommunity.com.evil.io'),
      /on steamcommunity\.com/,
    ],
    ['missing trailing slash in path', GOOD.replace('/new/?', '/new?'), /path \/tradeoffer\/new\//],
    ['extra param after token', `${GOOD}&foo=1`, /only partner and token/],
    [
      'extra param between',
      GOOD.replace('&token', '&foo=1&token'),
      /token parameter|only partner and token/,
    ],
    ['7-char token', GOOD.replace('AbCd_-9z', 'AbCd_-9'), /exactly 8 characters.*\(got 7\)/],
    ['9-char token', GOOD.replace('AbCd_-9z', 'AbCd_-9zz'), /exactly 8 characters.*\(got 9\)/],
    [
      '8 chars with a bad one',
      GOOD.replace('AbCd_-9z', 'AbCd!-9z'),
      /may only contain A-Z a-z 0-9 _ - \(found "!"\)/,
    ],
    [
      'percent-encoded token',
      GOOD.replace('AbCd_-9z', 'AbCd%2D9z'),
      /exactly 8 characters.*\(got 9\)/,
    ],
    ['trailing &', `${GOOD}&`, /must not end with "&"/],
    ['fragment', `${GOOD}#trade`, /must not contain a fragment/],
    ['empty fragment', `${GOOD}#`, /must not contain a fragment/],
    [
      '11-digit partner',
      GOOD.replace('12345678', '12345678901'),
      /partner must be 1–10 digits \(got 11\)/,
    ],
    ['empty partner', GOOD.replace('12345678', ''), /partner must be 1–10 digits \(got 0\)/],
    [
      'token before partner',
      'https://steamcommunity.com/tradeoffer/new/?token=AbCd_-9z&partner=1',
      /start its query with partner=/,
    ],
    [
      'no token',
      'https://steamcommunity.com/tradeoffer/new/?partner=1',
      /must have a token parameter/,
    ],
    ['HTML-escaped &', GOOD.replace('&token', '&amp;token'), /must have a token parameter/],
  ];

  it.each(cases)('%s', (_name, url, reason) => {
    expect(reasonOf(url)).toMatch(reason);
    // The pattern agrees with the reasoned refusal, and so does the sell schema.
    expect(TRADE_URL_PATTERN.test(url.trim())).toBe(false);
    expect(isValidTradeUrl(url)).toBe(false);
    expect(tradeUrlSchema.safeParse(url).success).toBe(false);
  });

  it('whitespace inside the URL is not trimmed away', () => {
    expect(parseTradeUrl(GOOD.replace('&token', ' &token')).ok).toBe(false);
  });
});
