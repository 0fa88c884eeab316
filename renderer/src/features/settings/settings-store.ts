import { create } from 'zustand';
import type { KeyStatus, KeyValidation, Settings } from '../../../../shared/contract';
import type { Environment } from '../../../../shared/domain';
import { call, errorMessage } from '../../api/client';
import { useNotices } from '../../api/notices-store';

type SettingsState = {
  settings: Settings | null;
  /** Key status of the selected environment; the key itself never comes back. */
  key: KeyStatus | null;
  validation: KeyValidation | null;
  busy: boolean;
  loadError: string | null;
  load: () => Promise<void>;
  update: (patch: Partial<Settings>) => Promise<void>;
  chooseEnvironment: (environment: Environment) => Promise<void>;
  saveKey: (apiKey: string) => Promise<boolean>;
  deleteKey: () => Promise<void>;
  validateKey: () => Promise<void>;
};

export const useSettings = create<SettingsState>()((set, get) => ({
  settings: null,
  key: null,
  validation: null,
  busy: false,
  loadError: null,

  load: async () => {
    try {
      const settings = await call('getSettings', {}, { quiet: true });
      const key = await call(
        'getKeyStatus',
        { environment: settings.environment },
        { quiet: true },
      );
      set({ settings, key, loadError: null });
    } catch (error) {
      set({ loadError: errorMessage(error) });
    }
  },

  update: async (patch) => {
    const before = get().settings;
    if (!before) return;
    set({ settings: { ...before, ...patch } });
    try {
      set({ settings: await call('updateSettings', patch, { context: 'Settings not saved' }) });
    } catch {
      set({ settings: before });
    }
  },

  chooseEnvironment: async (environment) => {
    await get().update({ environment });
    set({ validation: null });
    try {
      set({ key: await call('getKeyStatus', { environment }) });
    } catch {
      set({ key: null });
    }
  },

  saveKey: async (apiKey) => {
    const environment = get().settings?.environment;
    if (!environment) return false;
    set({ busy: true, validation: null });
    try {
      const key = await call(
        'setApiKey',
        { environment, apiKey: apiKey.trim() },
        { context: 'Key not saved' },
      );
      set({ key });
      useNotices.getState().push('success', 'API key saved in the system keychain.');
      return true;
    } catch {
      return false;
    } finally {
      set({ busy: false });
    }
  },

  deleteKey: async () => {
    const environment = get().settings?.environment;
    if (!environment) return;
    try {
      set({ key: await call('deleteApiKey', { environment }), validation: null });
    } catch {
      // toast shown
    }
  },

  validateKey: async () => {
    const environment = get().settings?.environment;
    if (!environment) return;
    set({ busy: true });
    try {
      set({
        validation: await call('validateApiKey', { environment }, { context: 'Key check failed' }),
      });
    } catch {
      set({ validation: null });
    } finally {
      set({ busy: false });
    }
  },
}));
