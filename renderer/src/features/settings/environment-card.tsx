import { useState } from 'react';
import { ENVIRONMENT_NAMES, type Environment } from '../../../../shared/domain';
import { switchEnvironment } from '../../app/environment-switch';
import { Dialog } from '../../ui/dialog';
import { useSettings } from './settings-store';

const ENVIRONMENTS: { id: Environment; detail: string }[] = [
  {
    id: 'sandbox',
    detail: 'A built-in AssetPay emulator. Nothing real is sold — try the whole flow safely.',
  },
  { id: 'staging', detail: 'api-staging.assetpay.gg — AssetPay’s test system.' },
  { id: 'production', detail: 'api.assetpay.gg — real items, real wallet credit.' },
];

/**
 * The environment, switched only after the trader confirms it (issue 14 item 3):
 * each environment keeps its own cached inventories, checks, plans and runs.
 */
export function EnvironmentCard() {
  const environment = useSettings((s) => s.settings!.environment);
  const [asked, setAsked] = useState<Environment | null>(null);
  const [busy, setBusy] = useState(false);
  const current = ENVIRONMENT_NAMES[environment];
  const target = asked ? ENVIRONMENT_NAMES[asked] : '';

  const confirm = async () => {
    if (!asked) return;
    setBusy(true);
    await switchEnvironment(asked);
    setBusy(false);
    setAsked(null);
  };

  return (
    <div className="card">
      <h2 id="env-title">Environment</h2>
      <div className="env-options" role="radiogroup" aria-labelledby="env-title">
        {ENVIRONMENTS.map((e) => (
          <label key={e.id} className={`env-option${environment === e.id ? ' selected' : ''}`}>
            <input
              type="radio"
              name="environment"
              value={e.id}
              checked={environment === e.id}
              onChange={() => setAsked(e.id)}
            />
            <span>
              <strong>{ENVIRONMENT_NAMES[e.id]}</strong>
              <small>{e.detail}</small>
            </span>
          </label>
        ))}
      </div>
      <Dialog
        open={asked !== null}
        title={`Switch to ${target}?`}
        onClose={() => setAsked(null)}
        footer={
          <>
            <button type="button" onClick={() => setAsked(null)} disabled={busy}>
              Stay in {current}
            </button>
            <button
              type="button"
              className={asked === 'production' ? 'danger' : 'primary'}
              onClick={() => void confirm()}
              disabled={busy}
            >
              Switch to {target}
            </button>
          </>
        }
      >
        <p>
          {`${current}’s cached inventories, “can trade” checks, plans and runs stay with ${current} and come back when you switch back. ${target} has its own: fetch its inventories and check its accounts there.`}
        </p>
        <p>
          Plans built on {current} data are kept, labelled, and can only be submitted in {current}.
        </p>
        {asked === 'production' && (
          <p>
            <strong>Production sells real items for real wallet credit.</strong>
          </p>
        )}
      </Dialog>
    </div>
  );
}
