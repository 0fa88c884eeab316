import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/result';
import type { PlanItem } from '../../shared/contract/views';
import { buildSellRequest, planBatches } from '../../electron/main/services/engine';
import type { Store } from '../../electron/main/services/store';
import { Harness, tradeUrlFor } from './engine-support/harness';

/*
 * Bad input is refused with a specific error and nothing is written half-way:
 * the whole database (every table, the event log included) is byte-for-byte
 * the same after the refusal.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function fingerprint(store: Store): string {
  const tables = (
    store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  const hash = createHash('sha256');
  for (const t of tables)
    hash
      .update(t)
      .update(JSON.stringify(store.db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()));
  return hash.digest('hex');
}

function refusal(fn: () => unknown): { code: string; reason: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError)
      return { code: e.code, reason: e.details?.reason, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

async function refusedAsync(
  fn: () => Promise<unknown>,
): Promise<{ code: string; reason: unknown }> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, reason: e.details?.reason };
    throw e;
  }
  throw new Error('expected a refusal');
}

async function setup(): Promise<{ h: Harness; accountId: string; items: PlanItem[] }> {
  h = await Harness.start();
  const accountId = h.addAccount(12345);
  await h.fetchInventory(accountId);
  await h.fetchInventory(accountId, '252490');
  return { h, accountId, items: h.sellable(accountId).slice(0, 20) };
}

describe('engine: bad input', () => {
  it('an unknown item id: not resolvable from the inventory; the pre-flight marks it unavailable and acceptance drops it', async () => {
    const { h, accountId, items } = await setup();
    const r = h.store.inventory.resolvePlanItems([
      { accountId, game: '730', itemId: '730-12345-99999-nope' },
    ]);
    expect(r.errors.map((e) => e.reason)).toEqual(['unknown-item']);
    const ghost: PlanItem = { ...items[0]!, itemId: '730-12345-99999-nope' };
    const plan = h.store.plans.create({ name: 'ghost', items: [ghost, ...items.slice(1, 3)] });
    const diff = await h.engine.runPreflight(plan.id);
    expect(diff.rows.find((x) => x.itemId === ghost.itemId)!.change).toBe('unavailable');
    expect(diff.needsConfirmation).toBe(true);
    const conf = h.engine.acceptPreflight(plan.id, diff.preflightId, [ghost.itemId]);
    expect(conf.itemCount).toBe(2);
    expect(h.store.plans.items(plan.id).map((i) => i.itemId)).not.toContain(ghost.itemId);
  });

  it('a zero or negative price is refused, and the plan is unchanged', async () => {
    const { h, items } = await setup();
    const plan = h.store.plans.create({ name: 'p', items });
    for (const priceUsd of [0, -1.5, Number.NaN]) {
      const before = fingerprint(h.store);
      expect(
        refusal(() =>
          h!.store.plans.replaceItems(plan.id, [...items.slice(1), { ...items[0]!, priceUsd }]),
        ),
      ).toMatchObject({
        code: 'invalid-request',
        reason: 'invalid-price',
      });
      expect(fingerprint(h.store)).toBe(before);
    }
    expect(planBatches([{ ...items[0]!, priceUsd: 0 }])).toMatchObject({
      ok: false,
      error: { kind: 'invalid-price', itemIds: [items[0]!.itemId] },
    });
  });

  it('two games: the planner splits them; a sell body over two games is refused', async () => {
    const { h, accountId, items } = await setup();
    const rust = h.sellable(accountId, '252490').slice(0, 5);
    const planned = planBatches([...items.slice(0, 5), ...rust]);
    expect(planned.ok && planned.batches.map((b) => [b.game, b.items.length])).toEqual([
      ['730', 5],
      ['252490', 5],
    ]);
    const body = buildSellRequest({
      tradeUrl: tradeUrlFor(12345),
      game: '730',
      externalId: 'bs-x-1',
      isInstant: true,
      items: [...items.slice(0, 2), ...rust.slice(0, 1)].map((i) => ({
        itemId: i.itemId,
        priceUsd: i.priceUsd,
        amount: 1,
        game: i.game,
      })),
    });
    expect(body).toMatchObject({ ok: false, reason: 'mixed-games' });
  });

  it('a duplicate item is refused (in one plan, and across accounts by the planner)', async () => {
    const { h, items } = await setup();
    const before = fingerprint(h.store);
    expect(
      refusal(() => h!.store.plans.create({ name: 'dup', items: [...items, items[4]!] })),
    ).toMatchObject({ reason: 'duplicate-item' });
    expect(fingerprint(h.store)).toBe(before);
    const other = h.addAccount(23456);
    expect(planBatches([items[0]!, { ...items[0]!, accountId: other }])).toMatchObject({
      ok: false,
      error: { kind: 'duplicate-item', itemIds: [items[0]!.itemId] },
    });
  });

  it('an account with an invalid trade URL: refused when added; a stored one makes createRun refuse and write nothing', async () => {
    const { h, accountId, items } = await setup();
    expect(
      refusal(() =>
        h!.store.accounts.add({
          label: 'bad',
          tradeUrl: 'https://steamcommunity.com/tradeoffer/new/?partner=1&token=short',
        }),
      ),
    ).toMatchObject({
      reason: 'invalid-trade-url',
    });
    const plan = h.store.plans.create({ name: 'p', items });
    const diff = await h.engine.runPreflight(plan.id);
    const conf = h.engine.acceptPreflight(plan.id, diff.preflightId, []);
    // A row written by an older build (or edited by hand) that no longer passes the pattern.
    h.store.db
      .prepare('UPDATE accounts SET trade_url = ? WHERE id = ?')
      .run(
        'https://www.steamcommunity.com/tradeoffer/new/?partner=12345&token=AbCdEfGh',
        accountId,
      );
    const before = fingerprint(h.store);
    const r = refusal(() => h!.engine.createRun(plan.id, conf));
    expect(r).toMatchObject({ code: 'invalid-request', reason: 'invalid-trade-url' });
    expect(r.message).toMatch(/acc-12345/);
    expect(fingerprint(h.store)).toBe(before);
  });

  it('a 251-item batch is refused everywhere (plan options, planner, sell body)', async () => {
    const { h, items } = await setup();
    const before = fingerprint(h.store);
    expect(
      refusal(() => h!.store.plans.create({ name: 'big', items, options: { batchSize: 251 } })),
    ).toMatchObject({ reason: 'batch-size-too-large' });
    expect(fingerprint(h.store)).toBe(before);
    expect(planBatches(items, { batchSize: 251 })).toMatchObject({
      ok: false,
      error: { kind: 'batch-size-too-large' },
    });
    const many = Array.from({ length: 251 }, (_, i) => ({
      itemId: `item-${i}-xxxxx`,
      priceUsd: 1,
      amount: 1,
    }));
    expect(
      buildSellRequest({
        tradeUrl: tradeUrlFor(12345),
        game: '730',
        externalId: 'bs-x-1',
        isInstant: true,
        items: many,
      }),
    ).toMatchObject({
      ok: false,
      reason: 'batch-size-too-large',
    });
  });

  it('nothing is sent before an accepted pre-flight; a changed plan or confirmation is refused; items in a live batch are named', async () => {
    const { h, items } = await setup();
    const plan = h.store.plans.create({ name: 'p', items });
    const fake = {
      planId: plan.id,
      preflightId: 'nope',
      itemCount: 20,
      batchCount: 1,
      accounts: [],
      totalCents: 1,
    };
    let before = fingerprint(h.store);
    expect(refusal(() => h!.engine.createRun(plan.id, fake))).toMatchObject({
      code: 'conflict',
      reason: 'preflight-required',
    });
    expect(fingerprint(h.store)).toBe(before);

    const diff = await h.engine.runPreflight(plan.id);
    before = fingerprint(h.store);
    expect(
      refusal(() => h!.engine.createRun(plan.id, { ...fake, preflightId: diff.preflightId })),
    ).toMatchObject({ reason: 'preflight-not-accepted' });
    expect(fingerprint(h.store)).toBe(before);

    const conf = h.engine.acceptPreflight(plan.id, diff.preflightId, []);
    before = fingerprint(h.store);
    expect(
      refusal(() => h!.engine.createRun(plan.id, { ...conf, totalCents: conf.totalCents - 1 })),
    ).toMatchObject({ reason: 'confirmation-mismatch' });
    expect(fingerprint(h.store)).toBe(before);

    h.store.plans.replaceItems(plan.id, items.slice(0, 10));
    before = fingerprint(h.store);
    expect(refusal(() => h!.engine.createRun(plan.id, conf))).toMatchObject({
      reason: 'plan-changed',
    });
    expect(fingerprint(h.store)).toBe(before);

    // A run holds items 0–9; another plan with item 5 is refused, naming it.
    const d2 = await h.engine.runPreflight(plan.id);
    const run = h.engine.createRun(plan.id, h.engine.acceptPreflight(plan.id, d2.preflightId, []));
    const other = h.store.plans.create({ name: 'other', items: items.slice(5, 15) });
    const d3 = await h.engine.runPreflight(other.id);
    const c3 = h.engine.acceptPreflight(other.id, d3.preflightId, []);
    before = fingerprint(h.store);
    const r = refusal(() => h!.engine.createRun(other.id, c3));
    expect(r).toMatchObject({ code: 'conflict', reason: 'items-in-live-batch' });
    expect(r.message).toContain(items[5]!.itemId);
    expect(fingerprint(h.store)).toBe(before);
    expect(h.store.batches.listByRun(run.id)).toHaveLength(1);
  });

  it('a pre-flight whose inventory cannot be fetched fails with a specific error and accepts nothing', async () => {
    const { h, items } = await setup();
    const plan = h.store.plans.create({ name: 'p', items });
    h.emulator.injectNext('inventory', 'maintenance');
    const before = fingerprint(h.store);
    expect(await refusedAsync(() => h!.engine.runPreflight(plan.id))).toEqual({
      code: 'api-error',
      reason: 'inventory-fetch-failed',
    });
    expect(fingerprint(h.store)).toBe(before);
  });
});
