import type { MerchantTier } from '../../../../shared/domain';
import { abortError, systemClock, type Clock } from './clock';

/*
 * Client-side token buckets per endpoint family, shared by every caller in the
 * app (one instance per app), so the merchant's documented per-tier limits
 * (api §3) are never exceeded by our own traffic and a 429 pauses everyone.
 *
 * Choices:
 * - Rate = documented limit × safetyFactor (0.95): throttle proactively just
 *   below the published figures (api §3 [INFERRED] advice).
 * - Capacity (burst) = max(1, floor(rate × 2 s)). With the 0.95 factor any
 *   window of the documented length sees at most 0.95·L + L/30 ≈ 0.983·L
 *   requests for per-minute limits (and 0.95·L + 1 for small/hourly ones), so
 *   we stay under the limit whether the server counts in fixed or sliding
 *   windows (undocumented, api §3), while a batch of calls can start at once.
 * - Buckets start full; refill is continuous (fractional tokens).
 * - pauseUntil (the server said 429) empties the bucket and accrues nothing
 *   until the pause ends, so we come back at the steady rate, not in a burst.
 * - FIFO per family: a caller never overtakes one already waiting.
 * - Fast path: a free token with nobody waiting is taken synchronously, with
 *   no timer and no allocation beyond the resolved promise.
 */

export const ENDPOINT_FAMILIES = ['sell', 'inventory', 'trades', 'check-tradeurl'] as const;
export type EndpointFamily = (typeof ENDPOINT_FAMILIES)[number];

export interface RateLimit {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** api §3 "Merchant (/secure/*) endpoints". `trades` covers both GET /secure/trades and /secure/trades/{refs}. */
export const TIER_LIMITS: Record<MerchantTier, Record<EndpointFamily, RateLimit>> = {
  verified: {
    sell: { limit: 5_000, windowMs: MINUTE },
    inventory: { limit: 10_000, windowMs: MINUTE },
    trades: { limit: 3_000, windowMs: MINUTE },
    'check-tradeurl': { limit: 100_000, windowMs: HOUR },
  },
  unverified: {
    sell: { limit: 50, windowMs: MINUTE },
    inventory: { limit: 100, windowMs: MINUTE },
    trades: { limit: 100, windowMs: MINUTE },
    'check-tradeurl': { limit: 100, windowMs: HOUR },
  },
};

export const DEFAULT_SAFETY_FACTOR = 0.95;
export const BURST_MS = 2_000;

export interface RateLimiterOptions {
  tier: MerchantTier;
  clock?: Clock;
  /** Fraction of the documented rate actually used; default 0.95. */
  safetyFactor?: number;
}

export interface FamilyStats {
  tier: MerchantTier;
  /** Documented limit and its window (api §3). */
  limit: number;
  windowMs: number;
  /** What the limiter actually allows, per minute (limit × safetyFactor, normalised). */
  effectivePerMinute: number;
  capacity: number;
  tokens: number;
  queued: number;
  /** Clock time until which the family is paused by a 429, or null. */
  pausedUntil: number | null;
  /** Tokens handed out since construction. */
  acquired: number;
  /** Of those, how many had to wait. */
  waited: number;
  /** pauseUntil calls (429s reported). */
  pauses: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

interface Bucket {
  family: EndpointFamily;
  limit: RateLimit;
  ratePerMs: number;
  capacity: number;
  tokens: number;
  last: number;
  pausedUntil: number;
  queue: Waiter[];
  head: number;
  live: number;
  pumping: boolean;
  wake: AbortController | null;
  acquired: number;
  waited: number;
  pauses: number;
}

const RESOLVED: Promise<void> = Promise.resolve();
/** Float slack so 0.9999999 tokens after a computed sleep count as one. */
const EPSILON = 1e-9;

export class RateLimiter {
  private readonly clock: Clock;
  private readonly safetyFactor: number;
  private currentTier: MerchantTier;
  private readonly buckets: Record<EndpointFamily, Bucket>;

