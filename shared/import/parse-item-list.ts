import { GAMES, type GameId } from '../api/games';
import { centsToUsd, parseUsdToCents, usdToCents } from '../money';

/*
 * Reads a trader's item list — CSV or JSON of `itemId,price[,amount]` — into
 * rows the plan can use, and says exactly which rows it could not read and
 * why. Pure: no inventory lookups here (the plan handler checks each item
 * against the cached inventory and adds its own row errors).
 *
 * Row numbers are what the trader sees: for CSV the 1-based line where the
 * record starts (header and blank lines counted, a quoted multi-line name
 * counts from its first line); for JSON the 1-based position in the array.
 * Every non-blank row ends up either in `rows` or in `errors`, never neither.
 *
 * CSV accepted: a UTF-8 BOM, `,` `;` or TAB separators (detected from the
 * first line), quoted fields with commas, doubled quotes and line breaks, an
 * optional header row (then columns are found by name and other columns such
 * as a name are ignored; without one the columns are itemId, price, amount),
 * prices like "10.75", "$10.75", "$1,234.50" and, in `;` files, "10,75".
 * JSON accepted: an array of objects `{ itemId | id, price, amount? }`, or
 * `{ items: [...] }` (what the plan export writes).
 *
 * A row may also say which account and game it sells from (`accountId`,
 * `account` — the account's name — and `game`: 730, 252490, CS2 or Rust), as
 * the plan export writes them; the importer's account and game pickers are
 * only the default for rows that do not.
 */

export type ItemListFormat = 'csv' | 'json';

export interface ParsedItemRow {
  row: number;
  itemId: string;
  priceCents: number;
  /** The price as a USD number with at most two decimals. */
  priceUsd: number;
  /** Units to sell (Rust stacks); null when the file does not say. */
  amount: number | null;
  /** The row's own account (its id, else its name) and game; null when the file does not say. */
  accountId: string | null;
  accountName: string | null;
  game: GameId | null;
}

/** What a row says beyond itemId, price and amount. */
interface RowOrigin {
  accountId?: unknown;
  accountName?: unknown;
  game?: unknown;
}

export interface ItemListError {
  row: number;
  reason: string;
}

export interface ParsedItemList {
  rows: ParsedItemRow[];
  errors: ItemListError[];
}

export const MAX_IMPORT_ROWS = 100_000;
/** Beyond this many row errors the rest are summarised in one last error. */
export const MAX_LISTED_ERRORS = 1_000;
const MIN_ITEM_ID = 5;
const MAX_ITEM_ID = 256;
const MAX_AMOUNT = 10_000;

const ITEM_ID_HEADERS = new Set(['itemid', 'id', 'item']);
const PRICE_HEADERS = new Set(['price', 'priceusd', 'usd', 'offerprice']);
const AMOUNT_HEADERS = new Set(['amount', 'qty', 'quantity', 'count']);
const ACCOUNT_ID_HEADERS = new Set(['accountid']);
const ACCOUNT_NAME_HEADERS = new Set(['account', 'accountname', 'accountlabel']);
const GAME_HEADERS = new Set(['game', 'gameid', 'appid']);
const GAME_NAMES: Record<string, GameId> = {
  [GAMES.cs2]: GAMES.cs2,
  [GAMES.rust]: GAMES.rust,
  cs2: GAMES.cs2,
  csgo: GAMES.cs2,
  'cs:go': GAMES.cs2,
  rust: GAMES.rust,
};
const MAX_ACCOUNT_ID = 128;
const MAX_ACCOUNT_NAME = 100;

export function parseItemList(text: string, format: ItemListFormat): ParsedItemList {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const collector = new Collector();
  if (format === 'json') parseJson(body, collector);
  else parseCsv(body, collector);
  return collector.result();
}

// ── Shared row checks ─────────────────────────────────────────────────────────

