import { beforeEach, describe, expect, it } from 'vitest';
import { useNav, type ScreenId } from './nav-store';

beforeEach(() => useNav.setState(useNav.getInitialState(), true));

describe('nav store: where the app opens', () => {
  it('a first start shows Setup until the app knows there are accounts', () => {
    expect(useNav.getState().screen).toBe('settings');
    useNav.getState().openOn('inventory');
    expect(useNav.getState().screen).toBe('inventory');
  });

  // Accounts load after the first paint: a screen the trader picked meanwhile (Alt+1 …
  // Alt+6, the sidebar) is where they stay — Setup included, the screen they started on.
  const picked: ScreenId[] = ['settings', 'accounts', 'plans', 'runs', 'history'];
  it.each(picked)('the trader went to %s while loading: it stays', (screen) => {
    useNav.getState().go(screen);
    useNav.getState().openOn('inventory');
    expect(useNav.getState().screen).toBe(screen);
  });
});
