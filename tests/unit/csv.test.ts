import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, safeFileName, toCsv } from '../../shared/csv';
import { parseItemList } from '../../shared/import';

describe('csv writing', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('AK-47 | Redline, FT')).toBe('"AK-47 | Redline, FT"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('writes numbers as given, negative ones too', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(10)).toBe('10');
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
  });

  it('neutralises spreadsheet formulas in text cells', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a file with CRLF line ends', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
    expect(csvLine(['a', 2, null])).toBe('a,2,');
  });

  it('round-trips through the import parser', () => {
    const text = toCsv(
      ['itemId', 'name', 'price', 'amount'],
      [
        ['item-aaaa-1', 'Name, with comma "quoted"', '10.75', 1],
        ['item-bbbb-2', '=cmd', '0.03', 7],
      ],
    );
    const parsed = parseItemList(text, 'csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.row, r.itemId, r.priceCents, r.amount])).toEqual([
      [2, 'item-aaaa-1', 1075, 1],
      [3, 'item-bbbb-2', 3, 7],
    ]);
  });

  it('makes safe file names', () => {
    expect(safeFileName('My plan / 2026:05', 'csv')).toBe('My-plan-2026-05.csv');
    expect(safeFileName('../../etc', 'json')).toBe('etc.json');
    expect(safeFileName('', 'csv')).toBe('export.csv');
  });
});
