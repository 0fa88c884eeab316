import { z } from 'zod';
import { gameIdSchema, type GameId } from './api/games';
import type { InventoryRow } from './model';

/*
 * The whole cached inventory of one account and game in one compact answer
 * (issue 11 deliverable 6): one array per field instead of one object per
 * item, and every repeated text (names, types, exteriors, icon URLs…) once in
 * a dictionary that the per-item columns point into. 50,000 items cross IPC
 * as ~5 MB of plain arrays that zod checks in milliseconds, instead of 20 MB
 * of objects that took seconds to validate, send and parse.
 */

/**
 * A column of numbers checked in one loop: as strict as
 * z.array(z.number().int()…) but ~15× faster on 50,000 entries, which matters
 * seven columns at a time on every open of the inventory screen.
 */
function column<T>(what: string, ok: (value: unknown) => boolean) {
  return z.custom<T[]>((v) => Array.isArray(v) && v.every(ok), {
    message: `must be a list of ${what}`,
  });
}
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
/** An index into `dictionary`; -1 = no value (null). */
const codes = column<number>('dictionary codes', (v) => isInt(v) && v >= -1);
const cents = column<number>('cents', isInt);
const nullableInts = column<number | null>('whole numbers or null', (v) => v === null || isInt(v));

export const inventoryColumnsSchema = z
  .strictObject({
    accountId: z.string().min(1).max(128),
    game: gameIdSchema,
    count: z.number().int().min(0),
    dictionary: z.array(z.string()),
    itemId: z.array(z.string()),
    name: codes,
    marketHashName: codes,
    type: codes,
    exterior: codes,
    rarity: codes,
    color: codes,
    iconUrl: codes,
    /** Wear (float) exactly as the inventory gave it; null for items without one. */
    wear: z.array(z.string().nullable()),
    /** Bit 0: tradable; bit 1: offer accepted. */
    flags: column<number>('flags (0–3)', (v) => isInt(v) && v >= 0 && v <= 3),
    priceUsd: column<number>('prices', (v) => typeof v === 'number' && Number.isFinite(v)),
    priceCents: cents,
    marketPriceCents: nullableInts,
    amount: column<number>('amounts', isInt),
    maxAmount: nullableInts,
    /**
     * The few rows the app sold or is selling units of since the copy was fetched (issue 14
     * item 5), by row index; their `amount` is already what is left.
     */
    taken: z
      .array(
        z.strictObject({
          at: z.number().int().min(0),
          soldUnits: z.number().int().min(0),
          sellingUnits: z.number().int().min(0),
          planName: z.string().nullable(),
        }),
      )
      .max(100_000),
  })
  .superRefine((v, ctx) => {
    if (v.taken.some((t) => t.at >= v.count)) {
      ctx.addIssue({ code: 'custom', path: ['taken'], message: 'points past the last item' });
      return;
    }
    for (const name of COLUMN_NAMES) {
      if (v[name].length !== v.count) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `has ${v[name].length} entries for ${v.count} items`,
        });
        return;
      }
    }
    const size = v.dictionary.length;
    for (const name of CODE_COLUMNS) {
      const column = v[name];
      for (let i = 0; i < column.length; i++) {
        if (column[i]! >= size) {
          ctx.addIssue({
            code: 'custom',
            path: [name, i],
            message: 'points outside the dictionary',
          });
          return;
        }
      }
    }
  });
export type InventoryColumns = z.infer<typeof inventoryColumnsSchema>;

const CODE_COLUMNS = [
  'name',
  'marketHashName',
  'type',
  'exterior',
  'rarity',
  'color',
  'iconUrl',
] as const;
const COLUMN_NAMES = [
  'itemId',
  ...CODE_COLUMNS,
  'wear',
  'flags',
  'priceUsd',
  'priceCents',
  'marketPriceCents',
  'amount',
  'maxAmount',
] as const;

/** One item in column order: what the store reads with one raw SQL row. */
export type InventoryTuple = [
  itemId: string,
  name: string,
  marketHashName: string,
  type: string,
  exterior: string | null,
  wear: string | null,
  rarity: string | null,
  color: string | null,
  iconUrl: string,
  tradable: boolean,
  accepted: boolean,
  priceUsd: number,
  priceCents: number,
  marketPriceCents: number | null,
  amount: number,
  maxAmount: number | null,
];

