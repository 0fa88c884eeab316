import type { RunSummary, Settings } from '../../../shared/contract/views';
import { OPEN_RUN_STATES } from '../../../shared/domain';
import type { ApiFailure } from '../services/assetpay/outcome';
import {
  SellEngine,
  type EngineClient,
  type EngineEvent,
  type SellEngineOptions,
} from '../services/engine';
import { redactString } from '../services/log';
import type { AppContext } from './context';

/*
 * The sell engine as the app runs it: its client follows the selected
 * environment (a switch is refused while runs are active, so a run never
 * changes AssetPay under its feet), and its events become the contract's push
 * events, each built from the store as committed (the engine already coalesces
 * them to a few per second per batch, run and trade).
 */

export function createEngine(
  ctx: AppContext,
  settings: Settings,
  options: SellEngineOptions = {},
): SellEngine {
  const engine: SellEngine = new SellEngine({
    store: ctx.store,
    client: currentEnvironmentClient(ctx),
    limiter: ctx.limiter,
    clock: ctx.clock,
    events: (event) => pushEvent(ctx, engine, event),
    logger: ctx.logger,
    options: { concurrency: settings.concurrency, tier: settings.tier, ...options },
  });
  return engine;
}

/** A run as the board shows it: the store's summary, and the engine's pace while it sells or is paused. */
export function runView(ctx: AppContext, engine: SellEngine, runId: string): RunSummary {
  const run = ctx.store.runs.summary(runId);
  return OPEN_RUN_STATES.includes(run.state) ? { ...run, pace: engine.pace(runId) } : run;
}

/** Resolves the client per call; a client that cannot be had (sandbox failed to start) is "not sent". */
function currentEnvironmentClient(ctx: AppContext): EngineClient {
  const notSent = (error: unknown): ApiFailure => ({
    kind: 'not-sent',
    reason: `AssetPay client unavailable: ${redactString(error instanceof Error ? error.message : String(error))}`,
  });
  const client = () => ctx.api.client();
  return {
    sell: (body, options) => client().then((c) => c.sell(body, options), notSent),
    getTrades: (refs, options) => client().then((c) => c.getTrades(refs, options), notSent),
    getInventory: (tradeUrl, game, options) =>
      client().then((c) => c.getInventory(tradeUrl, game, options), notSent),
    listTrades: (options) => client().then((c) => c.listTrades(options), notSent),
  };
}

function pushEvent(ctx: AppContext, engine: SellEngine, event: EngineEvent): void {
  try {
    switch (event.type) {
      case 'batch-updated': {
        const batch = ctx.store.batches.get(event.batchId);
        if (batch) ctx.hub.emit('batchUpdated', ctx.store.batches.toView(batch));
        return;
      }
      case 'run-progress':
        if (ctx.store.runs.get(event.runId))
          ctx.hub.emit('runProgress', runView(ctx, engine, event.runId));
        return;
      case 'trade-updated': {
        const trade = ctx.store.trades.view(event.tradeId);
        if (trade) ctx.hub.emit('tradeUpdated', trade);
        return;
      }
      case 'attention':
        ctx.hub.emit('attention', {
          runId: event.runId,
          title: redactString(event.title),
          body: redactString(event.body),
        });
        return;
    }
  } catch (error) {
    // The store may be closing (shutdown flushes the coalescer); a lost push is re-read by the renderer.
    ctx.logger.warn('push event dropped', { type: event.type, error });
  }
}
