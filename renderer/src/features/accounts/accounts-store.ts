import { create } from 'zustand';
import type { Account } from '../../../../shared/contract';
import { parseTradeUrl } from '../../../../shared/api/trade-url';
import { attempt, call, errorMessage } from '../../api/client';
import { useConnectivity } from '../../app/connectivity-store';
import type { CheckWait } from './check-wait';

type AccountsState = {
  accounts: Account[];
  loaded: boolean;
  checking: ReadonlySet<string>;
  /** Checks that wait for the tier's hourly limit before they leave (api §3), by account. */
  checkWaits: Readonly<Record<string, CheckWait>>;
  load: () => Promise<void>;
  /** Returns an error message for the form, or null when added (then checked with AssetPay when online). */
  add: (label: string, tradeUrl: string) => Promise<string | null>;
  rename: (accountId: string, label: string) => Promise<void>;
  changeTradeUrl: (accountId: string, tradeUrl: string) => Promise<string | null>;
  remove: (accountId: string) => Promise<void>;
  check: (accountId: string) => Promise<void>;
};

function replace(accounts: Account[], next: Account): Account[] {
  return accounts.map((a) => (a.id === next.id ? next : a));
}

export const useAccounts = create<AccountsState>()((set, get) => ({
  accounts: [],
  loaded: false,
  checking: new Set(),
  checkWaits: {},

  load: async () => {
    try {
      set({
        accounts: await call('listAccounts', {}, { context: 'Could not load accounts' }),
        loaded: true,
      });
    } catch {
      set({ loaded: true });
    }
  },

  add: async (label, tradeUrl) => {
    // Same rule as AssetPay's server (api §7), checked here for instant feedback.
    const checked = parseTradeUrl(tradeUrl);
    if (!checked.ok) return checked.reason;
    if (!label.trim()) return 'Give the account a name you recognise.';
    try {
      const account = await call(
        'addAccount',
        { label: label.trim(), tradeUrl: checked.url },
        { quiet: true },
      );
      set({ accounts: [...get().accounts, account] });
      // Whether Steam lets it trade is the next thing the trader wants to know.
      if (useConnectivity.getState().online !== false) void get().check(account.id);
      return null;
    } catch (error) {
      return errorMessage(error);
    }
  },

  rename: async (accountId, label) => {
    try {
      const account = await call(
        'updateAccount',
        { accountId, label: label.trim() },
        { context: 'Not renamed' },
      );
      set({ accounts: replace(get().accounts, account) });
    } catch {
      // toast shown
    }
  },

  changeTradeUrl: async (accountId, tradeUrl) => {
    const checked = parseTradeUrl(tradeUrl);
    if (!checked.ok) return checked.reason;
    try {
      const account = await call(
        'updateAccount',
        { accountId, tradeUrl: checked.url },
        { quiet: true },
      );
      set({ accounts: replace(get().accounts, account) });
      return null;
    } catch (error) {
      return errorMessage(error);
    }
  },

  remove: async (accountId) => {
    try {
      await call('removeAccount', { accountId }, { context: 'Account not removed' });
      set({ accounts: get().accounts.filter((a) => a.id !== accountId) });
    } catch {
      // toast shown
    }
  },

  check: async (accountId) => {
    set({ checking: new Set([...get().checking, accountId]) });
    try {
      // Asked before the check joins the queue, so the wait is this check's own.
      const wait = await attempt('tradeUrlCheckWait', {});
      if (wait.ok && wait.data.waitMs >= 1_000) {
        const { waitMs, ...limit } = wait.data;
        set({
          checkWaits: { ...get().checkWaits, [accountId]: { ...limit, at: Date.now() + waitMs } },
        });
      }
      const account = await call(
        'checkAccount',
        { accountId },
        { context: 'Trade URL check failed' },
      );
      set({ accounts: replace(get().accounts, account) });
    } catch {
      // toast shown
    } finally {
      const next = new Set(get().checking);
      next.delete(accountId);
      const { [accountId]: _done, ...waits } = get().checkWaits;
      set({ checking: next, checkWaits: waits });
    }
  },
}));

export function accountLabel(accounts: readonly Account[], accountId: string | null): string {
  if (!accountId) return '—';
  return accounts.find((a) => a.id === accountId)?.label ?? accountId;
}