/** Builds the columns item by item, each distinct text stored once. */
export class InventoryColumnsBuilder {
  private readonly columns: InventoryColumns;
  private readonly index = new Map<string, number>();

  constructor(accountId: string, game: GameId) {
    this.columns = {
      accountId,
      game,
      count: 0,
      dictionary: [],
      itemId: [],
      name: [],
      marketHashName: [],
      type: [],
      exterior: [],
      rarity: [],
      color: [],
      iconUrl: [],
      wear: [],
      flags: [],
      priceUsd: [],
      priceCents: [],
      marketPriceCents: [],
      amount: [],
      maxAmount: [],
      taken: [],
    };
  }

  private code(text: string | null): number {
    if (text === null) return -1;
    let code = this.index.get(text);
    if (code === undefined) {
      code = this.columns.dictionary.length;
      this.columns.dictionary.push(text);
      this.index.set(text, code);
    }
    return code;
  }

  /** `taken`: units sold or being sold since the fetch (the tuple's amount is what is left). */
  add(t: InventoryTuple, taken?: NonNullable<InventoryRow['taken']>): void {
    const c = this.columns;
    if (taken) c.taken.push({ at: c.count, ...taken });
    c.itemId.push(t[0]);
    c.name.push(this.code(t[1]));
    c.marketHashName.push(this.code(t[2]));
    c.type.push(this.code(t[3]));
    c.exterior.push(this.code(t[4]));
    c.wear.push(t[5]);
    c.rarity.push(this.code(t[6]));
    c.color.push(this.code(t[7]));
    c.iconUrl.push(this.code(t[8]));
    c.flags.push((t[9] ? 1 : 0) | (t[10] ? 2 : 0));
    c.priceUsd.push(t[11]);
    c.priceCents.push(t[12]);
    c.marketPriceCents.push(t[13]);
    c.amount.push(t[14]);
    c.maxAmount.push(t[15]);
    c.count++;
  }

  build(): InventoryColumns {
    return this.columns;
  }
}

export function tupleOf(row: InventoryRow): InventoryTuple {
  return [
    row.itemId,
    row.name,
    row.marketHashName,
    row.type,
    row.exterior,
    row.wear,
    row.rarity,
    row.color,
    row.iconUrl,
    row.tradable,
    row.accepted,
    row.priceUsd,
    row.priceCents,
    row.marketPriceCents,
    row.amount,
    row.maxAmount,
  ];
}

/** Rows of one account and game as columns (their order kept). */
export function toInventoryColumns(
  accountId: string,
  game: GameId,
  rows: readonly InventoryRow[],
): InventoryColumns {
  const builder = new InventoryColumnsBuilder(accountId, game);
  for (const row of rows) builder.add(tupleOf(row), row.taken ?? undefined);
  return builder.build();
}

/** The rows back, in column order. */
export function fromInventoryColumns(c: InventoryColumns): InventoryRow[] {
  const d = c.dictionary;
  const text = (code: number): string => d[code] ?? '';
  const maybe = (code: number): string | null => (code < 0 ? null : (d[code] ?? null));
  const rows = new Array<InventoryRow>(c.count);
  for (let i = 0; i < c.count; i++) {
    const flags = c.flags[i]!;
    rows[i] = {
      accountId: c.accountId,
      game: c.game,
      itemId: c.itemId[i]!,
      name: text(c.name[i]!),
      marketHashName: text(c.marketHashName[i]!),
      type: text(c.type[i]!),
      exterior: maybe(c.exterior[i]!),
      wear: c.wear[i]!,
      rarity: maybe(c.rarity[i]!),
      color: maybe(c.color[i]!),
      iconUrl: text(c.iconUrl[i]!),
      tradable: (flags & 1) === 1,
      accepted: (flags & 2) === 2,
      priceUsd: c.priceUsd[i]!,
      priceCents: c.priceCents[i]!,
      marketPriceCents: c.marketPriceCents[i]!,
      amount: c.amount[i]!,
      maxAmount: c.maxAmount[i]!,
      taken: null,
    };
  }
  for (const { at, ...taken } of c.taken) rows[at] = { ...rows[at]!, taken };
  return rows;
}
