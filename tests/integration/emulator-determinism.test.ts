import { describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type Trade } from '../../emulator';
import { call, tradeUrlFor } from '../../emulator/testing';

/* One seed + one request order = one session: items, prices, trade ids, outcomes. */

const URL_A = tradeUrlFor(271828);
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

async function session(seed: number) {
  let now = T0;
  const options: EmulatorOptions = {
    seed,
    clock: () => now,
    splitShare: 0.5,
    lifecycle: {
      stepMs: 100,
      declineShare: 0.2,
      failShare: 0.1,
      cancelShare: 0.1,
      revertShare: 0.3,
    },
  };
  const emulator = await startEmulator(options);
  try {
    const inventory = await call(emulator.url, 'GET', '/secure/inventory', {
      query: { tradeUrl: URL_A, limit: -1, game: 730 },
    });
    const rust = await call(emulator.url, 'GET', '/secure/inventory', {
      query: { tradeUrl: URL_A, limit: -1, game: 252490 },
    });
    const items = (
      inventory.json as {
        data: {
          inventory: Array<{
            id: string;
            tradable: boolean;
            offer: { price: number; accepted: boolean };
          }>;
        };
      }
    ).data.inventory;
    const sellable = items.filter((i) => i.tradable && i.offer.accepted);
    const created: Trade[] = [];
    for (let i = 0; i < 12; i++) {
      now += 10;
      const batch = sellable
        .slice(i * 4, i * 4 + 4)
        .map((x) => ({ itemId: x.id, price: x.offer.price }));
      const res = await call(emulator.url, 'POST', '/secure/sell', {
        body: { tradeUrl: URL_A, externalId: `d-${i}`, items: batch },
      });
      expect(res.status).toBe(200);
      created.push((res.json as { data: Trade }).data);
    }
    now += 10_000;
    const state = emulator.state();
    // Pictures are served by the emulator itself: their URLs carry its own (ephemeral) address.
    expect(items[0]!).toMatchObject({ iconUrl: expect.stringMatching(`^${emulator.url}/icons/`) });
    return sameServer(emulator.url, {
      inventory: items,
      rust: (rust.json as { data: unknown }).data,
      created: created.map((t) => ({ ...t })),
      final: state.trades,
    });
  } finally {
    await emulator.stop();
  }
}

/** The session with the server's own address taken out, so two servers' sessions compare. */
function sameServer<T>(url: string, value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll(url, '<server>')) as T;
}

describe('emulator determinism', () => {
  it('reproduces a whole session under the same seed and differs under another', async () => {
    const a = await session(42);
    const b = await session(42);
    expect(b.inventory).toEqual(a.inventory);
    expect(b.rust).toEqual(a.rust);
    expect(b.created).toEqual(a.created);
    expect(b.final).toEqual(a.final);
    // The session exercised splits and several endings.
    expect(
      a.created.some((t) => (t as Trade & { relatedTrades: unknown[] }).relatedTrades.length > 0),
    ).toBe(true);
    expect(new Set(a.final.map((t) => t.status)).size).toBeGreaterThanOrEqual(3);

    const c = await session(43);
    expect(c.inventory).not.toEqual(a.inventory);
    expect(c.created.map((t) => t.id)).not.toEqual(a.created.map((t) => t.id));
  });

  it('split baskets: primary carries the externalId and only its own total; related trades resolve by id', async () => {
    const emulator = await startEmulator({ seed: 8, splitAbove: 100, lifecycle: { stepMs: 0 } });
    try {
      const items = emulator
        .inventoryOf(URL_A, '730')
        .filter((i) => i.tradable && i.offer!.accepted)
        .slice(0, 250)
        .map((i) => ({ itemId: i.id, price: i.offer!.price }));
      expect(items).toHaveLength(250);
      const res = await call(emulator.url, 'POST', '/secure/sell', {
        body: { tradeUrl: URL_A, externalId: 'big', items },
      });
      const trade = (res.json as { data: Trade & { relatedTrades: Trade[] } }).data;
      expect(trade.items).toHaveLength(100);
      expect(trade.relatedTrades.map((t) => t.items.length)).toEqual([100, 50]);
      const cents = (list: Array<{ price: number }>) =>
        list.reduce((sum, i) => sum + Math.round(i.price * 100), 0);
      expect(Math.round(trade.totalPrice * 100)).toBe(cents(items.slice(0, 100)));
      expect(trade.preCredit).toBe(trade.totalPrice);
      for (const [k, related] of trade.relatedTrades.entries()) {
        expect(related.externalId).toBeUndefined();
        expect(related.id).not.toBe(trade.id);
        expect(Math.round(related.totalPrice * 100)).toBe(
          cents(items.slice(100 + k * 100, 200 + k * 100)),
        );
        const found = await call(emulator.url, 'GET', `/secure/trades/${related.id}`);
        expect((found.json as { data: Trade }).data.id).toBe(related.id);
      }
      const byExternal = (await call(emulator.url, 'GET', '/secure/trades/big')).json as {
        data: Trade & { relatedTrades?: unknown };
      };
      expect(byExternal.data.id).toBe(trade.id);
      expect(byExternal.data.relatedTrades).toBeUndefined();
      const state = emulator.state();
      expect(state.trades.map((t) => t.relatedTo)).toEqual([undefined, trade.id, trade.id]);
      expect(state.soldItemIds).toHaveLength(250);
      expect(state.consumedExternalIds).toEqual(['big']);
    } finally {
      await emulator.stop();
    }
  });

  it('gives different trade ids to two real-time starts with the same seed (a restarted sandbox never repeats one)', async () => {
    const firstId = async () => {
      const emulator = await startEmulator({ seed: 1, lifecycle: { stepMs: 0 } });
      try {
        const item = emulator
          .inventoryOf(URL_A, '730')
          .find((i) => i.tradable && i.offer!.accepted)!;
        const res = await call(emulator.url, 'POST', '/secure/sell', {
          body: { tradeUrl: URL_A, items: [{ itemId: item.id, price: item.offer!.price }] },
        });
        return { id: (res.json as { data: Trade }).data.id, itemId: item.id };
      } finally {
        await emulator.stop();
      }
    };
    const a = await firstId();
    await new Promise((r) => setTimeout(r, 5));
    const b = await firstId();
    expect(b.itemId).toBe(a.itemId);
    expect(b.id).not.toBe(a.id);
  });

  it('refuses nonsensical options', async () => {
    await expect(startEmulator({ splitShare: 2 })).rejects.toThrow(/splitShare/);
    await expect(
      startEmulator({ lifecycle: { stepMs: 1, declineShare: 0.7, failShare: 0.7 } }),
    ).rejects.toThrow(/must not exceed 1/);
    await expect(startEmulator({ itemsPerInventory: -1 })).rejects.toThrow(/itemsPerInventory/);
    await expect(startEmulator({ splitAbove: 0 })).rejects.toThrow(/splitAbove/);
    await expect(
      startEmulator({ priceDrift: { everyMs: 0, share: 0.1, maxPct: 1 } }),
    ).rejects.toThrow(/priceDrift/);
    await expect(startEmulator({ faults: 'bogus=1' })).rejects.toThrow(/Unknown fault/);
    await expect(startEmulator({ tier: 'gold' as never })).rejects.toThrow(/tier/);
  });
});
