import { useEffect } from 'react';
import { SCREENS, useNav } from './nav-store';

export const SHORTCUTS: { keys: string; what: string }[] = [
  {
    keys: 'Alt+1 … Alt+6 (or Ctrl+1 … 6)',
    what: 'Go to Setup, Accounts, Inventory, Plans, Run board, History',
  },
  { keys: '/', what: 'Focus the search box' },
  { keys: '↑ ↓ Home End PgUp PgDn', what: 'Move in a list' },
  { keys: 'Space / Enter', what: 'Select the row / open it' },
  { keys: 'Shift+↑ ↓, Shift-click', what: 'Select a range' },
  { keys: 'Ctrl/⌘-click', what: 'Add or remove one row' },
  { keys: 'Ctrl/⌘+A', what: 'Select all matching items' },
  { keys: 'Ctrl/⌘+Enter', what: 'Add the selection to the plan' },
  { keys: 'Esc', what: 'Clear the selection / close a dialog' },
  { keys: '?', what: 'Show these shortcuts' },
];

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** App-wide keys: screen switching, "/" for search, "?" for help. */
export function useGlobalShortcuts(toggleHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.altKey || e.ctrlKey || e.metaKey) && !e.shiftKey && /^[1-6]$/.test(e.key)) {
        const screen = SCREENS[Number(e.key) - 1];
        if (screen) {
          e.preventDefault();
          useNav.getState().go(screen.id);
        }
        return;
      }
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
          search.select();
        }
      } else if (e.key === '?') {
        e.preventDefault();
        toggleHelp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleHelp]);
}
