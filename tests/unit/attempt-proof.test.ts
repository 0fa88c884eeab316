import { describe, expect, it } from 'vitest';
import { deriveRunState, inFlightUntil, resendDue } from '../../electron/main/services/engine';

/* The pure rules behind reconciliation (api §8) and a run's derived state, as tables. */

const at = (ms: number) => new Date(ms).toISOString();
const send = (ms: number, outcomeKind: string | null) => ({ sentAt: at(ms), outcomeKind });

describe('inFlightUntil: when no request of an attempt can still create a trade', () => {
  it.each<[string, ReturnType<typeof send>[], number]>([
    ['no send', [], 0],
    ['answered (created)', [send(1_000, 'ok')], 0],
    ['answered (refused)', [send(1_000, 'definitive')], 0],
    ['never left', [send(1_000, 'not-sent')], 0],
    ['throttled', [send(1_000, 'throttled')], 0],
    ['ambiguous', [send(1_000, 'ambiguous')], 1_000 + 130_000],
    ['no answer yet, or the app died', [send(1_000, null)], 1_000 + 130_000],
    [
      'the latest of several that may land',
      [send(1_000, 'ambiguous'), send(5_000, 'definitive'), send(9_000, null)],
      9_000 + 130_000,
    ],
    [
      'an ambiguous first request and a refused resend: the first may still land',
      [send(1_000, 'ambiguous'), send(2_000, 'definitive')],
      1_000 + 130_000,
    ],
  ])('%s', (_name, sends, expected) => {
    expect(inFlightUntil(sends, 130_000)).toBe(expected);
  });
});

describe('resendDue: the once-only resend with the same externalId (api §8 step 2)', () => {
  it.each<[string, ReturnType<typeof send>[], boolean]>([
    ['one ambiguous send', [send(1, 'ambiguous')], true],
    ['the app died after the write-ahead', [send(1, null)], true],
    ['not sent first, then ambiguous', [send(1, 'not-sent'), send(2, 'ambiguous')], true],
    ['already resent', [send(1, 'ambiguous'), send(2, 'ambiguous')], false],
    ['the resend was refused', [send(1, 'ambiguous'), send(2, 'definitive')], false],
    ['EXTERNAL_ID_EXISTS on the first send', [send(1, 'definitive')], false],
    ['throttled on the resend', [send(1, 'ambiguous'), send(2, 'throttled')], false],
    ['no send at all', [], false],
  ])('%s → %s', (_name, sends, expected) => {
    expect(resendDue(sends)).toBe(expected);
  });
});

describe('deriveRunState', () => {
  const online = { online: true, keyRefused: null, lookupsHeld: null, netTrouble: null };
  const run = (over: Partial<Parameters<typeof deriveRunState>[0]> = {}) => ({
    state: 'running' as const,
    batchesPending: false,
    waitUntil: null,
    waitReason: null,
    counts: { queued: 2, tracking: 1 },
    ...over,
  });

  it.each<
    [
      string,
      Parameters<typeof deriveRunState>[0],
      Parameters<typeof deriveRunState>[1],
      string | null,
    ]
  >([
    ['work left, nothing in the way', run(), online, 'running'],
    ['every batch final', run({ counts: { settled: 3, canceled: 1 } }), online, 'finished'],
    [
      'every batch final but some not written yet',
      run({ counts: { settled: 3 }, batchesPending: true }),
      online,
      'running',
    ],
    [
      'a batch needs review',
      run({ counts: { 'needs-review': 1, queued: 1 } }),
      online,
      'attention',
    ],
    ['offline with work left', run(), { ...online, online: false }, 'waiting'],
    [
      'offline with only tracking left',
      run({ counts: { tracking: 2 } }),
      { ...online, online: false },
      'running',
    ],
    ['AssetPay unreachable', run(), { ...online, netTrouble: { streak: 1, until: 5 } }, 'waiting'],
    [
      'the key refused',
      run(),
      { ...online, keyRefused: { key: 'INVALID_API_KEY', message: '' } },
      'attention',
    ],
    [
      'waiting out maintenance',
      run({ waitUntil: 2_000, waitReason: 'SYSTEM_MAINTENANCE' }),
      online,
      'waiting',
    ],
    ['paused by the trader', run({ state: 'paused' }), online, null],
    [
      'paused, and every batch final',
      run({ state: 'paused', counts: { settled: 1 } }),
      online,
      'finished',
    ],
    ['canceled by the trader', run({ state: 'canceled', counts: { settled: 1 } }), online, null],
    ['armed', run({ state: 'armed', counts: {} }), online, null],
  ])('%s → %s', (_name, facts, conditions, expected) => {
    expect(deriveRunState(facts, conditions, 1_000)?.state ?? null).toBe(expected);
  });

  it('says why a run waits, and until when', () => {
    const d = deriveRunState(
      run({ waitUntil: 3_600_000, waitReason: 'SYSTEM_MAINTENANCE' }),
      online,
      1_000,
    );
    expect(d?.message).toMatch(/maintenance.*01:00:00 UTC/);
  });

  it.each([
    [{ 'needs-review': 1, queued: 1 }, '1 batch needs review. Open the run'],
    [{ 'needs-review': 2, blocked: 1 }, '2 batches need review, 1 batch blocked. Open the run'],
    [{ settled: 1 }, 'Done: 1 batch — 1 settled.'],
    [{ settled: 2, skipped: 1 }, 'Done: 3 batches — 2 settled, 1 skipped.'],
  ])('counts agree with their nouns: %j → "%s"', (counts, words) => {
    expect(deriveRunState(run({ counts }), online, 1_000)?.message).toContain(words);
  });
});
