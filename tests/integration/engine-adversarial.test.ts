import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator';
import type { GameId } from '../../shared/api/games';
import {
  existsButUnfindable,
  HELD,
  Harness,
  SANDBOX_KEY,
  sleep,
  tradeOfferFailedButLive,
  tradeUrlFor,
} from './engine-support/harness';

/*
 * Adversarial review of the rebuilt sell engine (issue 10). Each test here
 * reproduces one defect the review found; on the engine as reviewed (commit
 * 86db8c9) each of them failed. Assertions are soft so a failure reports
 * every symptom.
 *   R1 related-trade scan gives up after relatedScanPages pages (lost trade, batch never settles)
 *   R2 two concurrent retryBatch calls: the late repair drops items the early one sold
 *   R3 pace (items per minute) counts failed NO_BOTS records as sold
 *   R4 AssetPay's clock behind the PC's: related trade skipped, Rust stack sold twice
 *   R5 EXTERNAL_ID_EXISTS + lookup 404: sell/lookup loop with no back-off
 *   R6 cancel finalizes a batch whose last attempt was never proven dead
 *   R7 a key refusal from a canceled run's lookup latches until restart
 *   R8 acceptPreflight on a plan whose run is still writing batches: a confirmed item never sold, run "Done"
 *   R9 a trade id with a comma starves the event loop (child process)
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

/** Item ids held by live or completed emulator trades. */
function heldItemIds(emulator: Emulator): Set<string> {
  const held = new Set<string>();
  for (const t of emulator.state().trades)
    if (HELD.includes(t.status)) for (const id of t.itemIds) held.add(id);
  return held;
}

/**
 * Other sells on the same merchant (another account, another app, the same
 * app's other runs): `count` one-item trades' worth of items from `partner`,
 * sold straight through the emulator's HTTP API in sells of up to 250 items.
 */
async function otherMerchantSells(
  emulator: Emulator,
  partners: readonly number[],
  count: number,
  game: GameId = '730',
): Promise<number> {
  let sold = 0;
  for (const partner of partners) {
    const tradeUrl = tradeUrlFor(partner);
    const sellable = emulator
      .inventoryOf(tradeUrl, game)
      .filter((i) => i.tradable && i.offer?.accepted !== false && (i.offer?.price ?? 0) > 0);
    for (let k = 0; k < sellable.length && sold < count; k += 250) {
      const chunk = sellable.slice(k, Math.min(k + 250, k + count - sold));
      const res = await fetch(`${emulator.url}/secure/sell`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': SANDBOX_KEY },
        body: JSON.stringify({
          tradeUrl,
          game,
          isInstant: true,
          items: chunk.map((i) => ({ itemId: i.id, price: i.offer!.price })),
        }),
      });
      if (!res.ok) throw new Error(`other sell: ${res.status} ${await res.text()}`);
      sold += chunk.length;
    }
    if (sold >= count) break;
  }
  return sold;
}

