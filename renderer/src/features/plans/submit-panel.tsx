import { useEffect, useMemo, useState } from 'react';
import type { PreflightRow } from '../../../../shared/contract';
import { formatUsd } from '../../../../shared/money';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { useAccounts, accountLabel } from '../accounts/accounts-store';
import { useRuns } from '../runs/runs-store';
import { Dialog } from '../../ui/dialog';
import { Money } from '../../ui/money';
import { VirtualList } from '../../ui/virtual-list';
import { count, percentFromBp, plural } from '../../ui/format';
import { perUnit, StackUnits } from '../../ui/stack-units';
import { GAMES } from '../../../../shared/api/games';
import { itemKey } from '../inventory/inventory-view';
import type { PlanPreview } from '../../../../shared/planner';
import { usePlan } from './plan-store';
import { reasonOf, usePlanHealth } from './plan-health-store';
import { ItemDetails } from './item-details';
import { goingAheadCount, isSellableNow, needsDecision, useSubmit } from './submit-store';

/**
 * The plan's way out: offline it can be armed ("Submit when online"); online
 * it goes through pre-flight and an explicit confirmation.
 */
export function SubmitPanel({ preview }: { preview: PlanPreview }) {
  const draft = usePlan((s) => s.draft)!;
  const save = usePlan((s) => s.save);
  const online = useConnectivity((s) => s.online);
  const step = useSubmit((s) => s.step);
  const error = useSubmit((s) => s.error);
  const preflight = useSubmit((s) => s.preflight);
  const reset = useSubmit((s) => s.reset);
  const [arming, setArming] = useState(false);
  // A sale in progress belongs to the plan on screen: opening another plan, or leaving the
  // screen, ends it (it never comes back over another plan).
  useEffect(() => reset, [draft.id, reset]);
  const empty = draft.items.length === 0;
  // A field holding a value the plan cannot keep: what would be sold is not what it shows.
  const unsaved = usePlan((s) => Object.keys(s.fieldProblems).length > 0);
  const blocked = empty || save === 'error' || unsaved;

  return (
    <div className="submit-bar" data-testid="submit-bar">
      <div className="submit-summary">
        <strong>{plural(preview.itemCount, 'item')}</strong>
        <span className="muted">in {plural(preview.batchCount, 'batch', 'batches')}</span>
        <Money cents={preview.totalCents} className="strong big" />
      </div>
      {error && step === 'idle' && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
      {draft.status === 'draft' && (
        <div className="row-actions">
          {online === false ? (
            <>
              <span className="muted small">You are offline.</span>
              <button
                type="button"
                className="primary"
                disabled={blocked}
                onClick={() => setArming(true)}
                data-testid="arm"
              >
                Submit when online
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                disabled={blocked || online === null}
                onClick={() => setArming(true)}
              >
                Submit when online
              </button>
              <button
                type="button"
                className="primary"
                disabled={blocked || step !== 'idle' || online === null}
                onClick={() => void preflight(draft.id)}
                data-testid="check-and-submit"
              >
                {step === 'checking' ? 'Checking prices…' : 'Check prices & submit'}
              </button>
            </>
          )}
        </div>
      )}
      <ArmDialog open={arming} preview={preview} onClose={() => setArming(false)} />
      <PreflightDialog />
      <ConfirmDialog />
    </div>
  );
}

function ArmDialog({
  open,
  preview,
  onClose,
}: {
  open: boolean;
  preview: PlanPreview;
  onClose: () => void;
}) {
  const arm = usePlan((s) => s.arm);
  const tolerance = usePlan((s) => s.draft?.options.priceToleranceBp ?? 0);
  return (
    <Dialog
      open={open}
      title="Submit when online?"
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => {
              onClose();
              void arm();
            }}
            data-testid="arm-confirm"
          >
            Arm the plan
          </button>
        </>
      }
    >
      <p>
        When the connection returns, the app re-checks every price and sells{' '}
        <strong>{plural(preview.itemCount, 'item')}</strong> in{' '}
        <strong>{plural(preview.batchCount, 'batch', 'batches')}</strong> for about{' '}
        <Money cents={preview.totalCents} className="strong" /> at today’s cached prices.
      </p>
      <p>
        Price drops up to {(tolerance / 100).toFixed(2)} % are accepted; any larger change stops and
        waits for you. You can disarm it any time before then.
      </p>
    </Dialog>
  );
}

const CHANGE_LABEL: Record<PreflightRow['change'], string> = {
  unchanged: 'unchanged',
  'price-up': 'price up',
  'price-down': 'price down',
  unavailable: 'unavailable',
  'not-accepted': 'not accepted',
  'below-market-share': 'below your % of market',
};

