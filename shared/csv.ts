/*
 * CSV writing for plan and history exports (RFC 4180: comma-separated, CRLF
 * line ends, a field quoted when it holds a comma, quote, CR or LF, quotes
 * doubled). Item names come from Steam and can start with "=" or "@"; a
 * spreadsheet would run such a cell as a formula (CSV injection), so a text
 * cell starting with = + - @ TAB or CR is prefixed with an apostrophe.
 * Numbers are written as given, so "-1.50" stays a number.
 */

export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, escaped. `null`/`undefined` are empty cells. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number for CSV: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/** A whole file: header then rows, CRLF after every line. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine(row));
  return `${lines.join('\r\n')}\r\n`;
}

/** "plan-my-run-2026-05-14.csv": keeps letters, digits, dot, dash and underscore. */
export function safeFileName(base: string, extension: string): string {
  const cleaned = base
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${cleaned || 'export'}.${extension}`;
}
