import {
  app,
  BrowserWindow,
  session,
  shell,
  type BrowserWindowConstructorOptions,
  type WebContents,
} from 'electron';
import { allowedExternalUrl, isAllowedNavigation, type AppLocation } from './security-policy';
import { silentLogger, type Logger } from './services/log';

/*
 * The app's whole Electron security policy, in one place (design §7). Each
 * rule names the item of the Electron security checklist it enforces
 * (https://www.electronjs.org/docs/latest/tutorial/security). The decisions
 * themselves are pure functions in security-policy.ts, unit-tested there.
 * The renderer's CSP is in renderer/index.html (#7); the fuses are flipped at
 * packaging time by scripts/after-pack.cjs (#19).
 */

/**
 * Every window the app opens is created here, with its webPreferences written
 * out literally (so reviewers and Electronegativity see them at the call).
 */
export function createSecureWindow(
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  settings: { preload: string; devTools: boolean },
): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      preload: settings.preload,
      contextIsolation: true, // #3 Enable context isolation
      sandbox: true, // #4 Enable process sandboxing
      nodeIntegration: false, // #2 Do not enable Node.js integration
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true, // #6 Do not disable webSecurity
      allowRunningInsecureContent: false, // #8 Do not enable allowRunningInsecureContent
      experimentalFeatures: false, // #9 Do not enable experimental features
      webviewTag: false, // #12 no <webview> at all
      navigateOnDragDrop: false, // #13 a dropped file or link must not replace the app
      disableBlinkFeatures: 'Auxclick', // #14 a middle-click must not open a link in a new window
      devTools: settings.devTools, // no DevTools in a packaged build
      spellcheck: false, // the spellchecker would download dictionaries from Google
      safeDialogs: true,
    },
  });
}

/** Opens `url` in the OS browser only if it is on the allowlist; returns whether it did. */
export async function openExternalIfAllowed(
  url: string,
  logger: Logger = silentLogger,
): Promise<boolean> {
  // #15 Do not use shell.openExternal with untrusted content: parse with `new URL`,
  // allow only Steam trade offers and AssetPay pages, open the normalized URL.
  const allowed = allowedExternalUrl(url);
  if (allowed === null) {
    logger.warn('openExternal refused', { url: String(url).slice(0, 200) });
    return false;
  }
  await shell.openExternal(allowed);
  return true;
}

function hardenWebContents(contents: WebContents, location: AppLocation, logger: Logger): void {
  const denyNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isAllowedNavigation(url, location)) return;
    // #13 Disable or limit navigation: the app never leaves its own page.
    event.preventDefault();
    logger.warn('navigation denied', { url: url.slice(0, 200) });
  };
  contents.on('will-navigate', (event) => denyNavigation(event, event.url));
  contents.on('will-frame-navigate', (event) => denyNavigation(event, event.url));
  contents.on('will-redirect', (event) => denyNavigation(event, event.url));

  // #14 Disable or limit creation of new windows: never; allowlisted links go to the OS browser (#15).
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, logger).catch((error: unknown) =>
      logger.warn('openExternal failed', { error }),
    );
    return { action: 'deny' };
  });

  // #12 Verify WebView options before creation: the app has no <webview>, so none may attach.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview attach denied');
  });
}

/** Installs the policy; call once, before the first window is created. */
export function applySecurityPolicy(location: AppLocation, logger: Logger = silentLogger): void {
  const ses = session.defaultSession;
  // #5 Handle session permission requests: the UI needs no web permission
  // (desktop notifications are shown by main), so every request and check is denied.
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, location, logger),
  );
}
