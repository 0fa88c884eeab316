import { useCallback, useEffect, useState } from 'react';
import { useConnectivity } from './connectivity-store';
import { SCREENS, useNav, type ScreenId } from './nav-store';
import { SHORTCUTS, useGlobalShortcuts } from './shortcuts';
import { Toasts } from './toasts';
import { Icon } from '../ui/icons';
import { subscribe } from '../api/client';
import { ENVIRONMENT_NAMES } from '../../../shared/domain';
import { useSettings } from '../features/settings/settings-store';
import { useAccounts } from '../features/accounts/accounts-store';
import { useInventory } from '../features/inventory/inventory-store';
import { usePlan } from '../features/plans/plan-store';
import { useRuns, isLiveRun } from '../features/runs/runs-store';
import { useOffers } from '../features/runs/offers-store';
import { useHistory } from '../features/history/history-store';
import { SettingsScreen } from '../features/settings/settings-screen';
import { AccountsScreen } from '../features/accounts/accounts-screen';
import { InventoryScreen } from '../features/inventory/inventory-screen';
import { PlansScreen } from '../features/plans/plans-screen';
import { RunBoard } from '../features/runs/run-board';
import { HistoryScreen } from '../features/history/history-screen';

export function App() {
  const screen = useNav((s) => s.screen);
  const [help, setHelp] = useState(false);
  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  useGlobalShortcuts(toggleHelp);

  useEffect(() => {
    let offConnectivity: (() => void) | undefined;
    void useConnectivity
      .getState()
      .init()
      .then((off) => (offConnectivity = off));
    const offRuns = useRuns.getState().listen();
    const offOffers = useOffers.getState().listen();
    const offTrades = subscribe('tradeUpdated', (t) => useHistory.getState().applyTrade(t));
    // A plan armed offline turns into a run by itself when the connection returns;
    // its status changes with the run's, so reread the plans (at most every 2 s).
    const runStates = new Map<string, string>();
    let refreshTimer: ReturnType<typeof setTimeout> | null = null;
    const offProgress = subscribe('runProgress', (run) => {
      if (runStates.get(run.id) === run.state) return;
      runStates.set(run.id, run.state);
      refreshTimer ??= setTimeout(() => {
        refreshTimer = null;
        void usePlan.getState().refreshStatus();
      }, 2_000);
    });
    void useSettings.getState().load();
    void useAccounts
      .getState()
      .load()
      .then(() => {
        // A first start opens on Setup; once an account exists, where the work happens (a
        // screen the trader picked while the app was loading stays).
        if (useAccounts.getState().accounts.length > 0) useNav.getState().openOn('inventory');
      });
    void useInventory.getState().loadSnapshots();
    void usePlan.getState().loadPlans();
    void useRuns.getState().loadRuns();
    void useOffers.getState().load();
    // Events keep the offers live; a reread now and then catches any that a restart missed.
    const offersTimer = setInterval(() => void useOffers.getState().load(), 30_000);
    return () => {
      offConnectivity?.();
      offRuns();
      offOffers();
      clearInterval(offersTimer);
      offTrades();
      offProgress();
      if (refreshTimer) clearTimeout(refreshTimer);
    };
  }, []);

  return (
    <div className="app">
      <Sidebar screen={screen} help={help} toggleHelp={toggleHelp} />
      <main className="content" id="main">
        <Screen id={screen} />
      </main>
    </div>
  );
}

function Screen({ id }: { id: ScreenId }) {
  switch (id) {
    case 'settings':
      return <SettingsScreen />;
    case 'accounts':
      return <AccountsScreen />;
    case 'inventory':
      return <InventoryScreen />;
    case 'plans':
      return <PlansScreen />;
    case 'runs':
      return <RunBoard />;
    case 'history':
      return <HistoryScreen />;
  }
}

