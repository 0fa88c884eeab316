import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ERRORS, parseItemList } from '../../shared/import';

const A = 'item-aaaa-1';
const B = 'item-bbbb-2';
const C = 'item-cccc-3';
/** A row that names no account or game (the importer's pickers decide). */
const NO_ORIGIN = { accountId: null, accountName: null, game: null };

describe('parseItemList — CSV', () => {
  it('reads itemId,price[,amount] without a header', () => {
    const out = parseItemList(`${A},10.75\n${B},$3.10,4\n`, 'csv');
    expect(out.errors).toEqual([]);
    expect(out.rows).toEqual([
      { row: 1, itemId: A, priceCents: 1075, priceUsd: 10.75, amount: null, ...NO_ORIGIN },
      { row: 2, itemId: B, priceCents: 310, priceUsd: 3.1, amount: 4, ...NO_ORIGIN },
    ]);
  });

  it('skips a header row and counts it in row numbers; maps columns by name', () => {
    const out = parseItemList(
      `name,price,itemId,amount\n"AK-47 | Redline, FT",12.5,${A},\n`,
      'csv',
    );
    expect(out.errors).toEqual([]);
    expect(out.rows).toEqual([
      { row: 2, itemId: A, priceCents: 1250, priceUsd: 12.5, amount: null, ...NO_ORIGIN },
    ]);
  });

  it('strips a UTF-8 BOM (Excel) before the header', () => {
    const out = parseItemList(`\uFEFFitemId,price\r\n${A},1.00\r\n`, 'csv');
    expect(out.errors).toEqual([]);
    expect(out.rows.map((r) => [r.row, r.itemId, r.priceCents])).toEqual([[2, A, 100]]);
  });

  it('accepts ; separators, with a decimal comma', () => {
    const out = parseItemList(`itemId;price;amount\n${A};10,75;2\n${B};"$1,234.50"\n`, 'csv');
    expect(out.errors).toEqual([]);
    expect(out.rows.map((r) => [r.row, r.priceCents, r.amount])).toEqual([
      [2, 1075, 2],
      [3, 123450, null],
    ]);
  });

  it('accepts TAB separators', () => {
    const out = parseItemList(`${A}\t2.00\n`, 'csv');
    expect(out.rows.map((r) => r.priceCents)).toEqual([200]);
  });

  it('reads quoted names with commas, doubled quotes and line breaks, keeping line numbers right', () => {
    const text = [
      'itemId,name,price',
      `${A},"Desert Eagle | Blaze, ""FN""",5`,
      `${B},"two`,
      `lines",6`,
      `${C},plain,x`,
    ].join('\n');
    const out = parseItemList(text, 'csv');
    expect(out.rows.map((r) => [r.row, r.itemId])).toEqual([
      [2, A],
      [3, B],
    ]);
    expect(out.errors).toEqual([{ row: 5, reason: 'Price "x" is not a number like 10.75.' }]);
  });

  it('reports every bad row with its line number and reason, keeping the good ones', () => {
    const text = [
      `${A},10.75`, // 1 ok
      `${B}`, // 2 missing price
      '', // 3 blank: ignored
      `${C},-2`, // 4 negative
      'item-dddd-4,0', // 5 zero
      'item-eeee-5,1.5,lots', // 6 non-numeric amount
      'item-ffff-6,$0.00', // 7 zero
      `${A},3`, // 8 duplicate
      'abc,3', // 9 id too short
      ',3', // 10 missing id
      'item-gggg-7,1.999', // 11 too many decimals
      'item-hhhh-8,2,0', // 12 zero amount
      'item-iiii-9,2,10001', // 13 amount too big
      'item-jjjj-10,2,1.5', // 14 fractional amount
      'item-kkkk-11,2,1,extra', // 15 too many columns
    ].join('\n');
    const out = parseItemList(text, 'csv');
    expect(out.rows.map((r) => r.row)).toEqual([1]);
    expect(out.errors).toEqual([
      { row: 2, reason: 'Missing price.' },
      { row: 4, reason: 'Price must be greater than zero.' },
      { row: 5, reason: 'Price must be greater than zero.' },
      { row: 6, reason: 'Amount must be a whole number from 1 to 10,000.' },
      { row: 7, reason: 'Price must be greater than zero.' },
      { row: 8, reason: 'Duplicate item id (already on row 1).' },
      { row: 9, reason: 'Item id must be 5 to 256 characters (got 3).' },
      { row: 10, reason: 'Missing item id.' },
      { row: 11, reason: 'Price must have at most 2 decimals.' },
      { row: 12, reason: 'Amount must be a whole number from 1 to 10,000.' },
      { row: 13, reason: 'Amount must be a whole number from 1 to 10,000.' },
      { row: 14, reason: 'Amount must be a whole number from 1 to 10,000.' },
      {
        row: 15,
        reason:
          'Expected itemId, price and an optional amount (got 4 columns); add a header row to use other columns.',
      },
    ]);
  });

  it('every non-blank row is either imported or reported', () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      i % 7 === 0 ? `bad${i}` : `item-${i}-xx,${(i % 50) + 1}.25`,
    );
    const out = parseItemList(lines.join('\n'), 'csv');
    const seen = new Set([...out.rows.map((r) => r.row), ...out.errors.map((e) => e.row)]);
    expect(seen.size).toBe(500);
    expect(out.rows.length + out.errors.length).toBe(500);
  });

  it('reports an unclosed quote', () => {
    const out = parseItemList(`${A},1\n${B},"2\n`, 'csv');
    expect(out.rows.map((r) => r.row)).toEqual([1]);
    expect(out.errors).toEqual([{ row: 2, reason: 'A quoted field is not closed (missing ").' }]);
  });

  it('refuses a header without a price column', () => {
    const out = parseItemList(`itemId,name\n${A},x\n`, 'csv');
    expect(out.rows).toEqual([]);
    expect(out.errors).toEqual([{ row: 1, reason: 'The header row has no price column (price).' }]);
  });

  it('ignores trailing empty columns and CRLF', () => {
    const out = parseItemList(`${A},1.00,,\r\n\r\n${B},2.00,3,\r\n`, 'csv');
    expect(out.errors).toEqual([]);
    expect(out.rows.map((r) => [r.row, r.amount])).toEqual([
      [1, null],
      [3, 3],
    ]);
  });

  it('caps the listed errors and summarises the rest', () => {
    const lines = Array.from({ length: MAX_LISTED_ERRORS + 50 }, (_, i) => `item-${i}-zz,abc`);
    const out = parseItemList(lines.join('\n'), 'csv');
    expect(out.errors).toHaveLength(MAX_LISTED_ERRORS + 1);
    expect(out.errors.at(-1)!.reason).toBe('50 more rows had errors and are not listed.');
  });

  it('returns nothing for an empty file', () => {
    expect(parseItemList('', 'csv')).toEqual({ rows: [], errors: [] });
    expect(parseItemList('\uFEFF\n\n', 'csv')).toEqual({ rows: [], errors: [] });
  });
});

