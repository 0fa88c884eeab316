import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type GameId,
  type Trade,
  type TradeStatus,
} from '../../emulator';
import { call, tradeUrlFor } from '../../emulator/testing';

/* persistPath: the sandbox keeps its trades across restarts, like a real AssetPay. */

const T0 = Date.parse('2026-05-14T12:00:00.000Z');
const URL_A = tradeUrlFor(31337);
const ROOT = join(__dirname, '../..');
const ORDER: TradeStatus[] = ['initiated', 'pending', 'active', 'hold', 'completed', 'reverted'];

let dir: string;
const running: Emulator[] = [];
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'emu-persist-'));
  return dir;
}

async function start(options: EmulatorOptions): Promise<Emulator> {
  // Items' pictures point at the server that serves them (another port after a restart):
  // without them, a restored trade reads exactly as it was written.
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, pictures: false, ...options });
  running.push(emulator);
  return emulator;
}

async function stop(emulator: Emulator): Promise<void> {
  running.splice(running.indexOf(emulator), 1);
  await emulator.stop();
}

function sellable(emulator: Emulator, game: GameId, count: number, skip = 0) {
  return emulator
    .inventoryOf(URL_A, game)
    .filter((i) => i.tradable && i.offer!.accepted)
    .slice(skip, skip + count);
}

async function sell(
  emulator: Emulator,
  externalId: string,
  items: Array<{ itemId: string; price: number; amount?: number }>,
  game: GameId = '730',
) {
  return call(emulator.url, 'POST', '/secure/sell', {
    body: { tradeUrl: URL_A, game, externalId, items },
  });
}

async function sold(
  emulator: Emulator,
  externalId: string,
  items: Parameters<typeof sell>[2],
  game: GameId = '730',
): Promise<Trade> {
  const res = await sell(emulator, externalId, items, game);
  expect(res.status, res.text).toBe(200);
  return (res.json as { data: Trade }).data;
}

async function lookup(emulator: Emulator, ref: string): Promise<Trade> {
  const res = await call(emulator.url, 'GET', `/secure/trades/${encodeURIComponent(ref)}`);
  expect(res.status, res.text).toBe(200);
  return (res.json as { data: Trade }).data;
}

function errorKey(res: { json: unknown }): string | undefined {
  return (res.json as { error?: { key: string } }).error?.key;
}

