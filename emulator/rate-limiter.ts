/*
 * Per-merchant tier throttle (api §3). One token bucket per limited route:
 * capacity = the documented per-window limit, refilled continuously, so a
 * client never gets more than the limit in any window of that length plus
 * the initial burst. The window algorithm is not documented (api §10.3).
 */

export type LimitedRoute = 'sell' | 'inventory' | 'trades' | 'trade-lookup' | 'check-tradeurl';
export type Tier = 'verified' | 'unverified';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export const TIER_LIMITS: Record<
  Tier,
  Record<LimitedRoute, { limit: number; windowMs: number }>
> = {
  verified: {
    sell: { limit: 5000, windowMs: MINUTE },
    inventory: { limit: 10_000, windowMs: MINUTE },
    trades: { limit: 3000, windowMs: MINUTE },
    'trade-lookup': { limit: 3000, windowMs: MINUTE },
    'check-tradeurl': { limit: 100_000, windowMs: HOUR },
  },
  unverified: {
    sell: { limit: 50, windowMs: MINUTE },
    inventory: { limit: 100, windowMs: MINUTE },
    trades: { limit: 100, windowMs: MINUTE },
    'trade-lookup': { limit: 100, windowMs: MINUTE },
    'check-tradeurl': { limit: 100, windowMs: HOUR },
  },
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
    this.perMs = capacity / windowMs;
  }

  /** Takes one token, or says how long until one is available. */
  take(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - this.tokens) / this.perMs) };
  }
}

export class RateLimiter {
  private readonly buckets = new Map<LimitedRoute, TokenBucket>();

  constructor(
    private readonly tier: Tier,
    private readonly enabled: boolean,
  ) {}

  take(route: LimitedRoute, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (!this.enabled) return { ok: true };
    let bucket = this.buckets.get(route);
    if (!bucket) {
      const { limit, windowMs } = TIER_LIMITS[this.tier][route];
      bucket = new TokenBucket(limit, windowMs, now);
      this.buckets.set(route, bucket);
    }
    return bucket.take(now);
  }
}
