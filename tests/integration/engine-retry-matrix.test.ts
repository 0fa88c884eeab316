import { afterEach, describe, expect, it } from 'vitest';
import type { OneShotFault } from '../../emulator';
import { call } from '../../emulator/testing';
import type { SellRequest } from '../../shared/api/schemas';
import type { PlanItem } from '../../shared/contract/views';
import type { AssetPayClient } from '../../electron/main/services/assetpay/client';
import type { EngineClient } from '../../electron/main/services/engine';
import { clientWith, Harness, SANDBOX_KEY, type HarnessOptions } from './engine-support/harness';

/*
 * One test per row of the retry matrix (api §8), each driven by a fault the
 * emulator injects into the next sell. After each: the emulator sold no item
 * twice, the local invariant holds, and every batch reached a known state.
 * Concurrency 1 so the fault hits the first batch (seq 1).
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ITEMS = 20;
const BATCH = 10;

async function setup(
  options: HarnessOptions = {},
  partner = 12345,
): Promise<{ h: Harness; accountId: string; items: PlanItem[] }> {
  h = await Harness.start({ ...options, engine: { concurrency: 1, ...(options.engine ?? {}) } });
  const accountId = h.addAccount(partner);
  await h.fetchInventory(accountId);
  const items = h.sellable(accountId).slice(0, ITEMS);
  return { h, accountId, items };
}

function first(h: Harness, runId: string) {
  return h.store.batches.listByRun(runId).find((b) => b.seq === 1)!;
}

function sendsOf(h: Harness, batchId: string) {
  return h.store.batches.sends(batchId);
}

async function finishClean(
  h: Harness,
  runId: string,
  states: string[] = ['settled'],
): Promise<void> {
  await h.waitForBatches(runId, states);
  const report = h.check({ runId });
  expect(report.violations).toEqual([]);
}

function emulatorTrade(h: Harness, externalId: string) {
  return h.emulator.state().trades.find((t) => t.externalId === externalId);
}

describe('retry matrix: created / not sent / ambiguous', () => {
  it('2xx: the trade and its id are stored and tracked to completed', async () => {
    const { h, items } = await setup();
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: BATCH });
    await finishClean(h, runId);
    const b = first(h, runId);
    expect(h.store.trades.byBatch(b.id).map((t) => t.status)).toEqual(['completed']);
    expect(sendsOf(h, b.id).map((s) => s.outcomeKind)).toEqual(['ok']);
  });

  it('connect failure (not sent): the same body and externalId go again; the run waits meanwhile', async () => {
    h = await Harness.start({ engine: { concurrency: 1 }, proxy: true });
    const proxy = h.proxy!;
    const accountId = h.addAccount(12345);
    await h.fetchInventory(accountId);
    const { runId } = await h.submit(h.sellable(accountId).slice(0, ITEMS), { batchSize: BATCH });
    await proxy.cut();
    await h.engine.start();
    await h.waitFor('run waiting', () => h!.store.runs.get(runId)!.state === 'waiting');
    await h.waitFor(
      'two not-sent attempts',
      () =>
        sendsOf(h!, first(h!, runId).id).filter((s) => s.outcomeKind === 'not-sent').length >= 2,
    );
    expect(h.emulator.state().trades).toHaveLength(0);
    await proxy.restore();
    await finishClean(h, runId);
    for (const b of h.store.batches.listByRun(runId)) {
      const sends = sendsOf(h, b.id);
      expect(new Set(sends.map((s) => s.externalId))).toEqual(new Set([b.externalId]));
      expect(new Set(sends.map((s) => s.itemsKey)).size).toBe(1);
      expect(sends.filter((s) => s.outcomeKind === 'ok')).toHaveLength(1);
    }
    expect(h.store.events.list({ runId }).some((e) => e.kind === 'run:running->waiting')).toBe(
      true,
    );
  });

  it.each<[OneShotFault, 'ok' | 'EXTERNAL_ID_EXISTS']>([
    ['reset-after-commit', 'EXTERNAL_ID_EXISTS'],
    ['server-error-after-commit', 'EXTERNAL_ID_EXISTS'],
    ['reset-before-commit', 'ok'],
    ['server-error', 'ok'],
    ['server-error-no-key', 'ok'],
    ['html-502', 'ok'],
  ])(
    'ambiguous (%s): unknown → resend the same externalId once → %s → one trade',
    async (fault, resendAnswer) => {
      const { h, items } = await setup();
      await h.engine.start();
      h.emulator.injectNext('sell', fault);
      const { runId } = await h.submit(items, { batchSize: BATCH });
      await finishClean(h, runId);
      const b = first(h, runId);
      expect(b.attempt).toBe(1);
      const sends = sendsOf(h, b.id);
      expect(sends.map((s) => s.externalId)).toEqual([b.externalId, b.externalId]);
      expect(sends[0]!.outcomeKind).toBe('ambiguous');
      if (resendAnswer === 'ok') expect(sends[1]!.outcomeKind).toBe('ok');
      else expect(sends[1]!.outcomeKey).toBe('EXTERNAL_ID_EXISTS');
      expect(h.emulator.state().trades.filter((t) => t.externalId === b.externalId)).toHaveLength(
        1,
      );
      expect(
        h.store.events.list({ batchId: b.id }).some((e) => e.kind === 'batch:sending->unknown'),
      ).toBe(true);
    },
  );

  it('ambiguous split basket: the related trades are found by a scan and the batch settles', async () => {
    // api §8 step 4: a lookup by externalId returns only the primary trade; the
    // related ones must be found by scanning, and the batch must settle once every
    // trade is final — without help from the (here hour-long) completed-trade polls.
    const { h, items } = await setup({
      emulator: { splitAbove: BATCH / 2 },
      engine: { timing: { completedPollMs: 3_600_000 } },
    });
    await h.engine.start();
    h.emulator.injectNext('sell', 'reset-after-commit');
    const { runId } = await h.submit(items, { batchSize: BATCH });
    await finishClean(h, runId);
    const b = first(h, runId);
    expect(sendsOf(h, b.id)[0]!.outcomeKind).toBe('ambiguous');
    const local = h.store.trades.byBatch(b.id);
    const remote = h.emulator
      .state()
      .trades.filter((t) => t.itemIds.some((id) => items.some((i) => i.itemId === id)));
    expect(local.length).toBeGreaterThan(1);
    expect(new Set(local.map((t) => t.id))).toEqual(
      new Set(remote.filter((t) => local.some((l) => l.id === t.id)).map((t) => t.id)),
    );
    expect(local.every((t) => t.status === 'completed')).toBe(true);
  });

  it('timeout (the answer never comes): reconciled by externalId, adopted, never sold twice', async () => {
    const { h, items } = await setup({ timeouts: { sellMs: 600 } });
    await h.engine.start();
    h.emulator.injectNext('sell', 'hang-after-commit');
    const { runId } = await h.submit(items, { batchSize: BATCH });
    await finishClean(h, runId);
    const b = first(h, runId);
    expect(
      sendsOf(h, b.id).map(
        (s) => s.outcomeKind === 'ambiguous' || s.outcomeKey === 'EXTERNAL_ID_EXISTS',
      ),
    ).toEqual([true, true]);
    expect(h.emulator.state().trades).toHaveLength(2);
  });

  it('not found while the first request may still be in flight: stays unknown, its items frozen, adopted when it lands', async () => {
    const { h, items, accountId } = await setup({
      timeouts: { sellMs: 500 },
      engine: { timing: { inFlightWindowMs: 5_000 } },
    });
    await h.engine.start();
    // The first request is still being processed by the server when the client gives up;
    // the resend is reset before it commits; the lookup finds nothing (yet).
    h.emulator.injectNext('sell', { delayMs: 1_800 });
    h.emulator.injectNext('sell', 'reset-before-commit');
    const { runId } = await h.submit(items.slice(0, BATCH), { batchSize: BATCH });
    const b = first(h, runId);
    await h.waitFor('a lookup that found nothing', () =>
      h!.store.events
        .list({ batchId: b.id })
        .some(
          (e) =>
            e.kind === 'batch:unknown' &&
            String(e.payload.reason).includes('may still be in flight'),
        ),
    );
    expect(h.store.batches.get(b.id)!.state).toBe('unknown');
    // Its items can not go into another batch while unknown.
    const again = h.store.plans.create({
      name: 'again-2',
      items: items.slice(0, 3).map((i) => ({ ...i, accountId })),
    });
    expect(() => h!.engine.armPlan(again.id)).toThrow(/already in a batch/);
    await finishClean(h, runId);
    expect(h.store.batches.get(b.id)!.attempt).toBe(1);
    expect(h.emulator.state().trades.filter((t) => t.externalId === b.externalId)).toHaveLength(1);
  });

  it('EXTERNAL_ID_EXISTS on the first send: looked up and adopted', async () => {
    const { h, items } = await setup();
    const { runId } = await h.submit(items, { batchSize: BATCH });
    const b = first(h, runId);
    // Someone (an earlier process) already created this attempt.
    const direct = await call(h.emulator.url, 'POST', '/secure/sell', {
      body: JSON.parse(b.requestBody),
    });
    expect(direct.status).toBe(200);
    await h.engine.start();
    await finishClean(h, runId);
    expect(sendsOf(h, b.id).map((s) => s.outcomeKey)).toEqual(['EXTERNAL_ID_EXISTS']);
    expect(h.store.trades.byBatch(b.id)).toHaveLength(1);
    expect(h.emulator.state().trades.filter((t) => t.externalId === b.externalId)).toHaveLength(1);
  });

  it('EXTERNAL_ID_EXISTS whose trade failed: the next attempt gets a new externalId', async () => {
    const { h, items } = await setup();
    const { runId } = await h.submit(items, { batchSize: BATCH });
    const b = first(h, runId);
    h.emulator.injectNext('sell', 'no-bots'); // consumes the externalId with a failed trade
    await call(h.emulator.url, 'POST', '/secure/sell', { body: JSON.parse(b.requestBody) });
    expect(emulatorTrade(h, b.externalId)!.status).toBe('failed');
    await h.engine.start();
    await finishClean(h, runId);
    const after = h.store.batches.get(b.id)!;
    expect(after.attempt).toBe(2);
    expect(after.externalId).toBe(b.externalId.replace(/-1$/, '-2'));
    expect(emulatorTrade(h, after.externalId)!.status).toBe('completed');
    expect(h.store.trades.byBatch(b.id, 1).map((t) => t.status)).toEqual(['failed']);
  });
});

describe('retry matrix: definitive refusals', () => {
  it('PRICE_CHANGED: needs review; retry re-prices within tolerance and sends attempt 2 after proving attempt 1 not live', async () => {
    const { h, items } = await setup();
    await h.engine.start();
    h.emulator.injectNext('sell', 'price-changed');
    const { runId } = await h.submit(items, { batchSize: BATCH, priceToleranceBp: 300 });
    const b = first(h, runId);
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    const review = h.store.batches.view(b.id);
    expect(review.lastErrorKey).toBe('PRICE_CHANGED');
    expect(review.nextActions).toContain('review-prices');
    expect(h.store.runs.get(runId)!.state).toBe('attention');
    expect(h.events.some((e) => e.type === 'attention')).toBe(true);
    // The other batch went on meanwhile.
    await h.waitFor(
      'batch 2 sent',
      () => h!.store.batches.listByRun(runId).find((x) => x.seq === 2)!.state !== 'queued',
    );
    await h.engine.retryBatch(b.id);
    await finishClean(h, runId);
    const after = h.store.batches.get(b.id)!;
    expect(after.attempt).toBe(2);
    const sends = sendsOf(h, b.id);
    expect(sends.map((s) => [s.externalId, s.outcomeKey ?? s.outcomeKind])).toEqual([
      [b.externalId, 'PRICE_CHANGED'],
      [after.externalId, 'ok'],
    ]);
    // The re-priced item went out at exactly the inventory's price.
    const body = JSON.parse(after.requestBody) as SellRequest;
    const inv = h.emulator.inventoryOf(h.store.accounts.list()[0]!.tradeUrl, '730');
    const changed = body.items.find(
      (i) => i.price !== items.find((p) => p.itemId === i.itemId)!.priceUsd,
    );
    expect(changed).toBeDefined();
    expect(emulatorTrade(h, after.externalId)!.itemIds).toHaveLength(BATCH);
    expect(inv.find((x) => x.id === changed!.itemId)).toBeUndefined(); // sold
  });

  it('PRICE_CHANGED beyond the tolerance: the item leaves the batch on retry', async () => {
    const { h, items } = await setup();
    await h.engine.start();
    h.emulator.injectNext('sell', 'price-changed');
    const { runId } = await h.submit(items, { batchSize: BATCH, priceToleranceBp: 0 });
    const b = first(h, runId);
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    await h.engine.retryBatch(b.id);
    await finishClean(h, runId);
    const all = h.store.batches.items(b.id, { includeDropped: true });
    expect(all.filter((i) => i.droppedReason === 'price-dropped-beyond-tolerance')).toHaveLength(1);
    expect(emulatorTrade(h, h.store.batches.get(b.id)!.externalId)!.itemIds).toHaveLength(
      BATCH - 1,
    );
    expect(h.check({ runId }).positions['refused-or-skipped']).toBe(1);
  });

  it('ITEMS_UNAVAILABLE: needs review; retry drops the sold item and sells the rest', async () => {
    const { h, items, accountId } = await setup();
    const { runId } = await h.submit(items, { batchSize: BATCH });
    const b = first(h, runId);
    const gone = items[0]!;
    const tradeUrl = h.store.accounts.require(accountId).tradeUrl;
    const sold = await call(h.emulator.url, 'POST', '/secure/sell', {
      body: {
        tradeUrl,
        game: '730',
        externalId: 'elsewhere-1',
        isInstant: true,
        items: [{ itemId: gone.itemId, price: gone.priceUsd }],
      },
    });
    expect(sold.status).toBe(200);
    await h.engine.start();
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    expect(h.store.batches.get(b.id)!.lastErrorKey).toBe('ITEMS_UNAVAILABLE');
    await h.engine.retryBatch(b.id);
    await h.waitForBatches(runId, ['settled']);
    expect(
      h.store.batches.items(b.id, { includeDropped: true }).find((i) => i.itemId === gone.itemId)!
        .droppedReason,
    ).toBe('unavailable');
    expect(h.soldTwice()).toEqual([]);
    expect(h.check({ runId }).violations).toEqual([]);
  });

  it('ITEMS_NOT_ACCEPTED: needs review; retry drops the refused item', async () => {
    const { h, items } = await setup();
    const { runId } = await h.submit(items, { batchSize: BATCH });
    const b = first(h, runId);
    h.emulator.setAccepted(items[3]!.itemId, false);
    await h.engine.start();
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    expect(h.store.batches.get(b.id)!.lastErrorKey).toBe('ITEMS_NOT_ACCEPTED');
    await h.engine.retryBatch(b.id);
    await finishClean(h, runId);
    expect(
      h.store.batches
        .items(b.id, { includeDropped: true })
        .find((i) => i.itemId === items[3]!.itemId)!.droppedReason,
    ).toBe('not-accepted');
  });

  it('ITEM_OVERSTOCKED: needs review; retry drops the items AssetPay named', async () => {
    const { h, items } = await setup();
    await h.engine.start();
    h.emulator.injectNext('sell', 'overstocked');
    const { runId } = await h.submit(items, { batchSize: BATCH });
    const b = first(h, runId);
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    expect(h.store.batches.get(b.id)!.lastErrorDetails).toHaveProperty('items');
    await h.engine.retryBatch(b.id);
    await finishClean(h, runId);
    expect(
      h.store.batches
        .items(b.id, { includeDropped: true })
        .filter((i) => i.droppedReason === 'overstocked'),
    ).toHaveLength(1);
  });

  it('INSUFFICIENT_ITEM_AMOUNT (Rust stack): needs review; retry lowers the amount to what is left', async () => {
    h = await Harness.start({ engine: { concurrency: 1 } });
    const accountId = h.addAccount(23456);
    await h.fetchInventory(accountId, '252490');
    const stack = h.store.inventory
      .query({ accountId, game: '252490', sellableOnly: true, limit: 1000 })
      .rows.find((r) => r.amount >= 10 && (r.maxAmount ?? 1000) >= 10)!;
    expect(stack).toBeDefined();
    const item: PlanItem = {
      accountId,
      game: '252490',
      itemId: stack.itemId,
      name: stack.name,
      priceUsd: stack.priceUsd,
      priceCents: stack.priceCents,
      amount: 8,
    };
    const { runId } = await h.submit([item]);
    const b = first(h, runId);
    const tradeUrl = h.store.accounts.require(accountId).tradeUrl;
    const sold = await call(h.emulator.url, 'POST', '/secure/sell', {
      body: {
        tradeUrl,
        game: '252490',
        externalId: 'elsewhere-rust',
        isInstant: true,
        items: [{ itemId: stack.itemId, price: stack.priceUsd, amount: stack.amount - 3 }],
      },
    });
    expect(sold.status).toBe(200);
    await h.engine.start();
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    expect(h.store.batches.get(b.id)!.lastErrorKey).toBe('INSUFFICIENT_ITEM_AMOUNT');
    await h.engine.retryBatch(b.id);
    await h.waitForBatches(runId, ['settled']);
    expect(h.store.batches.items(b.id)[0]!.amount).toBe(3);
    expect(h.soldTwice()).toEqual([]);
    expect(h.check({ runId }).violations).toEqual([]);
  });

  it.each<[OneShotFault, string]>([
    ['no-bots', 'NO_BOTS_AVAILABLE'],
    ['maintenance', 'SYSTEM_MAINTENANCE'],
    ['deposits-paused', 'DEPOSITS_PAUSED'],
  ])(
    '%s: the run waits with back-off; the retry is a new attempt once the old one is proven not live',
    async (fault, key) => {
      const { h, items } = await setup();
      await h.engine.start();
      h.emulator.injectNext('sell', fault);
      const { runId } = await h.submit(items, { batchSize: BATCH });
      const b = first(h, runId);
      await finishClean(h, runId);
      const after = h.store.batches.get(b.id)!;
      expect(after.attempt).toBe(2);
      expect(sendsOf(h, b.id).map((s) => s.outcomeKey ?? s.outcomeKind)).toEqual([key, 'ok']);
      expect(h.store.events.list({ runId }).some((e) => e.kind.endsWith('->waiting'))).toBe(true);
      if (fault === 'no-bots') expect(emulatorTrade(h, b.externalId)!.status).toBe('failed');
      else expect(emulatorTrade(h, b.externalId)).toBeUndefined();
      expect(emulatorTrade(h, after.externalId)!.status).toBe('completed');
    },
  );

  it('FLEET_DEGRADED: back off and resend the same externalId', async () => {
    const { h, items } = await setup();
    await h.engine.start();
    h.emulator.injectNext('sell', 'fleet-degraded', 2);
    const { runId } = await h.submit(items, { batchSize: BATCH });
    await finishClean(h, runId);
    const b = first(h, runId);
    expect(sendsOf(h, b.id).map((s) => [s.externalId, s.outcomeKey ?? s.outcomeKind])).toEqual([
      [b.externalId, 'FLEET_DEGRADED'],
      [b.externalId, 'ok'],
    ]);
    // The second injected refusal hit whichever batch went next: also resent with its own externalId.
    let degraded = 0;
    for (const x of h.store.batches.listByRun(runId)) {
      expect(x.attempt).toBe(1);
      const sends = sendsOf(h, x.id);
      expect(new Set(sends.map((s) => s.externalId))).toEqual(new Set([x.externalId]));
      degraded += sends.filter((s) => s.outcomeKey === 'FLEET_DEGRADED').length;
    }
    expect(degraded).toBe(2);
  });

  it('TRADE_OFFER_FAILED: looked up (failed record), retried with a new externalId', async () => {
    const { h, items } = await setup();
    await h.engine.start();
    h.emulator.injectNext('sell', 'trade-offer-failed');
    const { runId } = await h.submit(items, { batchSize: BATCH });
    await finishClean(h, runId);
    const b = h.store.batches.listByRun(runId).find((x) => x.seq === 1)!;
    expect(b.attempt).toBe(2);
    const [s1, s2] = sendsOf(h, b.id);
    expect(s1!.outcomeKey).toBe('TRADE_OFFER_FAILED');
    expect(s2!.externalId).not.toBe(s1!.externalId);
    expect(h.store.trades.byBatch(b.id, 1).map((t) => t.status)).toEqual(['failed']);
  });

  it('VALIDATION_FAILED: needs review with the fields, never resent by itself', async () => {
    let broken = true;
    const wrap = (c: AssetPayClient): EngineClient =>
      clientWith(c, {
        // A repeated itemId is valid for our schema but refused by the server (api §4.2).
        sell: (body, opts) =>
          c.sell(broken ? { ...body, items: [...body.items, body.items[0]!] } : body, opts),
      });
    const { h, items } = await setup({ wrapClient: wrap });
    await h.engine.start();
    const { runId } = await h.submit(items.slice(0, BATCH), { batchSize: BATCH });
    const b = first(h, runId);
    await h.waitFor('needs-review', () => h!.store.batches.get(b.id)!.state === 'needs-review');
    const view = h.store.batches.view(b.id);
    expect(view.lastErrorKey).toBe('VALIDATION_FAILED');
    expect(view.message).toMatch(/items\.\d+\.itemId/);
    await new Promise((r) => setTimeout(r, 500));
    expect(sendsOf(h, b.id)).toHaveLength(1);
    broken = false;
    await h.engine.retryBatch(b.id);
    await finishClean(h, runId);
    expect(h.store.batches.get(b.id)!.attempt).toBe(2);
  });

  it.each<[OneShotFault, string]>([
    ['invalid-api-key', 'INVALID_API_KEY'],
    ['scope-denied', 'API_KEY_SCOPE_DENIED'],
  ])(
    '%s: blocked (fix-key), the run needs attention and sends nothing else until the trader retries',
    async (fault, key) => {
      const { h, items } = await setup({ engine: { concurrency: 2 } });
      await h.engine.start();
      h.emulator.injectNext('sell', fault);
      const { runId } = await h.submit(
        [...items, ...h.sellable(h.store.accounts.list()[0]!.id).slice(ITEMS, ITEMS + 20)],
        { batchSize: BATCH },
      );
      await h.waitFor('blocked', () =>
        h!.store.batches.listByRun(runId).some((x) => x.state === 'blocked'),
      );
      const blocked = h.store.batches.listByRun(runId).find((x) => x.state === 'blocked')!;
      expect(blocked.lastErrorKey).toBe(key);
      expect(blocked.nextActions).toContain('fix-key');
      await h.waitFor('attention', () => h!.store.runs.get(runId)!.state === 'attention');
      const sentBefore = h.emulator.state().requestCounts.sell;
      await new Promise((r) => setTimeout(r, 300));
      expect(h.emulator.state().requestCounts.sell).toBe(sentBefore);
      expect(h.store.batches.listByRun(runId).some((x) => x.state === 'queued')).toBe(true);
      await h.engine.retryBatch(blocked.id);
      await finishClean(h, runId);
      expect(h.store.batches.get(blocked.id)!.attempt).toBe(1);
      expect(h.store.runs.get(runId)!.state).toBe('finished');
    },
  );

  it('USER_NOT_TRADEABLE: blocked (fix-account); the account’s other batches wait; skip leaves the items unsold', async () => {
    const { h, items } = await setup({}, 10002); // partner …0002: CS2 sells refused (emulator README)
    await h.engine.start();
    const { runId } = await h.submit(items, { batchSize: BATCH });
    await h.waitFor('blocked', () =>
      h!.store.batches.listByRun(runId).some((x) => x.state === 'blocked'),
    );
    const [b1, b2] = h.store.batches.listByRun(runId);
    expect(b1!.state).toBe('blocked');
    expect(b1!.lastErrorKey).toBe('USER_NOT_TRADEABLE');
    expect(b1!.nextActions).toContain('fix-account');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.store.batches.get(b2!.id)!.state).toBe('queued');
    expect(h.emulator.state().requestCounts.sell).toBe(1);
    await h.engine.skipBatch(b1!.id);
    await h.waitFor('batch 2 blocked too', () => h!.store.batches.get(b2!.id)!.state === 'blocked');
    await h.engine.skipBatch(b2!.id);
    await finishClean(h, runId, ['skipped']);
    expect(h.store.runs.get(runId)!.state).toBe('finished');
    expect(h.check({ runId }).positions['refused-or-skipped']).toBe(ITEMS);
  });

  it('INVALID_TRADEURL: blocked; once the trader fixes the URL, retry sends attempt 2 with it', async () => {
    const { h, items, accountId } = await setup();
    const good = h.store.accounts.require(accountId).tradeUrl;
    const plan = h.store.plans.create({ name: 'p', items: items.slice(0, BATCH) });
    const pf = await h.engine.runPreflight(plan.id);
    const conf = h.engine.acceptPreflight(plan.id, pf.preflightId, []);
    h.store.accounts.update(accountId, {
      tradeUrl: good.replace('partner=12345', 'partner=10007'),
    }); // …0007: user not found
    const run = h.engine.createRun(plan.id, conf);
    await h.engine.start();
    await h.waitFor('blocked', () => h!.store.batches.listByRun(run.id)[0]!.state === 'blocked');
    const b = h.store.batches.listByRun(run.id)[0]!;
    expect(b.lastErrorKey).toBe('INVALID_TRADEURL');
    h.store.accounts.update(accountId, { tradeUrl: good });
    await h.engine.retryBatch(b.id);
    await finishClean(h, run.id);
    const after = h.store.batches.get(b.id)!;
    expect(after.attempt).toBe(2);
    expect((JSON.parse(after.requestBody) as SellRequest).tradeUrl).toBe(good);
  });

  it.each<[OneShotFault]>([['rate-limited'], ['rate-limited-no-retry-after']])(
    'throttled (%s): waits (Retry-After or back-off) and resends the same externalId',
    async (fault) => {
      const { h, items } = await setup();
      await h.engine.start();
      h.emulator.injectNext('sell', fault);
      const started = Date.now();
      const { runId } = await h.submit(items.slice(0, BATCH), { batchSize: BATCH });
      await finishClean(h, runId);
      const b = first(h, runId);
      expect(sendsOf(h, b.id).map((s) => [s.externalId, s.outcomeKind])).toEqual([
        [b.externalId, 'throttled'],
        [b.externalId, 'ok'],
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(fault === 'rate-limited' ? 900 : 2_400);
    },
  );
});

void SANDBOX_KEY;