describe('parseItemList — JSON', () => {
  it('reads an array of objects (numbers or strings), rows = position in the array', () => {
    const text = JSON.stringify([
      { itemId: A, price: 10.75 },
      { id: B, price: '$2.50', amount: 3, name: 'ignored' },
    ]);
    const out = parseItemList(text, 'json');
    expect(out.errors).toEqual([]);
    expect(out.rows).toEqual([
      { row: 1, itemId: A, priceCents: 1075, priceUsd: 10.75, amount: null, ...NO_ORIGIN },
      { row: 2, itemId: B, priceCents: 250, priceUsd: 2.5, amount: 3, ...NO_ORIGIN },
    ]);
  });

  it('reads the export shape { items: [...] } and a BOM', () => {
    const out = parseItemList(
      `\uFEFF${JSON.stringify({ items: [{ itemId: A, price: 1 }] })}`,
      'json',
    );
    expect(out.rows.map((r) => r.priceCents)).toEqual([100]);
  });

  it('reports bad entries', () => {
    const text = JSON.stringify([
      { itemId: A, price: 1 },
      'not an object',
      { itemId: B },
      { itemId: C, price: -1 },
      { itemId: 'item-dddd-4', price: 0 },
      { itemId: 'item-eeee-5', price: 1, amount: 'two' },
      { itemId: A, price: 2 },
      { price: 2 },
      { itemId: 'item-ffff-6', price: 1.005 },
      { itemId: ['x'], price: 1 },
    ]);
    const out = parseItemList(text, 'json');
    expect(out.rows.map((r) => r.row)).toEqual([1]);
    expect(out.errors).toEqual([
      { row: 2, reason: 'Each entry must be an object with itemId and price.' },
      { row: 3, reason: 'Missing price.' },
      { row: 4, reason: 'Price must be greater than zero.' },
      { row: 5, reason: 'Price must be greater than zero.' },
      { row: 6, reason: 'Amount must be a whole number from 1 to 10,000.' },
      { row: 7, reason: 'Duplicate item id (already on row 1).' },
      { row: 8, reason: 'Missing item id.' },
      { row: 9, reason: 'Price must have at most 2 decimals.' },
      { row: 10, reason: 'Item id must be text.' },
    ]);
  });

  it('reports malformed JSON with the line', () => {
    const out = parseItemList(
      '[\n  {"itemId": "item-aaaa-1", "price": 1},\n  {"itemId": }\n]',
      'json',
    );
    expect(out.rows).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]!.reason).toMatch(/^The file is not valid JSON/);
    expect(out.errors[0]!.row).toBeGreaterThanOrEqual(1);
  });

  it('refuses JSON that is not a list', () => {
    expect(parseItemList('{"a":1}', 'json').errors).toEqual([
      {
        row: 1,
        reason: 'The JSON file must be an array of { "itemId", "price", "amount" } objects.',
      },
    ]);
  });

  it('is not fooled by __proto__ keys', () => {
    const out = parseItemList(`[{"__proto__": {"price": 5}, "itemId": "${A}"}]`, 'json');
    expect(out.errors).toEqual([{ row: 1, reason: 'Missing price.' }]);
    expect(({} as Record<string, unknown>).price).toBeUndefined();
  });
});

