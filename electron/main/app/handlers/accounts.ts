import type { Handlers } from '../../../../shared/contract/contract';
import { environmentName, requireOnline, isoNow, type AppContext } from '../context';
import { unwrap } from '../errors';

/*
 * Selling Steam accounts. The trade URL is checked offline exactly as
 * AssetPay's server does (shared/api/trade-url.ts, api §7) by the store, which
 * refuses with the specific reason ("token must be exactly 8 characters…").
 * checkAccount asks AssetPay (POST /secure/check-tradeurl, api §4.7) whether
 * Steam lets the account trade, and keeps the answer with its time.
 */

type AccountHandlers = Pick<
  Handlers,
  | 'listAccounts'
  | 'addAccount'
  | 'updateAccount'
  | 'removeAccount'
  | 'checkAccount'
  | 'tradeUrlCheckWait'
>;

export function accountHandlers(ctx: AppContext): AccountHandlers {
  return {
    listAccounts: () => ctx.store.accounts.list(),

    addAccount: ({ label, tradeUrl }) => {
      const account = ctx.store.accounts.add({ label, tradeUrl });
      ctx.store.events.append({
        kind: 'account-added',
        payload: { accountId: account.id, label: account.label },
      });
      return account;
    },

    updateAccount: ({ accountId, label, tradeUrl }) =>
      ctx.store.accounts.update(accountId, {
        ...(label !== undefined ? { label } : {}),
        ...(tradeUrl !== undefined ? { tradeUrl } : {}),
      }),

    removeAccount: ({ accountId }) => {
      ctx.store.accounts.remove(accountId);
      ctx.store.events.append({ kind: 'account-removed', payload: { accountId } });
      return { ok: true as const };
    },

    // The unverified tier allows 100 checks an hour (api §3): a check may wait ~38 s for its turn.
    tradeUrlCheckWait: () => {
      const { limit, windowMs, tier } = ctx.limiter.stats()['check-tradeurl'];
      return { waitMs: ctx.limiter.waitEstimate('check-tradeurl'), limit, windowMs, tier };
    },

    checkAccount: async ({ accountId }) => {
      const account = ctx.store.accounts.require(accountId);
      requireOnline(ctx, 'check the account with AssetPay');
      const answer = await ctx.work.during(
        `${account.label}’s trade URL is still being checked with ${environmentName(ctx)}. Switch when the answer is in.`,
        async () => (await ctx.api.client()).checkTradeUrl(account.tradeUrl),
      );
      const result = unwrap(answer, 'check the trade URL');
      const canTrade = result.canTrade ?? null;
      const escrow = result.reason?.escrowDays;
      const message =
        result.message ??
        (canTrade === false
          ? 'Steam says this account cannot trade right now.'
          : escrow !== undefined && escrow > 0
            ? `The account can trade, with a ${escrow}-day Steam hold.`
            : 'The account can trade.');
      return ctx.store.accounts.setLastCheck(accountId, {
        at: isoNow(ctx),
        state: result.state,
        canTrade,
        message,
      });
    },
  };
}
