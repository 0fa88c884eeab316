import { describe, expect, it } from 'vitest';
import { checkWaitWords } from './check-wait';

describe('a trade-URL check that waits for the tier limit', () => {
  it('says for what, and when it leaves', () => {
    const now = Date.parse('2026-05-14T12:00:00.000Z');
    const words = checkWaitWords(
      { at: now + 37_400, limit: 100, windowMs: 3_600_000, tier: 'unverified' },
      now,
    );
    expect(words).toMatch(
      /^Waiting for AssetPay’s limit: unverified merchants may make 100 trade-URL checks per hour\. This check goes at \d\d:\d\d:\d\d \(in about 38 seconds\)\.$/,
    );
  });
});
