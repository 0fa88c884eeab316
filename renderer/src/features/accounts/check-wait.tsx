import type { MerchantTier } from '../../../../shared/domain';
import { plural } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { useAccounts } from './accounts-store';

/*
 * A trade-URL check waits for the merchant tier's limit (api §3: 100 checks an
 * hour unverified, so ~38 s apart): the card says so, with the time it
 * leaves, instead of a bare "Checking…".
 */

export interface CheckWait {
  /** Epoch ms when the check leaves. */
  at: number;
  limit: number;
  windowMs: number;
  tier: MerchantTier;
}

export function checkWaitWords(wait: CheckWait, now: number): string {
  const per =
    wait.windowMs === 3_600_000 ? 'per hour' : `per ${Math.round(wait.windowMs / 1000)} s`;
  const seconds = Math.max(0, Math.ceil((wait.at - now) / 1000));
  const time = new Date(wait.at).toLocaleTimeString('en-GB', { hour12: false });
  return `Waiting for AssetPay’s limit: ${wait.tier} merchants may make ${wait.limit.toLocaleString('en-US')} trade-URL checks ${per}. This check goes at ${time} (in about ${plural(seconds, 'second')}).`;
}

export function CheckWaitNote({ accountId }: { accountId: string }) {
  const wait = useAccounts((s) => s.checkWaits[accountId]);
  const now = useNow(1_000);
  if (!wait) return null;
  return (
    <p className="muted small" role="status" data-testid="check-wait">
      {checkWaitWords(wait, now)}
    </p>
  );
}
