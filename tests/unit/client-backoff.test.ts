import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../electron/main/services/assetpay/backoff';

describe('backoffMs', () => {
  const at = (r: number) => (attempt: number) => backoffMs(attempt, { random: () => r });

  it('starts at 5–10 s (api §3) and doubles per attempt', () => {
    expect(at(0)(0)).toBe(5_000);
    expect(at(0.999999)(0)).toBe(10_000);
    expect(at(0)(1)).toBe(10_000);
    expect(at(0.5)(1)).toBe(15_000);
    expect(at(0)(2)).toBe(20_000);
    expect(at(1)(2)).toBe(40_000);
  });

  it('is capped at 60 s but keeps jitter in [30 s, 60 s] at the cap', () => {
    for (const attempt of [3, 4, 10, 50, 2000]) {
      expect(at(0)(attempt)).toBe(30_000);
      expect(at(1)(attempt)).toBe(60_000);
    }
  });

  it('stays within [C/2, C] for random values and honours base/cap', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffMs(attempt);
        const ceiling = Math.min(60_000, 5_000 * 2 ** (attempt + 1));
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(backoffMs(0, { baseMs: 100, capMs: 1_000, random: () => 0.5 })).toBe(150);
    expect(backoffMs(9, { baseMs: 100, capMs: 1_000, random: () => 0.5 })).toBe(750);
  });

  it('treats negative, fractional and NaN attempts sanely and clamps a bad random()', () => {
    expect(at(0)(-3)).toBe(5_000);
    expect(at(0)(Number.NaN)).toBe(5_000);
    expect(at(0)(1.7)).toBe(10_000);
    expect(at(7)(0)).toBe(10_000);
    expect(at(-1)(0)).toBe(5_000);
  });
});