class Collector {
  private readonly rows: ParsedItemRow[] = [];
  private readonly errors: ItemListError[] = [];
  private readonly firstRowOf = new Map<string, number>();
  private unlisted = 0;
  private lastUnlistedRow = 0;
  full = false;

  error(row: number, reason: string): void {
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push({ row, reason });
    else {
      this.unlisted++;
      this.lastUnlistedRow = row;
    }
  }

  /** Checks one row's raw values and keeps it or records why not. */
  add(
    row: number,
    rawItemId: unknown,
    rawPrice: unknown,
    rawAmount: unknown,
    decimalComma: boolean,
    origin: RowOrigin = {},
  ): void {
    if (this.rows.length >= MAX_IMPORT_ROWS) {
      if (!this.full)
        this.error(
          row,
          `The list has more than ${MAX_IMPORT_ROWS.toLocaleString('en-US')} items; this row and the rest were not imported.`,
        );
      this.full = true;
      return;
    }
    const itemId = readItemId(rawItemId);
    if (typeof itemId !== 'string') return this.error(row, itemId.reason);
    const price = readPrice(rawPrice, decimalComma);
    if ('reason' in price) return this.error(row, price.reason);
    const amount = readAmount(rawAmount);
    if (amount !== null && typeof amount === 'object') return this.error(row, amount.reason);
    const accountId = readText(origin.accountId, MAX_ACCOUNT_ID, 'Account id');
    if (accountId !== null && typeof accountId === 'object')
      return this.error(row, accountId.reason);
    const accountName = readText(origin.accountName, MAX_ACCOUNT_NAME, 'Account name');
    if (accountName !== null && typeof accountName === 'object')
      return this.error(row, accountName.reason);
    const game = readGame(origin.game);
    if (game !== null && typeof game === 'object') return this.error(row, game.reason);
    const first = this.firstRowOf.get(itemId);
    if (first !== undefined) return this.error(row, `Duplicate item id (already on row ${first}).`);
    this.firstRowOf.set(itemId, row);
    this.rows.push({
      row,
      itemId,
      priceCents: price.cents,
      priceUsd: centsToUsd(price.cents),
      amount,
      accountId,
      accountName,
      game,
    });
  }

  result(): ParsedItemList {
    const errors = [...this.errors];
    if (this.unlisted > 0) {
      errors.push({
        row: this.lastUnlistedRow,
        reason: `${this.unlisted} more rows had errors and are not listed.`,
      });
    }
    return { rows: this.rows, errors };
  }
}

function readItemId(raw: unknown): string | { reason: string } {
  if (raw === undefined || raw === null) return { reason: 'Missing item id.' };
  let id: string;
  if (typeof raw === 'string') id = raw.trim();
  else if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) id = String(raw);
  else return { reason: 'Item id must be text.' };
  if (id === '') return { reason: 'Missing item id.' };
  if (id.length < MIN_ITEM_ID || id.length > MAX_ITEM_ID) {
    return {
      reason: `Item id must be ${MIN_ITEM_ID} to ${MAX_ITEM_ID} characters (got ${id.length}).`,
    };
  }
  if (/[\s,]/.test(id)) return { reason: 'Item id must not contain spaces or commas.' };
  return id;
}

function readPrice(raw: unknown, decimalComma: boolean): { cents: number } | { reason: string } {
  if (raw === undefined || raw === null) return { reason: 'Missing price.' };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { reason: 'Price must be a number like 10.75.' };
    if (raw <= 0) return { reason: 'Price must be greater than zero.' };
    const cents = usdToCents(raw);
    if (Math.abs(raw * 100 - cents) > 1e-6)
      return { reason: 'Price must have at most 2 decimals.' };
    if (cents <= 0) return { reason: 'Price must be greater than zero.' };
    return { cents };
  }
  if (typeof raw !== 'string') return { reason: 'Price must be a number like 10.75.' };
  let text = raw.trim();
  if (text === '') return { reason: 'Missing price.' };
  if (/^-|^\$\s*-/.test(text)) return { reason: 'Price must be greater than zero.' };
  if (decimalComma && /^\$?\s*\d+,\d{1,2}$/.test(text)) text = text.replace(',', '.');
  text = text.replace(/^\$\s*/, '$');
  const cents = parseUsdToCents(text);
  if (cents === null) {
    if (/^\$?\d+\.\d{3,}$/.test(text)) return { reason: 'Price must have at most 2 decimals.' };
    return { reason: `Price "${clip(raw.trim(), 24)}" is not a number like 10.75.` };
  }
  if (cents <= 0) return { reason: 'Price must be greater than zero.' };
  return { cents };
}

