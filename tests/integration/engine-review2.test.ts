import { afterEach, describe, expect, it } from 'vitest';
import {
  clientWith,
  existsButUnfindable,
  HELD,
  Harness,
  sleep,
  tradeOfferFailedButLive,
} from './engine-support/harness';

/*
 * Second adversarial review of the sell engine (money invariants). Each test
 * reproduced one defect against the emulator (ground truth) and failed on the
 * engine as reviewed (main at 3177508):
 *   D1 cancel while a sell is in flight; its answer is a refusal that may leave a
 *      live trade (TRADE_OFFER_FAILED, api §8 "record likely failed — look up"):
 *      the batch was canceled on the answer, never looked up (R6 fixed only the
 *      cancel that comes after the answer)
 *   D2 skip, or a retry after a review (whose fresh inventory shows the items
 *      gone: the live trade holds them), of a batch whose refused attempt was
 *      never proven dead: the batch ended skipped, the live trade was never known,
 *      its items were released to other plans
 *   D3 disarm just after the armed plan started by itself: acknowledged without
 *      an error while the run it started kept selling
 *   D4 a retry after "AssetPay says it exists but cannot find it" ran the eight
 *      backed-off lookups again instead of believing the trader who checked
 *   D5 a canceled run's lookups went to another environment's AssetPay after a
 *      switch, whose "not found" proved a live trade dead
 *   D6 a cancel between the write-ahead and the connection (keychain read, TLS
 *      handshake) did not stop the request: it sold after the cancel
 * The fixes: a canceled run's batch is looked up whenever its last attempt was
 * sent and refused (one rule, `finishIfRunCanceled`); the trader's review, retry
 * and skip first prove the refused attempt dead (live: followed, and the trader
 * told; not provable now: refused, nothing changed); a late disarm is refused;
 * the engine works on the selected environment only; a stop reaches a request
 * until it is connected.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The harness with one account and its inventory; closed after each test. */
async function start(...args: Parameters<typeof Harness.withInventory>) {
  const started = await Harness.withInventory(...args);
  h = started.h;
  return started;
}

