import { describe, expect, it } from 'vitest';
import { isGameId } from '../../emulator/api/games';
import { centsToUsd, usdToCents } from '../../emulator/api/money';
import { isTradeStatus, TRADE_STATUSES } from '../../emulator/api/trade-statuses';
import { parseTradeUrl, TRADE_URL_PATTERN } from '../../emulator/api/trade-url';

/* The emulator's own copy of the API facts, checked against the API document. */

const OK = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=AbCd_-09';

describe('trade URL (api §7)', () => {
  it('accepts exactly the documented shape and derives the SteamID64', () => {
    expect(parseTradeUrl(OK)).toEqual({ partner: '12345', steamId64: '76561197960278073' });
    expect(
      parseTradeUrl('https://steamcommunity.com/tradeoffer/new/?partner=0012345&token=AbCdEfGh'),
    ).toEqual({ partner: '12345', steamId64: '76561197960278073' });
    expect(
      parseTradeUrl('https://steamcommunity.com/tradeoffer/new/?partner=4294967295&token=AbCdEfGh')
        ?.steamId64,
    ).toBe('76561202255233023');
  });

  it.each([
    ['http', OK.replace('https', 'http')],
    ['www host', OK.replace('://steam', '://www.steam')],
    ['leading space (no trimming)', ` ${OK}`],
    ['trailing space', `${OK} `],
    ['trailing &', `${OK}&`],
    ['extra parameter', `${OK}&x=1`],
    ['fragment', `${OK}#x`],
    ['token of 7', OK.replace('AbCd_-09', 'AbCd_-0')],
    ['token of 9', OK.replace('AbCd_-09', 'AbCd_-09x')],
    ['token with a dot', OK.replace('AbCd_-09', 'AbCd.-09')],
    ['partner of 11 digits', OK.replace('12345', '12345678901')],
    ['empty partner', OK.replace('12345', '')],
    ['token before partner', 'https://steamcommunity.com/tradeoffer/new/?token=AbCdEfGh&partner=1'],
    ['other path', OK.replace('/new/', '/old/')],
  ])('refuses %s', (_name, url) => {
    expect(TRADE_URL_PATTERN.test(url)).toBe(false);
    expect(parseTradeUrl(url)).toBeUndefined();
  });
});

describe('money in integer cents', () => {
  it.each([
    [10.75, 1075],
    [0.01, 1],
    [0.1 + 0.2, 30],
    [1.005, 101],
    [1234.5, 123450],
    [0.004, 0],
    [1e-7, 0],
    [-2.5, -250],
    [0, 0],
  ])('usdToCents(%s) = %s', (usd, cents) => {
    expect(usdToCents(usd)).toBe(cents);
  });

  it('refuses what is not a price', () => {
    expect(() => usdToCents(Number.NaN)).toThrow(RangeError);
    expect(() => usdToCents(Infinity)).toThrow(RangeError);
    expect(() => usdToCents(1e21)).toThrow(RangeError);
    expect(() => centsToUsd(1.5)).toThrow(RangeError);
  });

  it('gives back the same double JSON carries for two decimals', () => {
    for (const cents of [1, 3, 99, 1075, 10001, 123450, 999_999_99]) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      expect(centsToUsd(cents)).toBe(JSON.parse(text));
      expect(usdToCents(centsToUsd(cents))).toBe(cents);
    }
  });
});

describe('games and statuses (api §1, §5)', () => {
  it('knows the two games as strings', () => {
    expect(isGameId('730')).toBe(true);
    expect(isGameId('252490')).toBe(true);
    expect(isGameId(730)).toBe(false);
    expect(isGameId('440')).toBe(false);
  });

  it('has the nine lower-case statuses, canceled with one l', () => {
    expect(TRADE_STATUSES).toHaveLength(9);
    expect(isTradeStatus('canceled')).toBe(true);
    expect(isTradeStatus('cancelled')).toBe(false);
    expect(isTradeStatus('ESCROW')).toBe(false);
  });
});
