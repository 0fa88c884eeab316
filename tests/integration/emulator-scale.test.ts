import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Trade } from '../../emulator';
import { call, tradeUrlFor } from '../../emulator/testing';

/* The benchmark's shape: 100,000 items sold in 400 sells of 250, concurrently, quickly. */

describe('emulator at benchmark scale', () => {
  it('sells 100,000 items in 400 concurrent calls without losing or duplicating one', async () => {
    const url = tradeUrlFor(100000);
    const emulator = await startEmulator({
      seed: 2,
      itemsPerInventory: 120_000,
      rateLimit: false,
      lifecycle: { stepMs: 50 },
    });
    try {
      const res = await call(emulator.url, 'GET', '/secure/inventory', {
        query: { tradeUrl: url, limit: -1, acceptedOnly: true },
        timeoutMs: 60_000,
      });
      const inventory = (
        res.json as {
          data: { inventory: Array<{ id: string; tradable: boolean; offer: { price: number } }> };
        }
      ).data.inventory;
      const sellable = inventory.filter((i) => i.tradable).slice(0, 100_000);
      expect(sellable).toHaveLength(100_000);

      let next = 0;
      const worker = async () => {
        while (next < 400) {
          const batch = next++;
          const items = sellable
            .slice(batch * 250, batch * 250 + 250)
            .map((i) => ({ itemId: i.id, price: i.offer.price }));
          const sold = await call(emulator.url, 'POST', '/secure/sell', {
            body: { tradeUrl: url, externalId: `bench-${batch}`, items },
            timeoutMs: 60_000,
          });
          expect(sold.status).toBe(200);
          expect((sold.json as { data: Trade }).data.items).toHaveLength(250);
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));

      const state = emulator.state();
      expect(state.trades).toHaveLength(400);
      expect(state.soldItemIds).toHaveLength(100_000);
      expect(state.duplicateSoldItemIds).toEqual([]);
      const left = await call(emulator.url, 'GET', '/secure/inventory', {
        query: { tradeUrl: url, limit: 1 },
      });
      expect((left.json as { data: { count: number } }).data.count).toBe(120_000 - 100_000);
    } finally {
      await emulator.stop();
    }
  });

  it('answers 10,000 concurrent lookups over keep-alive, each with its documented 404', async () => {
    const emulator = await startEmulator({ rateLimit: false });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port: emulator.port,
            path,
            agent,
            headers: { 'api-key': 'ap_sandbox_key' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
      });
    try {
      for (let i = 0; i < 200; i++) await get('/secure/trades/warm-up');
      let done = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (done < 10_000) {
            done++;
            expect(await get('/secure/trades/nope')).toBe(404);
          }
        }),
      );
    } finally {
      agent.destroy();
      await emulator.stop();
    }
  });
});
