import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketShareBp } from '../../shared/market-share';
import type { Account, InventoryRow } from '../../shared/contract/views';
import {
  memorySecretStore,
  startTestApp,
  TRADE_URLS,
  waitUntil,
  type TestApp,
} from '../host/fixtures';

/*
 * "% of market" end to end (issue 11 deliverable 3): the plan rule "leave out
 * items whose offer is below X % of market" through the real handlers, the
 * SQLite store and the sandbox emulator — applied when items go in, when the
 * rule changes, on import, and again at pre-flight with the fresh prices
 * (its own category in the diff), also for an armed plan that starts by itself.
 */

let dir: string;
let app: TestApp;
let account: Account;
let rows: InventoryRow[];

const share = (row: InventoryRow) => marketShareBp(row.priceCents, row.marketPriceCents)!;
const input = (row: InventoryRow) => ({
  accountId: row.accountId,
  game: row.game,
  itemId: row.itemId,
});

/** The sellable cached items that have a market price (and an offer of at least $1). */
async function sellableWithMarket(): Promise<InventoryRow[]> {
  const { rows: all } = await app.ok('listInventory', {
    accountId: account.id,
    game: '730',
    sellableOnly: true,
    limit: 1_000,
  });
  return all.filter((r) => r.marketPriceCents !== null && r.priceCents >= 100);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-share-'));
  app = await startTestApp({
    dataDir: dir,
    secretStore: memorySecretStore(),
    sandbox: { itemsPerInventory: 200, seed: 5, lifecycle: { stepMs: 100, holdMs: 100 } },
    engine: { timing: { activePollMs: 100, holdPollMs: 100, armedRetryMs: 200 } },
  });
  account = await app.ok('addAccount', { label: 'Main', tradeUrl: TRADE_URLS[0]! });
  await app.ok('fetchInventory', { accountId: account.id, game: '730' });
  rows = (await sellableWithMarket()).sort((a, b) => share(a) - share(b));
});

afterAll(async () => {
  await app?.services.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('plan rule: leave out items below X % of market', () => {
  it('is applied when items go in and when the rule changes; plan items carry their market price', async () => {
    const low = rows[0]!;
    const mid = rows[Math.floor(rows.length / 2)]!;
    const high = rows.at(-1)!;
    expect(share(low)).toBeLessThan(share(mid));
    const plan = await app.ok('createPlan', {
      name: 'Rule',
      options: { minMarketShareBp: share(mid) },
      items: [low, mid, high].map(input),
    });
    expect(plan.items.map((i) => i.itemId)).toEqual([mid.itemId, high.itemId]);
    expect(plan.items[0]!.marketPriceCents).toBe(mid.marketPriceCents);
    expect(plan.options.minMarketShareBp).toBe(share(mid));

    // A stricter rule applies to what the plan already holds.
    const stricter = await app.ok('updatePlan', {
      planId: plan.id,
      options: { minMarketShareBp: share(mid) + 1 },
    });
    expect(stricter.items.map((i) => i.itemId)).toEqual([high.itemId]);
    // Another option alone leaves the rule and the items as they are.
    const other = await app.ok('updatePlan', { planId: plan.id, options: { batchSize: 100 } });
    expect(other.options.minMarketShareBp).toBe(share(mid) + 1);
    expect(other.items).toHaveLength(1);
    await app.ok('deletePlan', { planId: plan.id });
  });

  it('an import reports each row the rule leaves out, with its share', async () => {
    const low = rows[0]!;
    const high = rows.at(-1)!;
    const plan = await app.ok('createPlan', {
      name: 'Import',
      options: { minMarketShareBp: share(high) },
    });
    const result = await app.ok('importPlanItems', {
      planId: plan.id,
      accountId: account.id,
      game: '730',
      format: 'csv',
      text: `itemId,price\n${low.itemId},${low.priceUsd}\n${high.itemId},${high.priceUsd}`,
    });
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([
      { row: 2, reason: expect.stringMatching(/of the market price, below this plan's \d+ %/) },
    ]);
    await app.ok('deletePlan', { planId: plan.id });
  });

  it('is applied again at pre-flight with the fresh price: its own category, left out on acceptance', async () => {
    const kept = rows.slice(-3);
    const rule = Math.min(...kept.map(share));
    const plan = await app.ok('createPlan', {
      name: 'Pre-flight',
      options: { minMarketShareBp: rule, priceToleranceBp: 0 },
      items: kept.map(input),
    });
    expect(plan.items).toHaveLength(3);
    // AssetPay's offer for one of them drops by 30 %: now well below the rule.
    const dropped = kept[1]!;
    app.services.sandbox()!.setPrice(dropped.itemId, Math.round(dropped.priceCents * 0.7) / 100);

    const diff = await app.ok('runPreflight', { planId: plan.id });
    expect(diff.counts).toMatchObject({ unchanged: 2, priceDown: 0, belowMarketShare: 1 });
    expect(diff.rows).toEqual([
      expect.objectContaining({
        itemId: dropped.itemId,
        change: 'below-market-share',
        autoAccepted: false,
      }),
    ]);
    // The drop would have needed a decision; left out by the rule, it needs none.
    expect(diff.needsConfirmation).toBe(false);
    // Even if the renderer sent it back, it stays out.
    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [dropped.itemId],
    });
    expect(confirmation.itemCount).toBe(2);
    const after = await app.ok('getPlan', { planId: plan.id });
    expect(after.items.map((i) => i.itemId).sort()).toEqual(
      [kept[0]!.itemId, kept[2]!.itemId].sort(),
    );
    await app.ok('deletePlan', { planId: plan.id });
  });

  it('an armed plan that starts by itself sells nothing the rule leaves out', async () => {
    await app.ok('fetchInventory', { accountId: account.id, game: '730', refresh: true });
    const fresh = (await sellableWithMarket()).sort((a, b) => share(b) - share(a)).slice(3, 6);
    const rule = Math.min(...fresh.map(share));
    const plan = await app.ok('createPlan', {
      name: 'Armed',
      options: { minMarketShareBp: rule, priceToleranceBp: 10_000 },
      items: fresh.map(input),
    });
    const dropped = fresh[0]!;
    app.services.sandbox()!.setPrice(dropped.itemId, Math.round(dropped.priceCents * 0.6) / 100);
    app.services.setOnline(false);
    await app.ok('armPlan', { planId: plan.id });
    app.services.setOnline(true);
    await waitUntil(async () => {
      const runs = await app.ok('listRuns', {});
      return runs.some((r) => r.planId === plan.id && r.state !== 'armed');
    }, 30_000);
    const run = (await app.ok('listRuns', {})).find((r) => r.planId === plan.id)!;
    expect(run.totals.items).toBe(2);
    await waitUntil(
      () =>
        (app.services.sandbox()!.state().trades as { itemIds: string[] }[]).some((t) =>
          t.itemIds.includes(fresh[1]!.itemId),
        ),
      30_000,
    );
    const sold = (app.services.sandbox()!.state().trades as { itemIds: string[] }[]).flatMap(
      (t) => t.itemIds,
    );
    expect(sold).not.toContain(dropped.itemId);
  });
});
