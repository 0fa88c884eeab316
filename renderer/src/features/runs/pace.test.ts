import { describe, expect, it } from 'vitest';
import type { RunPace } from '../../../../shared/contract/views';
import { paceWords } from './pace';

describe('paceWords', () => {
  const pace: RunPace = {
    inFlight: 12,
    limit: 14,
    automatic: true,
    itemsPerMinute: 2450,
    etaSeconds: 250,
  };
  it.each<[string, Partial<RunPace>, string[]]>([
    [
      'automatic, minutes left',
      {},
      [
        '12 sells in flight (automatic, up to 14 now)',
        '2,450 items/min over the last minute',
        'about 4 min left',
      ],
    ],
    [
      'fixed, one sell',
      { inFlight: 1, automatic: false, limit: 4 },
      ['1 sell in flight (at most 4)'],
    ],
    ['seconds left', { etaSeconds: 42 }, ['about 42 s left']],
    ['hours left', { etaSeconds: 2 * 3600 + 15 * 60 }, ['about 2 h 15 min left']],
    ['no pace yet', { etaSeconds: null, itemsPerMinute: 0 }, ['time left: measuring…']],
    ['done sending', { etaSeconds: 0 }, ['every item sent']],
    ['one item a minute', { itemsPerMinute: 1 }, ['1 item/min over the last minute']],
  ])('%s', (_name, over, expected) => {
    const words = paceWords({ ...pace, ...over });
    for (const w of expected) expect(words).toContain(w);
  });
});

describe('paceWords while paused', () => {
  it('says nothing new leaves, and guesses no time left', () => {
    const words = paceWords(
      { inFlight: 2, limit: 14, automatic: true, itemsPerMinute: 300, etaSeconds: 9 },
      true,
    );
    expect(words).toEqual(['2 sells in flight', 'paused: no new sells until you resume']);
  });
});
