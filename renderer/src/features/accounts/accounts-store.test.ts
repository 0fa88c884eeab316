import { beforeEach, describe, expect, it } from 'vitest';
import { useFakeBridge } from '../../testing/use-fake';
import type { FakeBulkSeller } from '../../testing/fake-bulk-seller';
import { useConnectivity } from '../../app/connectivity-store';
import { accountLabel, useAccounts } from './accounts-store';

const URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=ABCDEFGH';
let fake: FakeBulkSeller;
beforeEach(() => {
  fake = useFakeBridge();
});

describe('accounts store', () => {
  it('refuses a bad trade URL before calling main, with the exact reason', async () => {
    expect(
      await useAccounts
        .getState()
        .add('Main', 'https://www.steamcommunity.com/tradeoffer/new/?partner=1&token=ABCDEFGH'),
    ).toMatch(/steamcommunity\.com \(without "www\."\)/);
    expect(await useAccounts.getState().add('Main', `${URL}&x=1`)).toMatch(/token/);
    expect(fake.calls.filter((c) => c.method === 'addAccount')).toHaveLength(0);
  });

  it('adds, checks, renames and removes an account', async () => {
    expect(await useAccounts.getState().add('Main', `  ${URL} `)).toBeNull();
    const [account] = useAccounts.getState().accounts;
    expect(account?.steamId64).toBe('76561197960278073');
    await useAccounts.getState().check(account!.id);
    expect(useAccounts.getState().accounts[0]?.lastCheck?.canTrade).toBe(true);
    expect(useAccounts.getState().checking.size).toBe(0);
    await useAccounts.getState().rename(account!.id, 'Alt');
    expect(accountLabel(useAccounts.getState().accounts, account!.id)).toBe('Alt');
    await useAccounts.getState().remove(account!.id);
    expect(useAccounts.getState().accounts).toEqual([]);
  });
});

describe('accounts store: checked when added', () => {
  it.each([
    [true, 1],
    [false, 0],
  ])('online %s → %i check(s) with AssetPay right after adding', async (online, checks) => {
    useConnectivity.setState({ online });
    expect(await useAccounts.getState().add('Main', URL)).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls.filter((c) => c.method === 'checkAccount')).toHaveLength(checks);
  });
});