describe('review2 D1: cancel while a sell is in flight, answered by a refusal that may leave a live trade', () => {
  it('TRADE_OFFER_FAILED answered after the cancel: the batch is looked up (and the live trade adopted) before it ends', async () => {
    const { h, accountId } = await start({
      wrapClient: tradeOfferFailedButLive(),
      emulator: { lifecycle: { stepMs: 0 } },
      engine: { concurrency: 1 },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    // AssetPay takes 800 ms over the sell; the trader cancels the run meanwhile.
    h.emulator.injectNext('sell', { delayMs: 800 });
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor('on the wire', () => h.store.batches.get(batch!.id)!.state === 'sending');
    h.engine.cancelRun(runId);
    await h.waitFor(
      'answered',
      () => h.store.batches.get(batch!.id)!.lastErrorKey === 'TRADE_OFFER_FAILED',
    );
    // Long past any lookup back-off (lookupBaseMs 40 ms) and the in-flight window (1.5 s).
    await sleep(2_000);
    const live = h.emulator
      .state()
      .trades.filter((t) => HELD.includes(t.status) && t.externalId === batch!.externalId);
    expect(live, 'the emulator holds the items in a live trade').toHaveLength(1);
    const b = h.store.batches.view(batch!.id);
    expect
      .soft(h.unknownTradesOf(items), 'live trades holding our items, unknown to the app')
      .toEqual([]);
    expect.soft(b.state, 'the batch (its items are in a live trade)').not.toBe('canceled');
    expect.soft(h.check({ runId }).violations).toEqual([]);
  });
});

describe('review2 D2: the trader ends a batch whose refused attempt was never proven dead', () => {
  it.each<['skip' | 'leave every item out' | 'retry after the review, nothing left out']>([
    ['skip'],
    ['leave every item out'],
    ['retry after the review, nothing left out'],
  ])(
    '%s after TRADE_OFFER_FAILED (live trade): the attempt is looked up first, the live trade adopted, the items stay taken',
    async (how) => {
      const { h, accountId } = await start({
        wrapClient: tradeOfferFailedButLive(),
        emulator: { lifecycle: { stepMs: 0 } },
        // One automatic attempt: TRADE_OFFER_FAILED goes straight to the trader (default: after 5).
        engine: { concurrency: 1, timing: { maxAutoAttempts: 1 } },
      });
      const items = h.sellable(accountId).slice(0, 10);
      await h.engine.start();
      const { runId } = await h.submit(items, { batchSize: 10 });
      const [batch] = h.store.batches.listByRun(runId);
      await h.waitFor(
        'needs review',
        () => h.store.batches.get(batch!.id)!.state === 'needs-review',
      );
      expect(h.store.batches.get(batch!.id)!.lastErrorKey).toBe('TRADE_OFFER_FAILED');
      // The trader's action: on the old engine, the review's fresh inventory showed the items
      // gone (the live trade holds them), and the retry dropped them before attempt 1 was
      // looked up; a skip ended the batch at once. Now each first looks attempt 1 up.
      const act =
        how === 'skip'
          ? h.engine.skipBatch(batch!.id)
          : h.engine.reviewBatch(batch!.id).then(() =>
              h.engine.retryBatch(batch!.id, {
                accept: [],
                leaveOut: how === 'leave every item out' ? items.map((i) => i.itemId) : [],
              }),
            );
      await expect(act).rejects.toMatchObject({
        code: 'conflict',
        details: { reason: 'attempt-alive' },
      });
      await h.waitFor('adopted', () => h.store.batches.get(batch!.id)!.state === 'tracking');
      const live = h.emulator
        .state()
        .trades.filter((t) => HELD.includes(t.status) && t.externalId === batch!.externalId);
      expect(live, 'the emulator holds the items in a live trade').toHaveLength(1);
      expect
        .soft(h.unknownTradesOf(items), 'live trades holding our items, unknown to the app')
        .toEqual([]);
      expect.soft(h.store.batches.get(batch!.id)!.state, 'the batch').toBe('tracking');
      // The items sit in a live trade: no other plan may take them.
      const free = h.store.batches.liveItemIds();
      expect
        .soft(
          items.filter((i) => !free.has(i.itemId)).length,
          'items of the live trade released to other plans',
        )
        .toBe(0);
    },
  );
});

describe('review2 D3: disarm right after the armed plan started by itself', () => {
  it('is refused as too late, not acknowledged while the started run keeps selling', async () => {
    // Unverified tier: ~one sell per 1.2 s, so the run is still selling when the trader acts.
    const { h, accountId } = await start({ engine: { concurrency: 4, tier: 'unverified' } });
    const items = h.sellable(accountId).slice(0, 60);
    await h.engine.start();
    const armed = h.armOffline(items, { batchSize: 10, priceToleranceBp: 500 });
    h.engine.setOnline(true);
    // The automatic price check passes and the run starts; the trader clicks Disarm just then.
    await h.waitFor(
      'the armed plan started',
      () => h.store.runs.get(armed.runId)!.state !== 'armed',
    );
    // Too late to disarm: it says so (the trader then pauses or cancels the run) instead of
    // acknowledging a disarm while the run it started keeps selling.
    expect(() => h.engine.disarmPlan(armed.planId)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        details: expect.objectContaining({ reason: 'plan-already-started' }),
      }),
    );
    expect(h.store.runs.get(armed.runId)!.state).not.toBe('canceled');
    await h.waitForSendsDone();
  });
});

