import { describe, expect, it } from 'vitest';
import {
  clickRow,
  countSelectedShown,
  deselectAllShown,
  extendTo,
  selectAllShown,
  visibleRows,
  type Selection,
} from './selection';

// 10 rows shown in the order 9..0; row index 4 cannot be sold.
const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
const sellable = Uint8Array.from(keys.map((_, i) => (i === 4 ? 0 : 1)));
const indexOfKey = new Map(keys.map((k, i) => [k, i]));
const order = Int32Array.from([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
const indexOf = (k: string) => indexOfKey.get(k) ?? -1;
const rows = visibleRows(order, keys, sellable, indexOf);
const empty: Selection = { selected: new Set(), anchor: null };
const plain = { shift: false, toggle: false };
const sorted = (s: Selection) => [...s.selected].sort();

describe('selection', () => {
  it('a plain click selects only that row and sets the anchor', () => {
    const s = clickRow({ selected: new Set(['k1', 'k2']), anchor: 'k1' }, rows, 0, plain);
    expect(sorted(s)).toEqual(['k9']);
    expect(s.anchor).toBe('k9');
  });

  it('ctrl/cmd-click toggles one row and keeps the rest', () => {
    let s = clickRow(empty, rows, 0, plain);
    s = clickRow(s, rows, 2, { shift: false, toggle: true });
    expect(sorted(s)).toEqual(['k7', 'k9']);
    s = clickRow(s, rows, 0, { shift: false, toggle: true });
    expect(sorted(s)).toEqual(['k7']);
  });

  it('shift-click selects the range from the anchor in display order, skipping unsellable rows', () => {
    let s = clickRow(empty, rows, 2, plain); // k7
    s = clickRow(s, rows, 6, { shift: true, toggle: false }); // positions 2..6 = k7 k6 k5 (k4 skipped) k3
    expect(sorted(s)).toEqual(['k3', 'k5', 'k6', 'k7']);
    expect(s.anchor).toBe('k7');
  });

  it('shift-click works upwards and replaces the earlier range', () => {
    let s = clickRow(empty, rows, 5 + 2, plain); // k2
    s = clickRow(s, rows, 9, { shift: true, toggle: false }); // k2 k1 k0
    s = clickRow(s, rows, 6, { shift: true, toggle: false }); // k3 k2
    expect(sorted(s)).toEqual(['k2', 'k3']);
  });

  it('ctrl+shift-click adds the range to the selection', () => {
    let s = clickRow(empty, rows, 0, plain); // k9
    s = clickRow(s, rows, 8, { shift: false, toggle: true }); // + k1, anchor k1
    s = clickRow(s, rows, 9, { shift: true, toggle: true }); // + k1..k0
    expect(sorted(s)).toEqual(['k0', 'k1', 'k9']);
  });

  it('shift-click without an anchor on screen acts as a plain click', () => {
    const s = clickRow({ selected: new Set(), anchor: 'gone' }, rows, 1, {
      shift: true,
      toggle: false,
    });
    expect(sorted(s)).toEqual(['k8']);
  });

  it('an unsellable row is never selected', () => {
    const s = clickRow(empty, rows, 5, plain);
    expect(s.selected.size).toBe(0);
    expect(s.anchor).toBe('k4');
  });

  it('keyboard extend behaves like shift-click', () => {
    const s = extendTo(clickRow(empty, rows, 0, plain), rows, 2);
    expect(sorted(s)).toEqual(['k7', 'k8', 'k9']);
  });

  it('select all matching adds every selectable shown row; deselect removes only shown ones', () => {
    const filtered = visibleRows(Int32Array.from([0, 1, 4]), keys, sellable, indexOf);
    let s: Selection = { selected: new Set(['k9']), anchor: null };
    s = selectAllShown(s, filtered);
    expect(sorted(s)).toEqual(['k0', 'k1', 'k9']);
    expect(countSelectedShown(s.selected, filtered)).toBe(2);
    s = deselectAllShown(s, filtered);
    expect(sorted(s)).toEqual(['k9']);
  });

  it('shift-selects a 50,000-row range', () => {
    const n = 50_000;
    const bigKeys = Array.from({ length: n }, (_, i) => `i${i}`);
    const big = visibleRows(
      Int32Array.from({ length: n }, (_, i) => i),
      bigKeys,
      new Uint8Array(n).fill(1),
      (k) => Number(k.slice(1)),
    );
    const s = clickRow(clickRow(empty, big, 0, plain), big, n - 1, { shift: true, toggle: false });
    expect(s.selected.size).toBe(n);
  });
});