function readAmount(raw: unknown): number | null | { reason: string } {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' && raw.trim() === '') return null;
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\d+$/.test(raw.trim())
        ? Number(raw.trim())
        : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_AMOUNT) {
    return {
      reason: `Amount must be a whole number from 1 to ${MAX_AMOUNT.toLocaleString('en-US')}.`,
    };
  }
  return value;
}

/** An optional text cell: null when empty or absent. */
function readText(raw: unknown, max: number, what: string): string | null | { reason: string } {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return { reason: `${what} must be text.` };
  const text = raw.trim();
  if (text === '') return null;
  if (text.length > max) return { reason: `${what} is longer than ${max} characters.` };
  return text;
}

function readGame(raw: unknown): GameId | null | { reason: string } {
  if (raw === undefined || raw === null) return null;
  const text = String(raw).trim().toLowerCase();
  if (text === '') return null;
  return (
    GAME_NAMES[text] ?? {
      reason: `Game "${clip(String(raw).trim(), 24)}" is not 730 (CS2) or 252490 (Rust).`,
    }
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ── CSV ──────────────────────────────────────────────────────────────────────

interface CsvRecord {
  line: number;
  fields: string[];
  /** Set when the record could not be read (an unclosed quote). */
  problem?: string;
}

function parseCsv(text: string, out: Collector): void {
  const separator = detectSeparator(text);
  const decimalComma = separator !== ',';
  let columns: CsvColumns | null = null;
  let sawFirst = false;
  for (const record of readRecords(text, separator)) {
    if (out.full) return;
    if (record.problem) {
      out.error(record.line, record.problem);
      continue;
    }
    const fields = trimTrailingEmpty(record.fields.map((f) => f.trim()));
    if (fields.length === 0) continue; // blank line
    if (!sawFirst) {
      sawFirst = true;
      const header = readHeader(fields);
      if (header === 'not-a-header') {
        columns = { itemId: 0, price: 1, amount: 2, headerWidth: null, ...NO_ORIGIN_COLUMNS };
      } else if ('reason' in header) {
        out.error(record.line, header.reason);
        return;
      } else {
        columns = header;
        continue;
      }
    }
    const cols = columns!;
    if (cols.headerWidth === null && fields.length > 3) {
      out.error(
        record.line,
        `Expected itemId, price and an optional amount (got ${fields.length} columns); add a header row to use other columns.`,
      );
      continue;
    }
    const cell = (index: number | null) => (index === null ? undefined : fields[index]);
    out.add(record.line, fields[cols.itemId], cell(cols.price), cell(cols.amount), decimalComma, {
      accountId: cell(cols.accountId),
      accountName: cell(cols.accountName),
      game: cell(cols.game),
    });
  }
}

interface CsvColumns {
  itemId: number;
  price: number;
  amount: number | null;
  accountId: number | null;
  accountName: number | null;
  game: number | null;
  /** Null when the file has no header (then only itemId, price, amount). */
  headerWidth: number | null;
}

const NO_ORIGIN_COLUMNS = { accountId: null, accountName: null, game: null } as const;

function trimTrailingEmpty(fields: string[]): string[] {
  let end = fields.length;
  while (end > 0 && fields[end - 1] === '') end--;
  return end === fields.length ? fields : fields.slice(0, end);
}

/** A first row is a header when none of its cells is a price and it names the item id column. */
function readHeader(fields: string[]): 'not-a-header' | { reason: string } | CsvColumns {
  const names = fields.map((f) => f.toLowerCase().replace(/[\s_$().-]/g, ''));
  const column = (names_: Set<string>) => {
    const index = names.findIndex((n) => names_.has(n));
    return index === -1 ? null : index;
  };
  const itemId = column(ITEM_ID_HEADERS);
  const price = column(PRICE_HEADERS);
  if (itemId === null && price === null) return 'not-a-header';
  if (fields.some((f) => parseUsdToCents(f) !== null)) return 'not-a-header';
  if (itemId === null) return { reason: 'The header row has no item id column (itemId).' };
  if (price === null) return { reason: 'The header row has no price column (price).' };
  return {
    itemId,
    price,
    amount: column(AMOUNT_HEADERS),
    accountId: column(ACCOUNT_ID_HEADERS),
    accountName: column(ACCOUNT_NAME_HEADERS),
    game: column(GAME_HEADERS),
    headerWidth: fields.length,
  };
}

/** `;` or TAB when the first record uses them outside quotes, else `,`. */
function detectSeparator(text: string): string {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let sawContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (sawContent) break;
    } else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
    else if (ch.trim() !== '') sawContent = true;
  }
  if (counts[';'] > 0 && counts[';'] >= counts[',']) return ';';
  if (counts['\t'] > 0 && counts[','] === 0) return '\t';
  return ',';
}

