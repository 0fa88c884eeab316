import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCliArgs } from '../../emulator/cli-args';
import { openWorld, StateSaver } from '../../emulator/persistence';
import { checkSell, commitSell } from '../../emulator/sell/sell-service';
import { validateSellBody } from '../../emulator/sell/validate-body';
import { tradeUrlFor } from '../../emulator/testing';
import { World, type WorldConfig } from '../../emulator/world';

/* StateSaver / openWorld without HTTP: coalescing, the final flush, the per-trade cache. */

const T0 = Date.parse('2026-05-14T12:00:00.000Z');
const URL_A = tradeUrlFor(4242);
let dir: string;
const savers: StateSaver[] = [];
afterEach(async () => {
  for (const saver of savers.splice(0)) await saver.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(): WorldConfig {
  return {
    seed: 21,
    apiKey: 'k',
    itemsPerInventory: 40,
    iconBaseUrl: '',
    lifecycle: {
      stepMs: 0,
      holdMs: 0,
      declineShare: 0,
      failShare: 0,
      cancelShare: 0,
      revertShare: 0,
    },
    splitShare: 0,
    splitAbove: undefined,
    priceDrift: undefined,
    clock: () => T0,
    onSellCommitted: undefined,
  };
}

function setup(intervalMs = 30) {
  dir = mkdtempSync(join(tmpdir(), 'emu-persist-unit-'));
  const path = join(dir, 'state.json');
  const notices: string[] = [];
  const world = new World(config());
  const saver = new StateSaver(world, path, (n) => notices.push(n), intervalMs);
  savers.push(saver);
  return { path, world, saver, notices };
}

function sellOne(world: World, externalId: string, skip = 0) {
  const item = world
    .inventory('4242', '730')
    .items.filter((s) => s.item.tradable && s.item.offer.accepted)[skip]!.item;
  const body = validateSellBody({
    tradeUrl: URL_A,
    externalId,
    items: [{ itemId: item.id, price: item.offer.price }],
  });
  if (!body.ok) throw new Error('bad body');
  const check = checkSell(world, body.body, world.now());
  if (!check.ok) throw new Error(JSON.stringify(check.reply));
  return commitSell(world, check.sell, world.now());
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('emulator persistence: StateSaver', () => {
  it('coalesces a burst of changes into one write', async () => {
    const { path, world, saver } = setup();
    const serialize = vi.spyOn(saver, 'serialize');
    for (let i = 0; i < 10; i++) sellOne(world, `burst-${i}`, i);
    for (let i = 0; i < 500; i++)
      world.inventories.setPrice(world.book.all[0]!.lines[0]!.itemId, 1 + i / 100, T0);
    expect(existsSync(path)).toBe(false);
    await wait(150);
    expect(serialize).toHaveBeenCalledTimes(1);
    expect(JSON.parse(readFileSync(path, 'utf8')).trades).toHaveLength(10);
    expect(readdirSync(dir)).toEqual(['state.json']); // no .tmp left behind
  });

  it('close() writes pending changes at once and nothing afterwards', async () => {
    const { path, world, saver } = setup(60_000);
    sellOne(world, 'late');
    await saver.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).trades).toHaveLength(1);
    const before = readFileSync(path, 'utf8');
    sellOne(world, 'after-close', 1);
    world.advance(1000);
    await wait(50);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('reflects status changes in a save although trades are cached between saves', async () => {
    const { path, world, saver } = setup();
    const trade = sellOne(world, 'cached');
    sellOne(world, 'other', 1);
    const first = saver.serialize();
    world.lifecycle.set(world.book.get(trade.id)!, 'active', T0 + 5);
    const second = saver.serialize();
    expect(second).not.toBe(first);
    const saved = JSON.parse(second) as {
      trades: Array<{ wire: { status: string; offerID?: string } }>;
    };
    expect(saved.trades.map((t) => t.wire.status)).toEqual(['active', 'initiated']);
    expect(saved.trades[0]!.wire.offerID).toMatch(/^\d{10}$/);
    await saver.close();

    const notices: string[] = [];
    const restored = openWorld(path, config(), (n) => notices.push(n));
    expect(restored.book.get(trade.id)!.wire).toEqual(world.book.get(trade.id)!.wire);
    expect(restored.skew).toBe(0);
  });

  it('reports a failing save once, keeps running, and saves again when possible', async () => {
    const { world, notices } = setup();
    const broken = new StateSaver(
      world,
      join(dir, 'missing-dir', 'state.json'),
      (n) => notices.push(n),
      10,
    );
    savers.push(broken);
    sellOne(world, 'fails');
    await wait(120);
    world.advance(5);
    await wait(120);
    expect(notices.filter((n) => n.startsWith('could not save state'))).toHaveLength(1);
    const serialize = vi.spyOn(broken, 'serialize');
    await wait(100);
    expect(serialize.mock.calls.length).toBeLessThanOrEqual(2); // backing off, not spinning
    mkdirSync(join(dir, 'missing-dir'));
    world.advance(5);
    await vi.waitFor(() => expect(notices.at(-1)).toMatch(/works again/), { timeout: 5000 });
    expect(JSON.parse(readFileSync(join(dir, 'missing-dir', 'state.json'), 'utf8')).skewMs).toBe(
      10,
    );
  });
});

describe('emulator persistence: openWorld', () => {
  it('a missing file is a fresh start without notices or files', () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-persist-unit-'));
    const notices: string[] = [];
    const world = openWorld(join(dir, 'none.json'), config(), (n) => notices.push(n));
    expect(world.book.all).toEqual([]);
    expect(notices).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--state-file maps to persistPath', () => {
    dir = mkdtempSync(join(tmpdir(), 'emu-persist-unit-'));
    expect(parseCliArgs(['--state-file', '/tmp/x.json'])).toEqual({
      port: 4010,
      persistPath: '/tmp/x.json',
    });
    expect(() => parseCliArgs(['--state-file', ''])).toThrow(/must not be empty/);
  });
});
