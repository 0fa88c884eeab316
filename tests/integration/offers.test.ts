import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  memorySecretStore,
  startTestApp,
  TRADE_URLS,
  waitUntil,
  type TestApp,
} from '../host/fixtures';

/*
 * Offers to accept (issue 11 deliverable 4) through the real handlers, store
 * and tracker against the sandbox emulator: trades that wait in Steam
 * (`active`, with an offerID) are listed oldest first, and leave the list as
 * the trader accepts them (hold) or they end.
 */

let dir: string;
let app: TestApp;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulk-seller-offers-'));
  app = await startTestApp({
    dataDir: dir,
    secretStore: memorySecretStore(),
    // The lifecycle moves only when the test says so.
    sandbox: { itemsPerInventory: 60, seed: 3, lifecycle: { stepMs: 0 } },
    engine: { timing: { activePollMs: 100, holdPollMs: 100, missingPollMs: 200 } },
  });
});

afterAll(async () => {
  await app?.services.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('offers to accept', () => {
  it('lists active trades with an offer id, oldest first, and drops them as they move on', async () => {
    const account = await app.ok('addAccount', { label: 'Main', tradeUrl: TRADE_URLS[0]! });
    await app.ok('fetchInventory', { accountId: account.id, game: '730' });
    const rows = (
      await app.ok('listInventory', {
        accountId: account.id,
        game: '730',
        sellableOnly: true,
        limit: 30,
      })
    ).rows;
    const plan = await app.ok('createPlan', {
      name: 'Offers',
      options: { batchSize: 10, priceToleranceBp: 10_000 },
      items: rows.map((r) => ({ accountId: r.accountId, game: r.game, itemId: r.itemId })),
    });
    const diff = await app.ok('runPreflight', { planId: plan.id });
    const confirmation = await app.ok('acceptPreflight', {
      planId: plan.id,
      preflightId: diff.preflightId,
      acceptedItemIds: [],
    });
    await app.ok('startRun', { confirmation });
    const emulator = app.services.sandbox()!;
    await waitUntil(() => emulator.state().trades.length === 3, 20_000);
    expect(await app.ok('listOffersToAccept', {})).toEqual([]);

    // AssetPay sends the offers: each trade becomes active with its Steam offer id.
    for (const t of emulator.state().trades) {
      emulator.setTradeStatus(t.id, 'active');
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitUntil(async () => (await app.ok('listOffersToAccept', {})).length === 3, 20_000);
    const offers = await app.ok('listOffersToAccept', {});
    expect(offers.every((o) => o.status === 'active' && o.offerId !== null)).toBe(true);
    expect(offers.map((o) => o.updatedAt)).toEqual([...offers.map((o) => o.updatedAt)].sort());
    expect(offers.reduce((n, o) => n + o.itemCount, 0)).toBe(30);

    // The trader accepts the oldest in Steam: it goes on hold and leaves the list.
    emulator.setTradeStatus(offers[0]!.tradeId, 'hold');
    await waitUntil(async () => (await app.ok('listOffersToAccept', {})).length === 2, 20_000);
    expect((await app.ok('listOffersToAccept', {})).map((o) => o.tradeId)).toEqual(
      offers.slice(1).map((o) => o.tradeId),
    );
    emulator.setTradeStatus(offers[1]!.tradeId, 'declined');
    await waitUntil(async () => (await app.ok('listOffersToAccept', {})).length === 1, 20_000);
  });
});
