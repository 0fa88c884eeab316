import { useEffect, type KeyboardEvent } from 'react';
import { useNav } from '../../app/nav-store';
import { EmptyState } from '../../ui/empty-state';
import { Money } from '../../ui/money';
import { PlanChip } from '../../ui/status';
import { plural, relativeTime } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { defaultPlanName, usePlan } from './plan-store';
import { PlanEditor } from './plan-editor';
import './plans.css';

export function PlansScreen() {
  const plans = usePlan((s) => s.plans);
  const loaded = usePlan((s) => s.plansLoaded);
  const draftId = usePlan((s) => s.draft?.id);
  const { open, create } = usePlan.getState();
  const go = useNav((s) => s.go);
  const now = useNow();

  // Reopen the newest draft so the trader lands where they left off.
  useEffect(() => {
    if (!draftId && loaded) {
      const latest = plans.find((p) => p.status === 'draft' || p.status === 'armed');
      if (latest) void open(latest.id);
    }
  }, [draftId, loaded, plans, open]);

  const onKey = (planId: string) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void open(planId);
    }
  };

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
              {plans.map((p) => (
                <li key={p.id}>
                  <div
                    role="button"
                    tabIndex={0}
                    className={`plan-list-item${p.id === draftId ? ' active' : ''}`}
                    aria-current={p.id === draftId ? 'true' : undefined}
                    onClick={() => void open(p.id)}
                    onKeyDown={onKey(p.id)}
                  >
                    <span className="plan-list-top">
                      <strong title={p.name}>{p.name}</strong>
                      <PlanChip status={p.status} />
                    </span>
                    <span className="plan-list-meta">
                      {plural(p.itemCount, 'item')} · {plural(p.batchCount, 'batch', 'batches')} ·{' '}
                      <Money cents={p.totalCents} />
                    </span>
                    <small className="muted">edited {relativeTime(p.updatedAt, now)}</small>
                  </div>
                </li>
              ))}
            </ul>
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
