/*
 * Multi-select the way desktop lists do it, over the rows currently shown:
 * click = only this row; Ctrl/Cmd-click = toggle; Shift-click = the range
 * from the anchor; Ctrl/Cmd+Shift-click = add that range. Rows that cannot be
 * sold are never selected. Pure, so the 50,000-row cases are unit-tested.
 */

export type Selection = { selected: ReadonlySet<string>; anchor: string | null };

export type VisibleRows = {
  count: number;
  keyAt: (position: number) => string;
  selectableAt: (position: number) => boolean;
  positionOf: (key: string) => number;
};

export type ClickModifiers = { shift: boolean; toggle: boolean };

export function clickRow(
  state: Selection,
  rows: VisibleRows,
  position: number,
  mods: ClickModifiers,
): Selection {
  const key = rows.keyAt(position);
  const anchorPos = state.anchor === null ? -1 : rows.positionOf(state.anchor);
  if (mods.shift && anchorPos >= 0) {
    const next = mods.toggle ? new Set(state.selected) : new Set<string>();
    const [from, to] = anchorPos <= position ? [anchorPos, position] : [position, anchorPos];
    for (let p = from; p <= to; p++) if (rows.selectableAt(p)) next.add(rows.keyAt(p));
    return { selected: next, anchor: state.anchor };
  }
  if (!rows.selectableAt(position)) return { selected: state.selected, anchor: key };
  if (mods.toggle) {
    const next = new Set(state.selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return { selected: next, anchor: key };
  }
  return { selected: new Set([key]), anchor: key };
}

/** Keyboard: Shift+Arrow extends from the anchor to the focused row. */
export function extendTo(state: Selection, rows: VisibleRows, position: number): Selection {
  return clickRow(state, rows, position, { shift: true, toggle: false });
}

/** Adds every selectable shown row. */
export function selectAllShown(state: Selection, rows: VisibleRows): Selection {
  const next = new Set(state.selected);
  for (let p = 0; p < rows.count; p++) if (rows.selectableAt(p)) next.add(rows.keyAt(p));
  return { selected: next, anchor: state.anchor };
}

/** Removes every shown row, keeps selections hidden by the filter. */
export function deselectAllShown(state: Selection, rows: VisibleRows): Selection {
  const next = new Set(state.selected);
  for (let p = 0; p < rows.count; p++) next.delete(rows.keyAt(p));
  return { selected: next, anchor: state.anchor };
}

export function countSelectedShown(selected: ReadonlySet<string>, rows: VisibleRows): number {
  if (selected.size === 0) return 0;
  let n = 0;
  for (let p = 0; p < rows.count; p++) if (selected.has(rows.keyAt(p))) n++;
  return n;
}

/** Adapts the filtered index list of the inventory to `VisibleRows`. */
export function visibleRows(
  order: Int32Array,
  keys: readonly string[],
  sellable: Uint8Array,
  indexOf: (key: string) => number,
): VisibleRows {
  let positions: Int32Array | null = null;
  return {
    count: order.length,
    keyAt: (p) => keys[order[p]!]!,
    selectableAt: (p) => sellable[order[p]!] === 1,
    positionOf: (key) => {
      const index = indexOf(key);
      if (index < 0) return -1;
      if (!positions) {
        // Built lazily: only a shift-click needs it.
        positions = new Int32Array(keys.length).fill(-1);
        for (let p = 0; p < order.length; p++) positions[order[p]!] = p;
      }
      return positions[index]!;
    },
  };
}
