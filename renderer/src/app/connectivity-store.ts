import { create } from 'zustand';
import type { Reachability } from '../../../shared/contract';
import type { Environment } from '../../../shared/domain';
import { call, subscribe } from '../api/client';

type ConnectivityState = {
  /** null until main has answered once. */
  online: boolean | null;
  /** Whether AssetPay itself answers (the network may be up while it does not). */
  assetpay: Reachability;
  environment: Environment | null;
  version: string | null;
  /** Where item pictures come from (main's picture cache); null until main has answered. */
  picturesUrl: string | null;
  /** Bumps every time the connection comes back, so screens can reload. */
  reconnects: number;
  init: () => Promise<() => void>;
  setOnline: (online: boolean) => void;
};

const UNKNOWN: Reachability = { state: 'unknown', message: null };

export const useConnectivity = create<ConnectivityState>()((set, get) => ({
  online: null,
  assetpay: UNKNOWN,
  environment: null,
  version: null,
  picturesUrl: null,
  reconnects: 0,
  init: async () => {
    const unsubscribe = subscribe('connectivity', ({ online, assetpay }) => {
      set({ assetpay });
      get().setOnline(online);
    });
    try {
      const info = await call('getAppInfo', {}, { context: 'Could not read the app state' });
      set({
        version: info.version,
        environment: info.environment,
        picturesUrl: info.picturesUrl,
      });
      // An event may have arrived while getAppInfo was in flight; it is newer.
      if (get().online === null) set({ online: info.online, assetpay: info.assetpay });
    } catch {
      // The toast already says why.
    }
    return unsubscribe;
  },
  setOnline: (online) => {
    const was = get().online;
    set({ online, reconnects: was === false && online ? get().reconnects + 1 : get().reconnects });
  },
}));