  constructor(options: RateLimiterOptions) {
    this.clock = options.clock ?? systemClock;
    this.safetyFactor = options.safetyFactor ?? DEFAULT_SAFETY_FACTOR;
    if (!(this.safetyFactor > 0 && this.safetyFactor <= 1)) {
      throw new RangeError(`safetyFactor must be in (0, 1]: ${this.safetyFactor}`);
    }
    this.currentTier = options.tier;
    const now = this.clock.now();
    const make = (family: EndpointFamily): Bucket => {
      const limit = TIER_LIMITS[options.tier][family];
      const { ratePerMs, capacity } = this.shape(limit);
      return {
        family,
        limit,
        ratePerMs,
        capacity,
        tokens: capacity,
        last: now,
        pausedUntil: -Infinity,
        queue: [],
        head: 0,
        live: 0,
        pumping: false,
        wake: null,
        acquired: 0,
        waited: 0,
        pauses: 0,
      };
    };
    this.buckets = {
      sell: make('sell'),
      inventory: make('inventory'),
      trades: make('trades'),
      'check-tradeurl': make('check-tradeurl'),
    };
  }

  get tier(): MerchantTier {
    return this.currentTier;
  }

  /** The limiter's clock time (the time base of pauseUntil). */
  now(): number {
    return this.clock.now();
  }

