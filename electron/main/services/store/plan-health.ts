import { GAME_NAMES, type GameId } from '../../../../shared/api/games';
import {
  CREDITED_TRADE_STATUSES,
  ENVIRONMENT_NAMES,
  HELD_TRADE_STATUSES,
  OPEN_RUN_STATES,
  type Environment,
  type TradeStatus,
} from '../../../../shared/domain';
import type { PlanItemProblem } from '../../../../shared/model';
import type { StoreContext } from './context';
import { asGame, asTradeStatus } from './enums';
import { LIVE_BATCH_STATES_SQL, sqlList } from './sql';
import { TAKEN_ITEMS_CTE, takenParams } from './taken-items';

/*
 * Whether a plan's items can still be sold as planned (issue 14 item 6), and
 * which items of a submitted plan ended unsold. The facts are read in SQL; the
 * verdict on each item is a pure function (planItemProblem), table-tested.
 */

const HELD_SQL = sqlList(HELD_TRADE_STATUSES);

/** Everything the verdict on one planned item depends on. */
export interface PlanItemFacts {
  accountId: string;
  game: string;
  itemId: string;
  name: string;
  /** Units planned. */
  amount: number;
  /** A trade AssetPay made with (units of) the item (the newest), with its run's plan. */
  trade: { status: TradeStatus; runId: string; planName: string } | null;
  /** A live batch (or a run still writing its batches) holding it: no other run may sell it meanwhile. */
  liveRun: { runId: string; planName: string } | null;
  /** The selected environment has a cached copy of this account and game. */
  cached: boolean;
  /** The item's cached row; null when the copy does not list it. */
  row: {
    tradable: boolean;
    accepted: boolean;
    hasPrice: boolean;
    /** Units left after what was sold or is being sold since the fetch. */
    unitsLeft: number;
  } | null;
  environment: Environment;
}

/** Pure: why an item cannot be sold as planned, most decisive reason first; null when it can. */
export function planItemProblem(f: PlanItemFacts): PlanItemProblem | null {
  const base = { accountId: f.accountId, game: asGame(f.game), itemId: f.itemId, name: f.name };
  const problem = (
    reason: PlanItemProblem['reason'],
    message: string,
    runId: string | null = null,
  ): PlanItemProblem => ({ ...base, reason, message, runId });
  // A trade took units of the item; for a Rust stack what is left may still cover the plan.
  const short = !f.row || f.row.unitsLeft < f.amount;
  if (f.trade && short) {
    const { status, planName, runId } = f.trade;
    if (f.row && f.row.unitsLeft > 0)
      return problem(
        'sold',
        `Only ${f.row.unitsLeft} of the ${f.amount} planned units are left: the rest was sold in the run of “${planName}”.`,
        runId,
      );
    if (CREDITED_TRADE_STATUSES.includes(status))
      return problem(
        'sold',
        `Sold in the run of “${planName}” (trade ${status === 'hold' ? 'on hold' : 'completed'}).`,
        runId,
      );
    return problem(
      'sold',
      `In a trade offer of the run of “${planName}” (trade ${status}).`,
      runId,
    );
  }
  if (f.liveRun)
    return problem(
      'in-live-batch',
      `Being sold right now by the run of “${f.liveRun.planName}”.`,
      f.liveRun.runId,
    );
  if (!f.cached)
    return problem(
      'not-cached',
      `No ${GAME_NAMES[base.game]} inventory of this account is cached in ${ENVIRONMENT_NAMES[f.environment]}; fetch it there.`,
    );
  if (!f.row)
    return problem('gone', 'No longer in the inventory (the last fetch did not list it).');
  if (!f.row.tradable) return problem('not-tradable', 'Not tradable on Steam right now.');
  if (!f.row.accepted) return problem('not-accepted', 'AssetPay does not accept it at the moment.');
  if (!f.row.hasPrice) return problem('no-price', 'AssetPay has no offer price for it.');
  if (f.row.unitsLeft < f.amount)
    return problem(
      'fewer-units',
      f.row.unitsLeft === 0
        ? 'No units of this stack are left.'
        : `Only ${f.row.unitsLeft} of the ${f.amount} planned units are left.`,
    );
  return null;
}

