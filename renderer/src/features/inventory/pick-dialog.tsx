import { useMemo, useState } from 'react';
import { Dialog } from '../../ui/dialog';
import { count } from '../../ui/format';
import { useInventory } from './inventory-store';
import type { PreparedInventory } from './inventory-view';
import { pickFromGroup, sellableKeys, type GroupPickOrder, type InventoryGroup } from './grouping';

const ORDERS: { id: GroupPickOrder; label: string }[] = [
  { id: 'cheapest', label: 'Cheapest first' },
  { id: 'dearest', label: 'Dearest first' },
  { id: 'lowest-float', label: 'Lowest float first' },
];

/** "Add N of this group": selects exactly N of its sellable items not yet in the plan. */
export function PickDialog({
  group,
  prepared,
  inPlan,
  onClose,
}: {
  group: InventoryGroup;
  prepared: PreparedInventory;
  inPlan: ReadonlySet<string>;
  onClose: () => void;
}) {
  const available = useMemo(
    () => sellableKeys(prepared, group).filter((k) => !inPlan.has(k)).length,
    [prepared, group, inPlan],
  );
  const [text, setText] = useState(String(available));
  const [order, setOrder] = useState<GroupPickOrder>('cheapest');
  const n = Number(text);
  const valid = /^\d+$/.test(text.trim()) && n >= 1 && n <= available;
  const name = prepared.rows[group.first]!.marketHashName;
  const pick = () => {
    if (!valid) return;
    const picked = pickFromGroup(prepared, group, n, order, (k) => inPlan.has(k));
    const current = useInventory.getState().selection;
    const next = new Set(current.selected);
    for (const k of sellableKeys(prepared, group)) next.delete(k);
    for (const k of picked) next.add(k);
    useInventory.getState().setSelection({ selected: next, anchor: current.anchor });
    onClose();
  };
  return (
    <Dialog
      open
      title={`Pick from ${name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!valid}
            onClick={pick}
            data-testid="pick-confirm"
          >
            Select {valid ? count(n) : ''}
          </button>
        </>
      }
    >
      <form
        className="pick-form"
        onSubmit={(e) => {
          e.preventDefault();
          pick();
        }}
      >
        <label className="field">
          <span>How many (of {count(available)} sellable not yet in the plan)</span>
          <input
            type="number"
            min={1}
            max={available}
            value={text}
            autoFocus
            aria-invalid={!valid}
            onChange={(e) => setText(e.target.value)}
            data-testid="pick-count"
          />
        </label>
        <label className="field">
          <span>Which first</span>
          <select
            value={order}
            onChange={(e) => setOrder(e.target.value as GroupPickOrder)}
            data-testid="pick-order"
          >
            {ORDERS.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {!valid && (
          <p className="field-error" role="alert">
            Enter a number from 1 to {count(available)}.
          </p>
        )}
        <p className="muted small">
          The selection of this group becomes exactly these items; add them to the plan with the
          button below the table.
        </p>
      </form>
    </Dialog>
  );
}
