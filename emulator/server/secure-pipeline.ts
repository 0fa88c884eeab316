import { fail, json, type Reply } from '../envelope';
import { handleCheckTradeUrl } from '../handlers/check-tradeurl';
import { handleInventory } from '../handlers/inventory';
import { handleSell } from '../handlers/sell';
import { handleTradeList, handleTradeLookup } from '../handlers/trades';
import type { LimitedRoute } from '../rate-limiter';
import type { FaultEndpoint, OneShotFault, Trade } from '../types';
import type { RequestContext, Services } from './context';

/*
 * Every /secure request goes through the same steps, in this order:
 * latency (first half) → auth → one-shot fault → tier throttle → 429 burst →
 * random faults → fleet degraded (capacity model, sells) → handler →
 * latency (what is left of it). Anything answered before the handler has no
 * side effect. With the capacity model a sell's handler also waits for a bot.
 */

interface SecureRoute {
  name: LimitedRoute;
  fault: Exclude<FaultEndpoint, 'any'>;
  param?: string;
}

export function matchSecure(method: string, path: string): SecureRoute | undefined {
  if (method === 'GET' && path === '/secure/inventory')
    return { name: 'inventory', fault: 'inventory' };
  if (method === 'POST' && path === '/secure/sell') return { name: 'sell', fault: 'sell' };
  if (method === 'POST' && path === '/secure/check-tradeurl')
    return { name: 'check-tradeurl', fault: 'check-tradeurl' };
  if (method === 'GET' && path === '/secure/trades') return { name: 'trades', fault: 'trades' };
  if (
    method === 'GET' &&
    path.startsWith('/secure/trades/') &&
    path.length > '/secure/trades/'.length
  ) {
    return { name: 'trade-lookup', fault: 'trades', param: path.slice('/secure/trades/'.length) };
  }
  return undefined;
}

export interface PipelineHooks {
  sleep(ms: number): Promise<void>;
  onSellCommitted: ((trade: Trade) => void) | undefined;
}

export async function handleSecure(
  ctx: RequestContext,
  services: Services,
  hooks: PipelineHooks,
): Promise<Reply> {
  const route = matchSecure(ctx.method, ctx.path);
  services.counts.add(route?.name ?? 'other');
  const latency = services.latencyMs + services.faults.extraLatencyMs();
  ctx.latencyMs = latency;
  if (latency > 0) {
    // Latency is the round trip a client sees: half of it for the request to arrive, then the
    // server's work, then the rest for the answer to come back. The work overlaps the return half,
    // as on a real network, so an answer leaves `latency` ms after the request arrived unless the
    // work takes longer than half of that. Side effects still happen only once the request is in.
    ctx.answerNotBefore = ctx.receivedAt + latency;
    const firstHalf = ctx.receivedAt + latency / 2 - performance.now();
    if (firstHalf > 0) await hooks.sleep(firstHalf);
  }
  return handleRoute(ctx, route, services, hooks);
}

