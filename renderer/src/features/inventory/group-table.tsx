import { memo, useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import { formatShare } from '../../../../shared/market-share';
import { formatUsd } from '../../../../shared/money';
import { count } from '../../ui/format';
import { ItemPicture } from '../../ui/item-picture';
import { useInventory } from './inventory-store';
import type { PreparedInventory } from './inventory-view';
import { groupEntries, sellableKeys, type InventoryGroup } from './grouping';
import { PickDialog } from './pick-dialog';
import { Row, ShareHeader, useRows, type TableProps } from './inventory-table';
import { selectAllShown } from './selection';

/**
 * Groups mode: one line per group of identical items, expandable to its
 * items, virtualized like the items table. Space selects a whole group (or
 * one item), Enter or →/← opens and closes it, "Pick…" selects N of it
 * cheapest, dearest or lowest float first.
 */
export function GroupTable({
  prepared,
  groups,
  rows,
  inPlan,
  onAddToPlan,
}: TableProps & { groups: readonly InventoryGroup[] }) {
  const selection = useInventory((s) => s.selection);
  const expanded = useInventory((s) => s.expanded);
  const { setSelection, toggleExpanded, clearSelection } = useInventory.getState();
  const entries = useMemo(() => groupEntries(groups, expanded), [groups, expanded]);
  const { scrollRef, virtualizer } = useRows(entries.length);
  const [focus, setFocus] = useState(0);
  const [picking, setPicking] = useState<InventoryGroup | null>(null);

  const toggleGroup = useCallback(
    (group: InventoryGroup) => {
      const current = useInventory.getState().selection;
      const keys = sellableKeys(prepared, group);
      const all = keys.length > 0 && keys.every((k) => current.selected.has(k));
      const next = new Set(current.selected);
      for (const k of keys) {
        if (all) next.delete(k);
        else next.add(k);
      }
      setSelection({ selected: next, anchor: current.anchor });
    },
    [prepared, setSelection],
  );

  const toggleItem = useCallback(
    (index: number) => {
      if (prepared.sellable[index] !== 1) return;
      const current = useInventory.getState().selection;
      const key = prepared.keys[index]!;
      const next = new Set(current.selected);
      if (!next.delete(key)) next.add(key);
      setSelection({ selected: next, anchor: key });
    },
    [prepared, setSelection],
  );

  const onItemClick = useCallback(
    (position: number) => {
      setFocus(position);
      toggleItem(entries[position]!);
    },
    [entries, toggleItem],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (entries.length === 0) return;
    const entry = entries[focus] ?? -1;
    const group = entry < 0 ? groups[-entry - 1] : undefined;
    const move = (to: number) => {
      const p = Math.max(0, Math.min(entries.length - 1, to));
      setFocus(p);
      virtualizer.scrollToIndex(p, { align: 'auto' });
    };
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(focus + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (group && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      if (expanded.has(group.key) === (e.key === 'ArrowLeft')) toggleExpanded(group.key);
    } else if (e.key === 'Enter' && mod) {
      e.preventDefault();
      onAddToPlan();
    } else if (e.key === 'Enter' && group) {
      e.preventDefault();
      toggleExpanded(group.key);
    } else if (e.key === ' ') {
      e.preventDefault();
      if (group) toggleGroup(group);
      else toggleItem(entry);
    } else if ((e.key === 'a' || e.key === 'A') && mod) {
      e.preventDefault();
      setSelection(selectAllShown(useInventory.getState().selection, rows));
    } else if (e.key === 'Escape' && selection.selected.size > 0) {
      e.preventDefault();
      clearSelection();
    }
  };

  return (
    <div className="inv-table">
      <div className="inv-cols inv-head" role="row">
        <span role="columnheader" aria-label="Selected" />
        <span role="columnheader" aria-label="Picture" />
        <span role="columnheader">Group</span>
        <span role="columnheader">Sellable / all</span>
        <span role="columnheader" className="num">
          Offer range
        </span>
        <span role="columnheader" className="num">
          Sellable total
        </span>
        <ShareHeader />
        <span role="columnheader" aria-label="Pick" />
      </div>
      <div
        ref={scrollRef}
        className="inv-scroll"
        role="treegrid"
        aria-label="Inventory groups"
        aria-multiselectable="true"
        aria-rowcount={entries.length}
        aria-activedescendant={entries.length > 0 ? `inv-row-${focus}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="group-grid"
      >
        <div className="inv-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const entry = entries[v.index]!;
            if (entry < 0) {
              const group = groups[-entry - 1]!;
              return (
                <GroupRow
                  key={`g:${group.key}`}
                  position={v.index}
                  start={v.start}
                  group={group}
                  prepared={prepared}
                  open={expanded.has(group.key)}
                  state={groupSelection(prepared, group, selection.selected)}
                  focused={v.index === focus}
                  onToggleOpen={() => {
                    setFocus(v.index);
                    toggleExpanded(group.key);
                  }}
                  onToggleSelect={() => toggleGroup(group)}
                  onPick={() => setPicking(group)}
                />
              );
            }
            const key = prepared.keys[entry]!;
            return (
              <Row
                key={key}
                position={v.index}
                start={v.start}
                row={prepared.rows[entry]!}
                shareBp={prepared.shareBp[entry]!}
                sellable={prepared.sellable[entry] === 1}
                selected={selection.selected.has(key)}
                inPlan={inPlan.has(key)}
                focused={v.index === focus}
                nested
                onClick={onItemClick}
                onCheck={onItemClick}
              />
            );
          })}
        </div>
      </div>
      {picking && (
        <PickDialog
          group={picking}
          prepared={prepared}
          inPlan={inPlan}
          onClose={() => setPicking(null)}
        />
      )}
    </div>
  );
}

type GroupSelection = 'none' | 'some' | 'all';

function groupSelection(
  p: PreparedInventory,
  group: InventoryGroup,
  selected: ReadonlySet<string>,
): GroupSelection {
  if (selected.size === 0 || group.sellableCount === 0) return 'none';
  let n = 0;
  for (const i of group.rows) if (p.sellable[i] === 1 && selected.has(p.keys[i]!)) n++;
  return n === 0 ? 'none' : n === group.sellableCount ? 'all' : 'some';
}

const GroupRow = memo(function GroupRow({
  position,
  start,
  group,
  prepared,
  open,
  state,
  focused,
  onToggleOpen,
  onToggleSelect,
  onPick,
}: {
  position: number;
  start: number;
  group: InventoryGroup;
  prepared: PreparedInventory;
  open: boolean;
  state: GroupSelection;
  focused: boolean;
  onToggleOpen: () => void;
  onToggleSelect: () => void;
  onPick: () => void;
}) {
  const row = prepared.rows[group.first]!;
  const stacks = group.units !== group.rows.length;
  return (
    <div
      id={`inv-row-${position}`}
      role="row"
      aria-level={1}
      aria-expanded={open}
      aria-selected={state === 'all'}
      className={`inv-cols inv-row group-row${state !== 'none' ? ' selected' : ''}${focused ? ' focused' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={onToggleOpen}
      data-group={row.marketHashName}
      data-testid="group-row"
    >
      <span role="gridcell" className="cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={state === 'all'}
          ref={(el) => {
            if (el) el.indeterminate = state === 'some';
          }}
          disabled={group.sellableCount === 0}
          aria-label={`Select every sellable ${row.marketHashName}`}
          onClick={(e) => {
            e.stopPropagation();
            onToggleSelect();
          }}
          onChange={() => undefined}
        />
      </span>
      <span role="gridcell" className="cell-icon">
        <ItemPicture iconUrl={row.iconUrl} color={row.color} type={row.type} />
      </span>
      <span role="gridcell" className="cell-name">
        <span className="chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="name" title={row.marketHashName}>
          {row.marketHashName}
        </span>
      </span>
      <span role="gridcell" className="cell-muted" data-testid="group-count">
        {count(group.sellableCount)} / {count(group.rows.length)}
        {stacks && ` · ${count(group.sellableUnits)} / ${count(group.units)} units`}
      </span>
      <span role="gridcell" className="num cell-muted">
        {group.minCents === group.maxCents
          ? formatUsd(group.minCents)
          : `${formatUsd(group.minCents)}–${formatUsd(group.maxCents)}`}
      </span>
      <span role="gridcell" className="num money">
        {formatUsd(group.sellableCents)}
      </span>
      <span role="gridcell" className="num share">
        {formatShare(group.shareBp)}
      </span>
      <span role="gridcell">
        <button
          type="button"
          className="small"
          disabled={group.sellableCount === 0}
          onClick={(e) => {
            e.stopPropagation();
            onPick();
          }}
          data-testid="pick-group"
        >
          Pick…
        </button>
      </span>
    </div>
  );
});
