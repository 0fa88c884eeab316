import { describe, expect, it } from 'vitest';
import {
  BotFleet,
  serviceTime,
  type FleetConfig,
  type FleetTimers,
  type Served,
} from '../../emulator/capacity/bot-fleet';
import { capacityConfig } from '../../emulator/capacity/capacity-config';
import { parseCliArgs } from '../../emulator/cli-args';

/* The capacity model (README "Capacity model") on a clock moved by hand. */

class HandClock implements FleetTimers {
  private time = 0;
  private seq = 0;
  private due: Array<{ at: number; seq: number; run: () => void }> = [];

  now(): number {
    return this.time;
  }

  after(ms: number, run: () => void): void {
    this.due.push({ at: this.time + ms, seq: this.seq++, run });
  }

  /** Runs every timer due within the next `ms`, each at its own time, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = this.due
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.due = this.due.filter((t) => t !== next);
      this.time = next.at;
      next.run();
    }
    this.time = end;
  }
}

const EXACT: FleetConfig = {
  bots: 2,
  serviceMs: 100,
  queue: 10,
  jitter: 0,
  perItemMs: 0,
  degradeAfter: 3,
  degradeWindowMs: 1000,
  seed: 1,
};

function setup(config: Partial<FleetConfig> = {}) {
  const clock = new HandClock();
  const fleet = new BotFleet({ ...EXACT, ...config }, clock);
  const finished: Array<{ sell: number; at: number } & Served> = [];
  const send = (sell: number, items = 1) =>
    fleet.enter(items, (served) => finished.push({ sell, at: clock.now(), ...served }));
  return { clock, fleet, finished, send };
}

describe('bot fleet: bots and queue', () => {
  it('serves B sells at once and the rest in FIFO turns: sell i ends at (⌊i/B⌋ + 1) × S', () => {
    const { clock, fleet, finished, send } = setup({ bots: 3 });
    const admissions = Array.from({ length: 8 }, (_, i) => send(i));
    expect(admissions).toEqual([
      'started',
      'started',
      'started',
      'queued',
      'queued',
      'queued',
      'queued',
      'queued',
    ]);
    expect(fleet.stats()).toMatchObject({ bots: 3, busy: 3, queued: 5, maxQueued: 5 });
    clock.advance(1000);
    expect(finished.map((f) => f.sell)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(finished.map((f) => f.at)).toEqual([100, 100, 100, 200, 200, 200, 300, 300]);
    expect(finished.map((f) => f.waitedMs)).toEqual([0, 0, 0, 100, 100, 100, 200, 200]);
    expect(fleet.stats()).toMatchObject({ busy: 0, queued: 0, served: 8, serviceMsTotal: 800 });
  });

  it('refuses one sell more than the queue holds, and takes sells again once it drains', () => {
    const { clock, fleet, send } = setup({ bots: 2, queue: 3 });
    expect([0, 1, 2, 3, 4, 5].map((i) => send(i))).toEqual([
      'started',
      'started',
      'queued',
      'queued',
      'queued',
      'refused',
    ]);
    expect(fleet.stats()).toMatchObject({ busy: 2, queued: 3, refusedNoBots: 1 });
    clock.advance(100); // two served, two taken from the queue
    expect(fleet.stats()).toMatchObject({ busy: 2, queued: 1, served: 2 });
    expect(send(6)).toBe('queued');
  });

  it('with a queue of 0 refuses whatever finds no free bot', () => {
    const { send } = setup({ bots: 1, queue: 0 });
    expect([send(0), send(1)]).toEqual(['started', 'refused']);
  });

  it('request() resolves when the bot is done and is undefined when refused', async () => {
    const clock = new HandClock();
    const fleet = new BotFleet({ ...EXACT, bots: 1, queue: 0 }, clock);
    const first = fleet.request(1);
    expect(fleet.request(1)).toBeUndefined();
    let done: Served | undefined;
    void first!.then((served) => (done = served));
    clock.advance(99);
    await Promise.resolve();
    expect(done).toBeUndefined();
    clock.advance(1);
    await Promise.resolve();
    expect(done).toEqual({ waitedMs: 0, serviceMs: 100 });
  });
});

describe('bot fleet: sustained overload', () => {
  it('is degraded while degradeAfter refusals fall within the window, then recovers', () => {
    const { clock, fleet, send } = setup({ bots: 1, queue: 0, serviceMs: 10_000 });
    send(0); // occupies the only bot for the whole test
    send(1);
    send(2); // two refusals at t = 0
    expect(fleet.isDegraded()).toBe(false);
    clock.advance(600);
    send(3); // third refusal at t = 600
    expect(fleet.isDegraded()).toBe(true);
    expect(fleet.refuseIfDegraded()).toBe(true);
    expect(fleet.refuseIfDegraded()).toBe(true);
    expect(fleet.stats()).toMatchObject({ refusedNoBots: 3, refusedDegraded: 2, degraded: true });
    clock.advance(400); // t = 1000: the t = 0 refusals leave the 1000 ms window
    expect(fleet.isDegraded()).toBe(false);
    expect(fleet.refuseIfDegraded()).toBe(false);
    expect(fleet.stats()).toMatchObject({ refusedDegraded: 2, degraded: false });
  });

  it('does not count FLEET_DEGRADED answers as refusals, so a hammering client cannot keep it degraded', () => {
    const { clock, fleet, send } = setup({ bots: 0, queue: 0, degradeAfter: 2 });
    send(0);
    send(1);
    for (let i = 0; i < 50; i++) {
      expect(fleet.refuseIfDegraded()).toBe(true);
      clock.advance(10); // 500 ms of answers inside the window
    }
    clock.advance(500);
    expect(fleet.refuseIfDegraded()).toBe(false);
  });
});

describe('bot fleet: resizing', () => {
  it('new bots take waiting sells at once', () => {
    const { clock, fleet, finished, send } = setup({ bots: 1 });
    for (let i = 0; i < 5; i++) send(i);
    fleet.setBots(4);
    expect(fleet.stats()).toMatchObject({ bots: 4, busy: 4, queued: 1 });
    clock.advance(100);
    expect(finished.map((f) => f.sell)).toEqual([0, 1, 2, 3]);
  });

  it('removed bots finish their sell, then no new sell starts until busy < bots', () => {
    const { clock, fleet, finished, send } = setup({ bots: 4 });
    for (let i = 0; i < 8; i++) send(i);
    fleet.setBots(1);
    expect(fleet.stats()).toMatchObject({ bots: 1, busy: 4, queued: 4 });
    clock.advance(100); // the four running sells end; one bot left takes one
    expect(finished.map((f) => f.sell)).toEqual([0, 1, 2, 3]);
    expect(fleet.stats()).toMatchObject({ busy: 1, queued: 3 });
    clock.advance(300);
    expect(finished.map((f) => [f.sell, f.at])).toEqual([
      [0, 100],
      [1, 100],
      [2, 100],
      [3, 100],
      [4, 200],
      [5, 300],
      [6, 400],
    ]);
  });

  it('with no bots every sell waits until bots come back', () => {
    const { clock, fleet, finished, send } = setup({ bots: 0, queue: 5 });
    expect(send(0)).toBe('queued');
    clock.advance(1000);
    expect(finished).toEqual([]);
    fleet.setBots(1);
    clock.advance(100);
    expect(finished).toEqual([{ sell: 0, at: 1100, waitedMs: 1000, serviceMs: 100 }]);
  });

  it('refuses a fleet size that is not a whole number of bots', () => {
    const { fleet } = setup();
    expect(() => fleet.setBots(-1)).toThrow(RangeError);
    expect(() => fleet.setBots(1.5)).toThrow(RangeError);
  });
});

describe('service time', () => {
  const config: FleetConfig = { ...EXACT, serviceMs: 1000, jitter: 0.1, perItemMs: 0.1 };

  it('varies within ± jitter, seeded: the same seed draws the same times, another seed others', () => {
    const times = (seed: number) =>
      Array.from({ length: 200 }, (_, i) => serviceTime({ ...config, seed }, i, 1));
    const a = times(7);
    expect(a).toEqual(times(7));
    expect(a).not.toEqual(times(8));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...a)).toBeLessThanOrEqual(1100);
    expect(new Set(a).size).toBeGreaterThan(50); // really spread, not one value
  });

  it('takes a little longer for larger baskets: + perItemMs per item after the first', () => {
    const exact = { ...config, jitter: 0 };
    expect(serviceTime(exact, 0, 1)).toBe(1000);
    expect(serviceTime(exact, 0, 250)).toBe(1025);
  });

  it('a fleet draws its times in service order, so the total is the same for the same seed', () => {
    const total = (seed: number) => {
      const { clock, fleet, send } = setup({ ...config, seed, bots: 3 });
      for (let i = 0; i < 12; i++) send(i, 1 + i * 20);
      clock.advance(10_000);
      return fleet.stats().serviceMsTotal;
    };
    expect(total(3)).toBe(total(3));
    expect(total(3)).not.toBe(total(4));
  });
});

describe('capacity option', () => {
  it('fills in the documented defaults', () => {
    expect(capacityConfig({ bots: 8, serviceMs: 1000, queue: 16 }, 5)).toEqual({
      bots: 8,
      serviceMs: 1000,
      queue: 16,
      jitter: 0.1,
      perItemMs: 0.1,
      degradeAfter: 5,
      degradeWindowMs: 5000,
      seed: 5,
    });
    expect(capacityConfig({ bots: 1, serviceMs: 50, queue: 0 }, 1).degradeWindowMs).toBe(1000);
  });

  it.each([
    { bots: -1, serviceMs: 10, queue: 0 },
    { bots: 1.5, serviceMs: 10, queue: 0 },
    { bots: 1, serviceMs: -10, queue: 0 },
    { bots: 1, serviceMs: 10, queue: -1 },
    { bots: 1, serviceMs: 10, queue: 0, jitter: 2 },
    { bots: 1, serviceMs: 10, queue: 0, perItemMs: -1 },
    { bots: 1, serviceMs: 10, queue: 0, degradeAfter: 0 },
  ])('refuses %o', (options) => {
    expect(() => capacityConfig(options, 1)).toThrow(RangeError);
  });

  it('maps --bots, --service-ms, --queue and --service-jitter, with CLI defaults', () => {
    expect(
      parseCliArgs(['--bots', '8', '--service-ms', '500', '--queue', '3', '--service-jitter', '0']),
    ).toEqual({ port: 4010, capacity: { bots: 8, serviceMs: 500, queue: 3, jitter: 0 } });
    expect(parseCliArgs(['--bots', '16'])).toEqual({
      port: 4010,
      capacity: { bots: 16, serviceMs: 1000, queue: 32 },
    });
    expect(() => parseCliArgs(['--queue', '3'])).toThrow(/need --bots/);
    expect(() => parseCliArgs(['--bots', 'x'])).toThrow(/--bots/);
  });
});
