/*
 * When to remind the trader, with a desktop notification, that AssetPay's
 * offers wait in Steam (issue 11 deliverable 4): an unaccepted offer ends
 * declined or canceled and the items are not sold (api §4.2). Pure: the
 * decision takes the waiting offers, the time and what was already said, and
 * returns the notification (if any) and what to remember. Electron's
 * Notification is glue in electron/main/index.ts.
 *
 * Rules: an offer is worth a reminder once it has waited REMIND_AFTER_MS;
 * each offer is announced once; one notification covers every offer due at
 * that moment; and notifications come at most every MIN_GAP_MS, so a stream
 * of offers crossing the threshold one by one does not become a stream of
 * notifications (the next one names them all).
 */

export const REMIND_AFTER_MS = 5 * 60_000;
export const MIN_GAP_MS = 5 * 60_000;

export interface WaitingOffer {
  tradeId: string;
  /** ISO time since when the offer waits (the trade became active). */
  waitingSince: string;
}

export interface ReminderState {
  /** Offers already announced (only those still waiting are kept). */
  announced: ReadonlySet<string>;
  lastNotifiedAt: number | null;
}

export const NO_REMINDERS_YET: ReminderState = { announced: new Set(), lastNotifiedAt: null };

export interface ReminderDecision {
  notification: { title: string; body: string } | null;
  state: ReminderState;
}

export function decideOfferReminder(
  offers: readonly WaitingOffer[],
  now: number,
  state: ReminderState,
): ReminderDecision {
  const waiting = new Set(offers.map((o) => o.tradeId));
  const announced = new Set([...state.announced].filter((id) => waiting.has(id)));
  const ages = offers.map((o) => ({ id: o.tradeId, age: now - Date.parse(o.waitingSince) }));
  const due = ages.filter((o) => o.age >= REMIND_AFTER_MS && !announced.has(o.id));
  const tooSoon = state.lastNotifiedAt !== null && now - state.lastNotifiedAt < MIN_GAP_MS;
  if (due.length === 0 || tooSoon) {
    return { notification: null, state: { announced, lastNotifiedAt: state.lastNotifiedAt } };
  }
  for (const o of ages) if (o.age >= REMIND_AFTER_MS) announced.add(o.id);
  const oldest = Math.max(...ages.map((o) => o.age));
  const n = offers.length;
  return {
    notification: {
      title:
        n === 1
          ? 'A trade offer waits for you in Steam'
          : `${n} trade offers wait for you in Steam`,
      body: `The oldest has waited ${minutes(oldest)}. Accept them in Steam, or the items are not sold.`,
    },
    state: { announced, lastNotifiedAt: now },
  };
}

function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
}