async function handleRoute(
  ctx: RequestContext,
  route: SecureRoute | undefined,
  services: Services,
  hooks: PipelineHooks,
): Promise<Reply> {
  const key = ctx.headers['api-key'];
  if (key === undefined || key === '') return fail('MISSING_API_KEY');
  if (key !== services.apiKey) return fail('INVALID_API_KEY');
  if (!route) return fail('NOT_FOUND', { message: `Cannot ${ctx.method} ${ctx.path}` });

  const faults = services.faults;
  let oneShot = faults.begin(route.fault);
  if (typeof oneShot === 'object') {
    await hooks.sleep(oneShot.delayMs);
    oneShot = undefined;
  }
  const early = oneShot === undefined ? undefined : beforeHandler(oneShot, route, services);
  if (early) return early;

  const now = services.world.config.clock();
  const allowed = services.limiter.take(route.name, now);
  if (!allowed.ok)
    return rateLimited(services, Math.max(1, Math.ceil(allowed.retryAfterMs / 1000)));
  if (faults.inBurst()) return rateLimited(services, 1);

  const isSell = route.name === 'sell';
  if (faults.roll('html-502')) return html502();
  const serverError = faults.roll('server-error');
  const serverErrorAfterCommit = serverError && isSell && faults.roll('server-error-after-commit');
  if (serverError && !serverErrorAfterCommit) return fail('SERVER_ERROR');
  if (isSell && faults.roll('fleet-degraded')) return fail('FLEET_DEGRADED');
  // Sustained overload of the capacity model: refused before any work, like the fault above.
  if (isSell && services.fleet?.refuseIfDegraded()) return fail('FLEET_DEGRADED');

  let reply: Reply;
  switch (route.name) {
    case 'sell':
      return handleSell(
        ctx,
        services,
        {
          oneShot,
          noBots: faults.roll('no-bots'),
          resetAfterCommit: faults.roll('reset-after-commit'),
          serverErrorAfterCommit,
        },
        hooks.onSellCommitted,
      );
    case 'inventory':
      reply = handleInventory(ctx, services);
      break;
    case 'trades':
      reply = handleTradeList(ctx, services);
      break;
    case 'trade-lookup':
      reply = handleTradeLookup(ctx, services, route.param!);
      break;
    case 'check-tradeurl':
      reply = handleCheckTradeUrl(ctx);
      break;
  }
  // Outside sells there is nothing to commit: "after commit" faults act after the work is done.
  if (oneShot === 'reset-after-commit') return { kind: 'reset' };
  if (oneShot === 'hang-after-commit') return { kind: 'hang' };
  if (oneShot === 'server-error-after-commit') return fail('SERVER_ERROR');
  return reply;
}

/** One-shot faults answered before the handler runs (no side effect). Sell-specific ones pass through on sells. */
function beforeHandler(
  fault: Exclude<OneShotFault, { delayMs: number }>,
  route: SecureRoute,
  services: Services,
): Reply | undefined {
  switch (fault) {
    case 'server-error':
      return fail('SERVER_ERROR');
    case 'server-error-no-key':
      // A 500 whose JSON is not the envelope (no error.key): ambiguous for a sell (api §8).
      return json(500, { statusCode: 500, message: 'Internal server error' });
    case 'html-502':
      return html502();
    case 'reset-before-commit':
      return { kind: 'reset' };
    case 'fleet-degraded':
      return fail('FLEET_DEGRADED');
    case 'deposits-paused':
      return fail('DEPOSITS_PAUSED');
    case 'maintenance':
      return fail('SYSTEM_MAINTENANCE');
    case 'rate-limited':
      return rateLimited(services, 1);
    case 'rate-limited-no-retry-after':
      return fail('RATE_LIMITED');
    case 'invalid-api-key':
      return fail('INVALID_API_KEY');
    case 'scope-denied':
      return fail('API_KEY_SCOPE_DENIED');
    case 'no-bots':
      return route.name === 'sell' ? undefined : fail('NO_BOTS_AVAILABLE');
    case 'price-changed':
      return route.name === 'sell' ? undefined : fail('PRICE_CHANGED');
    case 'overstocked':
      return route.name === 'sell'
        ? undefined
        : fail('ITEM_OVERSTOCKED', { details: { items: [] } });
    case 'trade-offer-failed':
      return route.name === 'sell' ? undefined : fail('TRADE_OFFER_FAILED');
    case 'reset-after-commit':
    case 'hang-after-commit':
    case 'server-error-after-commit':
      return undefined;
  }
}

function rateLimited(services: Services, retryAfterSeconds: number): Reply {
  // Retry-After is undocumented (api §3); the SDK reads delta-seconds when present.
  return services.retryAfter
    ? fail('RATE_LIMITED', { headers: { 'retry-after': String(retryAfterSeconds) } })
    : fail('RATE_LIMITED');
}

function html502(): Reply {
  return {
    kind: 'raw',
    status: 502,
    contentType: 'text/html',
    body: '<html>502 Bad Gateway</html>',
  };
}
