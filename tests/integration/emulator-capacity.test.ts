import { afterEach, describe, expect, it } from 'vitest';
import {
  startEmulator,
  type CapacityOptions,
  type Emulator,
  type EmulatorOptions,
  type Trade,
} from '../../emulator';
import { call, tradeUrlFor, type HttpResult } from '../../emulator/testing';

/*
 * The capacity model over HTTP (README "Capacity model"): B bots of S ms, a
 * FIFO queue of Q, NO_BOTS_AVAILABLE beyond it, FLEET_DEGRADED on sustained
 * overload. Time-based checks use lower bounds the model guarantees and
 * generous upper bounds; speed targets live in the benchmarks.
 */

const URL_A = tradeUrlFor(424242);
const EXACT = { jitter: 0, perItemMs: 0 } as const;
const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.stop()));
});

async function start(capacity: CapacityOptions, options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({
    seed: 13,
    lifecycle: { stepMs: 0 },
    capacity,
    ...options,
  });
  started.push(emulator);
  return emulator;
}

/** One sell body per item, `count` of them, each with its own externalId. */
function sellBodies(emulator: Emulator, count: number, prefix: string, itemsEach = 1) {
  const items = emulator
    .inventoryOf(URL_A, '730')
    .filter((i) => i.tradable && i.offer.accepted)
    .map((i) => ({ itemId: i.id, price: i.offer.price }));
  return Array.from({ length: count }, (_, n) => ({
    tradeUrl: URL_A,
    game: '730',
    externalId: `${prefix}-${n}`,
    isInstant: true,
    items: items.slice(n * itemsEach, (n + 1) * itemsEach),
  }));
}

const sell = (emulator: Emulator, body: unknown) =>
  call(emulator.url, 'POST', '/secure/sell', { body, timeoutMs: 30_000 });
const errorOf = (res: HttpResult) => (res.json as { error?: { key: string; code: number } }).error;
const capacityOf = (emulator: Emulator) => emulator.state().capacity!;

