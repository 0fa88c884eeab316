/*
 * The decisions behind electron/main/security.ts, as pure functions so they
 * can be tested under plain Node (no Electron import here). Every URL is
 * parsed with the WHATWG `URL` parser and compared by its parts — never with
 * `startsWith` on the raw string, which `https://steamcommunity.com.evil.io`,
 * `https://steamcommunity.com@evil.io` or `https://evil.io/?steamcommunity.com`
 * would all pass.
 */

/** Where the app's own renderer is loaded from. */
export interface AppLocation {
  /** `file:///…/out/renderer/index.html` in a build. */
  indexFileUrl: string;
  /** `ELECTRON_RENDERER_URL` (the Vite dev server) in development only. */
  devServerUrl?: string | null;
}

/** What ipc-binding knows about the sender of one IPC message. */
export interface IpcSender {
  /** URL of the frame that sent the message; null when the frame is gone. */
  senderFrameUrl: string | null;
  /** True only when the sending frame is the top-level frame of its webContents. */
  isMainFrame: boolean;
  webContentsId: number;
}

function parse(url: string): URL | null {
  if (typeof url !== 'string' || url.length > 2_000) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * A Steam trade offer the trader must accept (https://steamcommunity.com/tradeoffer/<offerID>/),
 * or the trader's incoming offers page, where all of them wait (/my/tradeoffers/).
 */
const STEAM_TRADE_OFFER_PATH = /^\/(?:tradeoffer\/\d{1,20}|my\/tradeoffers)\/?$/;
/** The AssetPay site's front page, its documentation and the merchant dashboard. */
const ASSETPAY_PATH = /^\/(?:(?:docs|dashboard)(?:\/[A-Za-z0-9._~-]+)*\/?)?$/;

/**
 * The only URLs main hands to the OS browser (design §7): Steam trade offer
 * pages (one offer, or the incoming-offers list) and AssetPay pages, over https on the default port, with no
 * credentials and no query string. Returns the normalized URL to open, or null.
 */
export function allowedExternalUrl(url: string): string | null {
  const parsed = parse(url);
  if (!parsed) return null;
  if (parsed.protocol !== 'https:' || parsed.port !== '') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.search !== '') return null;
  if (parsed.hostname === 'steamcommunity.com') {
    return STEAM_TRADE_OFFER_PATH.test(parsed.pathname) && parsed.hash === '' ? parsed.href : null;
  }
  if (parsed.hostname === 'assetpay.gg') {
    return ASSETPAY_PATH.test(parsed.pathname) ? parsed.href : null;
  }
  return null;
}

export function isAllowedExternalUrl(url: string): boolean {
  return allowedExternalUrl(url) !== null;
}

/** True when `url` is the app's own renderer page (the built index.html, or the dev server in development). */
export function isAppUrl(url: string | null, app: AppLocation): boolean {
  if (url === null) return false;
  const parsed = parse(url);
  if (!parsed) return false;

  const index = parse(app.indexFileUrl);
  if (index && index.protocol === 'file:' && parsed.protocol === 'file:') {
    // Same file; the hash is the renderer's own routing, a query is not something we ever load.
    return parsed.host === index.host && parsed.pathname === index.pathname && parsed.search === '';
  }

  const dev = app.devServerUrl ? parse(app.devServerUrl) : null;
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:')) {
    return parsed.origin === dev.origin && parsed.username === '' && parsed.password === '';
  }
  return false;
}

/** In-window navigation is allowed only to the app's own page (a reload or hash change); everything else is denied. */
export function isAllowedNavigation(url: string, app: AppLocation): boolean {
  return isAppUrl(url, app);
}

/**
 * An IPC message is trusted only when it comes from one of the app's own
 * windows (by webContents id), from the main frame (not an iframe), and while
 * that frame shows the app's own page (Electron checklist #17).
 */
export function isTrustedSender(
  sender: IpcSender,
  trustedIds: ReadonlySet<number>,
  app: AppLocation,
): boolean {
  return (
    trustedIds.has(sender.webContentsId) &&
    sender.isMainFrame === true &&
    isAppUrl(sender.senderFrameUrl, app)
  );
}
