import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../electron/main/services/store';
import { completedTrade } from './completed-trade';

/*
 * History's totals per day are the trader's local days, daylight saving included:
 * a trade at 22:30 UTC in July is the next day in Berlin (UTC+2), while one at
 * 22:30 UTC in January is not (UTC+1). A fixed offset taken today gets one of them wrong.
 */

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-days-'));
  store = new Store(join(dir, 'app.db'));
  const plan = store.plans.create({ name: 'Days' });
  store.runs.insert({ id: 'run-1', planId: plan.id, preflightId: null, state: 'finished' });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function soldAt(at: string, usd = 1): void {
  store.trades.record(completedTrade(`trade-${at}`, at, usd), {
    batchId: null,
    runId: 'run-1',
    attempt: 1,
    accountId: null,
  });
}

const dayOf = (timeZone: string) => store.history.totals({}, timeZone).days.map((d) => d.day);

describe('history: totals per local day', () => {
  it.each([
    ['Europe/Berlin', '2026-07-01T22:30:00.000Z', '2026-07-02'], // summer time, UTC+2
    ['Europe/Berlin', '2026-01-15T22:30:00.000Z', '2026-01-15'], // winter time, UTC+1
    ['Europe/Berlin', '2026-03-29T00:30:00.000Z', '2026-03-29'], // the night the clocks go forward
    ['America/New_York', '2026-11-01T03:30:00.000Z', '2026-10-31'], // 23:30 EDT
    ['America/New_York', '2026-11-02T03:30:00.000Z', '2026-11-01'], // 22:30 EST
    ['Asia/Kolkata', '2026-07-01T18:45:00.000Z', '2026-07-02'], // UTC+5:30
    ['UTC', '2026-07-01T23:59:59.999Z', '2026-07-01'],
  ])('%s: a trade at %s is on %s', (timeZone, at, day) => {
    soldAt(at);
    expect(dayOf(timeZone)).toEqual([day]);
  });

  it('adds a day up from trades either side of a clock change, newest day first', () => {
    soldAt('2026-10-24T22:30:00.000Z', 1); // Sun 25 Oct 00:30 CEST
    soldAt('2026-10-25T22:30:00.000Z', 2); // Sun 25 Oct 23:30 CET
    soldAt('2026-10-26T12:00:00.000Z', 4);
    expect(
      store.history.totals({}, 'Europe/Berlin').days.map((d) => [d.day, d.trades, d.creditedCents]),
    ).toEqual([
      ['2026-10-26', 1, 400],
      ['2026-10-25', 2, 300],
    ]);
  });
});
