import type { TradeStatus } from '../../../../shared/api/schemas';

/*
 * Trade polling cadence (api §8 "Status tracking without webhooks"): often for
 * trades still moving (initiated/pending/active), rarely for `hold` (and again
 * right after holdEndDate), occasionally for `completed` during a reversal
 * watch, never for the other final statuses.
 */
export interface TrackingTiming {
  activePollMs: number;
  holdPollMs: number;
  completedPollMs: number;
  completedWatchMs: number;
  missingPollMs: number;
}

export const DEFAULT_TRACKING: TrackingTiming = {
  activePollMs: 15_000,
  holdPollMs: 6 * 3_600_000,
  completedPollMs: 24 * 3_600_000,
  completedWatchMs: 30 * 24 * 3_600_000,
  missingPollMs: 60_000,
};

/** Margin after holdEndDate before looking again (AssetPay needs a moment to move the trade). */
const HOLD_END_MARGIN_MS = 60_000;

export function nextPoll(
  status: TradeStatus,
  now: number,
  timing: TrackingTiming,
  holdEndDate: string | null | undefined,
  watchUntil: number | null,
): { nextPollAt: number | null; watchUntil: number | null } {
  switch (status) {
    case 'initiated':
    case 'pending':
    case 'active':
      return { nextPollAt: now + timing.activePollMs, watchUntil };
    case 'hold': {
      let at = now + timing.holdPollMs;
      const end = holdEndDate ? Date.parse(holdEndDate) : NaN;
      if (Number.isFinite(end)) {
        const afterEnd = end + Math.min(HOLD_END_MARGIN_MS, timing.activePollMs);
        at = afterEnd > now ? Math.min(at, afterEnd) : Math.min(at, now + timing.activePollMs);
      }
      return { nextPollAt: at, watchUntil };
    }
    case 'completed': {
      const until = watchUntil ?? now + timing.completedWatchMs;
      const at = now + timing.completedPollMs;
      return { nextPollAt: at <= until ? at : null, watchUntil: until };
    }
    case 'failed':
    case 'canceled':
    case 'declined':
    case 'reverted':
      return { nextPollAt: null, watchUntil };
  }
}