describe('parseItemList — rows that name their account and game (issue 14 item 4)', () => {
  it('reads the columns the plan export writes, in any order', () => {
    const csv = [
      'itemId,name,exterior,float,price,amount,game,accountId,account',
      `${A},"AWP | Asiimov",Field-Tested,0.25,10.75,1,730,acc-1,Main`,
      `${B},Chippy,,,0.12,25,252490,acc-2,"Second, old"`,
    ].join('\r\n');
    const out = parseItemList(csv, 'csv');
    expect(out.errors).toEqual([]);
    expect(out.rows.map((r) => [r.itemId, r.game, r.accountId, r.accountName, r.amount])).toEqual([
      [A, '730', 'acc-1', 'Main', 1],
      [B, '252490', 'acc-2', 'Second, old', 25],
    ]);
  });

  it.each([
    ['730', '730'],
    ['252490', '252490'],
    ['CS2', '730'],
    ['csgo', '730'],
    ['Rust', '252490'],
    ['', null],
  ])('game %j reads as %j', (cell, game) => {
    const out = parseItemList(`itemId,price,game\n${A},1.00,${cell}\n`, 'csv');
    expect(out.errors).toEqual([]);
    expect(out.rows[0]!.game).toBe(game);
  });

  it('says which game it cannot read, and keeps the other rows', () => {
    const out = parseItemList(`itemId,price,game\n${A},1.00,dota\n${B},2.00,rust\n`, 'csv');
    expect(out.errors).toEqual([
      { row: 2, reason: 'Game "dota" is not 730 (CS2) or 252490 (Rust).' },
    ]);
    expect(out.rows.map((r) => r.itemId)).toEqual([B]);
  });

  it('reads accountId, account and game from JSON (the export shape)', () => {
    const text = JSON.stringify({
      items: [{ itemId: A, price: 1.5, game: '252490', accountId: 'acc-9', account: 'Alt' }],
    });
    const out = parseItemList(text, 'json');
    expect(out.errors).toEqual([]);
    expect(out.rows[0]).toMatchObject({ game: '252490', accountId: 'acc-9', accountName: 'Alt' });
  });
});
