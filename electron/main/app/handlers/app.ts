import { AppError } from '../../../../shared/contract/result';
import type { Handlers } from '../../../../shared/contract/contract';
import { allowedExternalUrl } from '../../security-policy';
import { redactString } from '../../services/log';
import type { AppContext } from '../context';

/*
 * App info and the openExternal policy hook (design §7): the URL is parsed
 * with `new URL` and must be a Steam trade offer page
 * (https://steamcommunity.com/tradeoffer/<digits>/) or an AssetPay page
 * (https://assetpay.gg/, /dashboard…, /docs…) — the one allowlist lives in
 * security-policy.ts and is shared with the window's navigation guards. Only
 * the normalised URL is handed to the injected opener; when it fails, the
 * trader reads its own reason, not a generic one.
 */

type AppHandlers = Pick<Handlers, 'getAppInfo' | 'openExternal'>;

export function appHandlers(ctx: AppContext): AppHandlers {
  return {
    getAppInfo: () => ({
      version: ctx.version,
      online: ctx.isOnline(),
      assetpay: ctx.reachability(),
      environment: ctx.environment(),
      picturesUrl: ctx.picturesUrl,
    }),

    openExternal: async ({ url }) => {
      const allowed = allowedExternalUrl(url);
      if (allowed === null) {
        ctx.logger.warn('openExternal refused', { url: url.slice(0, 200) });
        throw new AppError(
          'invalid-request',
          'Only Steam trade offer pages and the AssetPay dashboard can be opened from the app.',
          { reason: 'url-not-allowed' },
        );
      }
      try {
        await ctx.openExternal(allowed);
      } catch (error) {
        // The OS (or the test host's recorder) could not open it: say why, and where to go by hand.
        const cause = redactString(error instanceof Error ? error.message : String(error));
        ctx.logger.warn('openExternal failed', { url: allowed, error });
        throw new AppError(
          'internal',
          `${cause.replace(/\.$/, '')}. Open ${allowed} in your browser yourself.`,
          { reason: 'open-failed', url: allowed },
        );
      }
      return { ok: true as const };
    },
  };
}
