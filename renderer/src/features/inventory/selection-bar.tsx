import { useMemo } from 'react';
import type { InventoryRow } from '../../../../shared/contract';
import { formatShare, marketTotals } from '../../../../shared/market-share';
import { previewBatches } from '../../../../shared/planner';
import { Money } from '../../ui/money';
import { count, plural } from '../../ui/format';
import { unitLimit, usePlan } from '../plans/plan-store';
import { useSettings } from '../settings/settings-store';
import { useInventory } from './inventory-store';
import {
  countSelectedShown,
  deselectAllShown,
  selectAllShown,
  type VisibleRows,
} from './selection';

/** What is selected (count, batches, total, share of market) and what to do with it. */
export function SelectionBar({
  rows,
  onAddToPlan,
}: {
  rows: VisibleRows;
  onAddToPlan: () => void;
}) {
  const selection = useInventory((s) => s.selection);
  const prepared = useInventory((s) => s.prepared);
  const setSelection = useInventory((s) => s.setSelection);
  const clear = useInventory((s) => s.clearSelection);
  const batchSize =
    usePlan((s) => s.draft?.options.batchSize) ?? useSettings.getState().settings?.batchSize ?? 250;
  const draftName = usePlan((s) => (s.draft?.status === 'draft' ? s.draft.name : null));

  // The preview of what this selection would send: computed, never stored.
  const preview = useMemo(() => {
    if (!prepared || selection.selected.size === 0) return null;
    const items: InventoryRow[] = [];
    const { rows: all, keys } = prepared;
    for (let i = 0; i < all.length; i++) if (selection.selected.has(keys[i]!)) items.push(all[i]!);
    return {
      ...previewBatches(items, batchSize, unitLimit),
      shareBp: marketTotals(items, unitLimit).shareBp,
    };
  }, [prepared, selection, batchSize]);

  const shownSelected = useMemo(
    () => countSelectedShown(selection.selected, rows),
    [selection, rows],
  );
  const selectableShown = useMemo(() => {
    let n = 0;
    for (let p = 0; p < rows.count; p++) if (rows.selectableAt(p)) n++;
    return n;
  }, [rows]);
  const allShown = selectableShown > 0 && shownSelected >= selectableShown;

  return (
    <div className="selection-bar" aria-live="polite" data-testid="selection-bar">
      <div className="selection-summary">
        {preview ? (
          <>
            <strong data-testid="selected-count">{count(preview.itemCount)} selected</strong>
            <span className="muted">
              {plural(preview.batchCount, 'batch', 'batches')} of ≤ {batchSize}
            </span>
            <Money cents={preview.totalCents} className="strong" />
            <span className="muted" title="Offer total as a share of the market total">
              {formatShare(preview.shareBp)} of market
            </span>
          </>
        ) : (
          <span className="muted">
            Click, Shift-click or Ctrl/⌘-click rows to select · Ctrl/⌘+A selects all matching
          </span>
        )}
      </div>
      <div className="row-actions">
        <button
          type="button"
          onClick={() =>
            setSelection(
              allShown ? deselectAllShown(selection, rows) : selectAllShown(selection, rows),
            )
          }
          disabled={selectableShown === 0}
          data-testid="select-all-matching"
        >
          {allShown
            ? `Deselect ${count(selectableShown)} shown`
            : `Select all ${count(selectableShown)} matching`}
        </button>
        <button type="button" onClick={clear} disabled={selection.selected.size === 0}>
          Clear
        </button>
        <button
          type="button"
          className="primary"
          disabled={selection.selected.size === 0}
          onClick={onAddToPlan}
          title="Ctrl/⌘+Enter"
          data-testid="add-to-plan"
        >
          {draftName ? `Add to “${draftName}”` : 'Add to a new plan'}
        </button>
      </div>
    </div>
  );
}