function Sidebar({
  screen,
  help,
  toggleHelp,
}: {
  screen: ScreenId;
  help: boolean;
  toggleHelp: () => void;
}) {
  const go = useNav((s) => s.go);
  const armed = usePlan((s) => s.plans.filter((p) => p.status === 'armed').length);
  const liveRuns = useRuns((s) => s.runs.filter(isLiveRun).length);
  const offers = useOffers((s) => s.offers.length);
  const badges: Partial<Record<ScreenId, string>> = {
    ...(armed > 0 ? { plans: `${armed} armed` } : {}),
    ...(liveRuns > 0 ? { runs: `${liveRuns} live` } : {}),
  };
  // Offers to accept outrank "live": they wait for the trader.
  const urgent: Partial<Record<ScreenId, string>> =
    offers > 0 ? { runs: offers === 1 ? '1 offer' : `${offers} offers` } : {};
  return (
    <nav className="sidebar" aria-label="Screens">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          AP
        </span>
        <span>
          <strong>Bulk Seller</strong>
          <small>for AssetPay</small>
        </span>
      </div>
      <ul className="nav-list">
        {SCREENS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className={`nav-item${screen === s.id ? ' active' : ''}`}
              aria-current={screen === s.id ? 'page' : undefined}
              onClick={() => go(s.id)}
              title={`${s.label} (Alt+${s.key})`}
              data-nav={s.id}
            >
              <Icon name={s.id} />
              <span className="nav-label">{s.label}</span>
              {urgent[s.id] ? (
                <span
                  className="nav-badge nav-badge-urgent"
                  title="Trade offers waiting for you in Steam"
                  data-testid="offers-badge"
                >
                  {urgent[s.id]}
                </span>
              ) : (
                badges[s.id] && <span className="nav-badge">{badges[s.id]}</span>
              )}
              <kbd className="nav-key">{s.key}</kbd>
            </button>
          </li>
        ))}
      </ul>
      <Toasts />
      <div className="sidebar-foot">
        <ConnectivityIndicator />
        <div className="help-anchor">
          <button
            type="button"
            className="nav-item help-button"
            aria-expanded={help}
            aria-controls="shortcut-help"
            onClick={toggleHelp}
          >
            <Icon name="help" />
            <span className="nav-label">Keyboard shortcuts</span>
            <kbd className="nav-key">?</kbd>
          </button>
          <div id="shortcut-help" role="tooltip" className={`help-tooltip${help ? ' open' : ''}`}>
            <h3>Keyboard shortcuts</h3>
            <dl>
              {SHORTCUTS.map((s) => (
                <div key={s.keys}>
                  <dt>
                    <kbd>{s.keys}</kbd>
                  </dt>
                  <dd>{s.what}</dd>
                </div>
              ))}
            </dl>
          </div>
        </div>
      </div>
    </nav>
  );
}

/** The network, and whether AssetPay itself answers: "Online" only when both are true as far as known. */
function ConnectivityIndicator() {
  const online = useConnectivity((s) => s.online);
  const assetpay = useConnectivity((s) => s.assetpay);
  const environment =
    useSettings((s) => s.settings?.environment) ?? useConnectivity.getState().environment;
  const version = useConnectivity((s) => s.version);
  const state =
    online === null
      ? 'unknown'
      : !online
        ? 'offline'
        : assetpay.state === 'unreachable'
          ? 'unreachable'
          : 'online';
  const title = {
    unknown: 'Connecting…',
    online: 'Online',
    offline: 'Offline',
    unreachable: 'AssetPay unreachable',
  }[state];
  return (
    <div
      className={`connectivity connectivity-${state}`}
      role="status"
      aria-live="polite"
      data-connectivity={state}
      title={state === 'unreachable' ? (assetpay.message ?? undefined) : undefined}
    >
      <span className="dot" aria-hidden="true" />
      <span>
        <strong>{title}</strong>
        <small>
          {state === 'offline'
            ? 'Working from cache; submits wait'
            : state === 'unreachable'
              ? `Network up, AssetPay not answering${environment ? ` · ${ENVIRONMENT_NAMES[environment]}` : ''}`
              : environment
                ? ENVIRONMENT_NAMES[environment]
                : ''}
          {version ? ` · v${version}` : ''}
        </small>
      </span>
    </div>
  );
}
