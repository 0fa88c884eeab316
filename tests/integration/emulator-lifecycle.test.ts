import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type Trade } from '../../emulator';
import { call, tradeUrlFor } from '../../emulator/testing';

/* Trade lifecycle over a controlled clock (api §5). */

const T0 = Date.parse('2026-05-14T12:00:00.000Z');
const URL_A = tradeUrlFor(31337);
let emulator: Emulator;
afterEach(() => emulator?.stop());

async function sellOne(game: '730' | '252490', externalId: string, count = 1): Promise<Trade> {
  const items = emulator
    .inventoryOf(URL_A, game)
    .filter((i) => i.tradable && i.offer!.accepted && i.offer!.maxAmount! >= 1)
    .slice(0, count)
    .map((i) => ({ itemId: i.id, price: i.offer!.price, amount: 1 }));
  const res = await call(emulator.url, 'POST', '/secure/sell', {
    body: { tradeUrl: URL_A, game, externalId, items, isInstant: true },
  });
  expect(res.status).toBe(200);
  return (res.json as { data: Trade }).data;
}

async function lookup(ref: string): Promise<Trade> {
  const res = await call(emulator.url, 'GET', `/secure/trades/${encodeURIComponent(ref)}`);
  expect(res.status).toBe(200);
  return (res.json as { data: Trade }).data;
}

