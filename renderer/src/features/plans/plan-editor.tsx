import { useEffect, useMemo, useState } from 'react';
import type { PlanItem } from '../../../../shared/contract';
import { GAMES } from '../../../../shared/api/games';
import { formatUsd } from '../../../../shared/money';
import { useAccounts, accountLabel } from '../accounts/accounts-store';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { itemKey } from '../inventory/inventory-view';
import { Money } from '../../ui/money';
import { PlanChip } from '../../ui/status';
import { count, gameName, plural } from '../../ui/format';
import { VirtualList } from '../../ui/virtual-list';
import { NumberField } from '../../ui/number-field';
import { perUnit, StackUnits } from '../../ui/stack-units';
import { downloadText, mimeFor } from '../../ui/download';
import { MAX_ITEMS_PER_SELL } from '../../../../shared/api/schemas';
import { previewBatches, type PlanPreview } from '../../../../shared/planner';
import { MAX_UNITS, usePlan, type SaveState } from './plan-store';
import { ImportPanel } from './import-panel';
import { SubmitPanel } from './submit-panel';

export function PlanEditor() {
  const draft = usePlan((s) => s.draft)!;
  const save = usePlan((s) => s.save);
  const saveError = usePlan((s) => s.saveError);
  const { rename, setOptions, retrySave } = usePlan.getState();
  const editable = draft.status === 'draft';
  const [name, setName] = useState(draft.name);
  useEffect(() => setName(draft.name), [draft.id, draft.name]);

  // The batch preview is derived from the draft on every change, never stored.
  const preview = useMemo(
    () => previewBatches(draft.items, draft.options.batchSize),
    [draft.items, draft.options.batchSize],
  );

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
        <SaveIndicator state={save} error={saveError} onRetry={() => void retrySave()} />
      </div>
      {draft.status === 'armed' && <ArmedBanner />}
      {draft.status === 'submitted' && <SubmittedBanner />}
      <div className="plan-columns">
        <div className="plan-left">
          <ItemsCard items={draft.items} editable={editable} />
        </div>
        <div className="plan-right">
          <PreviewCard preview={preview} />
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
      <SubmitPanel preview={preview} />
    </div>
  );
}

function SaveIndicator({
  state,
  error,
  onRetry,
}: {
  state: SaveState;
  error: string | null;
  onRetry: () => void;
}) {
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

function ArmedBanner() {
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

function SubmittedBanner() {
  const go = useNav((s) => s.go);
  return (
    <div className="banner banner-ok" role="status">
      <span>This plan has been submitted. Follow it on the run board.</span>
      <button type="button" onClick={() => go('runs')}>
        Open the run board
      </button>
    </div>
  );
}

const ITEM_ROW = 40;

function ItemsCard({ items, editable }: { items: readonly PlanItem[]; editable: boolean }) {
  const accounts = useAccounts((s) => s.accounts);
  const maxUnits = usePlan((s) => s.maxUnits);
  const stacks = usePlan((s) => s.stacks);
  const { setAmount, removeItems } = usePlan.getState();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return items;
    return items.filter(
      (i) => i.name.toLowerCase().includes(q) || i.itemId.toLowerCase().includes(q),
    );
  }, [items, query]);
  const go = useNav((s) => s.go);

  return (
    <div className="card items-card">
      <div className="card-head">
        <h2>
          Items <span className="muted">{count(items.length)}</span>
        </h2>
        <input
          type="search"
          className="search small"
          placeholder="Find in plan"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Find in plan"
        />
        {editable && query && shown.length > 0 && (
          <button
            type="button"
            className="danger-quiet"
            onClick={() => removeItems(new Set(shown.map(itemKey)))}
          >
            Remove {count(shown.length)} shown
          </button>
        )}
        {editable && (
          <button type="button" onClick={() => go('inventory')}>
            Add from inventory
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p className="muted pad">
          No items yet. Add them from the inventory or import a CSV/JSON list.
        </p>
      ) : (
        <>
          <div className="plan-cols plan-head-row" role="row">
            <span>Item</span>
            <span>Account · game</span>
            <span className="num">Price</span>
            <span className="num">Units</span>
            <span className="num">Total</span>
            <span />
          </div>
          <VirtualList
            items={shown}
            rowHeight={ITEM_ROW}
            label="Plan items"
            className="plan-items"
            testId="plan-items"
            getKey={(i) => itemKey(i)}
            renderRow={(i) => {
              const key = itemKey(i);
              const max = maxUnits[key] ?? (i.game === GAMES.rust ? MAX_UNITS : 1);
              return (
                <div className="plan-cols plan-row" data-item-id={i.itemId}>
                  <span className="name" title={i.itemId}>
                    {i.name}
                    {i.game === GAMES.rust && stacks[key] && (
                      <StackUnits
                        units={null}
                        stack={stacks[key].amount}
                        maxAmount={stacks[key].maxAmount}
                      />
                    )}
                  </span>
                  <span className="muted">
                    {accountLabel(accounts, i.accountId)} · {gameName(i.game)}
                  </span>
                  <span className="num money">
                    {formatUsd(i.priceCents)}
                    {perUnit(i.game === GAMES.rust)}
                  </span>
                  <span className="num">
                    {i.game === GAMES.rust && editable && max > 1 ? (
                      <NumberField
                        className="units"
                        min={1}
                        max={max}
                        value={i.amount}
                        label={`Units of ${i.name} (1 – ${max})`}
                        onCommit={(n) => setAmount(key, n)}
                      />
                    ) : (
                      i.amount
                    )}
                  </span>
                  <span className="num money">{formatUsd(i.priceCents * i.amount)}</span>
                  <span>
                    {editable && (
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Remove ${i.name}`}
                        onClick={() => removeItems(new Set([key]))}
                      >
                        ×
                      </button>
                    )}
                  </span>
                </div>
              );
            }}
          />
        </>
      )}
    </div>
  );
}

function PreviewCard({ preview }: { preview: PlanPreview }) {
  const accounts = useAccounts((s) => s.accounts);
  return (
    <div className="card preview-card" data-testid="batch-preview">
      <h2>Batch preview</h2>
      <div className="preview-totals">
        <div>
          <span className="stat" data-testid="preview-items">
            {count(preview.itemCount)}
          </span>
          <small>items</small>
        </div>
        <div>
          <span className="stat" data-testid="preview-batches">
            {count(preview.batchCount)}
          </span>
          <small>{preview.batchCount === 1 ? 'batch' : 'batches'}</small>
        </div>
        <div>
          <Money cents={preview.totalCents} className="stat" />
          <small>total</small>
        </div>
      </div>
      {preview.groups.length > 1 && (
        <ul className="preview-groups">
          {preview.groups.map((g) => (
            <li key={`${g.accountId}|${g.game}`}>
              {accountLabel(accounts, g.accountId)} · {gameName(g.game)}:{' '}
              {plural(g.itemCount, 'item')} in {plural(g.batchCount, 'batch', 'batches')} ·{' '}
              <Money cents={g.totalCents} />
            </li>
          ))}
        </ul>
      )}
      {preview.batches.length > 0 && (
        <ol className="preview-batches" aria-label="Batches">
          {preview.batches.map((b) => (
            <li key={b.seq}>
              <span className="muted">#{b.seq}</span>
              <span>
                {accountLabel(accounts, b.accountId)} · {gameName(b.game)}
              </span>
              <span className="num">{plural(b.itemCount, 'item')}</span>
              <Money cents={b.totalCents} className="num" />
            </li>
          ))}
        </ol>
      )}
    </div>
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
