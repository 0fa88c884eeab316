import { useEffect, useMemo, useState } from 'react';
import { marketTotals } from '../../../../shared/market-share';
import { useSettings } from '../settings/settings-store';
import { PlanChip } from '../../ui/status';
import { parsePercentToBp } from '../../ui/format';
import { NumberField } from '../../ui/number-field';
import { downloadText, mimeFor } from '../../ui/download';
import { MAX_ITEMS_PER_SELL } from '../../../../shared/api/schemas';
import { previewBatches } from '../../../../shared/planner';
import { someNames } from '../../../../shared/words';
import { usePlan, type SaveState } from './plan-store';
import { ImportPanel } from './import-panel';
import { SubmitPanel } from './submit-panel';
import { ItemsCard } from './items-card';
import { PreviewCard } from './preview-card';
import { PlanActions } from './plan-actions';
import { ArmedBanner, EnvironmentBanner, StaleBanner, SubmittedBanner } from './plan-banners';

export function PlanEditor() {
  const draft = usePlan((s) => s.draft)!;
  const save = usePlan((s) => s.save);
  const saveError = usePlan((s) => s.saveError);
  const fieldProblems = usePlan((s) => s.fieldProblems);
  const { rename, setOptions, retrySave, setFieldProblem } = usePlan.getState();
  // A plan is only changed (and submitted) in the environment whose inventory it was built on.
  const here = useSettings((s) => s.settings?.environment) === draft.environment;
  const editable = draft.status === 'draft' && here;
  const [name, setName] = useState(draft.name);
  useEffect(() => setName(draft.name), [draft.id, draft.name]);

  // The batch preview is derived from the draft on every change, never stored.
  const preview = useMemo(
    () => previewBatches(draft.items, draft.options.batchSize),
    [draft.items, draft.options.batchSize],
  );
  const value = useMemo(() => marketTotals(draft.items), [draft.items]);

  return (
    <div className="plan-editor" data-testid="plan-editor">
      <div className="plan-head">
        <input
          className="plan-name"
          value={name}
          maxLength={100}
          disabled={!editable}
          aria-label="Plan name"
          onChange={(e) => {
            setName(e.target.value);
            rename(e.target.value);
          }}
        />
        <PlanChip status={draft.status} />
        <SaveIndicator
          state={save}
          error={saveError}
          unsaved={Object.keys(fieldProblems)}
          onRetry={() => void retrySave()}
        />
        <PlanActions />
      </div>
      <EnvironmentBanner />
      {draft.status === 'armed' && <ArmedBanner />}
      {draft.status === 'submitted' && <SubmittedBanner planId={draft.id} />}
      {here && <StaleBanner editable={editable} />}
      <div className="plan-columns">
        <div className="plan-left">
          <ItemsCard items={draft.items} editable={editable} />
        </div>
        <div className="plan-right">
          <PreviewCard preview={preview} value={value} />
          <div className="card">
            <h2>Options</h2>
            <div className="form-grid two">
              <label className="field">
                <span>Batch size (≤ 250)</span>
                <NumberField
                  min={1}
                  max={MAX_ITEMS_PER_SELL}
                  disabled={!editable}
                  value={draft.options.batchSize}
                  onCommit={(n) => setOptions({ batchSize: n })}
                  testId="batch-size"
                  onProblem={(p) => setFieldProblem('batch size', p)}
                />
              </label>
              <label className="field">
                <span>Accept drops up to (%)</span>
                <NumberField
                  min={0}
                  max={100}
                  step={0.5}
                  scale={100}
                  disabled={!editable}
                  value={draft.options.priceToleranceBp}
                  onCommit={(bp) => setOptions({ priceToleranceBp: bp })}
                  testId="tolerance"
                  onProblem={(p) => setFieldProblem('accepted drop', p)}
                />
              </label>
              <label className="field">
                <span>Leave out below (% of mkt)</span>
                <ShareRuleField
                  value={draft.options.minMarketShareBp ?? null}
                  disabled={!editable}
                  onCommit={(bp) => setOptions({ minMarketShareBp: bp })}
                />
              </label>
              <label className="field checkbox">
                <input
                  type="checkbox"
                  disabled={!editable}
                  checked={draft.options.isInstant}
                  onChange={(e) => setOptions({ isInstant: e.target.checked })}
                />
                <span>Instant credit</span>
              </label>
            </div>
          </div>
          {editable && <ImportPanel />}
          <ExportCard />
        </div>
      </div>
      {here && <SubmitPanel preview={preview} />}
    </div>
  );
}

function SaveIndicator({
  state,
  error,
  unsaved,
  onRetry,
}: {
  state: SaveState;
  error: string | null;
  /** Fields whose value the plan cannot keep: the plan holds their last valid value. */
  unsaved: string[];
  onRetry: () => void;
}) {
  if (unsaved.length > 0)
    return (
      <span
        className="save-indicator save-error"
        role="alert"
        title={`Out of range: ${someNames(unsaved, 5)}`}
        data-testid="save-indicator"
      >
        Not saved: fix the marked {unsaved.length === 1 ? 'value' : 'values'}
      </span>
    );
  if (state === 'error') {
    return (
      <span className="save-indicator save-error" role="alert">
        Not saved: {error}{' '}
        <button type="button" className="link" onClick={onRetry}>
          Retry
        </button>
      </span>
    );
  }
  const label = state === 'saved' ? 'Saved' : state === 'saving' ? 'Saving…' : 'Unsaved changes';
  return (
    <span className={`save-indicator save-${state}`} role="status" data-testid="save-indicator">
      {label}
    </span>
  );
}

/** "Leave out items whose offer is below X % of market": empty = off. */
function ShareRuleField({
  value,
  disabled,
  onCommit,
}: {
  value: number | null;
  disabled: boolean;
  onCommit: (bp: number | null) => void;
}) {
  const shown = value === null ? '' : String(value / 100);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const bad = text.trim() !== '' && parsePercentToBp(text) === null;
  const commit = () => {
    if (text.trim() === '') return onCommit(null);
    const bp = parsePercentToBp(text);
    if (bp !== null) onCommit(bp);
  };
  return (
    <input
      inputMode="decimal"
      placeholder="off"
      value={text}
      disabled={disabled}
      aria-invalid={bad}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      data-testid="min-share-rule"
    />
  );
}

function ExportCard() {
  const exportPlan = usePlan((s) => s.exportPlan);
  const empty = usePlan((s) => (s.draft?.items.length ?? 0) === 0);
  const run = async (format: 'csv' | 'json') => {
    const file = await exportPlan(format);
    if (file) downloadText(file.fileName, file.text, mimeFor(file.fileName));
  };
  return (
    <div className="card">
      <h2>Export</h2>
      <p className="muted small">
        The list as itemId,price,amount — to keep, share or import later.
      </p>
      <div className="row-actions">
        <button
          type="button"
          disabled={empty}
          onClick={() => void run('csv')}
          data-testid="export-csv"
        >
          Export CSV
        </button>
        <button type="button" disabled={empty} onClick={() => void run('json')}>
          Export JSON
        </button>
      </div>
    </div>
  );
}
