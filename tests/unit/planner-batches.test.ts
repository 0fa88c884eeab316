import { describe, expect, it } from 'vitest';
import type { PlanItem } from '../../shared/contract/views';
import { sellRequestSchema } from '../../shared/api/schemas';
import {
  buildSellRequest,
  chunkSizes,
  countBatches,
  externalIdFor,
  planBatches,
} from '../../electron/main/services/engine';

const URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=AbCdEfGh';

function items(
  n: number,
  accountId = 'acc-1',
  game: '730' | '252490' = '730',
  from = 0,
): PlanItem[] {
  return Array.from({ length: n }, (_, i) => ({
    accountId,
    game,
    itemId: `${game}-${accountId}-${from + i}-xxxx`,
    name: `Item ${i}`,
    priceUsd: 1.05,
    priceCents: 105,
    amount: 1,
  }));
}

describe('planBatches', () => {
  it('one account and one game per batch, ≤ batch size, near-equal sizes, order kept', () => {
    const plan = [...items(260, 'a'), ...items(3, 'b'), ...items(251, 'a', '252490')];
    const r = planBatches(plan);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.batches.map((b) => [b.accountId, b.game, b.items.length])).toEqual([
      ['a', '730', 130],
      ['a', '730', 130],
      ['b', '730', 3],
      ['a', '252490', 126],
      ['a', '252490', 125],
    ]);
    expect(r.batches.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(r.batches.flatMap((b) => b.items)).toHaveLength(plan.length);
    expect(new Set(r.batches.flatMap((b) => b.items.map((i) => i.itemId))).size).toBe(plan.length);
    expect(r.batches[0]!.totalCents).toBe(130 * 105);
    expect(countBatches(plan, 250)).toBe(5);
  });

  it('exactly 250 is one batch; the default and maximum is 250', () => {
    const r = planBatches(items(250));
    expect(r.ok && r.batches.length).toBe(1);
    const r2 = planBatches(items(1000), { batchSize: 250 });
    expect(r2.ok && r2.batches.map((b) => b.items.length)).toEqual([250, 250, 250, 250]);
  });

  it('refuses 251, 0 and fractional batch sizes', () => {
    expect(planBatches(items(10), { batchSize: 251 })).toMatchObject({
      ok: false,
      error: { kind: 'batch-size-too-large', batchSize: 251 },
    });
    expect(planBatches(items(10), { batchSize: 0 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-batch-size' },
    });
    expect(planBatches(items(10), { batchSize: 2.5 })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-batch-size' },
    });
  });

  it('refuses duplicates (naming them), bad prices, bad amounts, bad ids and empty plans', () => {
    const list = items(5);
    expect(planBatches([...list, list[2]!])).toMatchObject({
      ok: false,
      error: { kind: 'duplicate-item', itemIds: [list[2]!.itemId] },
    });
    expect(planBatches([{ ...list[0]!, priceUsd: 0 }])).toMatchObject({
      ok: false,
      error: { kind: 'invalid-price' },
    });
    expect(planBatches([{ ...list[0]!, priceUsd: -2 }])).toMatchObject({
      ok: false,
      error: { kind: 'invalid-price' },
    });
    expect(planBatches([{ ...list[0]!, priceUsd: Number.POSITIVE_INFINITY }])).toMatchObject({
      ok: false,
      error: { kind: 'invalid-price' },
    });
    expect(planBatches([{ ...list[0]!, amount: 0 }])).toMatchObject({
      ok: false,
      error: { kind: 'invalid-amount' },
    });
    expect(planBatches([{ ...list[0]!, itemId: 'abc' }])).toMatchObject({
      ok: false,
      error: { kind: 'invalid-item-id' },
    });
    expect(planBatches([])).toMatchObject({ ok: false, error: { kind: 'empty-plan' } });
  });
});

describe('externalIdFor', () => {
  it('is stable, per attempt, ≤ 128 chars, comma-free', () => {
    const batch = '3f2b8c1e-9d4a-4c7e-8b1f-0a2b3c4d5e6f';
    expect(externalIdFor(batch, 1)).toBe(`bs-${batch}-1`);
    expect(externalIdFor(batch, 1)).toBe(externalIdFor(batch, 1));
    expect(externalIdFor(batch, 2)).not.toBe(externalIdFor(batch, 1));
    expect(externalIdFor(batch, 999_999).length).toBeLessThanOrEqual(128);
    expect(externalIdFor(batch, 7)).not.toContain(',');
  });

  it('refuses what could break the id', () => {
    expect(() => externalIdFor('a,b', 1)).toThrow();
    expect(() => externalIdFor('x'.repeat(130), 1)).toThrow();
    expect(() => externalIdFor('abc', 0)).toThrow();
  });
});

