import { beforeEach, describe, expect, it } from 'vitest';
import {
  QuietTurns,
  type QuietTurnsOptions,
  type SellFlight,
  type TurnLoop,
} from '../../electron/main/services/engine/quiet-turns';

/*
 * QuietTurns decides when the engine's background work runs (quiet-turns.ts):
 * never while a sell request is still leaving, not just as an answer that
 * would send the next batch is due, and never later than maxDeferMs. Time is
 * driven by hand through the TurnLoop it is given.
 */

/**
 * A hand-driven event loop: `turn()` runs the immediates queued before it (one
 * turn), `advance(ms)` moves time and runs timers that fall due, each followed
 * by the turns it starts.
 */
class FakeLoop implements TurnLoop {
  t = 0;
  private immediates: (() => void)[] = [];
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  now = () => this.t;
  immediate = (fn: () => void) => {
    this.immediates.push(fn);
  };
  timeout = (fn: () => void, ms: number) => {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  };
  async turn(): Promise<void> {
    for (const fn of this.immediates.splice(0)) fn();
    await flushMicrotasks();
  }
  async settle(): Promise<void> {
    while (this.immediates.length > 0) await this.turn();
  }
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    await this.settle();
    for (;;) {
      const next = this.timers
        .filter((x) => x.live && x.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      next.live = false;
      this.t = Math.max(this.t, next.at);
      next.fn();
      await this.settle();
    }
    this.t = until;
    await this.settle();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

let loop: FakeLoop;
let headsMatter = true;

beforeEach(() => {
  loop = new FakeLoop();
  headsMatter = true;
});

function turns(options: Partial<QuietTurnsOptions> = {}): QuietTurns {
  return new QuietTurns({
    headsMatter: () => headsMatter,
    leavingHoldMs: 10,
    horizonMs: 15,
    overdueGraceMs: 20,
    maxDeferMs: 50,
    minPredictableRttMs: 40,
    loop,
    ...options,
  });
}

/** A request being written (the rate limiter let it go). */
function issued(q: QuietTurns): SellFlight {
  const f = q.track();
  f.issued();
  return f;
}

/** A request on the wire. */
function sent(q: QuietTurns): SellFlight {
  const f = issued(q);
  f.sent();
  return f;
}

/** One request that took `rtt` ms from the wire to its head: teaches the expected round trip. */
async function completedRoundTrip(q: QuietTurns, rtt: number): Promise<void> {
  const f = sent(q);
  await loop.advance(rtt);
  f.answered();
  f.ended();
}

/** Asks for three answer turns, a, b and c; returns the list they are recorded in as they run. */
function threeTurns(q: QuietTurns): string[] {
  const ran: string[] = [];
  for (const name of ['a', 'b', 'c']) void q.turn().then(() => ran.push(name));
  return ran;
}

/** Resolves with the fake time at which a turn asked for now was given. */
function timeOfTurn(q: QuietTurns): { at: number | null } {
  const result = { at: null as number | null };
  void q.turn().then(() => (result.at = loop.t));
  return result;
}

describe('QuietTurns', () => {
  it('runs tasks first in first out, one per turn of the event loop', async () => {
    const q = turns();
    const order: string[] = [];
    q.once('first', () => order.push('first'));
    q.once('second', () => order.push('second'));
    // Something else that is ready meanwhile (an answer being read) gets its turn in between.
    loop.immediate(() => order.push('other'));
    await loop.turn();
    expect(order).toEqual(['first', 'other']);
    await loop.turn();
    expect(order).toEqual(['first', 'other', 'second']);
  });

  it('holds every task while a request is still leaving, and lets them run once it is on the wire', async () => {
    const q = turns();
    const f = issued(q);
    const ran = threeTurns(q);
    await loop.advance(5);
    expect(ran).toEqual([]);
    f.sent();
    await loop.settle();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('a request held up on its way out (connecting) holds tasks for leavingHoldMs at most', async () => {
    const q = turns();
    const since = loop.t;
    issued(q); // never sent
    const turn = timeOfTurn(q);
    await loop.advance(30);
    expect(turn.at).toBe(since + 10);
  });

  it('a request still waiting for the rate limiter holds nothing back', async () => {
    const q = turns();
    q.track(); // not issued yet
    const turn = timeOfTurn(q);
    await loop.settle();
    expect(turn.at).toBe(loop.t);
  });

  it('waits while an answer that would send the next batch is due, and runs as soon as it is in', async () => {
    const q = turns();
    await completedRoundTrip(q, 200);
    const due = sent(q); // expected 200 ms from now
    await loop.advance(190); // 10 ms before it: inside the 15 ms horizon
    const turn = timeOfTurn(q);
    await loop.advance(5);
    expect(turn.at).toBeNull();
    due.answered();
    await loop.settle();
    expect(turn.at).toBe(loop.t);
  });

  // [why, round trip, ms since the other request left, is a batch waiting for a slot?]
  it.each([
    ['the other answer is not due yet', 200, 100, true],
    ['round trips are too short to predict (a fast network)', 10, 5, true],
    ['no batch is waiting for a slot', 200, 195, false],
  ])('runs a task at once when %s', async (_why, rtt, since, waiting) => {
    const q = turns();
    await completedRoundTrip(q, rtt);
    sent(q);
    await loop.advance(since);
    headsMatter = waiting;
    const turn = timeOfTurn(q);
    await loop.settle();
    expect(turn.at).toBe(loop.t);
  });

  // [round trip, longest hold]: maxDeferMs (50), or a quarter of the round trip when that is less.
  it.each([
    [200, 50],
    [80, 20],
  ])('with a round trip of %i ms, holds a task %i ms at most', async (rtt, hold) => {
    const q = turns({ overdueGraceMs: 500 });
    await completedRoundTrip(q, rtt);
    sent(q);
    await loop.advance(rtt - 5);
    const asked = loop.t;
    const turn = timeOfTurn(q);
    await loop.advance(100);
    expect(turn.at).toBe(asked + hold);
  });

  it('stops waiting for an answer more than overdueGraceMs late', async () => {
    const q = turns({ maxDeferMs: 1_000 });
    await completedRoundTrip(q, 200);
    const sentAt = loop.t;
    sent(q);
    await loop.advance(195);
    const turn = timeOfTurn(q);
    await loop.advance(100);
    // Expected 200 ms after it left, slow from 220 on.
    expect(turn.at).toBe(sentAt + 220);
  });

  it('a chore does not wait behind a backlog of answers: each lane advances every turn', async () => {
    const q = turns();
    const ran: string[] = [];
    for (let i = 1; i <= 3; i++) void q.turn().then(() => ran.push(`answer ${i}`));
    q.once('batch-creation', () => ran.push('chore'));
    await loop.turn();
    expect(ran).toEqual(['chore', 'answer 1']);
    await loop.turn();
    expect(ran).toEqual(['chore', 'answer 1', 'answer 2']);
  });

  it('keeps at most one pending task per key', async () => {
    const q = turns();
    let runs = 0;
    q.once('write-ahead', () => runs++);
    q.once('write-ahead', () => runs++);
    expect(q.pendingTasks).toBe(1);
    await loop.settle();
    expect(runs).toBe(1);
    q.once('write-ahead', () => runs++);
    await loop.settle();
    expect(runs).toBe(2);
  });

  it('a task that throws does not stop the ones after it', async () => {
    const q = turns();
    const ran: string[] = [];
    q.once('bad', () => {
      throw new Error('boom');
    });
    q.once('good', () => ran.push('good'));
    await loop.settle();
    expect(ran).toEqual(['good']);
  });

  it('on dispose runs everything still waiting, and holds nothing back afterwards', async () => {
    const q = turns({ leavingHoldMs: 1e9 });
    issued(q); // leaving for good: everything would wait
    const ran = threeTurns(q);
    let keyed = 0;
    q.once('k', () => keyed++);
    q.dispose();
    await flushMicrotasks();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(keyed).toBe(1);
    const late = timeOfTurn(q);
    await flushMicrotasks();
    expect(late.at).toBe(loop.t);
  });
});
