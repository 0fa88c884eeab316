import type { EngineContext } from './context';
import type { Tracker } from './tracker';

/*
 * What a restart finds in the rows and must put right before anything else
 * runs (design §5 "start-up"): the app may have died between any two
 * transactions.
 */
export function resumeAfterRestart(ctx: EngineContext, tracker: Tracker): void {
  const { store } = ctx;
  // A crash between "created" and "tracking" (two transactions) leaves a batch in created.
  for (const b of store.batches.listByStates(['created']))
    ctx.transition(b.id, {
      to: 'tracking',
      from: ['created'],
      reason: 'tracking its trades (after restart)',
    });
  for (const b of store.batches.listByStates(['tracking'])) {
    // A split basket seen by lookup whose other trades are still unknown is looked for again.
    if (b.nextAttemptAt === null && store.batches.unaccountedItems(b.id, b.attempt).length > 0)
      ctx.transition(b.id, {
        to: 'tracking',
        from: ['tracking'],
        reason: 'looking for the other trades of a split basket (after restart)',
        patch: { nextAttemptAt: ctx.clock.now() },
      });
    tracker.settleIfDone(b.id);
  }
  // A request written ahead may have left before the app died: only a lookup can tell.
  for (const b of store.batches.listByStates(['sending']))
    ctx.transition(b.id, {
      to: 'unknown',
      from: ['sending'],
      reason: 'interrupted while sending (app restarted)',
      patch: { nextAttemptAt: null },
    });
}