describe('buildSellRequest', () => {
  it('serialises exactly what the client sends, prices untouched', () => {
    const r = buildSellRequest({
      tradeUrl: URL,
      game: '730',
      externalId: 'bs-x-1',
      isInstant: true,
      items: [
        { itemId: 'item-00001', priceUsd: 0.1 + 0.2, amount: 1 },
        { itemId: 'item-00002', priceUsd: 1234.5, amount: 1 },
      ],
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.text).toBe(
      `{"tradeUrl":"${URL}","items":[{"itemId":"item-00001","price":0.30000000000000004},{"itemId":"item-00002","price":1234.5}],"game":"730","externalId":"bs-x-1","isInstant":true}`,
    );
    // The client validates and re-serialises: same bytes.
    expect(JSON.stringify(sellRequestSchema.parse(JSON.parse(r.text)))).toBe(r.text);
  });

  it('sends Rust amounts, refuses bad URLs, mixed games, mixed accounts and 251 items', () => {
    const rust = buildSellRequest({
      tradeUrl: URL,
      game: '252490',
      externalId: 'e',
      isInstant: false,
      items: [{ itemId: 'rust-0001', priceUsd: 0.03, amount: 40 }],
    });
    expect(rust.ok && rust.body.items[0]).toEqual({ itemId: 'rust-0001', price: 0.03, amount: 40 });
    expect(
      buildSellRequest({
        tradeUrl: URL + '&',
        game: '730',
        externalId: 'e',
        isInstant: true,
        items: [{ itemId: 'item-1', priceUsd: 1, amount: 1 }],
      }),
    ).toMatchObject({ ok: false, reason: 'invalid-trade-url' });
    expect(
      buildSellRequest({
        tradeUrl: URL,
        game: '730',
        externalId: 'e',
        isInstant: true,
        items: [{ itemId: 'item-1', priceUsd: 1, amount: 1, game: '252490' }],
      }),
    ).toMatchObject({ ok: false, reason: 'mixed-games' });
    expect(
      buildSellRequest({
        tradeUrl: URL,
        game: '730',
        externalId: 'e',
        isInstant: true,
        accountId: 'a',
        items: [{ itemId: 'item-1', priceUsd: 1, amount: 1, accountId: 'b' }],
      }),
    ).toMatchObject({ ok: false, reason: 'mixed-accounts' });
    const many = Array.from({ length: 251 }, (_, i) => ({
      itemId: `item-${i}-zz`,
      priceUsd: 1,
      amount: 1,
    }));
    expect(
      buildSellRequest({
        tradeUrl: URL,
        game: '730',
        externalId: 'e',
        isInstant: true,
        items: many,
      }),
    ).toMatchObject({ ok: false, reason: 'batch-size-too-large' });
    expect(
      buildSellRequest({
        tradeUrl: URL,
        game: '730',
        externalId: 'a,b',
        isInstant: true,
        items: many.slice(0, 1),
      }),
    ).toMatchObject({ ok: false, reason: 'invalid-body' });
  });
});

describe('buildSellRequest ≡ sellRequestSchema', () => {
  it('accepts and refuses exactly what the strict wire schema does (fuzzed)', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    for (let n = 0; n < 3000; n++) {
      const count = pick([0, 1, 2, 250, 251]);
      const input = {
        tradeUrl: pick([
          URL,
          URL + 'x',
          'https://steamcommunity.com/tradeoffer/new/?partner=12345678901&token=AbCdEfGh',
        ]),
        game: pick(['730', '252490', '440'] as const) as '730',
        externalId: pick(['bs-a-1', '', 'x'.repeat(128), 'x'.repeat(129), 'a,b']),
        isInstant: pick([true, false]),
        items: Array.from({ length: count }, (_, i) => ({
          itemId: pick(['item-' + i, 'abcd', 'x'.repeat(256), 'x'.repeat(257)]),
          priceUsd: pick([0.01, 10.75, 0, -1, Number.NaN, Infinity, 1234.5]),
          amount: pick([1, 2, 0, 10_000, 10_001, 1.5]),
        })),
      };
      const ours = buildSellRequest(input);
      const zod = sellRequestSchema.safeParse({
        tradeUrl: input.tradeUrl,
        items: input.items.map((i) =>
          i.amount === 1 && input.game === '730'
            ? { itemId: i.itemId, price: i.priceUsd }
            : { itemId: i.itemId, price: i.priceUsd, amount: i.amount },
        ),
        game: input.game,
        externalId: input.externalId,
        isInstant: input.isInstant,
      });
      const oursOk =
        ours.ok ||
        (ours.reason !== 'invalid-body' &&
          ours.reason !== 'invalid-trade-url' &&
          ours.reason !== 'batch-size-too-large')
          ? ours.ok
          : false;
      expect(oursOk, JSON.stringify({ n, reason: ours.ok ? null : ours.message })).toBe(
        zod.success,
      );
      if (ours.ok && zod.success) expect(ours.text).toBe(JSON.stringify(zod.data));
    }
  });
});

describe('the stored body is the body sent', () => {
  it('buildSellRequest’s text survives the client’s check and serialisation byte for byte', () => {
    const prices = [0.1 + 0.2, 10.75, 1234.5, 0.01, 1e-7, 99999.99];
    for (let n = 0; n < 500; n++) {
      const game = n % 2 ? ('252490' as const) : ('730' as const);
      const count = 1 + (n % 7);
      const body = buildSellRequest({
        tradeUrl: URL,
        game,
        externalId: `bs-${n}-1`,
        isInstant: n % 3 === 0,
        items: Array.from({ length: count }, (_, k) => ({
          itemId: `item-${n}-${k}-"q"`,
          priceUsd: prices[(n + k) % prices.length]!,
          amount: 1 + ((n * k) % 3),
        })),
      });
      if (!body.ok) throw new Error(body.message);
      // What the engine sends: the stored text, parsed, checked by the wire schema, serialised.
      expect(JSON.stringify(sellRequestSchema.parse(JSON.parse(body.text)))).toBe(body.text);
    }
  });

  it('splits like the planner: chunkSizes', () => {
    expect(chunkSizes(260, 250)).toEqual([130, 130]);
    expect(chunkSizes(251, 250)).toEqual([126, 125]);
    expect(chunkSizes(250, 250)).toEqual([250]);
    expect(chunkSizes(0, 250)).toEqual([]);
    expect(chunkSizes(10, 3)).toEqual([3, 3, 2, 2]);
  });
});