/** Sends every body at once; each result carries when it came back, ms after the burst left. */
async function burst(emulator: Emulator, bodies: unknown[]) {
  const t0 = performance.now();
  return Promise.all(
    bodies.map(async (body) => {
      const res = await sell(emulator, body);
      return { res, at: performance.now() - t0 };
    }),
  );
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('emulator capacity model', () => {
  it('B bots of S ms serve N concurrent sells in FIFO turns: about ⌈N/B⌉ × S in all', async () => {
    const B = 4;
    const S = 300;
    const N = 12;
    const emulator = await start({ bots: B, serviceMs: S, queue: 20, ...EXACT });
    const results = await burst(emulator, sellBodies(emulator, N, 'turns'));
    expect(results.map((r) => r.res.status)).toEqual(Array(N).fill(200));

    // Turn k (k = 0, 1, 2) cannot end before (k + 1) × S: the k-th group of B answers.
    const ends = results.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 0; i < N; i++)
      expect(ends[i]).toBeGreaterThanOrEqual((Math.floor(i / B) + 1) * S - 5);
    const bound = Math.ceil(N / B) * S;
    expect(ends[N - 1]).toBeLessThan(bound + 1_500);
    expect(capacityOf(emulator)).toMatchObject({
      bots: B,
      busy: 0,
      queued: 0,
      maxQueued: N - B,
      served: N,
      refusedNoBots: 0,
      serviceMsTotal: N * S,
    });
  });

  it('the latency option still adds the round trip around the bot’s work', async () => {
    const emulator = await start(
      { bots: 1, serviceMs: 200, queue: 0, ...EXACT },
      { latencyMs: 200 },
    );
    const [only] = await burst(emulator, sellBodies(emulator, 1, 'rtt'));
    expect(only!.res.status).toBe(200);
    expect(only!.at).toBeGreaterThanOrEqual(200 + 200 - 5);
    expect(only!.at).toBeLessThan(200 + 200 + 1_500);
  });

  it('beyond Q waiting: NO_BOTS_AVAILABLE, and the externalId is consumed by a failed trade (api §8)', async () => {
    const emulator = await start({ bots: 2, serviceMs: 400, queue: 2, ...EXACT });
    const bodies = sellBodies(emulator, 6, 'full');
    const results = await burst(emulator, bodies);
    const refused = results.filter((r) => r.res.status === 503);
    expect(results.filter((r) => r.res.status === 200)).toHaveLength(4);
    expect(refused).toHaveLength(2);
    for (const { res } of refused)
      expect(errorOf(res)).toMatchObject({ key: 'NO_BOTS_AVAILABLE', code: 1010 });
    // Refusals answer at once, before any bot has finished.
    const servedEnds = results.filter((r) => r.res.status === 200).map((r) => r.at);
    expect(Math.max(...refused.map((r) => r.at))).toBeLessThan(Math.min(...servedEnds));

    const refusedIds = bodies
      .filter((_, i) => results[i]!.res.status === 503)
      .map((b) => b.externalId);
    for (const externalId of refusedIds) {
      const found = await call(emulator.url, 'GET', `/secure/trades/${externalId}`);
      expect(found.status).toBe(200);
      expect((found.json as { data: Trade }).data).toMatchObject({
        externalId,
        status: 'failed',
        error: 'SERVICE_UNAVAILABLE',
      });
      const again = await sell(
        emulator,
        bodies.find((b) => b.externalId === externalId),
      );
      expect(errorOf(again)?.key).toBe('EXTERNAL_ID_EXISTS');
    }
    // The refused sells' items stay in the account; the served ones' are gone.
    const left = new Set(emulator.inventoryOf(URL_A, '730').map((i) => i.id));
    bodies.forEach((body, i) =>
      expect(left.has(body.items[0]!.itemId)).toBe(results[i]!.res.status === 503),
    );
    const state = emulator.state();
    expect(state.capacity).toMatchObject({ refusedNoBots: 2, maxQueued: 2, served: 4 });
    expect(state.consumedExternalIds.sort()).toEqual(bodies.map((b) => b.externalId).sort());
    expect(state.duplicateSoldItemIds).toEqual([]);
  });

  it('sustained overload: FLEET_DEGRADED before any work until the refusals leave the window', async () => {
    const emulator = await start({
      bots: 0, // no bot online: every sell beyond the (empty) queue is refused
      serviceMs: 100,
      queue: 0,
      degradeAfter: 3,
      degradeWindowMs: 600,
      ...EXACT,
    });
    const bodies = sellBodies(emulator, 6, 'over');
    for (const body of bodies.slice(0, 3))
      expect(errorOf(await sell(emulator, body))?.key).toBe('NO_BOTS_AVAILABLE');

    const degraded = await sell(emulator, bodies[3]);
    expect(degraded.status).toBe(503);
    expect(errorOf(degraded)).toMatchObject({ key: 'FLEET_DEGRADED', code: 1011 });
    // No side effect: nothing recorded, the externalId is still free.
    const lookup = await call(emulator.url, 'GET', `/secure/trades/${bodies[3]!.externalId}`);
    expect(errorOf(lookup)?.key).toBe('TRADE_NOT_FOUND');
    // Before any work: even a malformed sell gets FLEET_DEGRADED, not VALIDATION_FAILED.
    expect(errorOf(await sell(emulator, { nonsense: true }))?.key).toBe('FLEET_DEGRADED');
    expect(capacityOf(emulator)).toMatchObject({
      degraded: true,
      refusedNoBots: 3,
      refusedDegraded: 2,
    });
    expect(emulator.state().trades).toHaveLength(3);

    await until(() => !capacityOf(emulator).degraded);
    emulator.setBots(1);
    const served = await sell(emulator, bodies[3]); // the same externalId, now accepted
    expect(served.status).toBe(200);
  });

  it('setBots and POST /__emulator/bots resize the fleet mid-run', async () => {
    const S = 300;
    const emulator = await start({ bots: 1, serviceMs: S, queue: 50, ...EXACT });
    const bodies = sellBodies(emulator, 8, 'resize');
    const running = burst(emulator, bodies);
    await until(() => {
      const c = capacityOf(emulator);
      return c.busy + c.queued === 8;
    });
    expect(capacityOf(emulator)).toMatchObject({ bots: 1, busy: 1, queued: 7 });

    const grown = await call(emulator.url, 'POST', '/__emulator/bots', {
      body: { bots: 8 },
      apiKey: null,
    });
    expect(grown.status).toBe(200);
    // The seven waiting sells start at once on the new bots.
    expect((grown.json as { capacity: unknown }).capacity).toMatchObject({
      bots: 8,
      busy: 8,
      queued: 0,
    });
    const results = await running;
    expect(results.every((r) => r.res.status === 200)).toBe(true);
    // One bot alone would need 8 × S; the grown fleet finishes in about 2 × S.
    expect(Math.max(...results.map((r) => r.at))).toBeLessThan(8 * S);

    emulator.setBots(2);
    expect(capacityOf(emulator).bots).toBe(2);
    const bad = await call(emulator.url, 'POST', '/__emulator/bots', {
      body: { bots: -1 },
      apiKey: null,
    });
    expect(bad.status).toBe(400);
    expect(capacityOf(emulator).bots).toBe(2);
  });

  it('without the capacity option there is no fleet: sells are served at once and setBots refuses', async () => {
    const emulator = await startEmulator({ seed: 13, lifecycle: { stepMs: 0 } });
    started.push(emulator);
    expect(emulator.state().capacity).toBeUndefined();
    expect(() => emulator.setBots(4)).toThrow(/capacity/);
    const res = await call(emulator.url, 'POST', '/__emulator/bots', {
      body: { bots: 4 },
      apiKey: null,
    });
    expect(res.status).toBe(400);
  });

  it('is deterministic: the same seed draws the same service times, another seed others', async () => {
    const run = async (seed: number) => {
      const emulator = await start({ bots: 3, serviceMs: 100, queue: 20, jitter: 0.5 }, { seed });
      const results = await burst(emulator, sellBodies(emulator, 10, 'seeded', 2));
      expect(results.every((r) => r.res.status === 200)).toBe(true);
      const { serviceMsTotal, served, refusedNoBots } = capacityOf(emulator);
      return { serviceMsTotal, served, refusedNoBots };
    };
    const a = await run(31);
    expect(await run(31)).toEqual(a);
    expect((await run(32)).serviceMsTotal).not.toBe(a.serviceMsTotal);
  });
});