/** RFC 4180 records with the line each starts on. Lenient: spaces around a quoted field are allowed. */
function* readRecords(text: string, separator: string): Generator<CsvRecord> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let problem: string | undefined;
    let endOfRecord = false;
    while (!endOfRecord) {
      // One field.
      field = '';
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t') && text[j] !== separator) j++;
      if (j < n && text[j] === '"') {
        i = j + 1;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          else if (ch === '\r' && text[i + 1] !== '\n') line++;
          field += ch;
          i++;
        }
        if (!closed) {
          problem = 'A quoted field is not closed (missing ").';
          i = n;
          fields.push(field);
          break;
        }
        // Anything between the closing quote and the separator is kept (lenient).
        while (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r')
          field += text[i++];
      } else {
        while (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r')
          field += text[i++];
      }
      fields.push(field);
      if (i >= n) {
        endOfRecord = true;
      } else if (text[i] === separator) {
        i++;
      } else {
        // Line end: \r\n, \n or a lone \r.
        if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
        else i++;
        line++;
        endOfRecord = true;
      }
    }
    yield problem ? { line: startLine, fields, problem } : { line: startLine, fields };
  }
}

// ── JSON ─────────────────────────────────────────────────────────────────────

function parseJson(text: string, out: Collector): void {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const line = position === undefined ? 1 : lineAt(text, Number(position));
    out.error(
      line,
      `The file is not valid JSON${position === undefined ? '' : ` (near line ${line})`}.`,
    );
    return;
  }
  const list = Array.isArray(data)
    ? data
    : isRecord(data) && Array.isArray(data.items)
      ? data.items
      : null;
  if (list === null) {
    out.error(1, 'The JSON file must be an array of { "itemId", "price", "amount" } objects.');
    return;
  }
  for (let index = 0; index < list.length; index++) {
    if (out.full) return;
    const row = index + 1;
    const entry: unknown = list[index];
    if (!isRecord(entry)) {
      out.error(row, 'Each entry must be an object with itemId and price.');
      continue;
    }
    const itemId = own(entry, 'itemId') ?? own(entry, 'id');
    out.add(row, itemId, own(entry, 'price'), own(entry, 'amount'), false, {
      accountId: own(entry, 'accountId'),
      accountName: own(entry, 'account'),
      game: own(entry, 'game'),
    });
  }
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineAt(text: string, position: number): number {
  let line = 1;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
