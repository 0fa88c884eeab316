import { unitFrom } from '../random';

/*
 * A bot fleet of finite capacity (issue 13; see README "Capacity model"). Each
 * bot serves one sell at a time — creating its Steam offer takes time (api §4.2:
 * the SDK allows sells 100 s) — so sells beyond the free bots wait in a FIFO
 * queue, and beyond `queue` waiting the fleet refuses (NO_BOTS_AVAILABLE, api §2).
 * Many refusals in a short window mean sustained overload: the fleet reports
 * itself degraded (FLEET_DEGRADED) until the window has drained.
 *
 * No HTTP and no real time here: `FleetTimers` is injected, so tests drive it
 * with a hand-moved clock and the emulator with real timers.
 */

export interface FleetConfig {
  bots: number;
  /** Service time of a one-item sell, ms. */
  serviceMs: number;
  /** Sells that may wait for a bot; one more is refused. */
  queue: number;
  /** Service times vary by up to ± this share of the base (seeded). */
  jitter: number;
  /** Extra service time per item after the first, ms (larger baskets take a little longer). */
  perItemMs: number;
  /** This many NO_BOTS_AVAILABLE refusals within `degradeWindowMs` make the fleet degraded. */
  degradeAfter: number;
  degradeWindowMs: number;
  seed: number;
}

export interface FleetTimers {
  /** Monotonic ms. */
  now(): number;
  /** Runs `run` once, `ms` from now. */
  after(ms: number, run: () => void): void;
}

/** What `capacity` in the emulator's state shows. */
export interface FleetStats {
  /** Bots in the fleet now (setBots may make it smaller than `busy` for a while). */
  bots: number;
  /** Bots serving a sell. */
  busy: number;
  /** Sells waiting for a bot. */
  queued: number;
  /** The longest the queue has been. */
  maxQueued: number;
  /** Sells whose service has finished. */
  served: number;
  /** Sells refused with NO_BOTS_AVAILABLE because the queue was full. */
  refusedNoBots: number;
  /** Sells answered FLEET_DEGRADED by the model. */
  refusedDegraded: number;
  /** Whether a sell arriving now would be answered FLEET_DEGRADED. */
  degraded: boolean;
  /** Sum of the service times drawn so far, ms (the same for the same seed and baskets). */
  serviceMsTotal: number;
}

/** How long a bot serves a sell of `items` items: the `index`-th service drawn by this fleet. */
export function serviceTime(config: FleetConfig, index: number, items: number): number {
  const base = config.serviceMs + config.perItemMs * Math.max(0, items - 1);
  const swing = config.jitter * (2 * unitFrom(config.seed, 'service', index) - 1);
  return Math.max(0, Math.round(base * (1 + swing)));
}

export type Admission = 'started' | 'queued' | 'refused';

export interface Served {
  /** Time spent in the queue, ms. */
  waitedMs: number;
  /** Time the bot took, ms. */
  serviceMs: number;
}

interface Waiting {
  items: number;
  enteredAt: number;
  done: (served: Served) => void;
}

export class BotFleet {
  private bots: number;
  private busy = 0;
  private readonly waiting: Waiting[] = [];
  private drawn = 0;
  private served = 0;
  private maxQueued = 0;
  private refusedNoBots = 0;
  private refusedDegraded = 0;
  private serviceMsTotal = 0;
  /** Times of recent NO_BOTS_AVAILABLE refusals, oldest first. */
  private readonly refusals: number[] = [];

  constructor(
    private readonly config: FleetConfig,
    private readonly timers: FleetTimers,
  ) {
    this.bots = config.bots;
  }

  /**
   * A sell asks for a bot: it starts at once if one is free, else waits its turn,
   * else (queue full) is refused. `done` runs when its bot has finished.
   */
  enter(items: number, done: (served: Served) => void): Admission {
    const job: Waiting = { items, enteredAt: this.timers.now(), done };
    if (this.busy < this.bots && this.waiting.length === 0) {
      this.start(job);
      return 'started';
    }
    if (this.waiting.length < this.config.queue) {
      this.waiting.push(job);
      this.maxQueued = Math.max(this.maxQueued, this.waiting.length);
      return 'queued';
    }
    this.refusedNoBots++;
    this.refusals.push(job.enteredAt);
    return 'refused';
  }

  /** `enter` as a promise: resolves when the bot has finished; undefined when refused. */
  request(items: number): Promise<Served> | undefined {
    let resolve!: (served: Served) => void;
    const finished = new Promise<Served>((r) => (resolve = r));
    return this.enter(items, (served) => resolve(served)) === 'refused' ? undefined : finished;
  }

  /** Sustained overload: at least `degradeAfter` refusals within the last `degradeWindowMs`. */
  isDegraded(): boolean {
    const since = this.timers.now() - this.config.degradeWindowMs;
    while (this.refusals.length > 0 && this.refusals[0]! <= since) this.refusals.shift();
    return this.refusals.length >= this.config.degradeAfter;
  }

  /** True (and counted) when a sell arriving now must be answered FLEET_DEGRADED. */
  refuseIfDegraded(): boolean {
    if (!this.isDegraded()) return false;
    this.refusedDegraded++;
    return true;
  }

  /**
   * Changes the fleet size. New bots take waiting sells at once; removed bots
   * finish the sell they serve (a Steam offer is not abandoned halfway) and
   * then leave, so `busy` may exceed `bots` for up to one service time.
   */
  setBots(bots: number): void {
    this.bots = checkBots(bots);
    this.startWaiting();
  }

  stats(): FleetStats {
    return {
      bots: this.bots,
      busy: this.busy,
      queued: this.waiting.length,
      maxQueued: this.maxQueued,
      served: this.served,
      refusedNoBots: this.refusedNoBots,
      refusedDegraded: this.refusedDegraded,
      degraded: this.isDegraded(),
      serviceMsTotal: this.serviceMsTotal,
    };
  }

  private start(job: Waiting): void {
    this.busy++;
    const startedAt = this.timers.now();
    const ms = serviceTime(this.config, this.drawn++, job.items);
    this.serviceMsTotal += ms;
    this.timers.after(ms, () => {
      this.busy--;
      this.served++;
      // The freed bot takes the next sell before this one is answered, as a server would.
      this.startWaiting();
      job.done({ waitedMs: startedAt - job.enteredAt, serviceMs: ms });
    });
  }

  private startWaiting(): void {
    while (this.busy < this.bots && this.waiting.length > 0) this.start(this.waiting.shift()!);
  }
}

export function checkBots(bots: number): number {
  if (!Number.isInteger(bots) || bots < 0 || bots > MAX_BOTS)
    throw new RangeError(`bots must be an integer 0..${MAX_BOTS}, got ${bots}`);
  return bots;
}

export const MAX_BOTS = 10_000;
