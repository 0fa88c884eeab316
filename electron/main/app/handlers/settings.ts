import { AppError } from '../../../../shared/contract/result';
import type { KeyStatus } from '../../../../shared/contract/views';
import { ENVIRONMENT_NAMES, type Environment } from '../../../../shared/domain';
import { plural } from '../../../../shared/words';
import type { Handlers } from '../../../../shared/contract/contract';
import { keyHint } from '../../services/secrets/secret-store';
import type { AppContext } from '../context';

/*
 * Settings and the API key. The key crosses IPC once, renderer → main, in
 * setApiKey (design §3); every answer about it is `{ present, hint }` with at
 * most its last 4 characters. It goes straight to the OS keychain and is
 * registered with the logger as a secret; it is never written to the
 * database, a log, an event or a response.
 */

type SettingsHandlers = Pick<
  Handlers,
  | 'getSettings'
  | 'updateSettings'
  | 'setApiKey'
  | 'getKeyStatus'
  | 'deleteApiKey'
  | 'validateApiKey'
>;

export function settingsHandlers(ctx: AppContext): SettingsHandlers {
  const status = async (environment: Environment): Promise<KeyStatus> => {
    const s = await ctx.secretStore.status(environment);
    return { environment, present: s.present, hint: s.hint === null ? null : s.hint.slice(-4) };
  };

  return {
    getSettings: () => ctx.store.settings.get(),

    updateSettings: (patch) => {
      const previous = ctx.store.settings.get();
      if (patch.environment !== undefined && patch.environment !== previous.environment) {
        const active = ctx.activeRunCount();
        if (active > 0) {
          throw new AppError(
            'conflict',
            `${plural(active, 'run')} in ${ENVIRONMENT_NAMES[previous.environment]} ${active === 1 ? 'is' : 'are'} not finished (selling, paused or armed). Let ${active === 1 ? 'it' : 'them'} finish, or cancel ${active === 1 ? 'it' : 'them'}, before switching environment.`,
            { reason: 'runs-active' },
          );
        }
        const waiting = ctx.work.list()[0];
        if (waiting) throw new AppError('conflict', waiting, { reason: 'work-in-progress' });
      }
      const next = ctx.store.settings.update(patch);
      ctx.applySettings(next, previous);
      return next;
    },

    setApiKey: async ({ environment, apiKey }) => {
      ctx.logger.addSecret?.(apiKey);
      await ctx.secretStore.set(environment, apiKey);
      ctx.api.forgetKey(environment);
      if (environment === 'sandbox') await ctx.api.refreshSandbox();
      ctx.keyChanged();
      ctx.logger.info('api key stored', { environment });
      // Answer from what was just stored: no second keychain read, and the hint rule is the store's.
      const hint = keyHint(apiKey);
      return { environment, present: true, hint: hint === null ? null : hint.slice(-4) };
    },

    getKeyStatus: ({ environment }) => status(environment),

    deleteApiKey: async ({ environment }) => {
      await ctx.secretStore.delete(environment);
      ctx.api.forgetKey(environment);
      if (environment === 'sandbox') await ctx.api.refreshSandbox();
      ctx.logger.info('api key deleted', { environment });
      return status(environment);
    },

    validateApiKey: async ({ environment }) => {
      const stored = await ctx.api.storedKey(environment);
      if (stored === null && environment !== 'sandbox') {
        return {
          result: 'no-key',
          message: `No API key is stored for ${environment}. Paste it in Settings.`,
        };
      }
      if (!ctx.isOnline()) {
        return {
          result: 'unreachable',
          message: 'You are offline; the key will be checked when the connection is back.',
        };
      }
      const client = await ctx.api.client(environment);
      const outcome = await client.validateKey();
      if (stored === null && outcome.result === 'valid') {
        return {
          result: 'valid',
          message: 'The sandbox works without a key (it uses its built-in sandbox key).',
        };
      }
      return outcome;
    },
  };
}
