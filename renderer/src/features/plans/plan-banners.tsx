import { useEffect, useMemo } from 'react';
import { ENVIRONMENT_NAMES } from '../../../../shared/domain';
import type { PlanItemProblem } from '../../../../shared/contract';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { count, plural } from '../../ui/format';
import { isActiveRun, useRuns } from '../runs/runs-store';
import { useSettings } from '../settings/settings-store';
import { sellUnsold } from './plan-lifecycle';
import { usePlanHealth } from './plan-health-store';
import { usePlan } from './plan-store';

/* The banners above a plan: where it stands and what the trader can do about it. */

export function ArmedBanner() {
  const disarm = usePlan((s) => s.disarm);
  const online = useConnectivity((s) => s.online);
  return (
    <div className="banner banner-info armed-banner" role="status" data-testid="armed-banner">
      <span className="armed-badge">ARMED</span>
      <span>
        {online === false
          ? 'Submit when online: this plan starts by itself when the connection returns. Price changes beyond your tolerance will wait for you.'
          : 'Armed: starting as soon as the app confirms the connection.'}
      </span>
      <button type="button" onClick={() => void disarm()}>
        Disarm to edit
      </button>
    </div>
  );
}

/** A submitted plan: follow it on the board, and once its runs are over, sell what they did not. */
export function SubmittedBanner({ planId }: { planId: string }) {
  const go = useNav((s) => s.go);
  const selling = useRuns((s) => s.runs.some((r) => r.planId === planId && isActiveRun(r)));
  return (
    <div className="banner banner-ok" role="status">
      <span>This plan has been submitted. Follow it on the run board.</span>
      <button type="button" onClick={() => go('runs')}>
        Open the run board
      </button>
      {!selling && <UnsoldButton planId={planId} />}
    </div>
  );
}

/** Skipped, refused or failed items of a plan's runs, into a new plan in one step. */
export function UnsoldButton({ planId, onDone }: { planId: string; onDone?: () => void }) {
  return (
    <button
      type="button"
      onClick={() => {
        void sellUnsold(planId).then((made) => {
          if (made) onDone?.();
        });
      }}
    >
      Put the unsold items in a new plan
    </button>
  );
}

/** A plan built on another environment's data: kept and labelled, never submitted here. */
export function EnvironmentBanner() {
  const planEnvironment = usePlan((s) => s.draft?.environment);
  const current = useSettings((s) => s.settings?.environment);
  if (!planEnvironment || !current || planEnvironment === current) return null;
  const built = ENVIRONMENT_NAMES[planEnvironment];
  return (
    <div className="banner banner-warn" role="status" data-testid="plan-environment-banner">
      This plan was built on {built} data and {ENVIRONMENT_NAMES[current]} is selected. Switch to{' '}
      {built} in Setup to change or submit it.
    </div>
  );
}

const SHOWN = 50;
/** One empty list: a selector must not return a new array on every call. */
const NO_PROBLEMS: readonly PlanItemProblem[] = [];

/** Items that can no longer be sold as planned, each with its reason, and "remove these". */
export function StaleBanner({ editable }: { editable: boolean }) {
  const draft = usePlan((s) => s.draft);
  const save = usePlan((s) => s.save);
  const problems = usePlanHealth((s) => (s.planId === draft?.id ? s.problems : NO_PROBLEMS));
  const checkable = draft?.status === 'draft' || draft?.status === 'armed';

  // On opening a plan and after each save: main has the facts (runs, trades, the cached copy).
  const planId = draft?.id;
  const updatedAt = draft?.updatedAt;
  useEffect(() => {
    if (planId && checkable && save === 'saved') void usePlanHealth.getState().check(planId);
  }, [planId, updatedAt, checkable, save]);

  const byReason = useMemo(() => groupByReason(problems), [problems]);
  if (!checkable || problems.length === 0) return null;
  return (
    <div className="banner banner-warn stale-banner" role="status" data-testid="stale-banner">
      <div className="stale-head">
        <strong>
          {plural(problems.length, 'item')} of this plan can no longer be sold as planned.
        </strong>
        <span className="muted small">{byReason}</span>
        {editable && (
          <button type="button" onClick={() => void usePlanHealth.getState().removeThese()}>
            Remove these {plural(problems.length, 'item')}
          </button>
        )}
      </div>
      <ul className="stale-list">
        {problems.slice(0, SHOWN).map((p) => (
          <li key={`${p.accountId}|${p.game}|${p.itemId}`} data-testid="stale-item">
            <span className="name">{p.name}</span> <span className="muted">{p.message}</span>
          </li>
        ))}
        {problems.length > SHOWN && (
          <li className="muted">…and {count(problems.length - SHOWN)} more</li>
        )}
      </ul>
    </div>
  );
}

const REASON_WORDS: Record<PlanItemProblem['reason'], string> = {
  sold: 'sold',
  'in-live-batch': 'being sold',
  gone: 'gone from the inventory',
  'not-cached': 'no cached inventory',
  'not-tradable': 'not tradable',
  'not-accepted': 'not accepted',
  'no-price': 'no offer',
  'fewer-units': 'fewer units left',
};

/** "4 sold · 1 gone from the inventory". */
function groupByReason(problems: readonly PlanItemProblem[]): string {
  const counts = new Map<PlanItemProblem['reason'], number>();
  for (const p of problems) counts.set(p.reason, (counts.get(p.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${count(n)} ${REASON_WORDS[reason]}`).join(' · ');
}
