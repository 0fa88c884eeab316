import { describe, expect, it } from 'vitest';
import { ManualClock, isAbortError } from '../../electron/main/services/assetpay/clock';
import {
  RateLimiter,
  TIER_LIMITS,
  type EndpointFamily,
} from '../../electron/main/services/assetpay/rate-limiter';

function setup(tier: 'verified' | 'unverified', safetyFactor?: number) {
  const clock = new ManualClock(1_000_000);
  const limiter = new RateLimiter({
    tier,
    clock,
    ...(safetyFactor !== undefined ? { safetyFactor } : {}),
  });
  return { clock, limiter };
}

/** Starts `n` acquires and records, for each, the clock time it was granted. */
function track(
  limiter: RateLimiter,
  clock: ManualClock,
  family: EndpointFamily,
  n: number,
  signal?: AbortSignal,
) {
  const grantedAt: (number | undefined)[] = new Array(n).fill(undefined);
  const order: number[] = [];
  const errors: unknown[] = [];
  const promises = Array.from({ length: n }, (_, i) =>
    limiter.acquire(family, signal).then(
      () => {
        grantedAt[i] = clock.now();
        order.push(i);
      },
      (e: unknown) => {
        errors[i] = e;
      },
    ),
  );
  return {
    grantedAt,
    order,
    errors,
    promises,
    granted: () => grantedAt.filter((t) => t !== undefined).length,
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('RateLimiter — burst', () => {
  it('hands out the burst capacity at once without arming any timer, then makes the next caller wait', async () => {
    const { clock, limiter } = setup('verified');
    const capacity = limiter.stats().sell.capacity;
    // 5,000/min × 0.95 = 79.17/s → 2 s of burst = 158 tokens.
    expect(capacity).toBe(158);
    const t = track(limiter, clock, 'sell', capacity + 1);
    await settle();
    expect(t.granted()).toBe(capacity);
    expect(t.grantedAt[capacity]).toBeUndefined();
    expect(limiter.stats().sell.queued).toBe(1);
    // Only the one waiter's pump sleeps; the 158 fast-path grants armed nothing.
    expect(clock.pendingSleeps).toBe(1);
    await clock.advance(13); // 1 token = 60,000 / 4,750 ≈ 12.6 ms
    expect(t.granted()).toBe(capacity + 1);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('capacity is at least one token even for hourly limits', () => {
    const { limiter } = setup('unverified');
    const s = limiter.stats();
    expect(s['check-tradeurl'].capacity).toBe(1);
    expect(s.sell.capacity).toBe(1);
    expect(s.inventory.capacity).toBe(3); // 100/min × 0.95 × 2 s = 3.17
    expect(s.trades.capacity).toBe(3);
  });

  it('tryAcquire takes a free token synchronously and refuses when none is free', () => {
    const { limiter } = setup('unverified');
    expect(limiter.tryAcquire('sell')).toBe(true);
    expect(limiter.tryAcquire('sell')).toBe(false);
  });
});

describe('RateLimiter — steady rate', () => {
  it('never exceeds the documented limit in any window (unverified sells, 50/min)', async () => {
    const { clock, limiter } = setup('unverified');
    const t = track(limiter, clock, 'sell', 200);
    for (let ms = 0; ms < 180_000; ms += 250) await clock.advance(250);
    const times = t.grantedAt.filter((x): x is number => x !== undefined);
    // 0.95 × 50 = 47.5 per minute: three minutes ≈ 1 + 142 grants.
    expect(times.length).toBeGreaterThanOrEqual(140);
    expect(times.length).toBeLessThanOrEqual(144);
    for (const start of times) {
      const inWindow = times.filter((x) => x >= start && x < start + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(TIER_LIMITS.unverified.sell.limit);
    }
    // Evenly spaced after the first token: ~1,263 ms apart.
    const gaps = times.slice(2).map((x, i) => x - times[i + 1]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1_262);
      expect(gap).toBeLessThanOrEqual(1_265);
    }
  });

  it('verified sells: one minute allows burst + 0.95 × 5,000, below 5,000', async () => {
    const { clock, limiter } = setup('verified');
    const t = track(limiter, clock, 'sell', 6_000);
    for (let ms = 0; ms < 60_000; ms += 100) await clock.advance(100);
    const inFirstMinute = t.grantedAt.filter(
      (x) => x !== undefined && x < 1_000_000 + 60_000,
    ).length;
    expect(inFirstMinute).toBeGreaterThan(4_800);
    expect(inFirstMinute).toBeLessThanOrEqual(158 + 4_750 + 1);
    expect(inFirstMinute).toBeLessThan(5_000);
  });

  it('families are independent buckets', async () => {
    const { clock, limiter } = setup('unverified');
    expect(limiter.tryAcquire('sell')).toBe(true);
    expect(limiter.tryAcquire('sell')).toBe(false);
    expect(limiter.tryAcquire('trades')).toBe(true);
    expect(limiter.tryAcquire('check-tradeurl')).toBe(true);
    expect(limiter.tryAcquire('check-tradeurl')).toBe(false);
    // 100/hour × 0.95 → one token every ~37.9 s.
    await clock.advance(37_000);
    expect(limiter.tryAcquire('check-tradeurl')).toBe(false);
    await clock.advance(1_000);
    expect(limiter.tryAcquire('check-tradeurl')).toBe(true);
  });

  it('respects a custom safety factor', () => {
    const { limiter } = setup('verified', 1);
    expect(limiter.stats().sell.effectivePerMinute).toBeCloseTo(5_000, 6);
    expect(() => new RateLimiter({ tier: 'verified', safetyFactor: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ tier: 'verified', safetyFactor: 1.5 })).toThrow(RangeError);
  });
});

describe('RateLimiter — tier switch', () => {
  it('waiters speed up when the merchant turns out to be verified', async () => {
    const { clock, limiter } = setup('unverified');
    const t = track(limiter, clock, 'sell', 50);
    await settle();
    expect(t.granted()).toBe(1);
    await clock.advance(1_300);
    expect(t.granted()).toBe(2);
    limiter.setTier('verified');
    expect(limiter.tier).toBe('verified');
    expect(limiter.stats().sell.capacity).toBe(158);
    // At 79/s the remaining 48 need ~0.6 s — not 38 s.
    await clock.advance(700);
    expect(t.granted()).toBe(50);
  });

  it('going down clamps the tokens to the new capacity', () => {
    const { limiter } = setup('verified');
    expect(limiter.stats().sell.tokens).toBe(158);
    limiter.setTier('unverified');
    expect(limiter.stats().sell.tokens).toBe(1);
    expect(limiter.tryAcquire('sell')).toBe(true);
    expect(limiter.tryAcquire('sell')).toBe(false);
  });
});

describe('RateLimiter — pauseUntil (the server said 429)', () => {
  it('holds every caller of the family until the pause ends, then resumes at the steady rate (no burst)', async () => {
    const { clock, limiter } = setup('verified');
    limiter.pauseUntil('sell', clock.now() + 10_000);
    expect(limiter.tryAcquire('sell')).toBe(false);
    expect(limiter.tryAcquire('inventory')).toBe(true); // other families unaffected
    const t = track(limiter, clock, 'sell', 5);
    await clock.advance(9_999);
    expect(t.granted()).toBe(0);
    expect(limiter.stats().sell.pausedUntil).toBe(1_000_000 + 10_000);
    await clock.advance(20);
    // Tokens accrue only from the end of the pause: the first after ~12.6 ms.
    expect(t.granted()).toBe(1);
    await clock.advance(60);
    expect(t.granted()).toBe(5);
    expect(limiter.stats().sell.pauses).toBe(1);
    expect(limiter.stats().sell.pausedUntil).toBeNull();
  });

  it('a later, shorter pause does not shorten an earlier, longer one; pauseFor is relative', async () => {
    const { clock, limiter } = setup('verified');
    limiter.pauseFor('trades', 30_000);
    limiter.pauseUntil('trades', clock.now() + 5_000);
    const t = track(limiter, clock, 'trades', 1);
    await clock.advance(29_000);
    expect(t.granted()).toBe(0);
    await clock.advance(1_100);
    expect(t.granted()).toBe(1);
  });

  it('extending a pause wakes the scheduler so it does not grant early', async () => {
    const { clock, limiter } = setup('unverified');
    expect(limiter.tryAcquire('sell')).toBe(true);
    const t = track(limiter, clock, 'sell', 1);
    await clock.advance(500); // the pump sleeps for ~1.26 s
    limiter.pauseFor('sell', 5_000);
    await clock.advance(2_000);
    expect(t.granted()).toBe(0);
    await clock.advance(3_000 + 1_300);
    expect(t.granted()).toBe(1);
  });
});

describe('RateLimiter — FIFO fairness', () => {
  it('grants in arrival order, and a newcomer never overtakes someone already waiting', async () => {
    const { clock, limiter } = setup('unverified');
    const first = track(limiter, clock, 'trades', 10);
    await settle();
    expect(first.order).toEqual([0, 1, 2]); // burst of 3
    // One token accrues every 631.6 ms; the scheduler sleeps whole milliseconds (632),
    // so at 631.9 ms a token is free while the 7 waiters have not been served yet.
    await clock.advance(631.9);
    expect(limiter.stats().trades.tokens).toBeGreaterThanOrEqual(1);
    expect(limiter.tryAcquire('trades')).toBe(false);
    const later = track(limiter, clock, 'trades', 1);
    await settle();
    expect(later.granted()).toBe(0);
    for (let i = 0; i < 12; i++) await clock.advance(1_000);
    expect(first.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(later.granted()).toBe(1);
    expect(later.grantedAt[0]!).toBeGreaterThanOrEqual(Math.max(...first.grantedAt.map((x) => x!)));
  });
});

describe('RateLimiter — abort', () => {
  it('rejects at once with an AbortError when the signal is already aborted', async () => {
    const { limiter } = setup('verified');
    const controller = new AbortController();
    controller.abort();
    const err = await limiter.acquire('sell', controller.signal).catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect(limiter.stats().sell.acquired).toBe(0);
  });

  it('an aborted waiter gives up its place; the ones behind move up and nothing leaks', async () => {
    const { clock, limiter } = setup('unverified');
    expect(limiter.tryAcquire('sell')).toBe(true);
    const controller = new AbortController();
    const aborted = track(limiter, clock, 'sell', 1, controller.signal);
    const behind = track(limiter, clock, 'sell', 1);
    await clock.advance(100);
    controller.abort();
    await settle();
    expect(isAbortError(aborted.errors[0])).toBe(true);
    expect(limiter.stats().sell.queued).toBe(1);
    await clock.advance(1_200);
    expect(behind.granted()).toBe(1);
    expect(aborted.granted()).toBe(0);
    // The token went to the one behind, not to the aborted caller.
    expect(limiter.stats().sell.acquired).toBe(2);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('aborting the only waiter stops the scheduler (no sleeping timer left behind)', async () => {
    const { clock, limiter } = setup('unverified');
    limiter.pauseFor('sell', 60_000);
    const controller = new AbortController();
    const t = track(limiter, clock, 'sell', 1, controller.signal);
    await settle();
    expect(clock.pendingSleeps).toBe(1);
    controller.abort();
    await settle();
    expect(isAbortError(t.errors[0])).toBe(true);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('dispose rejects every waiter', async () => {
    const { clock, limiter } = setup('unverified');
    limiter.pauseFor('sell', 60_000);
    const t = track(limiter, clock, 'sell', 3);
    await settle();
    limiter.dispose();
    await settle();
    expect(t.errors.filter(isAbortError)).toHaveLength(3);
  });
});

describe('RateLimiter — stats', () => {
  it('reports limits, effective rate, tokens, queue and counters per family', async () => {
    const { clock, limiter } = setup('unverified');
    const t = track(limiter, clock, 'sell', 3);
    await settle();
    const s = limiter.stats();
    expect(s.sell).toMatchObject({
      tier: 'unverified',
      limit: 50,
      windowMs: 60_000,
      capacity: 1,
      queued: 2,
      acquired: 1,
      waited: 0,
    });
    expect(s.sell.effectivePerMinute).toBeCloseTo(47.5, 6);
    expect(s['check-tradeurl']).toMatchObject({ limit: 100, windowMs: 3_600_000 });
    expect(s['check-tradeurl'].effectivePerMinute).toBeCloseTo(95 / 60, 6);
    await clock.advance(3_000);
    expect(t.granted()).toBe(3);
    expect(limiter.stats().sell).toMatchObject({ queued: 0, acquired: 3, waited: 2 });
  });
});
