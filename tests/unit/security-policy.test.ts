import { describe, expect, it } from 'vitest';
import {
  allowedExternalUrl,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAppUrl,
  isTrustedSender,
  type AppLocation,
} from '../../electron/main/security-policy';

const built: AppLocation = {
  indexFileUrl: 'file:///opt/AssetPay%20Bulk%20Seller/resources/app.asar/out/renderer/index.html',
};
const dev: AppLocation = { ...built, devServerUrl: 'http://localhost:5173' };

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://steamcommunity.com/tradeoffer/1234567890/',
    'https://steamcommunity.com/tradeoffer/1234567890',
    'HTTPS://SteamCommunity.com/tradeoffer/42/',
    'https://steamcommunity.com:443/tradeoffer/42/', // the default port is no other port
    'https://steamcommunity.com/my/tradeoffers/', // every offer waiting for the trader
    'https://steamcommunity.com/my/tradeoffers',
    'https://assetpay.gg/',
    'https://assetpay.gg',
    'https://assetpay.gg/docs/api-reference/introduction',
    'https://assetpay.gg/docs/guides/trade-lifecycle#statuses',
    'https://assetpay.gg/dashboard',
    'https://assetpay.gg/dashboard/trades/',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    // wrong scheme
    'http://steamcommunity.com/tradeoffer/1/',
    'http://assetpay.gg/',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.domain)//https://assetpay.gg/',
    'file:///etc/passwd',
    'file://assetpay.gg/docs',
    'data:text/html,<script>alert(1)</script>',
    'steam://openurl/https://steamcommunity.com/tradeoffer/1/',
    'ms-msdt:/id PCWDiagnostic',
    'smb://assetpay.gg/share',
    // credentials
    'https://user@steamcommunity.com/tradeoffer/1/',
    'https://user:pass@assetpay.gg/',
    'https://steamcommunity.com@evil.io/tradeoffer/1/',
    'https://assetpay.gg:@evil.io/',
    // other hosts and lookalikes
    'https://steamcommunity.com.evil.io/tradeoffer/1/',
    'https://evil.io/steamcommunity.com/tradeoffer/1/',
    'https://evil.io/?u=https://assetpay.gg/',
    'https://evilsteamcommunity.com/tradeoffer/1/',
    'https://www.steamcommunity.com/tradeoffer/1/',
    'https://api.assetpay.gg/secure/sell',
    'https://assetpay.gg.evil.io/',
    'https://assetpay.co/',
    'https://steamcommunіty.com/tradeoffer/1/', // Cyrillic і
    'https://xn--steamcommunty-xyz.com/tradeoffer/1/',
    'https://аssetpay.gg/', // Cyrillic а
    'https://steamcommunity.com./tradeoffer/1/',
    'https://steamcommunity.com\\@evil.io/tradeoffer/1/',
    // other ports
    'https://steamcommunity.com:8443/tradeoffer/1/',
    'https://assetpay.gg:80/',
    // other paths on allowed hosts
    'https://steamcommunity.com/',
    'https://steamcommunity.com/tradeoffer/new/?partner=1&token=abc',
    'https://steamcommunity.com/tradeoffer/abc/',
    'https://steamcommunity.com/tradeoffer/1/accept',
    'https://steamcommunity.com/tradeoffer/1/?x=1',
    'https://steamcommunity.com/tradeoffer/1/#x',
    'https://steamcommunity.com/openid/login',
    'https://steamcommunity.com/my/tradeoffers/sent/',
    'https://steamcommunity.com/my/tradeoffers/?history=1',
    'https://steamcommunity.com/my/',
    'https://steamcommunity.com/my/inventory/',
    'https://steamcommunity.com/id/someone/tradeoffers/',
    'https://steamcommunity.com/linkfilter/?url=https://evil.io',
    'https://assetpay.gg/login',
    'https://assetpay.gg/docs/%2e%2e/evil',
    'https://assetpay.gg/dashboard?next=https://evil.io',
    'https://assetpay.gg/docsevil',
    // not URLs at all
    '',
    'steamcommunity.com/tradeoffer/1/',
    '//steamcommunity.com/tradeoffer/1/',
    'https://' + 'a'.repeat(3000),
  ])('denies %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('returns the normalized URL, not the raw input', () => {
    expect(allowedExternalUrl('  HTTPS://SteamCommunity.com:443/tradeoffer/42/')).toBe(
      'https://steamcommunity.com/tradeoffer/42/',
    );
    expect(allowedExternalUrl('https://assetpay.gg/docs/../dashboard/')).toBe(
      'https://assetpay.gg/dashboard/',
    );
  });

  it('does not throw on values that are not strings', () => {
    expect(isAllowedExternalUrl(undefined as unknown as string)).toBe(false);
    expect(
      isAllowedExternalUrl({ toString: () => 'https://assetpay.gg/' } as unknown as string),
    ).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  it('allows only the app page in a build', () => {
    expect(isAllowedNavigation(built.indexFileUrl, built)).toBe(true);
    expect(isAllowedNavigation(`${built.indexFileUrl}#/runs`, built)).toBe(true);
    expect(isAllowedNavigation(`${built.indexFileUrl}?x=1`, built)).toBe(false);
    expect(
      isAllowedNavigation(
        'file:///opt/AssetPay%20Bulk%20Seller/resources/app.asar/out/renderer/other.html',
        built,
      ),
    ).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', built)).toBe(false);
    expect(
      isAllowedNavigation(
        'file://evil.io/opt/AssetPay%20Bulk%20Seller/resources/app.asar/out/renderer/index.html',
        built,
      ),
    ).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', built)).toBe(false);
    expect(isAllowedNavigation('https://assetpay.gg/', built)).toBe(false);
    expect(isAllowedNavigation('https://steamcommunity.com/tradeoffer/1/', built)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', built)).toBe(false);
    expect(isAllowedNavigation('not a url', built)).toBe(false);
  });

  it('allows the dev server origin in development only', () => {
    expect(isAllowedNavigation('http://localhost:5173/', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5173/index.html#/plans', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNavigation('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedNavigation('http://user@localhost:5173/', dev)).toBe(false);
    expect(isAllowedNavigation('http://localhost.evil.io:5173/', dev)).toBe(false);
    expect(isAllowedNavigation(dev.indexFileUrl, dev)).toBe(true);
    expect(isAppUrl(null, dev)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const trusted = new Set([7]);
  const good = { senderFrameUrl: built.indexFileUrl, isMainFrame: true, webContentsId: 7 };

  it('trusts the app window main frame on the app page', () => {
    expect(isTrustedSender(good, trusted, built)).toBe(true);
  });

  it('refuses unknown webContents, subframes, foreign URLs and vanished frames', () => {
    expect(isTrustedSender({ ...good, webContentsId: 8 }, trusted, built)).toBe(false);
    expect(isTrustedSender({ ...good, isMainFrame: false }, trusted, built)).toBe(false);
    expect(isTrustedSender({ ...good, senderFrameUrl: 'https://evil.io/' }, trusted, built)).toBe(
      false,
    );
    expect(
      isTrustedSender({ ...good, senderFrameUrl: 'file:///tmp/index.html' }, trusted, built),
    ).toBe(false);
    expect(isTrustedSender({ ...good, senderFrameUrl: null }, trusted, built)).toBe(false);
    expect(isTrustedSender(good, new Set(), built)).toBe(false);
  });
});
