import { describe, expect, it } from 'vitest';
import { clampBatchSize, previewBatches, type PreviewItem } from '../../shared/planner';

const item = (
  accountId: string,
  game: '730' | '252490',
  priceCents: number,
  amount = 1,
): PreviewItem => ({
  accountId,
  game,
  priceCents,
  amount,
});

describe('previewBatches', () => {
  it('is empty for no items', () => {
    expect(previewBatches([], 250)).toEqual({
      itemCount: 0,
      batchCount: 0,
      totalCents: 0,
      groups: [],
      batches: [],
    });
  });

  it('splits 600 items of one account and game into 3 near-equal batches, like the engine', () => {
    const items = Array.from({ length: 600 }, (_, i) => item('a', '730', i < 300 ? 100 : 200));
    const p = previewBatches(items, 250);
    expect(p.batchCount).toBe(3);
    expect(p.batches.map((b) => b.itemCount)).toEqual([200, 200, 200]);
    expect(p.batches.map((b) => b.totalCents)).toEqual([20_000, 30_000, 40_000]);
    expect(p.totalCents).toBe(90_000);
    expect(p.batches.map((b) => b.seq)).toEqual([1, 2, 3]);
  });

  it('never leaves a tiny tail: 260 → 130 + 130', () => {
    const p = previewBatches(
      Array.from({ length: 260 }, () => item('a', '730', 1)),
      250,
    );
    expect(p.batches.map((b) => b.itemCount)).toEqual([130, 130]);
  });

  it('never mixes accounts or games in one batch', () => {
    const items = [
      item('a', '730', 100),
      item('b', '730', 200),
      item('a', '252490', 300),
      item('a', '730', 400),
    ];
    const p = previewBatches(items, 250);
    expect(p.batchCount).toBe(3);
    expect(p.groups).toEqual([
      { accountId: 'a', game: '730', itemCount: 2, batchCount: 1, totalCents: 500 },
      { accountId: 'b', game: '730', itemCount: 1, batchCount: 1, totalCents: 200 },
      { accountId: 'a', game: '252490', itemCount: 1, batchCount: 1, totalCents: 300 },
    ]);
  });

  it('counts Rust stack units in the total, not in the item count', () => {
    const p = previewBatches([item('a', '252490', 25, 40), item('a', '252490', 10, 3)], 250);
    expect(p.itemCount).toBe(2);
    expect(p.totalCents).toBe(25 * 40 + 30);
  });

  it('totals are exact integer cents (no float drift)', () => {
    const items = Array.from({ length: 1000 }, () => item('a', '730', 10)); // $0.10 each
    expect(previewBatches(items, 250).totalCents).toBe(10_000);
  });

  it('never exceeds 250 per batch, whatever size is asked', () => {
    expect(clampBatchSize(1000)).toBe(250);
    expect(clampBatchSize(0)).toBe(1);
    expect(clampBatchSize(Number.NaN)).toBe(250);
    const p = previewBatches(
      Array.from({ length: 251 }, () => item('a', '730', 1)),
      999,
    );
    expect(p.batches.map((b) => b.itemCount)).toEqual([126, 125]);
  });

  it('honours a smaller batch size', () => {
    const p = previewBatches(
      Array.from({ length: 10 }, () => item('a', '730', 1)),
      4,
    );
    expect(p.batches.map((b) => b.itemCount)).toEqual([4, 3, 3]);
  });

  it('previews 50,000 items over two accounts', () => {
    const items = Array.from({ length: 50_000 }, (_, i) => item(i % 2 ? 'a' : 'b', '730', 100));
    const p = previewBatches(items, 250);
    expect(p.batchCount).toBe(200);
    expect(p.groups.map((g) => g.batchCount)).toEqual([100, 100]);
    expect(p.totalCents).toBe(5_000_000);
  });
});