describe('review2: what the trader does waits for the proof', () => {
  it('a skip AssetPay cannot be asked about now is refused and changes nothing', async () => {
    let lookupsDown = false;
    const live = tradeOfferFailedButLive();
    const { h, accountId } = await start({
      wrapClient: (c) => ({
        ...live(c),
        getTrades: async (ids, opts) =>
          lookupsDown
            ? { kind: 'not-sent', reason: 'connect ECONNREFUSED' }
            : c.getTrades(ids, opts),
      }),
      emulator: { lifecycle: { stepMs: 0 } },
      engine: { concurrency: 1, timing: { maxAutoAttempts: 1 } },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor('needs review', () => h.store.batches.get(batch!.id)!.state === 'needs-review');
    lookupsDown = true;
    await expect(h.engine.skipBatch(batch!.id)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^Batch #1 waits for AssetPay to confirm/),
      details: { reason: 'attempt-not-proven' },
    });
    expect(h.store.batches.get(batch!.id)!.state).toBe('needs-review');
    // AssetPay answers again: the skip finds the live trade and the app follows it.
    lookupsDown = false;
    await expect(h.engine.skipBatch(batch!.id)).rejects.toMatchObject({
      details: { reason: 'attempt-alive' },
    });
    await h.waitFor('adopted', () => h.store.batches.get(batch!.id)!.state === 'tracking');
    expect(h.unknownTradesOf(items)).toEqual([]);
  });

  it('D4: a retry after "AssetPay says it exists but cannot find it" believes the trader who checked', async () => {
    // Every send of attempt 1 is answered EXTERNAL_ID_EXISTS and no lookup finds it (review R5).
    const { h, accountId } = await start({
      wrapClient: existsButUnfindable(),
      engine: { concurrency: 1 },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor(
      'the trader is asked to check',
      () => h.store.batches.get(batch!.id)!.state === 'needs-review',
      10_000,
    );
    const lookups = () => h.emulator.state().requestCounts.trades ?? 0;
    const before = lookups();
    await h.engine.retryBatch(batch!.id);
    await h.waitForBatches(runId, ['settled']);
    // Attempt 2 sold; no second round of lookups before it (8 of them, backed off, on the old engine).
    expect(h.store.batches.get(batch!.id)!.attempt).toBe(2);
    expect(lookups() - before).toBeLessThanOrEqual(2);
    expect(h.check({ runId }).violations).toEqual([]);
  });
});

describe('review2 D5: the engine works on the selected environment only', () => {
  it('a canceled run’s lookups wait while another environment is selected: its AssetPay never proves them dead', async () => {
    // The harness has one AssetPay; another environment's is one that never heard of these
    // trades (what production answers about a sandbox trade, and the other way round).
    let lookupsDown = false;
    const elsewhere = () => h!.store.settings.environment() !== 'sandbox';
    const { h, accountId } = await start({
      wrapClient: (c) =>
        clientWith(c, {
          getTrades: async (ids, opts) =>
            lookupsDown
              ? { kind: 'not-sent', reason: 'connect ECONNREFUSED' }
              : elsewhere()
                ? { kind: 'ok', data: { trades: [], missing: [...ids] }, httpStatus: 200 }
                : c.getTrades(ids, opts),
          listTrades: async (options) =>
            elsewhere()
              ? { kind: 'ok', data: { items: [], nextCursor: null }, httpStatus: 200 }
              : c.listTrades(options),
        }),
      engine: { concurrency: 1 },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    lookupsDown = true;
    h.emulator.injectNext('sell', 'reset-after-commit');
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor('unknown', () => h.store.batches.get(batch!.id)!.state === 'unknown');
    h.engine.cancelRun(runId);
    // The trader switches to production while the sale is still being looked up.
    h.store.settings.update({ environment: 'production' });
    h.engine.environmentChanged();
    lookupsDown = false;
    await sleep(2_500); // past the in-flight window (1.5 s) and many lookup back-offs
    expect(h.store.batches.get(batch!.id)!.state, 'looked up in the wrong AssetPay').toBe(
      'unknown',
    );
    // Back in the sandbox: the lookup finds the trade and the app follows it.
    h.store.settings.update({ environment: 'sandbox' });
    h.engine.environmentChanged();
    await h.waitFor('adopted', () =>
      ['tracking', 'settled'].includes(h.store.batches.get(batch!.id)!.state),
    );
    expect(h.unknownTradesOf(items)).toEqual([]);
  });
});

describe('review2 D6: a cancel between the write-ahead and the connection', () => {
  it('stops the request before it leaves: no sell reaches AssetPay, the batch ends canceled', async () => {
    // The window the hook opens is the one a new TLS connection (or the keychain read) takes.
    let engine: { cancelRun(runId: string): unknown } | null = null;
    let once = true;
    const { h, accountId } = await start({
      engine: {
        concurrency: 1,
        hooks: {
          afterWriteAhead: (info) => {
            if (!once) return;
            once = false;
            engine!.cancelRun(info.runId);
          },
        },
      },
    });
    engine = h.engine;
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 10 });
    await h.waitForBatches(runId, ['canceled'], 8_000);
    expect(h.emulator.state().requestCounts.sell ?? 0, 'sells that reached AssetPay').toBe(0);
    expect(h.check({ runId }).violations).toEqual([]);
  });
});
