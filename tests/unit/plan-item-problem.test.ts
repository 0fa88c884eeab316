import { describe, expect, it } from 'vitest';
import {
  planItemProblem,
  type PlanItemFacts,
} from '../../electron/main/services/store/plan-health';

/* Why a planned item cannot be sold as planned (issue 14 item 6): one verdict per fact set. */

const fine: PlanItemFacts = {
  accountId: 'acc-1',
  game: '252490',
  itemId: 'item-00001',
  name: 'Chippy Arcade Game',
  amount: 50,
  trade: null,
  liveRun: null,
  cached: true,
  row: { tradable: true, accepted: true, hasPrice: true, unitsLeft: 202 },
  environment: 'sandbox',
};
const row = fine.row!;

describe('planItemProblem', () => {
  it('finds nothing wrong with an item that can be sold as planned', () => {
    expect(planItemProblem(fine)).toBeNull();
    expect(planItemProblem({ ...fine, row: { ...row, unitsLeft: 50 } })).toBeNull();
  });

  it.each<[string, Partial<PlanItemFacts>, string, RegExp, string | null]>([
    [
      'completed trade',
      { trade: { status: 'completed', runId: 'run-1', planName: 'Weekend' }, row: null },
      'sold',
      /Sold in the run of “Weekend” \(trade completed\)/,
      'run-1',
    ],
    [
      'trade on hold',
      {
        trade: { status: 'hold', runId: 'run-1', planName: 'Weekend' },
        row: { ...row, unitsLeft: 0 },
      },
      'sold',
      /trade on hold/,
      'run-1',
    ],
    [
      'offer waiting in Steam',
      {
        trade: { status: 'active', runId: 'run-2', planName: 'Friday' },
        row: { ...row, unitsLeft: 0 },
      },
      'sold',
      /In a trade offer of the run of “Friday” \(trade active\)/,
      'run-2',
    ],
    [
      'live batch',
      { liveRun: { runId: 'run-3', planName: 'Now' } },
      'in-live-batch',
      /Being sold right now by the run of “Now”/,
      'run-3',
    ],
    [
      'no cached copy',
      { cached: false, row: null },
      'not-cached',
      /No Rust inventory .* Local sandbox/,
      null,
    ],
    ['gone from the copy', { row: null }, 'gone', /No longer in the inventory/, null],
    ['not tradable', { row: { ...row, tradable: false } }, 'not-tradable', /Not tradable/, null],
    ['not accepted', { row: { ...row, accepted: false } }, 'not-accepted', /does not accept/, null],
    ['no offer price', { row: { ...row, hasPrice: false } }, 'no-price', /no offer price/, null],
    [
      'fewer units left',
      { row: { ...row, unitsLeft: 30 } },
      'fewer-units',
      /Only 30 of the 50 planned units are left/,
      null,
    ],
    ['no units left', { row: { ...row, unitsLeft: 0 } }, 'fewer-units', /No units/, null],
  ])('%s → %s', (_what, facts, reason, message, runId) => {
    const problem = planItemProblem({ ...fine, ...facts });
    expect(problem).toMatchObject({ reason, runId, itemId: fine.itemId, name: fine.name });
    expect(problem!.message).toMatch(message);
  });

  it('a stack that sold some units is still fine while what is left covers the plan', () => {
    const trade = { status: 'completed' as const, runId: 'run-1', planName: 'Weekend' };
    expect(planItemProblem({ ...fine, trade, row: { ...row, unitsLeft: 50 } })).toBeNull();
    expect(planItemProblem({ ...fine, trade, row: { ...row, unitsLeft: 49 } })).toMatchObject({
      reason: 'sold',
      runId: 'run-1',
      message:
        'Only 49 of the 50 planned units are left: the rest was sold in the run of “Weekend”.',
    });
  });

  it('names the most decisive reason: a trade beats a live batch beats the cached copy', () => {
    const everything: Partial<PlanItemFacts> = {
      trade: { status: 'completed', runId: 'run-1', planName: 'A' },
      liveRun: { runId: 'run-2', planName: 'B' },
      row: null,
    };
    expect(planItemProblem({ ...fine, ...everything })!.reason).toBe('sold');
    expect(planItemProblem({ ...fine, ...everything, trade: null })!.reason).toBe('in-live-batch');
    expect(planItemProblem({ ...fine, ...everything, trade: null, liveRun: null })!.reason).toBe(
      'gone',
    );
  });
});
