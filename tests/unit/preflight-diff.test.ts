import { describe, expect, it } from 'vitest';
import { preflightDiffSchema } from '../../shared/contract/views';
import type { InventoryRow, PlanItem } from '../../shared/contract/views';
import { diffPlan, keptItems, withinTolerance } from '../../electron/main/services/engine';

function plan(itemId: string, priceCents: number, amount = 1): PlanItem {
  return {
    accountId: 'a',
    game: '730',
    itemId,
    name: itemId,
    priceUsd: priceCents / 100,
    priceCents,
    amount,
  };
}
function inv(itemId: string, priceUsd: number, over: Partial<InventoryRow> = {}): InventoryRow {
  return {
    accountId: 'a',
    game: '730',
    itemId,
    name: itemId,
    marketHashName: itemId,
    type: 'Rifle',
    exterior: null,
    wear: null,
    rarity: null,
    color: null,
    iconUrl: '',
    tradable: true,
    accepted: true,
    priceUsd,
    priceCents: Math.round(priceUsd * 100),
    marketPriceCents: null,
    amount: 1,
    maxAmount: 1,
    taken: null,
    ...over,
  };
}

describe('withinTolerance (integer math)', () => {
  it('accepts rises and drops up to the tolerance, exactly at the boundary', () => {
    expect(withinTolerance(1000, 1200, 0)).toBe(true);
    expect(withinTolerance(1000, 1000, 0)).toBe(true);
    expect(withinTolerance(1000, 999, 0)).toBe(false);
    expect(withinTolerance(1000, 990, 100)).toBe(true); // exactly 1 %
    expect(withinTolerance(1000, 989, 100)).toBe(false); // 1.1 %
    // 0.995 % rounds to 100 bp but is still inside; 1.004 % rounds to 100 bp and is outside.
    expect(withinTolerance(20_100, 19_900, 100)).toBe(true);
    expect(withinTolerance(24_900, 24_650, 100)).toBe(false);
  });
});

describe('diffPlan', () => {
  const items = [
    plan('same', 1075),
    plan('up', 1000),
    plan('down-ok', 1000),
    plan('down-big', 1000),
    plan('gone', 500),
    plan('refused', 500),
    plan('locked', 500),
    plan('stack', 100, 5),
  ];
  const rows = new Map<string, InventoryRow>([
    ['same', inv('same', 10.75)],
    ['up', inv('up', 10.5)],
    ['down-ok', inv('down-ok', 9.8)],
    ['down-big', inv('down-big', 9.79)],
    ['refused', inv('refused', 5, { accepted: false })],
    ['locked', inv('locked', 5, { tradable: false })],
    ['stack', inv('stack', 1, { amount: 3, maxAmount: 10 })],
  ]);
  const d = diffPlan(items, (_a, _g, id) => rows.get(id), 200);

  it('classifies each item with cents and basis points', () => {
    const by = Object.fromEntries(d.rows.map((r) => [r.itemId, r]));
    expect(by.same).toMatchObject({
      change: 'unchanged',
      changeCents: 0,
      changeBp: 0,
      autoAccepted: true,
    });
    expect(by.up).toMatchObject({
      change: 'price-up',
      currentCents: 1050,
      changeCents: 50,
      changeBp: 500,
      autoAccepted: true,
    });
    expect(by['down-ok']).toMatchObject({
      change: 'price-down',
      changeCents: -20,
      changeBp: -200,
      autoAccepted: true,
    });
    expect(by['down-big']).toMatchObject({
      change: 'price-down',
      changeCents: -21,
      changeBp: -210,
      autoAccepted: false,
    });
    expect(by.gone).toMatchObject({
      change: 'unavailable',
      currentCents: null,
      autoAccepted: false,
    });
    expect(by.refused).toMatchObject({ change: 'not-accepted', autoAccepted: false });
    expect(by.locked).toMatchObject({ change: 'unavailable' });
    expect(by.stack).toMatchObject({ change: 'unavailable' }); // 5 planned, 3 left
    expect(d.counts).toEqual({
      unchanged: 1,
      priceUp: 1,
      priceDown: 2,
      unavailable: 3,
      notAccepted: 1,
    });
    expect(d.needsConfirmation).toBe(true);
  });

  it('maps 1:1 onto the contract schema', () => {
    expect(() =>
      preflightDiffSchema.parse({
        preflightId: 'p',
        planId: 'x',
        checkedAt: new Date().toISOString(),
        rows: d.rows,
        counts: d.counts,
        needsConfirmation: d.needsConfirmation,
      }),
    ).not.toThrow();
  });

  it('keeps auto-accepted items and the accepted ones, at the inventory price exactly', () => {
    const keep = keptItems(d.rows, d.prices, []);
    expect([...keep.keys()].sort()).toEqual(['down-ok', 'same', 'up']);
    expect(keep.get('up')).toEqual({ priceUsd: 10.5, priceCents: 1050 });
    const keep2 = keptItems(d.rows, d.prices, ['down-big', 'gone', 'refused']);
    expect([...keep2.keys()].sort()).toEqual(['down-big', 'down-ok', 'same', 'up']);
    expect(keep2.get('down-big')!.priceUsd).toBe(9.79);
  });

  it('needs no confirmation when everything is within tolerance', () => {
    const ok = diffPlan([plan('x', 1000)], () => inv('x', 9.95), 50);
    expect(ok.needsConfirmation).toBe(false);
  });
});
