import { afterEach, describe, expect, it } from 'vitest';
import type { SellRequest } from '../../shared/api/schemas';
import type { PlanItem } from '../../shared/contract/views';
import { Harness } from './engine-support/harness';

/*
 * Issue 14 defects 1 and 2 in the engine, against the emulator over HTTP and
 * a real SQLite file: a refused batch is reviewed against AssetPay's current
 * offers, and a retry with the trader's choices sells accepted items at the
 * reviewed offer — the plan's 0 % tolerance no longer takes them out — and
 * leaves the rest out. Ground truth is the emulator's trade.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function refused(
  fault: 'price-changed' | 'overstocked',
  count = 3,
): Promise<{ h: Harness; items: PlanItem[]; runId: string; batchId: string }> {
  h = await Harness.start({ engine: { concurrency: 1 } });
  const accountId = h.addAccount(12345);
  await h.fetchInventory(accountId);
  const items = h.sellable(accountId).slice(0, count);
  await h.engine.start();
  h.emulator.injectNext('sell', fault);
  const { runId } = await h.submit(items, { batchSize: 250, priceToleranceBp: 0 });
  const batchId = h.store.batches.listByRun(runId)[0]!.id;
  await h.waitFor('needs-review', () => h!.store.batches.get(batchId)!.state === 'needs-review');
  return { h, items, runId, batchId };
}

function soldTrade(h: Harness, batchId: string) {
  const b = h.store.batches.get(batchId)!;
  return h.emulator.state().trades.find((t) => t.externalId === b.externalId);
}

describe('batch review (issue 14)', () => {
  it('PRICE_CHANGED at 0 % tolerance: the accepted item sells at AssetPay’s current offer', async () => {
    const { h, items, runId, batchId } = await refused('price-changed');
    expect(h.store.batches.view(batchId).nextActions).toEqual(['review-prices', 'skip']);

    const review = await h.engine.reviewBatch(batchId);
    expect(review.key).toBe('PRICE_CHANGED');
    expect(review.items).toHaveLength(1);
    const changed = review.items[0]!;
    expect(changed).toMatchObject({
      itemId: items[0]!.itemId,
      problem: 'price-changed',
      named: true,
    });
    expect(changed.currentCents).toBeLessThan(changed.plannedCents);
    expect(changed.changeCents).toBe(changed.currentCents! - changed.plannedCents);
    expect(review.unchanged.count).toBe(items.length - 1);

    await h.engine.retryBatch(batchId, { accept: [changed.itemId], leaveOut: [] });
    await h.waitForBatches(runId, ['settled']);
    expect(h.check({ runId }).violations).toEqual([]);

    const b = h.store.batches.get(batchId)!;
    const body = JSON.parse(b.requestBody) as SellRequest;
    const reviewed = h.store.inventory.getItems(b.accountId, '730', [changed.itemId]);
    // Sent exactly as the inventory gave it, and all three items sold.
    expect(body.items.find((i) => i.itemId === changed.itemId)!.price).toBe(
      reviewed.get(changed.itemId)!.priceUsd,
    );
    expect(new Set(soldTrade(h, batchId)!.itemIds)).toEqual(new Set(items.map((i) => i.itemId)));
  });

  it('a retry without choices keeps the old rule: the plan’s tolerance takes the item out', async () => {
    const { h, runId, batchId } = await refused('price-changed');
    await h.engine.retryBatch(batchId);
    await h.waitForBatches(runId, ['settled']);
    expect(soldTrade(h, batchId)!.itemIds).toHaveLength(2);
  });

  it('ITEM_OVERSTOCKED: reviewed as an item (never prices); leaving it out sells the rest', async () => {
    const { h, items, runId, batchId } = await refused('overstocked');
    expect(h.store.batches.view(batchId).nextActions).toEqual(['review-items', 'skip']);
    expect(h.store.batches.view(batchId).message).not.toMatch(/price/i);
    const review = await h.engine.reviewBatch(batchId);
    expect(review.items).toEqual([
      expect.objectContaining({ itemId: items[0]!.itemId, problem: 'overstocked', units: 0 }),
    ]);
    await h.engine.retryBatch(batchId, { accept: [], leaveOut: [items[0]!.itemId] });
    await h.waitForBatches(runId, ['settled']);
    expect(new Set(soldTrade(h, batchId)!.itemIds)).toEqual(
      new Set(items.slice(1).map((i) => i.itemId)),
    );
    const dropped = h.store.batches.items(batchId, { includeDropped: true });
    expect(dropped.find((i) => i.itemId === items[0]!.itemId)!.droppedReason).toBe(
      'left-out-by-trader',
    );
  });

  it('ITEM_OVERSTOCKED on a Rust stack: accepting it sells the units AssetPay still takes', async () => {
    h = await Harness.start({ engine: { concurrency: 1 } });
    const accountId = h.addAccount(12345);
    await h.fetchInventory(accountId, '252490');
    const stack = h.store.inventory
      .query({ accountId, game: '252490', sellableOnly: true, limit: 1000 })
      .rows.find((r) => r.amount >= 7 && (r.maxAmount ?? 1000) >= 7)!;
    const items = [
      { ...h.sellable(accountId, '252490').find((i) => i.itemId === stack.itemId)!, amount: 7 },
    ];
    await h.engine.start();
    h.emulator.injectNext('sell', 'overstocked');
    const { runId } = await h.submit(items, { batchSize: 250, priceToleranceBp: 0 });
    const batchId = h.store.batches.listByRun(runId)[0]!.id;
    await h.waitFor('needs-review', () => h!.store.batches.get(batchId)!.state === 'needs-review');

    // AssetPay still takes 3 of the 7 units it was asked for.
    const review = await h.engine.reviewBatch(batchId);
    expect(review.items).toEqual([
      expect.objectContaining({ itemId: stack.itemId, problem: 'overstocked', units: 3 }),
    ]);
    await h.engine.retryBatch(batchId, { accept: [stack.itemId], leaveOut: [] });
    await h.waitForBatches(runId, ['settled']);
    const sold = soldTrade(h, batchId)!;
    expect(sold.itemIds).toEqual([stack.itemId]);
    expect(sold.amounts).toEqual([3]);
    expect(h.check({ runId }).violations).toEqual([]);
  });

  it('choices need a review of the refused attempt, and only name the batch’s items', async () => {
    const { h, batchId } = await refused('price-changed');
    await expect(h.engine.retryBatch(batchId, { accept: [] })).rejects.toMatchObject({
      details: { reason: 'review-required' },
    });
    await h.engine.reviewBatch(batchId);
    await expect(h.engine.retryBatch(batchId, { accept: ['no-such-item'] })).rejects.toMatchObject({
      code: 'invalid-request',
      details: { reason: 'item-not-in-batch' },
    });
    expect(h.store.batches.get(batchId)!.state).toBe('needs-review');
  });

  it('the review is what the trader saw: a later price move is not sold under their acceptance', async () => {
    const { h, items, batchId } = await refused('price-changed');
    const review = await h.engine.reviewBatch(batchId);
    const seen = review.items[0]!;
    // AssetPay moves again after the trader looked: the sell at the seen price is refused again.
    h.emulator.setPrice(seen.itemId, (seen.currentCents! - 1) / 100);
    await h.engine.retryBatch(batchId, { accept: [seen.itemId], leaveOut: [] });
    await h.waitFor('refused again', () => {
      const b = h!.store.batches.get(batchId)!;
      return b.state === 'needs-review' && b.attempt === 2;
    });
    const body = JSON.parse(h.store.batches.get(batchId)!.requestBody) as SellRequest;
    expect(body.items.find((i) => i.itemId === seen.itemId)!.price).toBe(seen.currentCents! / 100);
    expect(body.items).toHaveLength(items.length);
  });
});
