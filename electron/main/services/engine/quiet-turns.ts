/*
 * When the engine does its background work.
 *
 * An answer's head frees its slot, and the batch written ahead behind it
 * leaves at once. Everything else an answer brings (parsing its body, writing
 * its trade) and the engine's other chores (writing the next batch ahead,
 * creating batches, folding the WAL) is synchronous JSON and SQLite work: an
 * answer that arrives while it runs waits for it, and so does the next request
 * of its slot. Four answers of a round, a few milliseconds apart, would each
 * wait behind the work of the one before: the slots drift apart a little more
 * every round, and the run takes longer than its round trips.
 *
 * So background work runs in two lanes, each one task per turn of the event
 * loop, first in first out: answers (a body to parse, a trade to write) and
 * chores (keyed, at most one pending per key), so neither waits behind the
 * other's backlog. A task runs only at a quiet moment:
 * - no sell request is still leaving (being written, not yet handed to the
 *   OS in full) — for at most `leavingHoldMs`, past which it is held up by
 *   something else (a connect, a TLS handshake), and
 * - no answer that would send a waiting batch is due within `horizonMs`.
 * An answer is expected one round trip after its request left, the round trip
 * being the shortest of the last few (the earliest an answer can come). One
 * more than `overdueGraceMs` late is slow, and no longer waited for. No task
 * waits longer than `maxDeferMs`, nor a quarter of the round trip: a task
 * that writes the next batches must keep ahead of the sends however close
 * the answers come (at a round trip of 60 ms and four in flight, one is
 * nearly always due). Where round trips are too short to plan
 * around (under `minPredictableRttMs`: a fast network, the tests' emulator),
 * only leaving requests hold tasks back.
 *
 * Time here is the machine's (performance.now, timers), not the engine's
 * clock: this is about CPU, and a test's manual clock must not stall it.
 */

/** The event loop as QuietTurns uses it (a test drives its own). */
export interface TurnLoop {
  now(): number;
  /** Runs `fn` on a later turn of the event loop, after I/O that is ready. */
  immediate(fn: () => void): void;
  /** Runs `fn` after `ms`; returns a cancel. */
  timeout(fn: () => void, ms: number): () => void;
}

export const eventLoop: TurnLoop = {
  now: () => performance.now(),
  immediate: (fn) => {
    setImmediate(fn);
  },
  timeout: (fn, ms) => {
    const timer = setTimeout(fn, Math.ceil(ms));
    return () => clearTimeout(timer);
  },
};

export interface QuietTurnsOptions {
  /** Whether a head would send something now (a batch is waiting for a slot). */
  headsMatter: () => boolean;
  leavingHoldMs?: number;
  horizonMs?: number;
  overdueGraceMs?: number;
  maxDeferMs?: number;
  minPredictableRttMs?: number;
  loop?: TurnLoop;
}

/** One sell request, from the engine's call to done. Every call is idempotent. */
export interface SellFlight {
  /** The request is being written (the rate limiter let it go). */
  issued(): void;
  /** The request is on the wire (all of it handed to the OS). */
  sent(): void;
  /** The answer's head is in. */
  answered(): void;
  /** Done, whatever happened. */
  ended(): void;
}

interface Flight {
  issuedAt: number | null;
  sentAt: number | null;
  answered: boolean;
}

interface Task {
  enqueuedAt: number;
  run: () => void;
}

/** How many recent round trips the expected one is the shortest of. */
const RTT_SAMPLES = 8;
/** A task is never held longer than this share of the round trip. */
const MAX_DEFER_SHARE_OF_RTT = 0.25;

export class QuietTurns {
  private readonly headsMatter: () => boolean;
  private readonly leavingHoldMs: number;
  private readonly horizonMs: number;
  private readonly overdueGraceMs: number;
  private readonly maxDeferMs: number;
  private readonly minPredictableRttMs: number;
  private readonly loop: TurnLoop;

  private readonly flights = new Set<Flight>();
  private readonly rtts: number[] = [];
  private readonly answers: Task[] = [];
  private readonly chores: Task[] = [];
  private readonly keyed = new Set<string>();
  private turnScheduled = false;
  private cancelWake: (() => void) | null = null;
  private wakeAt = Infinity;
  private disposed = false;

  constructor(options: QuietTurnsOptions) {
    this.headsMatter = options.headsMatter;
    this.leavingHoldMs = options.leavingHoldMs ?? 10;
    this.horizonMs = options.horizonMs ?? 15;
    this.overdueGraceMs = options.overdueGraceMs ?? 20;
    this.maxDeferMs = options.maxDeferMs ?? 50;
    this.minPredictableRttMs = options.minPredictableRttMs ?? 40;
    this.loop = options.loop ?? eventLoop;
  }

