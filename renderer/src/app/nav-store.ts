import { create } from 'zustand';
import { useNotices } from '../api/notices-store';

export const SCREENS = [
  { id: 'settings', label: 'Setup', key: '1' },
  { id: 'accounts', label: 'Accounts', key: '2' },
  { id: 'inventory', label: 'Inventory', key: '3' },
  { id: 'plans', label: 'Plans', key: '4' },
  { id: 'runs', label: 'Run board', key: '5' },
  { id: 'history', label: 'History', key: '6' },
] as const;
export type ScreenId = (typeof SCREENS)[number]['id'];

type NavState = {
  screen: ScreenId;
  /** The trader has gone to a screen (keys, the sidebar, a button) since the app opened. */
  moved: boolean;
  go: (screen: ScreenId) => void;
  /** Where the app opens once it knows what it has — unless the trader already went somewhere. */
  openOn: (screen: ScreenId) => void;
};

/**
 * Which screen is showing. Screens keep their own state in their stores;
 * toasts belong to the screen they were raised on and are cleared on the way
 * out (a toast raised right after `go` is the new screen's).
 */
export const useNav = create<NavState>()((set, get) => ({
  screen: 'settings',
  moved: false,
  go: (screen) => {
    if (screen === get().screen) return set({ moved: true });
    useNotices.getState().clear();
    set({ screen, moved: true });
  },
  openOn: (screen) => {
    if (!get().moved) set({ screen });
  },
}));
