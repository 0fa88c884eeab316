import { create } from 'zustand';

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
  go: (screen: ScreenId) => void;
};

/** Which screen is showing. Screens keep their own state in their stores. */
export const useNav = create<NavState>()((set) => ({
  screen: 'settings',
  go: (screen) => set({ screen }),
}));
