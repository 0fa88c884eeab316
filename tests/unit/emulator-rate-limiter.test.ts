import { describe, expect, it } from 'vitest';
import { RateLimiter, TIER_LIMITS, TokenBucket } from '../../emulator/rate-limiter';

describe('emulator TokenBucket', () => {
  it('allows the burst capacity, then refills continuously and says when to retry', () => {
    const bucket = new TokenBucket(50, 60_000, 0);
    for (let i = 0; i < 50; i++) expect(bucket.take(0).ok).toBe(true);
    const refused = bucket.take(0);
    expect(refused).toEqual({ ok: false, retryAfterMs: 1200 });
    expect(bucket.take(1199).ok).toBe(false);
    expect(bucket.take(1200).ok).toBe(true);
    expect(bucket.take(1200).ok).toBe(false);
  });

  it('never exceeds limit + capacity over one window of steady pressure', () => {
    const bucket = new TokenBucket(100, 60_000, 0);
    let granted = 0;
    for (let t = 0; t <= 60_000; t += 10) if (bucket.take(t).ok) granted++;
    expect(granted).toBeGreaterThanOrEqual(199);
    expect(granted).toBeLessThanOrEqual(201);
  });
});

describe('emulator RateLimiter', () => {
  it('uses the documented tier limits per route', () => {
    expect(TIER_LIMITS.verified.sell.limit).toBe(5000);
    expect(TIER_LIMITS.unverified.sell.limit).toBe(50);
    expect(TIER_LIMITS.unverified['check-tradeurl']).toEqual({ limit: 100, windowMs: 3_600_000 });
    const limiter = new RateLimiter('unverified', true);
    for (let i = 0; i < 50; i++) expect(limiter.take('sell', 0).ok).toBe(true);
    expect(limiter.take('sell', 0).ok).toBe(false);
    // Other routes have their own buckets.
    expect(limiter.take('inventory', 0).ok).toBe(true);
  });

  it('can be switched off', () => {
    const limiter = new RateLimiter('unverified', false);
    for (let i = 0; i < 1000; i++) expect(limiter.take('sell', 0).ok).toBe(true);
  });
});