describe('emulator persistence (persistPath)', () => {
  it('keeps trades, used externalIds, sold items and hand-set offers across a restart', async () => {
    const path = join(tempDir(), 'sandbox-state.json');
    const notices: string[] = [];
    const options: EmulatorOptions = {
      seed: 11,
      itemsPerInventory: 80,
      clock: () => T0, // the same clock value at both starts: trade ids must still not repeat
      lifecycle: { stepMs: 0 },
      splitAbove: 2,
      persistPath: path,
      onNotice: (message) => notices.push(message),
    };
    const first = await start(options);
    expect(existsSync(path)).toBe(false);

    const cs2 = sellable(first, '730', 8);
    const single = await sold(first, 'persist-single', [
      { itemId: cs2[0]!.id, price: cs2[0]!.offer!.price },
    ]);
    const split = await sold(
      first,
      'persist-split',
      cs2.slice(1, 4).map((i) => ({ itemId: i.id, price: i.offer!.price })),
    );
    expect(split.relatedTrades).toHaveLength(1);
    const stack = first
      .inventoryOf(URL_A, '252490')
      .find((i) => i.tradable && i.offer!.accepted && i.amount! >= 3 && i.offer!.maxAmount! >= 2)!;
    const rust = await sold(
      first,
      'persist-rust',
      [{ itemId: stack.id, price: stack.offer!.price, amount: 2 }],
      '252490',
    );
    first.injectNext('sell', 'no-bots');
    const noBots = await sell(first, 'persist-nobots', [
      { itemId: cs2[4]!.id, price: cs2[4]!.offer!.price },
    ]);
    expect(errorKey(noBots)).toBe('NO_BOTS_AVAILABLE');
    first.setTradeStatus(single.id, 'active');
    first.setPrice(cs2[5]!.id, 4321.5);
    first.setAccepted(cs2[6]!.id, false);
    first.setPrice(cs2[0]!.id, 0.02); // a sold item: its trade keeps the sale price
    first.advanceLifecycle(90_000);

    const refs = [single.id, split.id, split.relatedTrades![0]!.id, rust.id, 'persist-nobots'];
    const before = await Promise.all(refs.map((ref) => lookup(first, ref)));
    const stateBefore = first.state();
    const inventoryBefore = {
      cs2: first.inventoryOf(URL_A, '730'),
      rust: first.inventoryOf(URL_A, '252490'),
    };
    const listBefore = await call(first.url, 'GET', '/secure/trades', { query: { limit: 100 } });
    await stop(first);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      seed: 11,
      itemsPerInventory: 80,
    });

    const second = await start(options);
    expect(notices.some((n) => n.startsWith('restored 5 trades and 4 used externalIds'))).toBe(
      true,
    );
    // Found by id and by externalId, unchanged.
    expect(await Promise.all(refs.map((ref) => lookup(second, ref)))).toEqual(before);
    expect(await lookup(second, 'persist-single')).toEqual(before[0]);
    expect(await lookup(second, 'persist-split')).toEqual(before[1]);
    expect(await lookup(second, 'persist-rust')).toEqual(before[3]);
    expect(before[0]).toMatchObject({
      status: 'active',
      items: [{ offer: { price: cs2[0]!.offer!.price } }],
    });
    expect(before[4]).toMatchObject({ status: 'failed', error: 'SERVICE_UNAVAILABLE' });
    const many = await call(second.url, 'GET', `/secure/trades/${refs.join(',')}`);
    expect((many.json as { data: Trade[] }).data).toEqual(before);
    const listAfter = await call(second.url, 'GET', '/secure/trades', { query: { limit: 100 } });
    expect((listAfter.json as { data: unknown }).data).toEqual(
      (listBefore.json as { data: unknown }).data,
    );

    // Used externalIds stay used (successful and NO_BOTS alike).
    for (const externalId of [
      'persist-single',
      'persist-split',
      'persist-rust',
      'persist-nobots',
    ]) {
      const again = await sell(second, externalId, [
        { itemId: cs2[7]!.id, price: cs2[7]!.offer!.price },
      ]);
      expect(again.status).toBe(409);
      expect(errorKey(again)).toBe('EXTERNAL_ID_EXISTS');
    }
    // Sold items are still gone, the partly sold stack still shows what is left.
    const resold = await sell(second, 'persist-resell', [
      { itemId: cs2[1]!.id, price: cs2[1]!.offer!.price },
    ]);
    expect(errorKey(resold)).toBe('ITEMS_UNAVAILABLE');
    const cs2After = second.inventoryOf(URL_A, '730');
    expect(cs2After).toEqual(inventoryBefore.cs2);
    expect(second.inventoryOf(URL_A, '252490')).toEqual(inventoryBefore.rust);
    for (const item of cs2.slice(0, 4)) expect(cs2After.some((i) => i.id === item.id)).toBe(false);
    expect(cs2After.some((i) => i.id === cs2[4]!.id)).toBe(true); // the NO_BOTS item stayed
    expect(second.inventoryOf(URL_A, '252490').find((i) => i.id === stack.id)!.amount).toBe(
      stack.amount! - 2,
    );
    expect(cs2After.find((i) => i.id === cs2[5]!.id)!.offer!.price).toBe(4321.5);
    expect(cs2After.find((i) => i.id === cs2[6]!.id)!.offer!.accepted).toBe(false);

    const stateAfter = second.state();
    for (const key of [
      'now',
      'trades',
      'consumedExternalIds',
      'soldItemIds',
      'statusCounts',
    ] as const)
      expect(stateAfter[key]).toEqual(stateBefore[key]);
    expect(stateAfter.duplicateSoldItemIds).toEqual([]);

    // New sells continue with fresh ids, even under the same clock value.
    const next = await sold(second, 'persist-next', [
      { itemId: cs2[7]!.id, price: cs2[7]!.offer!.price },
    ]);
    expect(stateBefore.trades.map((t) => t.id)).not.toContain(next.id);
    await stop(second);

    // And a third start sees all six.
    const third = await start(options);
    expect(third.state().trades.map((t) => t.id)).toEqual([
      ...stateBefore.trades.map((t) => t.id),
      next.id,
    ]);
  });

  it('continues the lifecycle schedule (absolute times) and never moves a status back', async () => {
    const path = join(tempDir(), 'state.json');
    let now = T0;
    const options: EmulatorOptions = {
      seed: 3,
      itemsPerInventory: 30,
      clock: () => now,
      lifecycle: { stepMs: 1000, holdMs: 5000 },
      persistPath: path,
      onNotice: () => undefined,
    };
    const seen: TradeStatus[] = [];
    const check = (trade: Trade) => {
      const last = seen[seen.length - 1];
      if (last) expect(ORDER.indexOf(trade.status)).toBeGreaterThanOrEqual(ORDER.indexOf(last));
      seen.push(trade.status);
    };

    let emulator = await start(options);
    const [item] = sellable(emulator, '730', 1);
    const created = await sold(emulator, 'life-1', [
      { itemId: item!.id, price: item!.offer!.price },
    ]);
    check(created);
    now = T0 + 1500;
    const active = await lookup(emulator, 'life-1');
    check(active);
    expect(active).toMatchObject({ status: 'active', updatedAt: '2026-05-14T12:00:01.000Z' });
    await stop(emulator);

    // Down for a while: the hold step happened at its own time while the sandbox was off.
    now = T0 + 3500;
    emulator = await start(options);
    const hold = await lookup(emulator, created.id);
    check(hold);
    expect(hold).toMatchObject({
      status: 'hold',
      updatedAt: '2026-05-14T12:00:02.000Z',
      holdEndDate: '2026-05-14T12:00:07.000Z',
      offerID: active.offerID,
      activeAt: active.activeAt,
    });
    await stop(emulator);

    // Restarted "in the past" (a clock behind the saved times): nothing goes back.
    now = T0 + 500;
    emulator = await start(options);
    check(await lookup(emulator, 'life-1'));
    expect((await lookup(emulator, 'life-1')).status).toBe('hold');
    await stop(emulator);

    now = T0 + 60_000;
    emulator = await start(options);
    const completed = await lookup(emulator, 'life-1');
    check(completed);
    expect(completed).toMatchObject({ status: 'completed', updatedAt: '2026-05-14T12:00:07.000Z' });
    expect(seen).toEqual(['initiated', 'active', 'hold', 'hold', 'completed']);
    expect(emulator.inventoryOf(URL_A, '730').some((i) => i.id === item!.id)).toBe(false);
  });

  it('starts fresh on a corrupt file, renames it aside and does not crash', async () => {
    const path = join(tempDir(), 'state.json');
    const cases = [
      '{"format":"assetpay-emulator-state","version":1,"seed":1,"items', // torn
      '',
      'null',
      JSON.stringify({
        format: 'assetpay-emulator-state',
        version: 1,
        seed: 1,
        itemsPerInventory: 600,
      }),
      JSON.stringify({ hello: 'world' }),
    ];
    for (const [index, content] of cases.entries()) {
      writeFileSync(path, content);
      const notices: string[] = [];
      const emulator = await start({ persistPath: path, onNotice: (n) => notices.push(n) });
      expect(emulator.state().trades, `case ${index}`).toEqual([]);
      expect(existsSync(path), `case ${index}`).toBe(false);
      const aside = readdirSync(dir).filter((name) => name.startsWith('state.json.corrupt-'));
      expect(aside, `case ${index}`).toHaveLength(index + 1);
      expect(readFileSync(join(dir, aside.sort().at(-1)!), 'utf8')).toBe(content);
      expect(notices.join('\n'), `case ${index}`).toMatch(/not usable.*starting fresh/);

      // The fresh sandbox works and writes a good file.
      const [item] = sellable(emulator, '730', 1);
      await sold(emulator, `fresh-${index}`, [{ itemId: item!.id, price: item!.offer!.price }]);
      await stop(emulator);
      expect(JSON.parse(readFileSync(path, 'utf8')).trades).toHaveLength(1);
      rmSync(path);
    }
  });

  it('rejects a file whose trades do not fit the inventories (e.g. an item sold twice)', async () => {
    const path = join(tempDir(), 'state.json');
    const options: EmulatorOptions = { seed: 4, persistPath: path, onNotice: () => undefined };
    const emulator = await start(options);
    const [item] = sellable(emulator, '730', 1);
    await sold(emulator, 'twice-1', [{ itemId: item!.id, price: item!.offer!.price }]);
    await stop(emulator);
    const state = JSON.parse(readFileSync(path, 'utf8'));
    const copy = structuredClone(state.trades[0]);
    copy.wire.id = 'another-id';
    copy.wire.externalId = 'twice-2';
    state.trades.push(copy);
    writeFileSync(path, JSON.stringify(state));

    const notices: string[] = [];
    const again = await start({ ...options, onNotice: (n) => notices.push(n) });
    expect(again.state().trades).toEqual([]);
    expect(notices.join('\n')).toMatch(/sold beyond its stack/);
    expect(readdirSync(dir).some((name) => name.startsWith('state.json.corrupt-'))).toBe(true);
  });

  it('ignores (and keeps, renamed) a file of another seed or inventory size', async () => {
    const path = join(tempDir(), 'state.json');
    const emulator = await start({
      seed: 5,
      itemsPerInventory: 50,
      persistPath: path,
      onNotice: () => undefined,
    });
    const [item] = sellable(emulator, '730', 1);
    await sold(emulator, 'seed-5', [{ itemId: item!.id, price: item!.offer!.price }]);
    await stop(emulator);
    const saved = readFileSync(path, 'utf8');

    for (const other of [
      { seed: 6, itemsPerInventory: 50 },
      { seed: 5, itemsPerInventory: 51 },
    ]) {
      writeFileSync(path, saved);
      const notices: string[] = [];
      const fresh = await start({ ...other, persistPath: path, onNotice: (n) => notices.push(n) });
      expect(fresh.state().trades).toEqual([]);
      const res = await call(fresh.url, 'GET', '/secure/trades/seed-5');
      expect(res.status).toBe(404);
      const [own] = sellable(fresh, '730', 1);
      await sold(fresh, 'seed-5', [{ itemId: own!.id, price: own!.offer!.price }]); // the externalId is free
      expect(notices.join('\n')).toMatch(
        new RegExp(
          `seed 5 / 50 items, not seed ${other.seed} / ${other.itemsPerInventory}; starting fresh`,
        ),
      );
      await stop(fresh);
    }
    const kept = readdirSync(dir).filter((name) => name.startsWith('state.json.mismatch-'));
    expect(kept).toHaveLength(2);
    for (const name of kept) expect(readFileSync(join(dir, name), 'utf8')).toBe(saved);

    // The original seed still restores from a kept copy.
    writeFileSync(path, saved);
    const back = await start({
      seed: 5,
      itemsPerInventory: 50,
      persistPath: path,
      onNotice: () => undefined,
    });
    expect((await lookup(back, 'seed-5')).externalId).toBe('seed-5');
  });

  it('saves without stop() within a few hundred ms, and the file is always whole JSON', async () => {
    const path = join(tempDir(), 'state.json');
    const emulator = await start({
      seed: 8,
      itemsPerInventory: 400,
      persistPath: path,
      onNotice: () => undefined,
      lifecycle: { stepMs: 20 },
    });
    const items = sellable(emulator, '730', 200);
    let reads = 0;
    let selling = true;
    const reader = (async () => {
      while (selling) {
        if (existsSync(path)) {
          const text = readFileSync(path, 'utf8');
          expect(() => JSON.parse(text)).not.toThrow();
          reads++;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 200; i += 2) {
      await sold(
        emulator,
        `whole-${i}`,
        items.slice(i, i + 2).map((item) => ({ itemId: item.id, price: item.offer!.price })),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    selling = false;
    await reader;
    expect(reads).toBeGreaterThan(10);
    // Saved by the debounce alone (no stop yet).
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as { trades: unknown[] };
    expect(onDisk.trades).toHaveLength(100);
  });

  it('survives SIGKILL of the CLI (--state-file): the file is valid and restores', async () => {
    const path = join(tempDir(), 'cli-state.json');
    const child = spawn(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        'emulator/cli.ts',
        '--port',
        '0',
        '--seed',
        '9',
        '--items',
        '300',
        '--lifecycle-ms',
        '30',
        '--state-file',
        path,
      ],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, detached: true },
    );
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    };
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /^listening on (\S+)\n/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error('CLI exited early')));
      });
      const inventory = (
        (
          await call(url, 'GET', '/secure/inventory', {
            query: { tradeUrl: URL_A, limit: -1, acceptedOnly: true },
          })
        ).json as {
          data: { inventory: Array<{ id: string; tradable: boolean; offer: { price: number } }> };
        }
      ).data.inventory.filter((i) => i.tradable);
      const sellAt = (n: number) =>
        call(url, 'POST', '/secure/sell', {
          body: {
            tradeUrl: URL_A,
            externalId: `cli-${n}`,
            items: [{ itemId: inventory[n]!.id, price: inventory[n]!.offer.price }],
          },
        });
      for (let n = 0; n < 20; n++) expect((await sellAt(n)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 600)); // the first 20 are on disk now
      // Keep the emulator busy writing (sells + lifecycle steps) and kill it mid-flight.
      const inFlight = Array.from({ length: 40 }, (_, k) => sellAt(20 + k).catch(() => undefined));
      await new Promise((resolve) => setTimeout(resolve, 150));
      killGroup();
      await Promise.all(inFlight);
    } finally {
      killGroup();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));

    const state = JSON.parse(readFileSync(path, 'utf8')) as {
      trades: Array<{ wire: { externalId: string } }>;
    };
    expect(state.trades.length).toBeGreaterThanOrEqual(20);
    const notices: string[] = [];
    const restored = await start({
      seed: 9,
      itemsPerInventory: 300,
      persistPath: path,
      onNotice: (n) => notices.push(n),
    });
    expect(notices.join('\n')).toMatch(/^restored \d+ trades/);
    expect(restored.state().trades).toHaveLength(state.trades.length);
    for (let n = 0; n < 20; n++)
      expect((await lookup(restored, `cli-${n}`)).externalId).toBe(`cli-${n}`);
  }, 30_000);
});