interface FactsRow {
  account_id: string;
  game: string;
  item_id: string;
  name: string;
  amount: number;
  trade_status: string | null;
  trade_run: string | null;
  trade_plan: string | null;
  live_run: string | null;
  live_plan: string | null;
  cached: number;
  listed: number;
  tradable: number | null;
  accepted: number | null;
  price_cents: number | null;
  units_left: number | null;
}

/*
 * One row per planned item that may have a problem. The WHERE clause only skips
 * rows that certainly have none (so a 100,000-item plan that is fine sends
 * nothing back); the verdict is planItemProblem's.
 */
const PLAN_FACTS_SQL = `WITH ${TAKEN_ITEMS_CTE},
traded AS MATERIALIZED (
  SELECT ti.item_id, t.account_id, t.game, t.status, t.run_id, p.name AS plan_name, MAX(t.created_at)
  FROM trade_items ti
  JOIN trades t ON t.id = ti.trade_id AND t.status IN ${HELD_SQL}
  JOIN runs r ON r.id = t.run_id
  JOIN plans p ON p.id = r.plan_id AND p.environment = @environment
  WHERE ti.item_id IN (SELECT item_id FROM plan_items WHERE plan_id = @plan)
  GROUP BY ti.item_id, t.account_id, t.game
),
live AS MATERIALIZED (
  SELECT bi.item_id, b.account_id, b.game, b.run_id, p.name AS plan_name
  FROM batch_items bi
  JOIN batches b ON b.id = bi.batch_id AND b.state IN ${LIVE_BATCH_STATES_SQL}
  JOIN runs r ON r.id = b.run_id
  JOIN plans p ON p.id = r.plan_id AND p.environment = @environment
  WHERE bi.dropped_reason IS NULL AND bi.item_id IN (SELECT item_id FROM plan_items WHERE plan_id = @plan)
  UNION ALL
  SELECT pi.item_id, pi.account_id, pi.game, r.id, p.name
  FROM runs r
  JOIN plans p ON p.id = r.plan_id AND p.environment = @environment AND p.id != @plan
  JOIN plan_items pi ON pi.plan_id = r.plan_id
  WHERE r.batches_pending = 1 AND pi.item_id IN (SELECT item_id FROM plan_items WHERE plan_id = @plan)
)
SELECT pi.account_id, pi.game, pi.item_id, pi.name, pi.amount,
       tr.status AS trade_status, tr.run_id AS trade_run, tr.plan_name AS trade_plan,
       (SELECT l.run_id FROM live l WHERE l.item_id = pi.item_id AND l.account_id = pi.account_id AND l.game = pi.game LIMIT 1) AS live_run,
       (SELECT l.plan_name FROM live l WHERE l.item_id = pi.item_id AND l.account_id = pi.account_id AND l.game = pi.game LIMIT 1) AS live_plan,
       s.account_id IS NOT NULL AS cached, i.item_id IS NOT NULL AS listed,
       i.tradable, i.accepted, i.price_cents,
       MAX(0, i.amount - COALESCE(k.sold, 0) - COALESCE(k.selling, 0)) AS units_left
FROM plan_items pi
LEFT JOIN traded tr ON tr.item_id = pi.item_id AND tr.account_id = pi.account_id AND tr.game = pi.game
LEFT JOIN inventory_snapshots s ON s.account_id = pi.account_id AND s.environment = @environment AND s.game = pi.game
LEFT JOIN inventory_items i ON i.account_id = pi.account_id AND i.environment = @environment AND i.game = pi.game AND i.item_id = pi.item_id
LEFT JOIN taken k ON k.account_id = pi.account_id AND k.game = pi.game AND k.item_id = pi.item_id
WHERE pi.plan_id = @plan AND (
  tr.item_id IS NOT NULL
  OR EXISTS (SELECT 1 FROM live l WHERE l.item_id = pi.item_id AND l.account_id = pi.account_id AND l.game = pi.game)
  OR i.item_id IS NULL OR i.tradable = 0 OR i.accepted = 0 OR i.price_cents IS NULL
  OR i.amount - COALESCE(k.sold, 0) - COALESCE(k.selling, 0) < pi.amount)
ORDER BY pi.seq`;

