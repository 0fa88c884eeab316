import {
  memo,
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { InventoryRow } from '../../../../shared/contract';
import { formatShare } from '../../../../shared/market-share';
import { formatCentsPlain, formatUsd } from '../../../../shared/money';
import { ItemPicture } from '../../ui/item-picture';
import { useInventory } from './inventory-store';
import type { PreparedInventory } from './inventory-view';
import { clickRow, extendTo, selectAllShown, type VisibleRows } from './selection';

export const ROW_HEIGHT = 40;

/** What both tables (items and groups) are drawn from. */
export type TableProps = {
  prepared: PreparedInventory;
  order: Int32Array;
  rows: VisibleRows;
  inPlan: ReadonlySet<string>;
  onAddToPlan: () => void;
};

/** `count` rows of ROW_HEIGHT in the scroll box: only those in view (plus a few) are drawn. */
export function useRows(count: number): {
  scrollRef: RefObject<HTMLDivElement | null>;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
} {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  return { scrollRef, virtualizer };
}

/**
 * The virtualized item grid: only the rows in view (plus a few) exist in the
 * DOM, so 50,000 items scroll like 50. Keyboard: arrows move, Space/Enter
 * toggle, Shift extends, Ctrl/⌘+A selects all matching, Esc clears.
 */
export function InventoryTable({ prepared, order, rows, inPlan, onAddToPlan }: TableProps) {
  const selection = useInventory((s) => s.selection);
  const setSelection = useInventory((s) => s.setSelection);
  const clear = useInventory((s) => s.clearSelection);
  const { scrollRef, virtualizer } = useRows(order.length);
  const [focus, setFocus] = useState(0);

  useEffect(() => {
    if (focus >= order.length) setFocus(Math.max(0, order.length - 1));
  }, [order.length, focus]);

  const onRowClick = useCallback(
    (position: number, e: MouseEvent) => {
      const mods = { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
      if (e.shiftKey) e.preventDefault();
      setFocus(position);
      setSelection(clickRow(useInventory.getState().selection, rows, position, mods));
    },
    [rows, setSelection],
  );

  const onCheck = useCallback(
    (position: number, e: MouseEvent) => {
      e.stopPropagation();
      setFocus(position);
      const mods = { shift: e.shiftKey, toggle: true };
      setSelection(clickRow(useInventory.getState().selection, rows, position, mods));
    },
    [rows, setSelection],
  );

  const moveTo = (position: number, extend: boolean) => {
    const p = Math.max(0, Math.min(order.length - 1, position));
    setFocus(p);
    virtualizer.scrollToIndex(p, { align: 'auto' });
    if (extend) setSelection(extendTo(useInventory.getState().selection, rows, p));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (order.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const mod = e.ctrlKey || e.metaKey;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        moveTo(focus + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        e.preventDefault();
        moveTo(focus - 1, e.shiftKey);
        break;
      case 'PageDown':
        e.preventDefault();
        moveTo(focus + page, e.shiftKey);
        break;
      case 'PageUp':
        e.preventDefault();
        moveTo(focus - page, e.shiftKey);
        break;
      case 'Home':
        e.preventDefault();
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        e.preventDefault();
        moveTo(order.length - 1, e.shiftKey);
        break;
      case ' ':
      case 'Enter':
        e.preventDefault();
        if (e.key === 'Enter' && mod) {
          onAddToPlan();
          break;
        }
        setSelection(
          clickRow(useInventory.getState().selection, rows, focus, {
            shift: e.shiftKey,
            toggle: true,
          }),
        );
        break;
      case 'a':
      case 'A':
        if (mod) {
          e.preventDefault();
          setSelection(selectAllShown(useInventory.getState().selection, rows));
        }
        break;
      case 'Escape':
        if (selection.selected.size > 0) {
          e.preventDefault();
          clear();
        }
        break;
    }
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="inv-table">
      <div className="inv-cols inv-head" role="row">
        <span role="columnheader" aria-label="Selected" />
        <span role="columnheader" aria-label="Icon" />
        <span role="columnheader">Item</span>
        <span role="columnheader">Exterior · wear</span>
        <span role="columnheader">Type</span>
        <span role="columnheader" className="num">
          Offer
        </span>
        <ShareHeader />
        <span role="columnheader">Sellable</span>
      </div>
      <div
        ref={scrollRef}
        className="inv-scroll"
        role="grid"
        aria-label="Inventory items"
        aria-multiselectable="true"
        aria-rowcount={order.length}
        aria-activedescendant={order.length > 0 ? `inv-row-${focus}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="inventory-grid"
      >
        <div className="inv-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const index = order[v.index]!;
            const key = prepared.keys[index]!;
            return (
              <Row
                key={key}
                position={v.index}
                start={v.start}
                row={prepared.rows[index]!}
                shareBp={prepared.shareBp[index]!}
                sellable={prepared.sellable[index] === 1}
                selected={selection.selected.has(key)}
                inPlan={inPlan.has(key)}
                focused={v.index === focus}
                onClick={onRowClick}
                onCheck={onCheck}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The "% of market" column header sorts by it (high first, then low first). */
export function ShareHeader() {
  const sort = useInventory((s) => s.filter.sort);
  const setFilter = useInventory((s) => s.setFilter);
  const on = sort === 'shareDesc' || sort === 'shareAsc';
  return (
    <span
      role="columnheader"
      className="num"
      aria-sort={sort === 'shareDesc' ? 'descending' : sort === 'shareAsc' ? 'ascending' : 'none'}
    >
      <button
        type="button"
        className={`header-sort${on ? ' on' : ''}`}
        title="Offer as a share of the market price — click to sort"
        onClick={() => setFilter({ sort: sort === 'shareDesc' ? 'shareAsc' : 'shareDesc' })}
        data-testid="sort-share"
      >
        % of mkt{sort === 'shareDesc' ? ' ▼' : sort === 'shareAsc' ? ' ▲' : ''}
      </button>
    </span>
  );
}

export const Row = memo(function Row({
  position,
  start,
  row,
  shareBp,
  sellable,
  selected,
  inPlan,
  focused,
  nested,
  onClick,
  onCheck,
}: {
  position: number;
  start: number;
  row: InventoryRow;
  shareBp: number;
  sellable: boolean;
  selected: boolean;
  inPlan: boolean;
  focused: boolean;
  /** An item shown under its group (groups mode). */
  nested?: boolean;
  onClick: (position: number, e: MouseEvent) => void;
  onCheck: (position: number, e: MouseEvent) => void;
}) {
  return (
    <div
      id={`inv-row-${position}`}
      role="row"
      aria-rowindex={position + 1}
      aria-selected={selected}
      aria-disabled={!sellable}
      className={`inv-cols inv-row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${sellable ? '' : ' unsellable'}${nested ? ' nested' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={(e) => onClick(position, e)}
      data-item-id={row.itemId}
      data-price={formatCentsPlain(row.priceCents)}
    >
      <span role="gridcell" className="cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          disabled={!sellable}
          aria-label={`Select ${row.name}`}
          onClick={(e) => onCheck(position, e)}
          onChange={() => undefined}
        />
      </span>
      <span role="gridcell" className="cell-icon">
        <ItemPicture iconUrl={row.iconUrl} color={row.color} type={row.type} />
      </span>
      <span role="gridcell" className="cell-name">
        <span className="name" title={row.marketHashName}>
          {row.name}
        </span>
        {inPlan && <span className="tag tag-plan">in plan</span>}
        {(row.amount > 1 || (row.taken && row.amount > 0)) && (
          <span className="tag">stack ×{row.amount}</span>
        )}
        {row.taken && row.amount > 0 && <TakenTag taken={row.taken} />}
      </span>
      <span role="gridcell" className="cell-muted">
        {row.exterior ?? '—'}
        {row.wear ? <span className="wear"> · {Number(row.wear).toFixed(4)}</span> : null}
      </span>
      <span role="gridcell" className="cell-muted">
        {row.type}
      </span>
      <span role="gridcell" className="num money">
        {formatUsd(row.priceCents)}
        {row.marketPriceCents !== null && (
          <small className="market">mkt {formatUsd(row.marketPriceCents)}</small>
        )}
      </span>
      <span role="gridcell" className="num share" data-share-bp={shareBp}>
        {formatShare(shareBp < 0 ? null : shareBp)}
      </span>
      <span role="gridcell" data-testid="row-status">
        {sellable ? (
          <span className="flag flag-ok">Sellable</span>
        ) : row.taken && row.amount === 0 ? (
          <span className="flag flag-info" title={takenTitle(row.taken)}>
            {row.taken.sellingUnits > 0 ? 'Being sold' : 'Sold'}
          </span>
        ) : !row.tradable ? (
          <span className="flag flag-err">Not tradable</span>
        ) : !row.accepted ? (
          <span className="flag flag-warn">Not accepted</span>
        ) : (
          <span className="flag flag-warn">No offer</span>
        )}
      </span>
    </div>
  );
});

/** "2 sold" / "3 being sold" beside a stack that still has units. */
function TakenTag({ taken }: { taken: NonNullable<InventoryRow['taken']> }) {
  const parts = [
    ...(taken.soldUnits > 0 ? [`${taken.soldUnits} sold`] : []),
    ...(taken.sellingUnits > 0 ? [`${taken.sellingUnits} being sold`] : []),
  ];
  return (
    <span className="tag tag-taken" title={takenTitle(taken)}>
      {parts.join(', ')}
    </span>
  );
}

function takenTitle(taken: NonNullable<InventoryRow['taken']>): string {
  const where = taken.planName ? ` by the run of “${taken.planName}”` : '';
  return `${taken.sellingUnits > 0 ? 'Being sold' : 'Sold'}${where} since this copy was fetched. Refresh to see AssetPay’s own count.`;
}
