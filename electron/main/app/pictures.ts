import { join } from 'node:path';
import { iconUrlOfKey } from '../../../shared/pictures';
import type { Logger } from '../services/log';
import { PictureCache, type PicturePolicy } from '../services/pictures';
import type { SandboxHost } from './api-access';

/*
 * The picture cache as the app wires it, and the one answer both transports
 * give the renderer for `<picturesUrl><key>`: Electron's custom protocol in
 * electron/main/index.ts and the test host's HTTP route.
 *
 * Which hosts: Steam's and AssetPay's image hosts over https, always. The
 * local sandbox's pictures are on the in-process emulator (http on
 * 127.0.0.1), so its exact origin — the emulator this process started, never
 * "any loopback" — is added only when `allowSandboxPictures` is set: the test
 * host sets it, and the Electron app sets it only when it is not packaged
 * (`!app.isPackaged`). A packaged (production) build therefore never fetches
 * from loopback at all; its sandbox shows the placeholders.
 */

export interface PictureOptions {
  /** Add the in-process sandbox emulator's origin to the allowed picture hosts (tests, unpackaged builds). */
  allowSandboxPictures?: boolean;
  /** Disk cap of the picture folder. */
  maxBytes?: number;
}

export const PICTURES_DIR = 'pictures';

export function createPictureCache(deps: {
  dataDir: string;
  options: PictureOptions;
  sandbox: SandboxHost;
  /** A sandbox URL the caller set instead of the in-process emulator (tests). */
  sandboxOverride: string | undefined;
  isOnline: () => boolean;
  logger: Logger;
}): PictureCache {
  const policy: PicturePolicy = {
    extraOrigins: () => {
      if (!deps.options.allowSandboxPictures) return [];
      const url = deps.sandboxOverride ?? deps.sandbox.current()?.url;
      return url ? [new URL(url).origin] : [];
    },
  };
  return new PictureCache({
    dir: join(deps.dataDir, PICTURES_DIR),
    policy,
    isOnline: deps.isOnline,
    logger: deps.logger,
    ...(deps.options.maxBytes !== undefined ? { maxBytes: deps.options.maxBytes } : {}),
  });
}

export type PictureResponse =
  | { status: 200; contentType: string; body: Buffer }
  | { status: 400 | 404; contentType: 'text/plain; charset=utf-8'; body: string };

/** The answer to a request for one picture key; never throws. */
export async function pictureResponse(cache: PictureCache, key: string): Promise<PictureResponse> {
  const iconUrl = iconUrlOfKey(key);
  if (iconUrl === null)
    return { status: 400, contentType: 'text/plain; charset=utf-8', body: 'bad key' };
  const answer = await cache.get(iconUrl).catch(() => ({ kind: 'unavailable' }) as const);
  if (answer.kind !== 'picture')
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: 'no picture' };
  return { status: 200, contentType: answer.type, body: answer.body };
}
