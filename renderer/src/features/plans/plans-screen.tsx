import { useEffect, type KeyboardEvent } from 'react';
import type { PlanSummary } from '../../../../shared/contract';
import { ENVIRONMENT_NAMES } from '../../../../shared/domain';
import { useNav } from '../../app/nav-store';
import { EmptyState } from '../../ui/empty-state';
import { Money } from '../../ui/money';
import { PlanChip } from '../../ui/status';
import { count, plural, relativeTime } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { useSettings } from '../settings/settings-store';
import { defaultPlanName, usePlan } from './plan-store';
import { PlanEditor } from './plan-editor';
import './plans.css';

export function PlansScreen() {
  const plans = usePlan((s) => s.plans);
  const loaded = usePlan((s) => s.plansLoaded);
  const draftId = usePlan((s) => s.draft?.id);
  const { open, create } = usePlan.getState();
  const go = useNav((s) => s.go);
  const environment = useSettings((s) => s.settings?.environment);

  // Reopen the newest draft of this environment so the trader lands where they left off.
  useEffect(() => {
    if (!draftId && loaded) {
      const latest = plans.find(
        (p) => (p.status === 'draft' || p.status === 'armed') && p.environment === environment,
      );
      if (latest) void open(latest.id);
    }
  }, [draftId, loaded, plans, open, environment]);

  const current = plans.filter((p) => p.status !== 'archived');
  const archived = plans.filter((p) => p.status === 'archived');

  return (
    <section className="screen plans-screen">
      <header className="screen-header">
        <div>
          <h1>Sell plans</h1>
          <p className="subtitle">
            Prepare sells offline; submit them when you are online. Drafts save themselves.
          </p>
        </div>
        <button type="button" className="primary" onClick={() => void create(defaultPlanName())}>
          New plan
        </button>
      </header>
      <div className="plans-layout">
        <aside className="plan-list" aria-label="Plans">
          {plans.length === 0 ? (
            <p className="muted pad small">No plans yet.</p>
          ) : (
            <ul>
              {current.map((p) => (
                <PlanListItem key={p.id} plan={p} active={p.id === draftId} />
              ))}
            </ul>
          )}
          {archived.length > 0 && (
            <details className="archived">
              <summary>Archived ({count(archived.length)})</summary>
              <ul>
                {archived.map((p) => (
                  <PlanListItem key={p.id} plan={p} active={p.id === draftId} />
                ))}
              </ul>
            </details>
          )}
        </aside>
        <div className="plan-main">
          {draftId ? (
            <PlanEditor />
          ) : (
            <EmptyState
              title="Build a sell plan"
              actions={
                <>
                  <button type="button" className="primary" onClick={() => go('inventory')}>
                    Select items in Inventory
                  </button>
                  <button type="button" onClick={() => void create(defaultPlanName())}>
                    Start an empty plan to import a list
                  </button>
                </>
              }
            >
              A plan is a list of items and prices to sell. Pick items in the inventory, or import a
              CSV/JSON list of itemId,price[,amount]. Everything here works offline.
            </EmptyState>
          )}
        </div>
      </div>
    </section>
  );
}

/** One plan in the list: its state, its environment, and a warning when items went stale. */
function PlanListItem({ plan: p, active }: { plan: PlanSummary; active: boolean }) {
  const open = usePlan((s) => s.open);
  const now = useNow();
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void open(p.id);
    }
  };
  return (
    <li>
      <div
        role="button"
        tabIndex={0}
        className={`plan-list-item${active ? ' active' : ''}`}
        aria-current={active ? 'true' : undefined}
        onClick={() => void open(p.id)}
        onKeyDown={onKey}
      >
        <span className="plan-list-top">
          <strong title={p.name}>{p.name}</strong>
          <PlanChip status={p.status} />
        </span>
        <span className="plan-list-meta">
          {plural(p.itemCount, 'item')} · {plural(p.batchCount, 'batch', 'batches')} ·{' '}
          <Money cents={p.totalCents} />
        </span>
        <span className="plan-list-tags">
          <span className="chip chip-neutral small" data-testid="plan-environment">
            {ENVIRONMENT_NAMES[p.environment]}
          </span>
          {(p.unavailableCount ?? 0) > 0 && (
            <span className="chip chip-warn small" data-testid="plan-unavailable">
              {count(p.unavailableCount!)} unavailable
            </span>
          )}
        </span>
        <small className="muted">edited {relativeTime(p.updatedAt, now)}</small>
      </div>
    </li>
  );
}