  /**
   * Resolves when a request of `family` may be sent. Rejects with an
   * AbortError if `signal` aborts first (the place in the queue is given up).
   */
  acquire(family: EndpointFamily, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const b = this.buckets[family];
    if (b.live === 0) {
      const now = this.clock.now();
      this.refill(b, now);
      if (now >= b.pausedUntil && b.tokens >= 1 - EPSILON) {
        b.tokens = Math.max(0, b.tokens - 1);
        b.acquired++;
        return RESOLVED;
      }
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined, done: false };
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.done) return;
          waiter.done = true;
          b.live--;
          reject(abortError(signal));
          // Re-evaluate: the pump may be sleeping for this waiter only.
          b.wake?.abort();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      b.queue.push(waiter);
      b.live++;
      void this.pump(b);
    });
  }

  /** How long a request of `family` asked for now would wait: behind those already waiting, and any 429 pause. */
  waitEstimate(family: EndpointFamily): number {
    const b = this.buckets[family];
    const now = this.clock.now();
    this.refill(b, now);
    const paused = Math.max(0, b.pausedUntil - now);
    const deficit = b.live + 1 - b.tokens;
    return Math.ceil(paused + (deficit <= EPSILON ? 0 : deficit / b.ratePerMs));
  }

  /** Takes a token only if one is free right now and nobody is waiting. */
  tryAcquire(family: EndpointFamily): boolean {
    const b = this.buckets[family];
    if (b.live !== 0) return false;
    const now = this.clock.now();
    this.refill(b, now);
    if (now < b.pausedUntil || b.tokens < 1 - EPSILON) return false;
    b.tokens = Math.max(0, b.tokens - 1);
    b.acquired++;
    return true;
  }

  /** The server answered 429: nobody sends for `family` before `atMs` (limiter clock time). */
  pauseUntil(family: EndpointFamily, atMs: number): void {
    const b = this.buckets[family];
    const now = this.clock.now();
    this.refill(b, now);
    b.pauses++;
    b.tokens = 0;
    if (atMs > b.pausedUntil) b.pausedUntil = atMs;
    b.wake?.abort();
  }

  pauseFor(family: EndpointFamily, ms: number): void {
    this.pauseUntil(family, this.clock.now() + Math.max(0, ms));
  }

  /** Switches every family to the limits of `tier` (keeps tokens, clamped to the new capacity). */
  setTier(tier: MerchantTier): void {
    if (tier === this.currentTier) return;
    const now = this.clock.now();
    this.currentTier = tier;
    for (const family of ENDPOINT_FAMILIES) {
      const b = this.buckets[family];
      this.refill(b, now);
      b.limit = TIER_LIMITS[tier][family];
      const { ratePerMs, capacity } = this.shape(b.limit);
      b.ratePerMs = ratePerMs;
      b.capacity = capacity;
      b.tokens = Math.min(b.tokens, capacity);
      b.wake?.abort();
    }
  }

  stats(): Record<EndpointFamily, FamilyStats> {
    const now = this.clock.now();
    const one = (family: EndpointFamily): FamilyStats => {
      const b = this.buckets[family];
      this.refill(b, now);
      return {
        tier: this.currentTier,
        limit: b.limit.limit,
        windowMs: b.limit.windowMs,
        effectivePerMinute: b.ratePerMs * MINUTE,
        capacity: b.capacity,
        tokens: b.tokens,
        queued: b.live,
        pausedUntil: b.pausedUntil > now ? b.pausedUntil : null,
        acquired: b.acquired,
        waited: b.waited,
        pauses: b.pauses,
      };
    };
    return {
      sell: one('sell'),
      inventory: one('inventory'),
      trades: one('trades'),
      'check-tradeurl': one('check-tradeurl'),
    };
  }

  /** Rejects every waiting acquire (app shutdown). */
  dispose(): void {
    for (const family of ENDPOINT_FAMILIES) {
      const b = this.buckets[family];
      for (let i = b.head; i < b.queue.length; i++) {
        const w = b.queue[i]!;
        if (w.done) continue;
        w.done = true;
        if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
        const err = new Error('Rate limiter disposed');
        err.name = 'AbortError';
        w.reject(err);
      }
      b.queue = [];
      b.head = 0;
      b.live = 0;
      b.wake?.abort();
    }
  }

  private shape(limit: RateLimit): { ratePerMs: number; capacity: number } {
    const ratePerMs = (limit.limit * this.safetyFactor) / limit.windowMs;
    return { ratePerMs, capacity: Math.max(1, Math.floor(ratePerMs * BURST_MS)) };
  }

  private refill(b: Bucket, now: number): void {
    if (now < b.last) {
      // The clock went backwards (wall-clock change): restart accounting, never stall.
      b.last = now;
      return;
    }
    const from = b.last > b.pausedUntil ? b.last : b.pausedUntil;
    if (now > from && b.tokens < b.capacity) {
      b.tokens = Math.min(b.capacity, b.tokens + (now - from) * b.ratePerMs);
    }
    b.last = now;
  }

  /** Hands out tokens to waiters in order; one sleeping loop per family at most. */
  private async pump(b: Bucket): Promise<void> {
    if (b.pumping) return;
    b.pumping = true;
    try {
      for (;;) {
        const next = this.peek(b);
        if (!next) break;
        const now = this.clock.now();
        this.refill(b, now);
        let waitMs: number;
        if (now < b.pausedUntil) {
          waitMs = b.pausedUntil - now;
        } else if (b.tokens >= 1 - EPSILON) {
          b.tokens = Math.max(0, b.tokens - 1);
          b.head++;
          b.live--;
          next.done = true;
          if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
          b.acquired++;
          b.waited++;
          next.resolve();
          continue;
        } else {
          waitMs = (1 - b.tokens) / b.ratePerMs;
        }
        const wake = new AbortController();
        b.wake = wake;
        try {
          await this.clock.sleep(Math.max(1, Math.ceil(waitMs)), wake.signal);
        } catch {
          // Woken early: state changed (pause, tier, abort); loop and re-evaluate.
        } finally {
          if (b.wake === wake) b.wake = null;
        }
      }
    } finally {
      b.pumping = false;
      this.compact(b);
    }
  }

  private peek(b: Bucket): Waiter | undefined {
    while (b.head < b.queue.length && b.queue[b.head]!.done) b.head++;
    return b.queue[b.head];
  }

  private compact(b: Bucket): void {
    if (b.head === 0) return;
    b.queue = b.queue.slice(b.head);
    b.head = 0;
  }
}
