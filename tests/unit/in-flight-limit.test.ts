import { describe, expect, it } from 'vitest';
import {
  allowed,
  IN_FLIGHT_BOUNDS,
  nextLimit,
  signalOf,
  startLimit,
  type InFlightLimit,
  type SellSample,
} from '../../electron/main/services/engine/in-flight-limit';

/*
 * The in-flight limit (issue 13): table tests of single answers, then a small
 * simulated bot fleet (FIFO, B bots, S ms a sell) driven by the controller
 * for the behaviours that take many answers: steady state, a fleet that
 * grows, one that shrinks.
 */

const sample = (over: Partial<SellSample>): SellSample => ({
  now: 100_000,
  latencyMs: 1_000,
  inFlightAtSend: 8,
  inFlightNow: 8,
  signal: 'ok',
  ...over,
});

function after(state: InFlightLimit, samples: Partial<SellSample>[]): InFlightLimit {
  return samples.reduce((s, over) => nextLimit(s, sample(over)), state);
}

describe('one answer at a time', () => {
  it('starts low, within its bounds', () => {
    expect(allowed(startLimit())).toBe(IN_FLIGHT_BOUNDS.start);
    expect(IN_FLIGHT_BOUNDS).toEqual({ min: 1, max: 64, start: 16 });
  });

  const round = (n: number, over: Partial<SellSample> = {}) =>
    Array.from({ length: n }, () => ({ inFlightNow: n, inFlightAtSend: n, ...over }));

  it.each<[string, Partial<SellSample>[], number]>([
    ['a round of fast answers that used the limit: doubled (slow start)', round(16), 32],
    ['two rounds: doubled twice', [...round(16), ...round(32)], 64],
    [
      'fast answers while the limit is not used (paced elsewhere): no growth',
      round(16, { inFlightNow: 2 }),
      16,
    ],
    ['a refusal of the batch says nothing about capacity', [{ signal: 'other', latencyMs: 3 }], 16],
    ['429: cut to three quarters', [{ signal: 'throttled' }], 12],
    [
      'a burst of NO_BOTS / FLEET_DEGRADED: halved each time, never below 1',
      Array.from({ length: 5 }, () => ({ signal: 'overload' as const })),
      1,
    ],
  ])('%s', (_name, samples, expected) => {
    expect(allowed(after(startLimit(), samples))).toBe(expected);
  });

  it('never grows past its maximum', () => {
    const rounds = [16, 32, 64, 64].flatMap((n) => round(n));
    expect(allowed(after(startLimit(), rounds))).toBe(64);
  });

  it('the first slow answer ends the start-up at the last limit that came back all fast', () => {
    let s = after(startLimit(), [...round(16), ...round(32)]);
    expect(allowed(s)).toBe(64);
    s = after(s, [{ now: 101_000, latencyMs: 2_000, inFlightAtSend: 50, inFlightNow: 64 }]);
    expect(s.slowStart).toBe(false);
    expect(allowed(s)).toBe(32);
    // The sells sent before that cut queued because of it: their slow answers change nothing.
    s = after(
      s,
      Array.from({ length: 20 }, () => ({ now: 101_500, latencyMs: 2_000, inFlightAtSend: 60 })),
    );
    expect(allowed(s)).toBe(32);
  });

  it('after the start-up, slow answers move the limit towards the sells being served', () => {
    // 32 allowed; answers twice as slow as usual with 32 in flight: about 16 were served.
    let s = after(startLimit(), [...round(16), ...round(32)]);
    s = after(s, [{ now: 101_000, latencyMs: 2_000, inFlightAtSend: 50 }]);
    s = after(
      s,
      Array.from({ length: 60 }, () => ({
        now: 110_000,
        latencyMs: 2_000,
        inFlightAtSend: 32,
        inFlightNow: 32,
      })),
    );
    expect(allowed(s)).toBeGreaterThanOrEqual(16);
    expect(allowed(s)).toBeLessThanOrEqual(18);
  });

  it('a slow answer in the first round ends the start-up at the sells being served', () => {
    // 16 in flight at the start, the fleet has 8 bots: the queued half answers twice as slow.
    const s = after(startLimit(), [
      { now: 101_000, latencyMs: 1_000, inFlightAtSend: 8, inFlightNow: 16 },
      { now: 102_000, latencyMs: 2_000, inFlightAtSend: 16 },
    ]);
    expect(s.slowStart).toBe(false);
    expect(allowed(s)).toBe(9);
  });

  it('after the start-up, fast answers at the limit grow it by about √limit per round', () => {
    let s = after(startLimit(), round(16));
    s = after(s, [{ now: 101_000, latencyMs: 2_000, inFlightAtSend: 30 }]);
    expect(allowed(s)).toBe(16);
    s = after(s, round(16, { now: 102_000, inFlightNow: 20 }));
    expect(s.limit).toBeGreaterThan(19.5);
    expect(s.limit).toBeLessThanOrEqual(20);
  });

  it('the fastest answer is forgotten after 30 s, so slower bots become the new normal', () => {
    let s = after(startLimit(), [{ now: 0, latencyMs: 500 }]);
    s = after(s, [{ now: 45_000, latencyMs: 900, inFlightNow: 1 }]);
    expect(Math.min(...s.fastest.map((b) => b.ms))).toBe(900);
  });

  it.each<[{ kind: string; key?: string }, string]>([
    [{ kind: 'ok' }, 'ok'],
    [{ kind: 'throttled', key: 'RATE_LIMITED' }, 'throttled'],
    [{ kind: 'definitive', key: 'NO_BOTS_AVAILABLE' }, 'overload'],
    [{ kind: 'definitive', key: 'FLEET_DEGRADED' }, 'overload'],
    [{ kind: 'definitive', key: 'PRICE_CHANGED' }, 'other'],
    [{ kind: 'ambiguous' }, 'other'],
  ])('%o is %s', (outcome, expected) => {
    expect(signalOf(outcome)).toBe(expected);
  });
});

