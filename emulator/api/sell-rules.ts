/* Limits on the POST /secure/sell body (api §4.2 field table, OpenAPI schema). */

/** `items`: 1–250 entries per call. */
export const MIN_ITEMS_PER_SELL = 1;
export const MAX_ITEMS_PER_SELL = 250;

/** `items[].itemId`: the inventory item `id`, 5–256 characters. */
export const ITEM_ID_LENGTH = { min: 5, max: 256 } as const;

/** `items[].amount`: integer 1–10,000, default 1 (Rust stacks). */
export const AMOUNT_RANGE = { min: 1, max: 10_000 } as const;
export const DEFAULT_AMOUNT = 1;

/** `externalId`: 1–128 characters, no comma (lookups are comma-separated, api §4.5). */
export const EXTERNAL_ID_LENGTH = { min: 1, max: 128 } as const;
export const EXTERNAL_ID_FORBIDDEN = ',';

/** Top-level and per-item fields; anything else is refused (`additionalProperties: false`). */
export const SELL_FIELDS: ReadonlySet<string> = new Set([
  'tradeUrl',
  'items',
  'game',
  'externalId',
  'isInstant',
]);
export const SELL_ITEM_FIELDS: ReadonlySet<string> = new Set(['itemId', 'price', 'amount']);
