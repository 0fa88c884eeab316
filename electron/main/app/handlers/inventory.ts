import { GAME_NAMES } from '../../../../shared/api/games';
import type { Handlers } from '../../../../shared/contract/contract';
import { environmentName, requireOnline, isoNow, type AppContext } from '../context';
import { unwrap } from '../errors';

/*
 * Inventory: fetched whole (`limit=-1`, api §4.1) per account and game and
 * cached with its fetch time, so the trader browses and plans offline. The
 * inventory screen takes a whole account and game at once as compact columns
 * (search, sort and select-all then run in the renderer's memory); the list
 * call pages and filters in SQLite for everything else.
 */

type InventoryHandlers = Pick<
  Handlers,
  'fetchInventory' | 'listSnapshots' | 'listInventory' | 'inventoryColumns'
>;

export function inventoryHandlers(ctx: AppContext): InventoryHandlers {
  return {
    fetchInventory: async ({ accountId, game, refresh }) => {
      const account = ctx.store.accounts.require(accountId);
      requireOnline(ctx, 'fetch the inventory');
      const answer = await ctx.work.during(
        `${account.label}’s ${GAME_NAMES[game]} inventory is still being fetched from ${environmentName(ctx)}. Switch when it has arrived.`,
        async () =>
          (await ctx.api.client()).getInventory(account.tradeUrl, game, {
            refresh: refresh ?? false,
            pageSize: 'all',
          }),
      );
      const result = unwrap(answer, 'fetch the inventory');
      const snapshot = ctx.store.inventory.replaceSnapshot(
        accountId,
        game,
        result.items,
        isoNow(ctx),
        {
          count: result.count,
          apiUpdatedAt: result.updatedAt,
        },
      );
      ctx.store.events.append({
        kind: 'inventory-fetched',
        payload: { accountId, game, items: snapshot.itemCount },
      });
      return snapshot;
    },

    listSnapshots: () => ctx.store.inventory.listSnapshots(),

    listInventory: (filter) => ctx.store.inventory.query(filter),

    inventoryColumns: ({ accountId, game }) => ctx.store.inventory.columns(accountId, game),
  };
}
