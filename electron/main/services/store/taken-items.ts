import { HELD_TRADE_STATUSES } from '../../../../shared/domain';
import type { StoreContext } from './context';
import { LIVE_BATCH_STATES_SQL, sqlList } from './sql';

/*
 * What became of cached inventory items since the copy was fetched, as the
 * app knows it (issue 14 item 5) — read from the store's own rows, so the
 * engine stays out of it:
 *
 * - sold: units in a trade AssetPay made (in flight, on hold or completed)
 *   that the app recorded after the copy was fetched. AssetPay's inventory no
 *   longer lists units held by a trade, so a copy fetched after the trade
 *   already shows them gone: a refresh from AssetPay wins. A trade that failed
 *   gave its items back and takes nothing.
 * - selling: units in a live batch with no such trade yet (queued, sending,
 *   waiting for review…), and the items of a run whose batches are still being
 *   written. They are the app's own commitments, whatever the copy says.
 *
 * Only runs of plans built in the given environment count. The CTE takes named
 * parameters @environment, @account and @game (NULL: any).
 */

const HELD_SQL = sqlList(HELD_TRADE_STATUSES);

export const TAKEN_ITEMS_CTE = `taken AS MATERIALIZED (
  SELECT account_id, game, item_id, SUM(sold) AS sold, SUM(selling) AS selling,
         MAX(run_created_at) AS run_created_at, plan_name
  FROM (
    SELECT t.account_id, t.game, ti.item_id, COALESCE(ti.amount, 1) AS sold, 0 AS selling,
           r.created_at AS run_created_at, p.name AS plan_name
    FROM inventory_snapshots s
    JOIN trades t ON t.account_id = s.account_id AND t.game = s.game AND t.created_at > s.fetched_at
    JOIN trade_items ti ON ti.trade_id = t.id
    JOIN runs r ON r.id = t.run_id
    JOIN plans p ON p.id = r.plan_id AND p.environment = @environment
    WHERE s.environment = @environment AND t.status IN ${HELD_SQL}
      AND (@account IS NULL OR s.account_id = @account) AND (@game IS NULL OR s.game = @game)
    UNION ALL
    SELECT b.account_id, b.game, bi.item_id, 0, bi.amount, r.created_at, p.name
    FROM batches b
    JOIN batch_items bi ON bi.batch_id = b.id AND bi.dropped_reason IS NULL
    JOIN runs r ON r.id = b.run_id
    JOIN plans p ON p.id = r.plan_id AND p.environment = @environment
    WHERE b.state IN ${LIVE_BATCH_STATES_SQL}
      AND (@account IS NULL OR b.account_id = @account) AND (@game IS NULL OR b.game = @game)
      AND NOT EXISTS (
        SELECT 1 FROM trades t JOIN trade_items ti ON ti.trade_id = t.id AND ti.item_id = bi.item_id
        WHERE t.batch_id = b.id AND t.attempt = b.attempt AND t.status IN ${HELD_SQL})
    UNION ALL
    SELECT pi.account_id, pi.game, pi.item_id, 0, pi.amount, r.created_at, p.name
    FROM runs r
    JOIN plans p ON p.id = r.plan_id AND p.environment = @environment
    JOIN plan_items pi ON pi.plan_id = r.plan_id
    WHERE r.batches_pending = 1
      AND (@account IS NULL OR pi.account_id = @account) AND (@game IS NULL OR pi.game = @game)
      AND NOT EXISTS (
        SELECT 1 FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
        WHERE bi.item_id = pi.item_id AND b.run_id = r.id)
  )
  GROUP BY account_id, game, item_id
)`;

/** Units taken off one cached row, and the stack they were taken from. */
export interface TakenUnits {
  sold: number;
  selling: number;
  planName: string | null;
  /** The cached stack (before anything was taken). */
  cachedAmount: number;
}

/** `account \0 game \0 item`: one cached row. */
export const rowKey = (accountId: string, game: string, itemId: string): string =>
  `${accountId}\u0000${game}\u0000${itemId}`;

/**
 * What was taken off the cached rows of an environment (of one account and game when given),
 * by row key. A handful of rows next to a 50,000-item inventory: read on their own and merged
 * into a page by the caller, so listing an inventory costs what it did before.
 */
export function readTaken(
  ctx: StoreContext,
  environment: string,
  filter: { accountId?: string | undefined; game?: string | undefined },
): Map<string, TakenUnits> {
  const rows = ctx
    .stmt(
      `WITH ${TAKEN_ITEMS_CTE}
       SELECT k.account_id, k.game, k.item_id, k.sold, k.selling, k.plan_name, i.amount
       FROM taken k JOIN inventory_items i ON i.account_id = k.account_id AND i.environment = @environment
         AND i.game = k.game AND i.item_id = k.item_id`,
    )
    .all(takenParams(environment, filter)) as {
    account_id: string;
    game: string;
    item_id: string;
    sold: number;
    selling: number;
    plan_name: string | null;
    amount: number;
  }[];
  const out = new Map<string, TakenUnits>();
  for (const r of rows)
    out.set(rowKey(r.account_id, r.game, r.item_id), {
      sold: r.sold,
      selling: r.selling,
      planName: r.plan_name,
      cachedAmount: r.amount,
    });
  return out;
}

/** The CTE's parameters for one query. */
export function takenParams(
  environment: string,
  filter: { accountId?: string | undefined; game?: string | undefined },
): { environment: string; account: string | null; game: string | null } {
  return { environment, account: filter.accountId ?? null, game: filter.game ?? null };
}
