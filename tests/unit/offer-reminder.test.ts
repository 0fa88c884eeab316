import { describe, expect, it } from 'vitest';
import {
  decideOfferReminder,
  MIN_GAP_MS,
  NO_REMINDERS_YET,
  REMIND_AFTER_MS,
  type ReminderState,
  type WaitingOffer,
} from '../../electron/main/app/offer-reminder';

const T0 = Date.parse('2026-05-14T12:00:00.000Z');
const MIN = 60_000;
const offer = (tradeId: string, waitedMs: number, now = T0): WaitingOffer => ({
  tradeId,
  waitingSince: new Date(now - waitedMs).toISOString(),
});

describe('offer reminder (desktop notification when offers wait in Steam)', () => {
  it.each([
    ['no offers', [], null],
    ['offers waiting less than the threshold', [offer('a', 4 * MIN), offer('b', 1 * MIN)], null],
    [
      'one offer past the threshold',
      [offer('a', 5 * MIN)],
      { title: 'A trade offer waits for you in Steam', body: expect.stringContaining('5 minutes') },
    ],
    [
      'several: one notification naming them all and the oldest',
      [offer('a', 9 * MIN), offer('b', 2 * MIN), offer('c', 6 * MIN)],
      {
        title: '3 trade offers wait for you in Steam',
        body: 'The oldest has waited 9 minutes. Accept them in Steam, or the items are not sold.',
      },
    ],
  ])('%s', (_what, offers, expected) => {
    expect(decideOfferReminder(offers, T0, NO_REMINDERS_YET).notification).toEqual(expected);
  });

  it('announces each offer once, and not more often than the minimum gap', () => {
    let state: ReminderState = NO_REMINDERS_YET;
    const step = (offers: WaitingOffer[], now: number) => {
      const d = decideOfferReminder(offers, now, state);
      state = d.state;
      return d.notification;
    };
    expect(step([offer('a', REMIND_AFTER_MS)], T0)).not.toBeNull();
    // The same offer a minute later: already said.
    expect(step([offer('a', REMIND_AFTER_MS + MIN, T0 + MIN)], T0 + MIN)).toBeNull();
    // A second offer crosses the threshold, but the last notification is too recent.
    const t2 = T0 + 2 * MIN;
    expect(step([offer('a', 7 * MIN, t2), offer('b', 6 * MIN, t2)], t2)).toBeNull();
    // After the gap it is announced (and the still-waiting first one is counted in the title).
    const t3 = T0 + MIN_GAP_MS;
    expect(step([offer('a', 10 * MIN, t3), offer('b', 9 * MIN, t3)], t3)).toMatchObject({
      title: '2 trade offers wait for you in Steam',
    });
    expect(step([offer('a', 11 * MIN, t3 + MIN)], t3 + MIN)).toBeNull();
  });

  it('forgets offers that moved on, so a new offer with the same id would be announced again', () => {
    const first = decideOfferReminder([offer('a', 6 * MIN)], T0, NO_REMINDERS_YET);
    const gone = decideOfferReminder([], T0 + MIN_GAP_MS, first.state);
    expect([...gone.state.announced]).toEqual([]);
    expect(gone.notification).toBeNull();
  });
});
