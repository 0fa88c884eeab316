import { MAX_ITEMS_PER_SELL, TRADE_URL_PATTERN, type GameId } from '../../shared/api';
import { FieldErrors } from '../envelope';

/*
 * Structural validation of the POST /secure/sell body, as the OpenAPI schema
 * and api §4.2 describe it: unknown fields are refused (additionalProperties:
 * false, at the top level and in each item). Failures are reported per dotted
 * path ("items.0.price"). A tradeUrl that is a string but fails the pattern is
 * INVALID_TRADEURL rather than a field error, once everything else is valid.
 */

export interface SellLine {
  itemId: string;
  price: number;
  /** Defaults to 1. */
  amount: number;
}

export interface SellBody {
  tradeUrl: string;
  items: SellLine[];
  game: GameId;
  externalId?: string;
  isInstant: boolean;
}

export type SellBodyCheck =
  | { ok: true; body: SellBody }
  | { ok: false; reason: 'fields'; fields: Record<string, string> }
  | { ok: false; reason: 'trade-url' };

const TOP_LEVEL = new Set(['tradeUrl', 'items', 'game', 'externalId', 'isInstant']);
const ITEM_FIELDS = new Set(['itemId', 'price', 'amount']);

// [gg] says isInstant defaults to true, the OpenAPI document false; the seed page wins (docs README).
const DEFAULT_IS_INSTANT = true;

export function validateSellBody(input: unknown): SellBodyCheck {
  const errors = new FieldErrors();
  if (!isPlainObject(input)) {
    errors.add('body', 'must be a JSON object');
    return { ok: false, reason: 'fields', fields: errors.fields };
  }
  for (const key of Object.keys(input))
    if (!TOP_LEVEL.has(key)) errors.add(key, `property ${key} should not exist`);

  const { tradeUrl, items, game = '730', externalId, isInstant = DEFAULT_IS_INSTANT } = input;
  if (tradeUrl === undefined) errors.add('tradeUrl', 'tradeUrl is required');
  else if (typeof tradeUrl !== 'string') errors.add('tradeUrl', 'tradeUrl must be a string');

  if (game !== '730' && game !== '252490')
    errors.add('game', 'game must be one of "730", "252490"');
  if (externalId !== undefined) {
    if (typeof externalId !== 'string') errors.add('externalId', 'externalId must be a string');
    else if (externalId.length < 1 || externalId.length > 128)
      errors.add('externalId', 'externalId must be 1-128 characters');
    else if (externalId.includes(','))
      errors.add('externalId', 'externalId must not contain a comma');
  }
  if (typeof isInstant !== 'boolean') errors.add('isInstant', 'isInstant must be a boolean');

  const lines: SellLine[] = [];
  if (items === undefined) errors.add('items', 'items is required');
  else if (!Array.isArray(items)) errors.add('items', 'items must be an array');
  else if (items.length < 1) errors.add('items', 'items must contain at least 1 element');
  else if (items.length > MAX_ITEMS_PER_SELL)
    errors.add('items', `items must contain at most ${MAX_ITEMS_PER_SELL} elements`);
  else {
    const seen = new Set<string>();
    for (let i = 0; i < items.length && !errors.full; i++) {
      const line = checkLine(items[i], `items.${i}`, errors);
      if (!line) continue;
      // Repeating an itemId in one call is undocumented (api §10.19); the emulator refuses it.
      if (seen.has(line.itemId))
        errors.add(`items.${i}.itemId`, 'itemId is repeated in this request');
      seen.add(line.itemId);
      lines.push(line);
    }
  }

  if (!errors.empty) return { ok: false, reason: 'fields', fields: errors.fields };
  if (!TRADE_URL_PATTERN.test(tradeUrl as string)) return { ok: false, reason: 'trade-url' };
  const body: SellBody = {
    tradeUrl: tradeUrl as string,
    items: lines,
    game: game as GameId,
    isInstant: isInstant as boolean,
  };
  if (externalId !== undefined) body.externalId = externalId as string;
  return { ok: true, body };
}

function checkLine(entry: unknown, path: string, errors: FieldErrors): SellLine | undefined {
  if (!isPlainObject(entry)) {
    errors.add(path, 'each item must be an object');
    return undefined;
  }
  let valid = true;
  for (const key of Object.keys(entry)) {
    if (!ITEM_FIELDS.has(key)) {
      errors.add(`${path}.${key}`, `property ${key} should not exist`);
      valid = false;
    }
  }
  const { itemId, price, amount } = entry;
  if (typeof itemId !== 'string') {
    errors.add(
      `${path}.itemId`,
      itemId === undefined ? 'itemId is required' : 'itemId must be a string',
    );
    valid = false;
  } else if (itemId.length < 5 || itemId.length > 256) {
    errors.add(`${path}.itemId`, 'itemId must be 5-256 characters');
    valid = false;
  }
  if (typeof price !== 'number' || !Number.isFinite(price)) {
    errors.add(
      `${path}.price`,
      price === undefined ? 'price is required' : 'price must be a number',
    );
    valid = false;
  } else if (price <= 0) {
    errors.add(`${path}.price`, 'price must be greater than 0');
    valid = false;
  }
  if (
    amount !== undefined &&
    (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1 || amount > 10_000)
  ) {
    errors.add(`${path}.amount`, 'amount must be an integer between 1 and 10000');
    valid = false;
  }
  return valid
    ? {
        itemId: itemId as string,
        price: price as number,
        amount: (amount as number | undefined) ?? 1,
      }
    : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