/** A bot fleet: `bots(t)` bots, FIFO, each sell takes `serviceMs` ± 10 %; the controller keeps sells in flight. */
function simulate(
  bots: (t: number) => number,
  untilMs: number,
  serviceMs = 1_000,
): { t: number; limit: number; busy: number; queued: number }[] {
  let state = startLimit();
  let seed = 1;
  const jitter = () => {
    seed = (seed * 48271) % 2147483647;
    return Math.round((seed / 2147483647 - 0.5) * 0.2 * serviceMs);
  };
  const queue: { sentAt: number; inFlightAtSend: number }[] = [];
  const serving: { doneAt: number; sentAt: number; inFlightAtSend: number }[] = [];
  const trace: { t: number; limit: number; busy: number; queued: number }[] = [];
  const serve = (t: number) => {
    while (serving.length < bots(t) && queue.length > 0)
      serving.push({ ...queue.shift()!, doneAt: t + serviceMs + jitter() });
  };
  const send = (t: number) => {
    while (serving.length + queue.length < allowed(state)) {
      queue.push({ sentAt: t, inFlightAtSend: serving.length + queue.length + 1 });
      serve(t);
    }
  };
  for (let t = 0; t <= untilMs; t += 10) {
    for (let k = serving.length - 1; k >= 0; k--) {
      const s = serving[k]!;
      if (s.doneAt > t) continue;
      const inFlightNow = serving.length + queue.length;
      serving.splice(k, 1);
      state = nextLimit(state, {
        now: t,
        latencyMs: t - s.sentAt,
        inFlightAtSend: s.inFlightAtSend,
        inFlightNow,
        signal: 'ok',
      });
      serve(t);
      send(t);
    }
    serve(t);
    send(t);
    if (t % 1_000 === 0)
      trace.push({ t, limit: allowed(state), busy: serving.length, queued: queue.length });
  }
  return trace;
}

const around = (trace: ReturnType<typeof simulate>, from: number, to: number) =>
  trace.filter((p) => p.t >= from && p.t <= to);

describe('against a simulated fleet', () => {
  it('steady state: keeps every bot busy, with a short queue', () => {
    const trace = around(
      simulate(() => 16, 40_000),
      10_000,
      40_000,
    );
    expect(trace.reduce((n, p) => n + p.busy, 0) / trace.length).toBeGreaterThan(16 * 0.95);
    expect(Math.max(...trace.map((p) => p.queued))).toBeLessThanOrEqual(16);
  });

  it('the start-up reaches a 32-bot fleet within 4 round trips and queues at most a fleet’s worth', () => {
    const trace = simulate(() => 32, 15_000);
    expect(around(trace, 4_000, 15_000).every((p) => p.busy >= 30)).toBe(true);
    expect(Math.max(...trace.map((p) => p.queued))).toBeLessThanOrEqual(32);
  });

  it('the fleet grows from 8 to 32 bots: the limit follows within seconds', () => {
    const trace = simulate((t) => (t < 20_000 ? 8 : 32), 45_000);
    expect(Math.max(...around(trace, 10_000, 20_000).map((p) => p.limit))).toBeLessThanOrEqual(16);
    const late = around(trace, 30_000, 45_000);
    expect(late.reduce((n, p) => n + p.busy, 0) / late.length).toBeGreaterThan(32 * 0.95);
  });

  it('the fleet shrinks from 32 to 8 bots: the limit comes down within seconds', () => {
    const trace = simulate((t) => (t < 20_000 ? 32 : 8), 45_000);
    expect(Math.min(...around(trace, 8_000, 20_000).map((p) => p.limit))).toBeGreaterThanOrEqual(
      30,
    );
    expect(Math.max(...around(trace, 30_000, 45_000).map((p) => p.limit))).toBeLessThanOrEqual(16);
  });
});