function PreflightDialog() {
  const step = useSubmit((s) => s.step);
  const diff = useSubmit((s) => s.diff);
  const ticked = useSubmit((s) => s.ticked);
  const error = useSubmit((s) => s.error);
  const { toggle, tickAll, accept, reset } = useSubmit.getState();
  // Why each lost item is lost (sold by another run, gone…), once main has said.
  const problems = usePlanHealth((s) => s.problems);
  const forThisPlan = useForPlanOnScreen();
  const open = (step === 'review' || step === 'accepting') && !!diff && forThisPlan;

  const changed = useMemo(
    () =>
      diff ? diff.rows.filter((r) => r.change === 'price-up' || r.change === 'price-down') : [],
    [diff],
  );
  const lost = useMemo(() => (diff ? diff.rows.filter((r) => !isSellableNow(r)) : []), [diff]);
  const decisions = changed.filter(needsDecision);
  const goingAhead = diff ? goingAheadCount(diff, ticked) : 0;
  const planned = usePlan((s) => s.draft?.items);
  const stacks = usePlan((s) => s.stacks);
  const units = useMemo(
    () => new Map((planned ?? []).map((i) => [itemKey(i), i.amount])),
    [planned],
  );

  if (!diff) return null;
  return (
    <Dialog
      open={open}
      wide
      title="Prices checked"
      onClose={reset}
      footer={
        <>
          <span className="muted small footer-note">
            {decisions.length > ticked.size
              ? `${plural(decisions.length - ticked.size, 'unticked item')} will be left out of this sale.`
              : ''}
          </span>
          <button type="button" onClick={reset}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={goingAhead === 0 || step === 'accepting'}
            onClick={() => void accept()}
            data-testid="preflight-continue"
          >
            Continue with {plural(goingAhead, 'item')}
          </button>
        </>
      }
    >
      <div className="preflight-counts" data-testid="preflight-counts">
        <span className="chip chip-neutral">{count(diff.counts.unchanged)} unchanged</span>
        <span className={`chip ${diff.counts.priceUp ? 'chip-ok' : 'chip-neutral'}`}>
          {count(diff.counts.priceUp)} up
        </span>
        <span className={`chip ${diff.counts.priceDown ? 'chip-warn' : 'chip-neutral'}`}>
          {count(diff.counts.priceDown)} down
        </span>
        <span className={`chip ${diff.counts.unavailable ? 'chip-err' : 'chip-neutral'}`}>
          {count(diff.counts.unavailable)} unavailable
        </span>
        <span className={`chip ${diff.counts.notAccepted ? 'chip-err' : 'chip-neutral'}`}>
          {count(diff.counts.notAccepted)} not accepted
        </span>
        {diff.counts.belowMarketShare !== undefined && (
          <span
            className={`chip ${diff.counts.belowMarketShare ? 'chip-warn' : 'chip-neutral'}`}
            title="Left out by this plan's rule: the offer is now below its share of the market price"
            data-testid="preflight-below-share"
          >
            {count(diff.counts.belowMarketShare)} below % of market
          </span>
        )}
      </div>
      {changed.length === 0 && lost.length === 0 && <p>Every price is as planned.</p>}
      {changed.length > 0 && (
        <section aria-label="Price changes">
          <div className="preflight-head">
            <h3>Price changes</h3>
            {decisions.length > 0 && (
              <label className="check-inline">
                <input
                  type="checkbox"
                  checked={ticked.size === decisions.length}
                  onChange={(e) => tickAll(e.target.checked)}
                  data-testid="accept-all-changes"
                />
                {decisions.length === 1
                  ? 'Accept the change'
                  : `Accept all ${count(decisions.length)} changes`}
              </label>
            )}
          </div>
          <div className="diff-cols diff-head" role="row">
            <span />
            <span>Item</span>
            <span className="num">Planned</span>
            <span className="num">Now</span>
            <span className="num">Change</span>
          </div>
          <VirtualList
            items={changed}
            rowHeight={38}
            height={Math.min(changed.length * 38, 320)}
            label="Price changes"
            className="diff-list"
            testId="preflight-changes"
            getKey={(r) => `${r.accountId}|${r.itemId}`}
            renderRow={(r) => (
              <div className={`diff-cols diff-row ${r.change}`} data-item-id={r.itemId}>
                <span>
                  {needsDecision(r) ? (
                    <input
                      type="checkbox"
                      checked={ticked.has(r.itemId)}
                      onChange={() => toggle(r.itemId)}
                      aria-label={`Accept the new price of ${r.name}`}
                    />
                  ) : (
                    <span className="chip chip-ok small" title="Within your tolerance">
                      auto
                    </span>
                  )}
                </span>
                <span className="name">
                  {r.name}
                  <ItemDetails exterior={r.exterior ?? null} wear={r.wear ?? null} />
                  {r.game === GAMES.rust && (
                    <StackUnits
                      units={units.get(itemKey(r)) ?? null}
                      stack={stacks[itemKey(r)]?.amount ?? null}
                      maxAmount={stacks[itemKey(r)]?.maxAmount ?? null}
                    />
                  )}
                </span>
                <span className="num money muted">{formatUsd(r.plannedCents)}</span>
                <span className="num money">
                  {r.currentCents === null ? '—' : formatUsd(r.currentCents)}
                  {perUnit(r.game === GAMES.rust)}
                </span>
                <span className={`num money change ${r.change === 'price-up' ? 'up' : 'down'}`}>
                  {r.change === 'price-up' ? '▲' : '▼'}{' '}
                  {r.changeCents === null ? '' : formatUsd(Math.abs(r.changeCents))}{' '}
                  <small>{r.changeBp === null ? '' : percentFromBp(r.changeBp)}</small>
                </span>
              </div>
            )}
          />
        </section>
      )}
      {lost.length > 0 && (
        <section aria-label="Not sellable now" className="lost">
          <h3>Will not be sold ({count(lost.length)})</h3>
          <p className="muted small">They leave the plan when you continue.</p>
          <ul className="lost-list" data-testid="preflight-lost">
            {lost.slice(0, 200).map((r) => (
              <li key={`${r.accountId}|${r.itemId}`}>
                <span
                  className={`chip small ${r.change === 'below-market-share' ? 'chip-warn' : 'chip-err'}`}
                >
                  {CHANGE_LABEL[r.change]}
                </span>{' '}
                {r.name}
                <ItemDetails exterior={r.exterior ?? null} wear={r.wear ?? null} />{' '}
                <span className="muted money">{formatUsd(r.plannedCents)}</span>
                {reasonOf(problems, r) && <span className="muted"> — {reasonOf(problems, r)}</span>}
              </li>
            ))}
            {lost.length > 200 && <li className="muted">…and {count(lost.length - 200)} more</li>}
          </ul>
        </section>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function ConfirmDialog() {
  const step = useSubmit((s) => s.step);
  const confirmation = useSubmit((s) => s.confirmation);
  const error = useSubmit((s) => s.error);
  const accounts = useAccounts((s) => s.accounts);
  const { confirm, backToReview, reset } = useSubmit.getState();
  const go = useNav((s) => s.go);
  const planName = usePlan((s) => s.draft?.name);
  const forThisPlan = useForPlanOnScreen();
  const open = (step === 'confirm' || step === 'starting') && !!confirmation && forThisPlan;
  if (!confirmation) return null;
  return (
    <Dialog
      open={open}
      title={`Confirm the sale of “${planName}”`}
      onClose={reset}
      label={`Confirm the sale of “${planName}”`}
      footer={
        <>
          <button type="button" onClick={backToReview}>
            Back
          </button>
          <button type="button" onClick={reset}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={step === 'starting' || confirmation.itemCount === 0}
            data-testid="confirm-sell"
            onClick={async () => {
              const runId = await confirm();
              if (runId) {
                go('runs');
                void useRuns
                  .getState()
                  .loadRuns()
                  .then(() => useRuns.getState().show(runId));
              }
            }}
          >
            {step === 'starting'
              ? 'Starting…'
              : `Sell ${plural(confirmation.itemCount, 'item')} for ${formatUsd(confirmation.totalCents)}`}
          </button>
        </>
      }
    >
      <dl className="confirm-facts" data-testid="confirmation">
        <div>
          <dt>Items</dt>
          <dd data-testid="confirm-items">{count(confirmation.itemCount)}</dd>
        </div>
        <div>
          <dt>Batches</dt>
          <dd data-testid="confirm-batches">{count(confirmation.batchCount)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>
            <Money cents={confirmation.totalCents} className="strong" />
          </dd>
        </div>
      </dl>
      <h3>From</h3>
      <ul className="confirm-accounts">
        {confirmation.accounts.map((a) => (
          <li key={a.accountId}>
            {a.label || accountLabel(accounts, a.accountId)} — {plural(a.itemCount, 'item')}
          </li>
        ))}
      </ul>
      <p className="muted small">
        AssetPay then sends each account a Steam trade offer to accept. Credit lands in your
        AssetPay wallet in USD.
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** Whether the submit flow under way is for the plan the trader sees. */
function useForPlanOnScreen(): boolean {
  const submitting = useSubmit((s) => s.planId);
  const onScreen = usePlan((s) => s.draft?.id);
  return submitting !== null && submitting === onScreen;
}
