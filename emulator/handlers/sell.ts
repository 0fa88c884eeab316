import { fail, ok, validationFailed, type Reply } from '../envelope';
import {
  checkSell,
  commitSell,
  overstocked,
  recordFailedSell,
  type CreatedSell,
} from '../sell/sell-service';
import { validateSellBody } from '../sell/validate-body';
import { copyTrade } from '../trades/trade-book';
import type { RequestContext, Services } from '../server/context';
import type { OneShotFault, Trade } from '../types';

/** Faults that act inside a sell, at or after the point where the trade is written. */
export interface SellFaults {
  oneShot: OneShotFault | undefined;
  noBots: boolean;
  resetAfterCommit: boolean;
  serverErrorAfterCommit: boolean;
}

/**
 * POST /secure/sell (api §4.2). With the capacity model the trade is written
 * when the sell gets a place (a bot or the queue) and answered when its bot
 * has finished; the answer is a promise then.
 */
export function handleSell(
  ctx: RequestContext,
  services: Services,
  faults: SellFaults,
  onCommitted: ((trade: Trade) => void) | undefined,
): Reply | Promise<Reply> {
  if (ctx.bodyError) return validationFailed({ body: ctx.bodyError });
  const checked = validateSellBody(ctx.body);
  if (!checked.ok)
    return checked.reason === 'fields'
      ? validationFailed(checked.fields)
      : fail('INVALID_TRADEURL');

  const world = services.world;
  const now = world.sync();
  const oneShot = faults.oneShot;
  if (oneShot === 'price-changed') movePrice(services, checked.body.items[0]!.itemId, now);

  const check = checkSell(world, checked.body, now);
  if (!check.ok) return check.reply;
  const sell = check.sell;

  if (oneShot === 'overstocked') return overstocked(sell);
  // Both write a failed trade first, so the externalId is consumed (api §8, SDK README).
  if (oneShot === 'no-bots' || faults.noBots) {
    recordFailedSell(world, sell, now);
    return fail('NO_BOTS_AVAILABLE');
  }
  if (oneShot === 'trade-offer-failed') {
    recordFailedSell(world, sell, now);
    return fail('TRADE_OFFER_FAILED');
  }
  // Capacity model: a full queue refuses like the no-bots fault, consuming the externalId.
  const botDone = services.fleet?.request(sell.lines.length);
  if (services.fleet && !botDone) {
    recordFailedSell(world, sell, now);
    return fail('NO_BOTS_AVAILABLE');
  }

  const created = commitSell(world, sell, now);
  if (onCommitted) {
    try {
      onCommitted({
        ...copyTrade(created),
        relatedTrades: created.relatedTrades.map((t) => copyTrade(t)),
      });
    } catch (error) {
      process.stderr.write(`emulator: onSellCommitted threw: ${String(error)}\n`);
    }
  }
  if (!botDone) return answer(created, faults);
  return botDone.then(() => {
    // The answer still travels back to the client: the return half of the round trip.
    const returnHalf = (ctx.latencyMs ?? 0) / 2;
    if (returnHalf > 0)
      ctx.answerNotBefore = Math.max(ctx.answerNotBefore ?? 0, performance.now() + returnHalf);
    return answer(created, faults);
  });
}

/** The answer to a committed sell, or what a fault after the commit makes of it. */
function answer(created: CreatedSell, faults: SellFaults): Reply {
  const oneShot = faults.oneShot;
  if (oneShot === 'reset-after-commit' || faults.resetAfterCommit) return { kind: 'reset' };
  if (oneShot === 'hang-after-commit') return { kind: 'hang' };
  if (oneShot === 'server-error-after-commit' || faults.serverErrorAfterCommit)
    return fail('SERVER_ERROR');
  return ok(created);
}

/** A market move between fetch and sell: the item's offer drops by ~1 % (at least a cent). */
function movePrice(services: Services, itemId: string, now: number): void {
  const stored = services.world.inventories.find(itemId, now);
  if (!stored) return;
  let cents = stored.cents - Math.max(1, Math.round(stored.cents * 0.01));
  if (cents < 1) cents = stored.cents + 1;
  services.world.inventories.setPrice(itemId, cents / 100, now);
}
