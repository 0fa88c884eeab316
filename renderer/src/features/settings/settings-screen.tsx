import { useState, type FormEvent } from 'react';
import { GAMES, type GameId } from '../../../../shared/api/games';
import { useSettings } from './settings-store';
import { useAccounts } from '../accounts/accounts-store';
import { useInventory } from '../inventory/inventory-store';
import { usePlan } from '../plans/plan-store';
import { useNav } from '../../app/nav-store';
import { useConnectivity } from '../../app/connectivity-store';
import { EmptyState } from '../../ui/empty-state';
import { NumberField } from '../../ui/number-field';
import { switchEnvironment } from '../../app/environment-switch';
import { EnvironmentCard } from './environment-card';
import './settings.css';

/** The emulator's built-in key (electron/main/app/api-access.ts); not a secret, and the sandbox works without it. */
export const SANDBOX_KEY = 'ap_sandbox_key';

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings);
  const loadError = useSettings((s) => s.loadError);
  const load = useSettings((s) => s.load);
  if (!settings) {
    return (
      <section className="screen">
        <header className="screen-header">
          <h1>Setup</h1>
        </header>
        {loadError ? (
          <EmptyState
            title="Settings could not be read"
            actions={<button onClick={() => void load()}>Try again</button>}
          >
            {loadError}
          </EmptyState>
        ) : (
          <p className="muted pad">Loading…</p>
        )}
      </section>
    );
  }
  return (
    <section className="screen">
      <header className="screen-header">
        <div>
          <h1>Setup</h1>
          <p className="subtitle">
            Connect to AssetPay once; after that you can plan offline and submit when online.
          </p>
        </div>
      </header>
      <div className="screen-body settings-grid">
        <Checklist />
        <EnvironmentCard />
        <KeyCard />
        <DefaultsCard />
      </div>
    </section>
  );
}