  /** A sell request the engine is about to make; it holds nothing back until issued. */
  track(): SellFlight {
    const flight: Flight = { issuedAt: null, sentAt: null, answered: false };
    this.flights.add(flight);
    return {
      issued: () => {
        if (flight.issuedAt !== null || !this.flights.has(flight)) return;
        flight.issuedAt = this.loop.now();
      },
      sent: () => {
        if (flight.sentAt !== null || !this.flights.has(flight)) return;
        flight.issuedAt ??= this.loop.now();
        flight.sentAt = this.loop.now();
        this.kick();
      },
      answered: () => {
        if (flight.answered || !this.flights.has(flight)) return;
        flight.answered = true;
        if (flight.sentAt !== null) this.noteRtt(this.loop.now() - flight.sentAt);
        this.kick();
      },
      ended: () => {
        if (this.flights.delete(flight)) this.kick();
      },
    };
  }

  /** An answer's next step: resolves on a quiet turn of its own, after every answer turn asked for before it. */
  turn(): Promise<void> {
    return new Promise((resolve) => this.enqueue(this.answers, resolve));
  }

  /** A chore: runs `work` on a quiet turn; at most one pending per key. */
  once(key: string, work: () => void): void {
    if (this.keyed.has(key) || this.disposed) return;
    this.keyed.add(key);
    this.enqueue(this.chores, () => {
      this.keyed.delete(key);
      work();
    });
  }

  /** Shutdown: everything still waiting runs now, and nothing new is held back. */
  dispose(): void {
    this.disposed = true;
    this.clearWake();
    for (const lane of [this.answers, this.chores])
      while (lane.length > 0) this.runTask(lane.shift()!);
  }

  get pendingTasks(): number {
    return this.answers.length + this.chores.length;
  }

  /** 0 when quiet now; else how long what holds tasks back may last (an event may end it sooner). */
  private quietIn(now: number): number {
    const rtt = this.headsMatter() ? this.expectedRtt() : null;
    let until = 0;
    for (const f of this.flights) {
      if (f.issuedAt === null) continue;
      if (f.sentAt === null) {
        until = Math.max(until, f.issuedAt + this.leavingHoldMs - now);
      } else if (rtt !== null && !f.answered) {
        const expected = f.sentAt + rtt;
        if (now >= expected - this.horizonMs && now <= expected + this.overdueGraceMs)
          until = Math.max(until, expected + this.overdueGraceMs - now);
      }
    }
    return until;
  }

  /** How long a task may be held at most. */
  private deferLimit(): number {
    const rtt = this.expectedRtt();
    return rtt === null ? this.maxDeferMs : Math.min(this.maxDeferMs, rtt * MAX_DEFER_SHARE_OF_RTT);
  }

  private expectedRtt(): number | null {
    if (this.rtts.length === 0) return null;
    const shortest = Math.min(...this.rtts);
    return shortest >= this.minPredictableRttMs ? shortest : null;
  }

  private noteRtt(ms: number): void {
    this.rtts.push(ms);
    if (this.rtts.length > RTT_SAMPLES) this.rtts.shift();
  }

  private enqueue(lane: Task[], run: () => void): void {
    const task = { enqueuedAt: this.loop.now(), run };
    if (this.disposed) {
      this.runTask(task);
      return;
    }
    lane.push(task);
    this.kick();
  }

  /** Something changed: a lane's first task may run on the next turn, or later. */
  private kick(): void {
    if (this.disposed || this.turnScheduled) return;
    const oldest = Math.min(
      this.answers[0]?.enqueuedAt ?? Infinity,
      this.chores[0]?.enqueuedAt ?? Infinity,
    );
    if (oldest === Infinity) return;
    const now = this.loop.now();
    const wait = Math.min(this.quietIn(now), Math.max(0, oldest + this.deferLimit() - now));
    if (wait <= 0) {
      this.clearWake();
      this.turnScheduled = true;
      this.loop.immediate(() => this.onTurn());
      return;
    }
    this.wakeIn(wait);
  }

  private onTurn(): void {
    this.turnScheduled = false;
    if (this.disposed) return;
    // Checked again: an answer may have become due, or a request started leaving, since.
    const now = this.loop.now();
    const quiet = this.quietIn(now) <= 0;
    const limit = this.deferLimit();
    for (const lane of [this.answers, this.chores]) {
      const task = lane[0];
      if (task && (quiet || now >= task.enqueuedAt + limit)) {
        lane.shift();
        this.runTask(task);
      }
    }
    this.kick();
  }

  private runTask(task: Task): void {
    try {
      task.run();
    } catch {
      // A task reports its own failures; one that throws must not stop the ones after it.
    }
  }

  private wakeIn(ms: number): void {
    const at = this.loop.now() + ms;
    if (this.cancelWake && this.wakeAt <= at) return;
    this.clearWake();
    this.wakeAt = at;
    this.cancelWake = this.loop.timeout(() => {
      this.cancelWake = null;
      this.wakeAt = Infinity;
      this.kick();
    }, ms);
  }

  private clearWake(): void {
    this.cancelWake?.();
    this.cancelWake = null;
    this.wakeAt = Infinity;
  }
}
