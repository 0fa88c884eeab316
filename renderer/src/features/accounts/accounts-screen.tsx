import { useRef, useState, type FormEvent } from 'react';
import type { Account } from '../../../../shared/contract';
import { parseTradeUrl } from '../../../../shared/api/trade-url';
import { useAccounts } from './accounts-store';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { useInventory } from '../inventory/inventory-store';
import { useSettings } from '../settings/settings-store';
import { ENVIRONMENT_NAMES } from '../../../../shared/domain';
import { EmptyState } from '../../ui/empty-state';
import { Dialog } from '../../ui/dialog';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { dateTime, relativeTime } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { CheckWaitNote } from './check-wait';
import './accounts.css';

export function AccountsScreen() {
  const accounts = useAccounts((s) => s.accounts);
  const loaded = useAccounts((s) => s.loaded);
  const labelRef = useRef<HTMLInputElement>(null);
  return (
    <section className="screen">
      <header className="screen-header">
        <div>
          <h1>Steam accounts</h1>
          <p className="subtitle">
            The accounts you sell from. AssetPay sends each one a trade offer to accept in Steam.
          </p>
        </div>
      </header>
      <div className="screen-body accounts-layout">
        <AddAccountForm labelRef={labelRef} first={accounts.length === 0} />
        {loaded && accounts.length === 0 ? (
          <EmptyState
            title="Add a Steam account"
            actions={
              <button type="button" className="primary" onClick={() => labelRef.current?.focus()}>
                Add a Steam account
              </button>
            }
          >
            Paste the account’s trade URL from Steam (Inventory → Trade Offers → Who can send me
            trade offers). You can add several accounts; each batch sells from one of them.
          </EmptyState>
        ) : (
          <ul className="account-list" aria-label="Accounts">
            {accounts.map((a) => (
              <AccountCard key={a.id} account={a} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function AddAccountForm({
  labelRef,
  first,
}: {
  labelRef: React.RefObject<HTMLInputElement | null>;
  first: boolean;
}) {
  const add = useAccounts((s) => s.add);
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = url ? parseTradeUrl(url) : null;
  const live = touched && check && !check.ok ? check.reason : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    // A trade URL that is wrong as typed is said once, under its field.
    if (check && !check.ok) return;
    setBusy(true);
    const problem = await add(label || 'Main account', url);
    setBusy(false);
    setError(problem);
    if (!problem) {
      setLabel('');
      setUrl('');
      setTouched(false);
    }
  };

  return (
    <form
      className="card add-account"
      onSubmit={(e) => void submit(e)}
      aria-label="Add a Steam account"
    >
      <h2>{first ? 'Add your first Steam account' : 'Add another account'}</h2>
      <div className="add-account-fields">
        <label className="field">
          <span>Name</span>
          <input
            ref={labelRef}
            value={label}
            placeholder="Main account"
            maxLength={100}
            onChange={(e) => setLabel(e.target.value)}
          />
        </label>
        <label className="field grow">
          <span>Trade URL</span>
          <input
            value={url}
            spellCheck={false}
            placeholder="https://steamcommunity.com/tradeoffer/new/?partner=…&token=…"
            onChange={(e) => {
              setUrl(e.target.value);
              setError(null);
            }}
            onBlur={() => setTouched(true)}
            aria-invalid={!!live}
            aria-describedby="trade-url-help"
            data-testid="trade-url-input"
          />
          <small
            id="trade-url-help"
            className={live ? 'field-error' : check?.ok ? 'field-ok' : 'muted'}
          >
            {live ??
              (check?.ok
                ? `SteamID64 ${check.steamId64}`
                : 'Exactly as Steam shows it: partner and token, nothing else.')}
          </small>
        </label>
        <button type="submit" className="primary" disabled={busy || !url}>
          Add account
        </button>
      </div>
      {error && !live && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function AccountCard({ account }: { account: Account }) {
  const { check, remove, rename, changeTradeUrl } = useAccounts.getState();
  const checking = useAccounts((s) => s.checking.has(account.id));
  const online = useConnectivity((s) => s.online);
  const allSnapshots = useInventory((s) => s.snapshots);
  const snapshots = allSnapshots.filter((x) => x.accountId === account.id);
  const defaultGame = useSettings((s) => s.settings?.defaultGame);
  const environment = useSettings((s) => s.settings?.environment);
  const go = useNav((s) => s.go);
  const now = useNow();
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const last = account.lastCheck;
  return (
    <li className="card account-card">
      <div className="account-main">
        <div>
          <h3>{account.label}</h3>
          <p className="muted mono">SteamID64 {account.steamId64}</p>
          <p className="mono small trade-url">{account.tradeUrl}</p>
        </div>
        <div className="account-status">
          {last ? (
            <span
              className={`chip chip-${last.canTrade === false ? 'err' : last.canTrade ? 'ok' : 'neutral'}`}
              title={`Checked ${dateTime(last.at)} in ${ENVIRONMENT_NAMES[last.environment]}`}
            >
              {last.canTrade === false ? 'cannot trade' : last.canTrade ? 'can trade' : 'checked'}
            </span>
          ) : (
            <span className="chip chip-neutral">
              not checked{environment ? ` in ${ENVIRONMENT_NAMES[environment]}` : ''}
            </span>
          )}
          {last && (
            <small className="muted">
              {last.message} ({ENVIRONMENT_NAMES[last.environment]})
            </small>
          )}
          <CheckWaitNote accountId={account.id} />
        </div>
      </div>
      <div className="account-foot">
        <span className="muted small">
          {snapshots.length === 0
            ? 'No inventory cached yet'
            : snapshots
                .map(
                  (s) =>
                    `${s.game === '730' ? 'CS2' : 'Rust'}: ${s.itemCount.toLocaleString('en-US')} items, ${relativeTime(s.fetchedAt, now)}`,
                )
                .join(' · ')}
        </span>
        <div className="row-actions">
          <button
            type="button"
            onClick={() => {
              const view = { accountId: account.id, game: defaultGame ?? ('730' as const) };
              if (snapshots.length === 0 && online !== false)
                void useInventory.getState().fetch(view);
              else void useInventory.getState().open(view);
              go('inventory');
            }}
          >
            {snapshots.length === 0 ? 'Fetch your inventory' : 'Open inventory'}
          </button>
          <button
            type="button"
            onClick={() => void check(account.id)}
            disabled={checking || online === false}
          >
            {checking ? 'Checking…' : 'Check trade URL'}
          </button>
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" className="danger-quiet" onClick={() => setConfirmRemove(true)}>
            Remove
          </button>
        </div>
      </div>
      <EditAccountDialog
        open={editing}
        account={account}
        onClose={() => setEditing(false)}
        onSave={async (label, url) => {
          if (label !== account.label) await rename(account.id, label);
          if (url !== account.tradeUrl) return changeTradeUrl(account.id, url);
          return null;
        }}
      />
      <ConfirmDialog
        open={confirmRemove}
        title={`Remove “${account.label}”?`}
        keepLabel="Keep it"
        confirmLabel="Remove account"
        onConfirm={() => void remove(account.id)}
        onClose={() => setConfirmRemove(false)}
      >
        <p>
          Its cached inventory is removed from this computer. Trades already made stay in History.
        </p>
      </ConfirmDialog>
    </li>
  );
}

function EditAccountDialog({
  open,
  account,
  onClose,
  onSave,
}: {
  open: boolean;
  account: Account;
  onClose: () => void;
  onSave: (label: string, url: string) => Promise<string | null>;
}) {
  const [label, setLabel] = useState(account.label);
  const [url, setUrl] = useState(account.tradeUrl);
  const [error, setError] = useState<string | null>(null);
  const check = parseTradeUrl(url);
  return (
    <Dialog
      open={open}
      title="Edit account"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!check.ok || !label.trim()}
            onClick={async () => {
              const problem = await onSave(label, url);
              setError(problem);
              if (!problem) onClose();
            }}
          >
            Save
          </button>
        </>
      }
    >
      <label className="field">
        <span>Name</span>
        <input value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} />
      </label>
      <label className="field">
        <span>Trade URL</span>
        <input
          value={url}
          spellCheck={false}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={!check.ok}
        />
        {!check.ok && <small className="field-error">{check.reason}</small>}
      </label>
      {error && <p className="field-error">{error}</p>}
    </Dialog>
  );
}