function Checklist() {
  const key = useSettings((s) => s.key);
  const sandbox = useSettings((s) => s.settings?.environment === 'sandbox');
  const accounts = useAccounts((s) => s.accounts.length);
  const snapshots = useInventory((s) => s.snapshots.length);
  const plans = usePlan((s) => s.plans.length);
  const go = useNav((s) => s.go);
  const steps = [
    {
      done: !!key?.present || sandbox,
      label: sandbox ? 'Local sandbox chosen' : 'Add your API key',
      hint: 'Or try the local sandbox first.',
      go: null,
    },
    {
      done: accounts > 0,
      label: 'Add a Steam account',
      hint: 'By its trade URL.',
      go: 'accounts' as const,
    },
    {
      done: snapshots > 0,
      label: 'Fetch your inventory',
      hint: 'It is cached, so you can browse offline.',
      go: 'inventory' as const,
    },
    {
      done: plans > 0,
      label: 'Build a sell plan',
      hint: 'Select items or import a CSV.',
      go: 'plans' as const,
    },
  ];
  const next = steps.findIndex((s) => !s.done);
  return (
    <div className="card checklist" aria-label="Getting started">
      <h2>Getting started</h2>
      <ol>
        {steps.map((s, i) => (
          <li key={s.label} className={s.done ? 'done' : i === next ? 'next' : ''}>
            <span className="step-mark" aria-hidden="true">
              {s.done ? '✓' : i + 1}
            </span>
            <span className="step-text">
              <strong>{s.label}</strong>
              <small>{s.done ? 'Done' : s.hint}</small>
            </span>
            {!s.done && i === next && s.go && (
              <button type="button" className="primary small" onClick={() => go(s.go!)}>
                Go
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function KeyCard() {
  const environment = useSettings((s) => s.settings!.environment);
  const key = useSettings((s) => s.key);
  const busy = useSettings((s) => s.busy);
  const validation = useSettings((s) => s.validation);
  const { saveKey, deleteKey, validateKey } = useSettings.getState();
  const online = useConnectivity((s) => s.online);
  const [draft, setDraft] = useState('');
  const problem =
    draft && draft.trim().length < 8
      ? 'An API key is at least 8 characters.'
      : /\s/.test(draft.trim())
        ? 'A key has no spaces.'
        : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem || !draft.trim()) return;
    if (await saveKey(draft)) {
      setDraft('');
      if (online !== false) void validateKey();
    }
  };

  // The button says what it does: no second question.
  const trySandbox = async () => {
    if ((await switchEnvironment('sandbox')) && online !== false) void validateKey();
  };

  return (
    <div className="card">
      <h2>API key</h2>
      {environment === 'sandbox' && !key?.present ? (
        <div className="callout callout-sandbox">
          <strong>You are in the local sandbox</strong>
          <p>
            A built-in AssetPay emulator: no key needed and nothing real is sold. When you are
            ready, pick Production above and add your API key.
          </p>
        </div>
      ) : key?.present ? (
        <p className="key-present">
          <span className="chip chip-ok">saved</span> A key ending in{' '}
          <code>…{key.hint ?? '????'}</code> is stored in the system keychain. It never leaves this
          computer except to AssetPay.
        </p>
      ) : (
        <div className="callout">
          <strong>Add your API key</strong>
          <p>
            Paste the merchant key from the AssetPay dashboard (scope CORE_ACCESS). It goes straight
            to the system keychain. No key yet? <strong>Try the local sandbox</strong> — it needs
            none of your data.
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => void trySandbox()}
            disabled={busy}
          >
            Try the local sandbox
          </button>
        </div>
      )}
      <form className="key-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>
            {key?.present
              ? 'Replace the key'
              : environment === 'sandbox'
                ? 'Sandbox key (optional)'
                : 'Merchant API key'}
          </span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={draft}
            placeholder={environment === 'sandbox' ? SANDBOX_KEY : 'ap_…'}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={!!problem}
            data-testid="api-key-input"
          />
          {problem && <small className="field-error">{problem}</small>}
        </label>
        <div className="row-actions">
          <button type="submit" className="primary" disabled={busy || !draft.trim() || !!problem}>
            Save key
          </button>
          <button
            type="button"
            onClick={() => void validateKey()}
            disabled={busy || (!key?.present && environment !== 'sandbox') || online === false}
          >
            Check key
          </button>
          {key?.present && (
            <button
              type="button"
              className="danger-quiet"
              onClick={() => void deleteKey()}
              disabled={busy}
            >
              Remove key
            </button>
          )}
        </div>
      </form>
      {validation && (
        <p
          className={`validation validation-${validation.result === 'valid' ? 'ok' : 'err'}`}
          role="status"
        >
          {validation.message}
        </p>
      )}
      {online === false && (
        <p className="muted">Offline: the key can be saved now and checked later.</p>
      )}
    </div>
  );
}

function DefaultsCard() {
  const settings = useSettings((s) => s.settings!);
  const update = useSettings((s) => s.update);
  return (
    <div className="card">
      <h2>Selling defaults</h2>
      <p className="muted">New plans start with these; each plan can change them.</p>
      <div className="form-grid">
        <label className="field">
          <span>Merchant account</span>
          <select
            value={settings.tier}
            onChange={(e) => void update({ tier: e.target.value as 'verified' | 'unverified' })}
          >
            <option value="verified">Verified — 5,000 sells/min</option>
            <option value="unverified">Unverified — 50 sells/min</option>
          </select>
        </label>
        <label className="field">
          <span>Default game</span>
          <select
            value={settings.defaultGame}
            onChange={(e) => void update({ defaultGame: e.target.value as GameId })}
          >
            <option value={GAMES.cs2}>CS2</option>
            <option value={GAMES.rust}>Rust</option>
          </select>
        </label>
        <label className="field">
          <span>Batch size (max 250)</span>
          <NumberField
            min={1}
            max={250}
            value={settings.batchSize}
            onCommit={(n) => void update({ batchSize: n })}
          />
        </label>
        <label className="field">
          <span>Accept price drops up to (%)</span>
          <NumberField
            min={0}
            max={100}
            step={0.5}
            scale={100}
            value={settings.priceToleranceBp}
            onCommit={(bp) => void update({ priceToleranceBp: bp })}
          />
        </label>
        <label className="field">
          <span>Sells in flight</span>
          <select
            value={settings.concurrency === 'auto' ? 'auto' : 'fixed'}
            onChange={(e) => void update({ concurrency: e.target.value === 'auto' ? 'auto' : 4 })}
          >
            <option value="auto">Automatic (as many as AssetPay takes)</option>
            <option value="fixed">At most…</option>
          </select>
        </label>
        {settings.concurrency !== 'auto' && (
          <label className="field">
            <span>At most (1–64)</span>
            <NumberField
              min={1}
              max={64}
              value={settings.concurrency}
              onCommit={(n) => void update({ concurrency: n })}
            />
          </label>
        )}
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={settings.isInstant}
            onChange={(e) => void update({ isInstant: e.target.checked })}
          />
          <span>Instant credit (isInstant)</span>
        </label>
      </div>
    </div>
  );
}