function toFacts(r: FactsRow, environment: Environment): PlanItemFacts {
  return {
    accountId: r.account_id,
    game: r.game,
    itemId: r.item_id,
    name: r.name,
    amount: r.amount,
    trade:
      r.trade_status === null
        ? null
        : {
            status: asTradeStatus(r.trade_status),
            runId: r.trade_run ?? '',
            planName: r.trade_plan ?? '',
          },
    liveRun: r.live_run === null ? null : { runId: r.live_run, planName: r.live_plan ?? '' },
    cached: r.cached === 1,
    row:
      r.listed === 1
        ? {
            tradable: r.tradable === 1,
            accepted: r.accepted === 1,
            hasPrice: r.price_cents !== null,
            unitsLeft: r.units_left ?? 0,
          }
        : null,
    environment,
  };
}

/** An item a run of the plan did not sell, with the units it tried to. */
export interface UnsoldItem {
  accountId: string;
  game: GameId;
  itemId: string;
  amount: number;
}

/*
 * Items of a plan's runs that ended without a sale: batches skipped or canceled,
 * items left out of a batch, batches settled whose trades failed, declined,
 * were canceled or reverted — and none of the plan's trades holds the item.
 * Items a run never wrote into a batch count once no run of the plan is open.
 */
const UNSOLD_SQL = `SELECT b.account_id, b.game, bi.item_id, MAX(bi.amount) AS amount, MIN(b.seq) AS seq
FROM batches b JOIN batch_items bi ON bi.batch_id = b.id
WHERE b.plan_id = @plan
  AND (b.state IN ('settled','skipped','canceled') OR bi.dropped_reason IS NOT NULL)
  AND NOT EXISTS (
    SELECT 1 FROM trades t JOIN trade_items ti ON ti.trade_id = t.id AND ti.item_id = bi.item_id
    JOIN batches tb ON tb.id = t.batch_id
    WHERE tb.plan_id = @plan AND t.status IN ${HELD_SQL})
  AND NOT EXISTS (
    SELECT 1 FROM batches lb JOIN batch_items li ON li.batch_id = lb.id AND li.item_id = bi.item_id
    WHERE lb.plan_id = @plan AND lb.state IN ${LIVE_BATCH_STATES_SQL} AND li.dropped_reason IS NULL)
GROUP BY b.account_id, b.game, bi.item_id
UNION ALL
SELECT pi.account_id, pi.game, pi.item_id, pi.amount, 1e9 + pi.seq
FROM plan_items pi
WHERE pi.plan_id = @plan
  AND EXISTS (SELECT 1 FROM batches b WHERE b.plan_id = @plan)
  AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.plan_id = @plan AND r.state IN ${sqlList(OPEN_RUN_STATES)})
  AND NOT EXISTS (SELECT 1 FROM batches b JOIN batch_items bi ON bi.batch_id = b.id
                  WHERE b.plan_id = @plan AND bi.item_id = pi.item_id)
ORDER BY seq`;

/** Reads a plan's health and its runs' leftovers. */
export class PlanHealthRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Every planned item that cannot be sold as planned, in plan order. */
  problems(planId: string, environment: Environment): PlanItemProblem[] {
    const rows = this.ctx
      .stmt(PLAN_FACTS_SQL)
      .all({ ...takenParams(environment, {}), plan: planId }) as FactsRow[];
    const out: PlanItemProblem[] = [];
    for (const row of rows) {
      const problem = planItemProblem(toFacts(row, environment));
      if (problem) out.push(problem);
    }
    return out;
  }

  /** Items the plan's runs did not sell (nothing while a run of it is still selling them). */
  unsold(planId: string): UnsoldItem[] {
    const rows = this.ctx.stmt(UNSOLD_SQL).all({ plan: planId }) as {
      account_id: string;
      game: string;
      item_id: string;
      amount: number;
    }[];
    const seen = new Set<string>();
    const out: UnsoldItem[] = [];
    for (const r of rows) {
      const key = `${r.account_id}\u0000${r.game}\u0000${r.item_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        accountId: r.account_id,
        game: asGame(r.game),
        itemId: r.item_id,
        amount: r.amount,
      });
    }
    return out;
  }
}