describe('review R1: the split-basket scan gives up after relatedScanPages pages', () => {
  it('a related trade behind more than 2,000 newer merchant trades is found (the scan goes on where it stopped) and the batch settles', async () => {
    // Every sell is split into one-item trades (splitAbove 1): a 10-item batch is a primary and
    // 9 related trades; the merchant's other sells (another account) are one trade per item too.
    const { h, accountId } = await start({
      emulator: { splitAbove: 1, lifecycle: { stepMs: 0 }, itemsPerInventory: 1_200 },
      engine: { concurrency: 1 },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    // The create answer is lost: the app learns of the primary by lookup only (api §8 step 4).
    h.emulator.injectNext('sell', 'reset-after-commit');
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor('unknown', () => h.store.batches.get(batch!.id)!.state === 'unknown');
    // Hold the engine's reconcile while the merchant's other sells land (a busy merchant: the
    // same can happen with the engine's own run, ~80 sells/s on the verified tier).
    h.engine.setOnline(false);
    const other = await otherMerchantSells(h.emulator, [41111, 42222, 43333], 2_100);
    expect(other).toBe(2_100);
    h.engine.setOnline(true);

    await h.waitFor(
      'the primary adopted',
      () => h.store.batches.get(batch!.id)!.state === 'tracking',
    );
    // Long past the in-flight window (1.5 s): every trade of the basket should be known by now.
    await sleep(4_000);
    expect
      .soft(h.unknownTradesOf(items), 'live trades holding our items, unknown to the app')
      .toEqual([]);
    // Every trade of the basket ends; the batch should settle.
    for (let i = 0; i < 4; i++) h.emulator.advanceLifecycle();
    await sleep(1_500);
    expect.soft(h.store.batches.get(batch!.id)!.state).toBe('settled');
  });
});

describe('review R2: two retries of the same batch run their repairs concurrently', () => {
  it('two retries of one batch at once: items the first sold are never marked unavailable by the second', async () => {
    const { h, accountId } = await start({
      emulator: { lifecycle: { stepMs: 0 } },
      engine: { concurrency: 1 },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    h.emulator.injectNext('sell', 'price-changed');
    const { runId } = await h.submit(items, { batchSize: 10, priceToleranceBp: 300 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor('needs review', () => h.store.batches.get(batch!.id)!.state === 'needs-review');

    // The trader clicks Retry twice (double click, or two windows). Both pass the state check
    // before either has fetched the inventory; one fetch is slow.
    h.emulator.injectNext('inventory', { delayMs: 1 });
    h.emulator.injectNext('inventory', { delayMs: 1_500 });
    const first = h.engine.retryBatch(batch!.id);
    const second = h.engine.retryBatch(batch!.id);
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    await h.waitFor(
      'attempt 2 tracked',
      () => h.store.batches.get(batch!.id)!.state === 'tracking',
    );

    // Attempt 2 sold the items (a live trade holds them)…
    const held = heldItemIds(h.emulator);
    const sold = items.filter((i) => held.has(i.itemId)).map((i) => i.itemId);
    expect(sold.length).toBeGreaterThan(0);
    // …and the app must not say they were dropped from the batch as unavailable.
    const dropped = h.store.batches
      .items(batch!.id, { includeDropped: true })
      .filter((i) => i.droppedReason !== null && sold.includes(i.itemId))
      .map((i) => `${i.itemId}: ${i.droppedReason}`);
    expect.soft(dropped, 'sold items marked dropped').toEqual([]);
    expect.soft(h.check({ runId }).positions['refused-or-skipped']).toBe(0);
  });
});

describe('review R3: the run board’s pace counts trades that sold nothing', () => {
  it('a NO_BOTS_AVAILABLE record (failed, items still in the account) is not counted in the items sold per minute', async () => {
    const { h, accountId } = await start({
      emulator: { lifecycle: { stepMs: 0 } },
      engine: { concurrency: 1 },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    // AssetPay refuses the first sell with NO_BOTS_AVAILABLE (it records a failed trade, api §8);
    // the batch's next attempt sells the 10 items.
    h.emulator.injectNext('sell', 'no-bots');
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor(
      'attempt 2 tracked',
      () => h.store.batches.get(batch!.id)!.state === 'tracking',
    );
    const sold = h.emulator
      .state()
      .trades.filter((t) => HELD.includes(t.status))
      .reduce((n, t) => n + t.itemIds.length, 0);
    expect(sold).toBe(10);
    expect(h.engine.pace(runId).itemsPerMinute, 'items sold in the last minute').toBe(sold);
  });
});

/** Units of each item held by live or completed emulator trades (a Rust stack may be sold in parts). */
function unitsSold(emulator: Emulator): Map<string, number> {
  const sold = new Map<string, number>();
  for (const t of emulator.state().trades) {
    if (!HELD.includes(t.status)) continue;
    t.itemIds.forEach((id, k) => sold.set(id, (sold.get(id) ?? 0) + (t.amounts[k] ?? 1)));
  }
  return sold;
}

describe('review R4: AssetPay’s clock a few minutes behind the PC’s', () => {
  it.each<[GameId, number]>([
    ['252490', 23456],
    ['730', 12345],
  ])(
    'game %s: split basket, primary ended, AssetPay’s clock 5 min behind: the related trade is found in AssetPay’s time, nothing is offered again',
    async (game, partner) => {
      let emulator: Emulator | null = null;
      let primary: string | null = null;
      const { h, accountId } = await start(
        {
          emulator: {
            // AssetPay's timestamps run 5 minutes behind this PC (no NTP on the PC, or on theirs).
            clock: () => Date.now() - 5 * 60_000,
            splitAbove: 5,
            lifecycle: { stepMs: 0 },
            onSellCommitted: (t) => {
              if (primary) return;
              primary = t.id;
              emulator!.setTradeStatus(t.id, 'canceled');
            },
          },
          engine: { concurrency: 1 },
        },
        partner,
        game,
      );
      emulator = h.emulator;
      const items = h.splittable(accountId, game);
      expect(items).toHaveLength(10);
      await h.engine.start();
      h.emulator.injectNext('sell', 'reset-after-commit');
      const { runId } = await h.submit(items, { batchSize: 10 });
      const [batch] = h.store.batches.listByRun(runId);
      await h.waitFor('the primary created', () => primary !== null);
      // Long enough for the in-flight window (1.5 s) to pass and a wrong second attempt to go out.
      await sleep(3_000);
      expect
        .soft(h.unknownTradesOf(items), 'live trades holding our items, unknown to the app')
        .toEqual([]);
      expect.soft(h.store.batches.get(batch!.id)!.attempt, 'attempt').toBe(1);
      for (const [itemId, units] of unitsSold(h.emulator))
        expect
          .soft(units, `units of ${itemId} sold`)
          .toBeLessThanOrEqual(items.find((i) => i.itemId === itemId)?.amount ?? 0);
    },
  );
});

describe('review R5: EXTERNAL_ID_EXISTS while the lookup finds nothing', () => {
  it('EXTERNAL_ID_EXISTS while no lookup finds it: no loop of sends; after backed-off lookups the trader is asked to check', async () => {
    // AssetPay says the externalId is taken but its lookup does not (yet) find the trade.
    let sells = 0;
    const wrapClient = existsButUnfindable(() => sells++);
    const { h, accountId } = await start({ wrapClient, engine: { concurrency: 1 } });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await sleep(2_000);
    const b = h.store.batches.get(batch!.id)!;
    // Each round trip is answered at once; with any back-off (lookupBaseMs 40 ms, doubling) a
    // handful of sends would go in 2 s. And the trader is never told.
    expect.soft(sells, 'sells sent in 2 s for one batch').toBeLessThanOrEqual(10);
    expect
      .soft(h.store.batches.sends(b.id).length, 'sends recorded for one batch')
      .toBeLessThanOrEqual(10);
    expect
      .soft(b.state === 'needs-review' || b.attempt > 1, `batch ${b.state}, attempt ${b.attempt}`)
      .toBe(true);
  });
});

describe('review R6: cancel finalizes a batch whose last attempt the engine has not proven dead', () => {
  it('TRADE_OFFER_FAILED whose trade is in fact live (api §8: "record likely failed — look up"): a cancel looks it up first and adopts it', async () => {
    // AssetPay answers TRADE_OFFER_FAILED but its trade was created and lives on (the offer is
    // retried on AssetPay's side). The emulator always records such a trade as failed, so the
    // answer is substituted here; the trade itself is real.
    const wrapClient = tradeOfferFailedButLive();
    const { h, accountId } = await start({
      wrapClient,
      emulator: { lifecycle: { stepMs: 0 } },
      // The next attempt waits its back-off (≥ 1 s): the trader cancels meanwhile.
      engine: { concurrency: 1, timing: { backoffBaseMs: 1_000, backoffCapMs: 2_000 } },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor(
      'answered',
      () => h.store.batches.get(batch!.id)!.lastErrorKey === 'TRADE_OFFER_FAILED',
    );
    h.engine.cancelRun(runId);
    await sleep(1_500);
    // The same batch in a run that goes on proves the attempt before moving on, finds the trade
    // alive and adopts it. In the canceled run the batch is final, "its items were not sold":
    const b = h.store.batches.view(batch!.id);
    expect
      .soft(h.unknownTradesOf(items), 'live trades holding our items, unknown to the app')
      .toEqual([]);
    expect.soft(`${b.state}: ${b.message}`).not.toMatch(/not sold/);
  });
});

describe('review R7: a key refusal seen by a lookup of a canceled run latches until restart', () => {
  it('a key refused during a canceled run’s lookups: once the key works again, lookups and tracking resume by themselves', async () => {
    const { h, accountId } = await start({
      emulator: { lifecycle: { stepMs: 0 } },
      engine: { concurrency: 1, timing: { resendDelayMs: 300 } },
    });
    const items = h.sellable(accountId).slice(0, 10);
    await h.engine.start();
    h.emulator.injectNext('sell', 'reset-after-commit');
    const { runId } = await h.submit(items, { batchSize: 10 });
    const [batch] = h.store.batches.listByRun(runId);
    await h.waitFor('unknown', () => h.store.batches.get(batch!.id)!.state === 'unknown');
    // The trader cancels (the sell stays to be reconciled) and rotates the API key in the
    // AssetPay dashboard: the old key is refused for a moment, then the new one is entered.
    h.engine.cancelRun(runId);
    h.apiKey = 'ap_revoked_key';
    await h.waitFor('the key refused', () => h.engine.stats().authBlocked);
    h.apiKey = SANDBOX_KEY;
    // There is no blocked batch to retry and no open run to resume (resumeRun refuses a
    // canceled run); Settings → setApiKey does not talk to the engine.
    expect(() => h.engine.resumeRun(runId)).toThrow(/canceled/);
    await sleep(2_000);
    expect.soft(h.engine.stats().authBlocked, 'engine still refuses to call AssetPay').toBe(false);
    expect.soft(h.store.batches.get(batch!.id)!.state, 'the canceled run’s sell').toBe('tracking');
    expect.soft(h.unknownTradesOf(items)).toEqual([]);
  });
});

describe('review R8: a pre-flight accepted for a plan whose run is still writing its batches', () => {
  it('a pre-flight of a plan whose run is still writing its batches is refused: every confirmed item gets its batch', async () => {
    const { h, accountId } = await start({ engine: { concurrency: 1 } });
    const items = h.sellable(accountId).slice(0, 30);
    const plan = h.store.plans.create({ name: 'p', items, options: { batchSize: 5 } });
    const pf = await h.engine.runPreflight(plan.id);
    const confirmation = h.engine.acceptPreflight(
      plan.id,
      pf.preflightId,
      pf.rows.map((r) => r.itemId),
    );
    const run = h.engine.createRun(plan.id, confirmation);
    // The run holds its first batch; the other five are written a chunk per turn. The app stops
    // (or dies) before that: they are written at the next start.
    await h.engine.stop();
    h.client.close();
    h.store.close();
    h.open();
    expect(h.store.runs.get(run.id)!.batchesPending).toBe(true);

    // Meanwhile one item of batch 1 is no longer accepted by AssetPay, and a pre-flight of the
    // plan is run and accepted (nothing in the engine refuses it for a plan being sold).
    h.emulator.setAccepted(items[1]!.itemId, false);
    let refused = false;
    try {
      const again = await h.engine.runPreflight(plan.id);
      h.engine.acceptPreflight(
        plan.id,
        again.preflightId,
        again.rows.map((r) => r.itemId),
      );
    } catch {
      refused = true; // what a plan with an open run should get
    }
    await h.engine.start();
    await h.waitFor('batches written', () => !h.store.runs.get(run.id)!.batchesPending);
    const inBatches = new Set(
      h.store.batches
        .listByRun(run.id)
        .flatMap((b) => h.store.batches.items(b.id, { includeDropped: true }).map((i) => i.itemId)),
    );
    const never = items.filter((i) => !inBatches.has(i.itemId)).map((i) => i.itemId);
    expect.soft(refused, 'accepting a pre-flight of a plan being sold is refused').toBe(true);
    expect.soft(never, 'confirmed items that are in no batch of the run').toEqual([]);
    // Batch 1 (with the refused item) needs review; the trader skips it, and the run ends
    // "Done" with a confirmed item that was never offered to AssetPay nor shown anywhere.
    const first = h.store.batches.listByRun(run.id).find((b) => b.seq === 1)!;
    await h.waitFor(
      'batch 1 needs review',
      () => h.store.batches.get(first.id)!.state === 'needs-review',
    );
    await h.engine.skipBatch(first.id);
    await h.waitFor('run finished', () => h.store.runs.get(run.id)!.state === 'finished', 20_000);
    // Every confirmed item went out or was skipped by the trader, and the run says so.
    expect.soft(h.store.runs.get(run.id)!.message).toMatch(/1 skipped/);
  });
});

describe('review R9: a trade id a lookup cannot carry starves the event loop', () => {
  it('a trade id a lookup cannot carry (a comma) is refused at the door: no busy loop', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(__dirname, 'engine-support/review-spin-child.ts')],
      { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') child.kill('SIGKILL');
    const beats = out.split('\n').filter((l) => l.startsWith('beat')).length;
    expect(out).toContain('tracking');
    // 3 s of 100 ms heartbeats: ~30 on a live event loop.
    expect.soft(beats, 'heartbeats in 3 s').toBeGreaterThanOrEqual(20);
    expect.soft(code, 'the child finished').toBe(0);
  });
});