describe('emulator trade lifecycle', () => {
  it('CS2: initiated → active → hold → completed at stepMs/holdMs, with offerID, activeAt, holdEndDate', async () => {
    let now = T0;
    emulator = await startEmulator({ clock: () => now, lifecycle: { stepMs: 1000, holdMs: 5000 } });
    const created = await sellOne('730', 'cs2-1');
    expect(created).toMatchObject({
      status: 'initiated',
      createdAt: '2026-05-14T12:00:00.000Z',
      updatedAt: '2026-05-14T12:00:00.000Z',
    });
    expect(created.offerID).toBeUndefined();

    now = T0 + 999;
    expect((await lookup('cs2-1')).status).toBe('initiated');
    now = T0 + 1000;
    const active = await lookup('cs2-1');
    expect(active).toMatchObject({
      status: 'active',
      activeAt: '2026-05-14T12:00:01.000Z',
      updatedAt: '2026-05-14T12:00:01.000Z',
    });
    expect(active.offerID).toMatch(/^\d{10}$/);
    expect(active.botInfo?.name).toMatch(/^AssetPay Bot #\d+$/);

    // Polling late still yields the step times, not the poll time.
    now = T0 + 4500;
    const hold = await lookup(created.id);
    expect(hold).toMatchObject({
      status: 'hold',
      updatedAt: '2026-05-14T12:00:02.000Z',
      holdEndDate: '2026-05-14T12:00:07.000Z',
      offerID: active.offerID,
    });
    now = T0 + 7000;
    const done = await lookup(created.id);
    expect(done).toMatchObject({
      status: 'completed',
      updatedAt: '2026-05-14T12:00:07.000Z',
      holdEndDate: '2026-05-14T12:00:07.000Z',
    });
    now = T0 + 60_000;
    expect((await lookup(created.id)).status).toBe('completed');
    // Items of a completed trade stay gone.
    expect(emulator.inventoryOf(URL_A, '730').some((i) => i.id === created.items[0]!.id)).toBe(
      false,
    );
  });

  it('Rust: initiated → active → completed, no hold', async () => {
    let now = T0;
    emulator = await startEmulator({ clock: () => now, lifecycle: { stepMs: 1000 } });
    const created = await sellOne('252490', 'rust-1');
    const seen: string[] = [];
    for (let t = 0; t <= 4000; t += 500) {
      now = T0 + t;
      const status = (await lookup('rust-1')).status;
      if (seen[seen.length - 1] !== status) seen.push(status);
    }
    expect(seen).toEqual(['initiated', 'active', 'completed']);
    expect((await lookup(created.id)).holdEndDate).toBeUndefined();
  });

  it('seeded shares end declined / failed / canceled from active and revert some completed trades; items come back', async () => {
    let now = T0;
    emulator = await startEmulator({
      seed: 3,
      clock: () => now,
      lifecycle: {
        stepMs: 100,
        holdMs: 100,
        declineShare: 0.2,
        failShare: 0.2,
        cancelShare: 0.2,
        revertShare: 0.5,
      },
    });
    const trades: Trade[] = [];
    for (let i = 0; i < 60; i++) trades.push(await sellOne('730', `share-${i}`));
    const history = new Map<string, string[]>(trades.map((t) => [t.id, ['initiated']]));
    const updated = new Map<string, string>(trades.map((t) => [t.id, t.updatedAt]));
    for (let step = 1; step <= 8; step++) {
      now = T0 + step * 100;
      const res = await call(
        emulator.url,
        'GET',
        `/secure/trades/${trades.map((t) => t.id).join(',')}`,
      );
      for (const t of (res.json as { data: Trade[] }).data) {
        const h = history.get(t.id)!;
        if (h[h.length - 1] !== t.status) {
          h.push(t.status);
          // updatedAt moves forward with every step.
          expect(t.updatedAt > updated.get(t.id)!).toBe(true);
          updated.set(t.id, t.updatedAt);
        }
      }
    }
    const paths = new Set([...history.values()].map((h) => h.join('>')));
    expect(paths).toEqual(
      new Set([
        'initiated>active>declined',
        'initiated>active>failed',
        'initiated>active>canceled',
        'initiated>active>hold>completed',
        'initiated>active>hold>completed>reverted',
      ]),
    );
    const ends = [...history.values()].map((h) => h[h.length - 1]);
    const count = (s: string) => ends.filter((e) => e === s).length;
    expect(count('declined') + count('failed') + count('canceled')).toBeGreaterThan(20);
    expect(count('declined') + count('failed') + count('canceled')).toBeLessThan(50);
    const final = (
      await call(emulator.url, 'GET', `/secure/trades/${trades.map((t) => t.id).join(',')}`)
    ).json as { data: Trade[] };
    for (const t of final.data) {
      if (t.status === 'reverted') expect(['supplier', 'user']).toContain(t.revertedBy);
      if (t.status === 'failed') expect(t.error).toBe('OFFER_NOT_ACCEPTED');
    }
    // Items of failed/declined/canceled/reverted trades are back in the inventory; completed ones are not.
    const inventory = new Set(emulator.inventoryOf(URL_A, '730').map((i) => i.id));
    for (const t of final.data) {
      expect(inventory.has(t.items[0]!.id)).toBe(t.status !== 'completed');
    }
    const state = emulator.state();
    expect(state.soldItemIds.sort()).toEqual(
      final.data
        .filter((t) => t.status === 'completed')
        .map((t) => t.items[0]!.id)
        .sort(),
    );
    expect(state.duplicateSoldItemIds).toEqual([]);
  });

  it('advanceLifecycle(ms) moves emulated time; advanceLifecycle() steps every trade once; stepMs 0 never moves by itself', async () => {
    const now = T0;
    emulator = await startEmulator({ clock: () => now, lifecycle: { stepMs: 0, holdMs: 10_000 } });
    const t = await sellOne('730', 'manual-1');
    expect((await lookup('manual-1')).status).toBe('initiated');
    emulator.advanceLifecycle(3_600_000);
    expect((await lookup('manual-1')).status).toBe('initiated');
    emulator.advanceLifecycle();
    expect((await lookup('manual-1')).status).toBe('active');
    emulator.advanceLifecycle();
    const hold = await lookup(t.id);
    expect(hold.status).toBe('hold');
    expect(Date.parse(hold.holdEndDate!)).toBe(Date.parse(hold.updatedAt) + 10_000);
    emulator.advanceLifecycle();
    expect((await lookup(t.id)).status).toBe('completed');
    emulator.advanceLifecycle();
    expect((await lookup(t.id)).status).toBe('completed');

    const timed = await startEmulator({ clock: () => now, lifecycle: { stepMs: 1000 } });
    try {
      const items = timed.inventoryOf(URL_A, '730').filter((i) => i.tradable && i.offer!.accepted);
      await call(timed.url, 'POST', '/secure/sell', {
        body: {
          tradeUrl: URL_A,
          externalId: 'timed',
          items: [{ itemId: items[0]!.id, price: items[0]!.offer!.price }],
        },
      });
      timed.advanceLifecycle(1500);
      expect(timed.state().trades[0]!.status).toBe('active');
      timed.advanceLifecycle(500);
      expect(timed.state().trades[0]!.status).toBe('hold');
      // Creation after the skew is stamped in emulated time.
      expect(Date.parse(timed.state().now)).toBe(T0 + 2000);
    } finally {
      await timed.stop();
    }
  });

  it('setTradeStatus allows only forward moves and keeps item holds right', async () => {
    emulator = await startEmulator({ lifecycle: { stepMs: 0 } });
    const t = await sellOne('730', 'set-1');
    const itemId = t.items[0]!.id;
    emulator.setTradeStatus(t.id, 'active');
    const active = await lookup(t.id);
    expect(active.status).toBe('active');
    expect(active.offerID).toBeDefined();
    expect(() => emulator.setTradeStatus(t.id, 'initiated')).toThrow(/only move forward/);
    expect(() => emulator.setTradeStatus('nope', 'failed')).toThrow(/Unknown trade/);
    expect(emulator.inventoryOf(URL_A, '730').some((i) => i.id === itemId)).toBe(false);
    emulator.setTradeStatus(t.id, 'declined');
    expect(emulator.inventoryOf(URL_A, '730').some((i) => i.id === itemId)).toBe(true);
    expect(() => emulator.setTradeStatus(t.id, 'completed')).toThrow(/only move forward/);

    const h = await sellOne('730', 'set-hold', 2);
    emulator.setTradeStatus(h.id, 'hold');
    const hold = await lookup(h.id);
    expect(hold).toMatchObject({ status: 'hold' });
    expect(hold.offerID).toBeDefined();
    expect(hold.holdEndDate).toBeDefined();
    expect(() => emulator.setTradeStatus(h.id, 'declined')).toThrow(/only move forward/);
    emulator.setTradeStatus(h.id, 'reverted');
    expect((await lookup(h.id)).revertedBy).toBeDefined();
    // The item is sellable again.
    const again = await sellOne('730', 'set-2');
    expect(again.items[0]!.id).toBe(itemId);
    expect(emulator.state().duplicateSoldItemIds).toEqual([]);
  });

  it('GET /secure/trades lists newest first per game with a working cursor', async () => {
    let now = T0;
    emulator = await startEmulator({ clock: () => now, lifecycle: { stepMs: 0 } });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      now += 1000;
      ids.push((await sellOne('730', `list-${i}`)).id);
    }
    const rust = await sellOne('252490', 'list-rust');
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await call(emulator.url, 'GET', '/secure/trades', {
        query: { limit: 3, ...(cursor ? { cursor } : {}) },
      });
      const data = (res.json as { data: { items: Trade[]; nextCursor: string | null } }).data;
      pages.push(data.items.map((t) => t.id));
      cursor = data.nextCursor;
      // A trade created while paging does not shift the pages.
      if (pages.length === 1) await sellOne('730', 'list-late');
    } while (cursor);
    expect(pages.flat()).toEqual([...ids].reverse());
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    const r = await call(emulator.url, 'GET', '/secure/trades', {
      query: { game: '252490', type: 'deposit' },
    });
    expect((r.json as { data: { items: Trade[]; nextCursor: null } }).data).toMatchObject({
      items: [{ id: rust.id }],
      nextCursor: null,
    });
    const all = await call(emulator.url, 'GET', '/secure/trades', { query: { limit: 100 } });
    expect((all.json as { data: { items: Trade[] } }).data.items).toHaveLength(8);
  });
});
