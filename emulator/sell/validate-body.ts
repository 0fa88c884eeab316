import { GAMES, isGameId, type GameId } from '../api/games';
import {
  AMOUNT_RANGE,
  DEFAULT_AMOUNT,
  EXTERNAL_ID_FORBIDDEN,
  EXTERNAL_ID_LENGTH,
  ITEM_ID_LENGTH,
  MAX_ITEMS_PER_SELL,
  MIN_ITEMS_PER_SELL,
  SELL_FIELDS,
  SELL_ITEM_FIELDS,
} from '../api/sell-rules';
import { TRADE_URL_PATTERN } from '../api/trade-url';
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

// [gg] says isInstant defaults to true, the OpenAPI document false; the seed page wins (docs README).
const DEFAULT_IS_INSTANT = true;

export function validateSellBody(input: unknown): SellBodyCheck {
  const errors = new FieldErrors();
  if (!isPlainObject(input)) {
    errors.add('body', 'must be a JSON object');
    return { ok: false, reason: 'fields', fields: errors.fields };
  }
  for (const key of Object.keys(input))
    if (!SELL_FIELDS.has(key)) errors.add(key, `property ${key} should not exist`);

  const { tradeUrl, items, game = GAMES.cs2, externalId, isInstant = DEFAULT_IS_INSTANT } = input;
  if (tradeUrl === undefined) errors.add('tradeUrl', 'tradeUrl is required');
  else if (typeof tradeUrl !== 'string') errors.add('tradeUrl', 'tradeUrl must be a string');

  if (!isGameId(game)) errors.add('game', 'game must be one of "730", "252490"');
  if (externalId !== undefined) {
    if (typeof externalId !== 'string') errors.add('externalId', 'externalId must be a string');
    else if (
      externalId.length < EXTERNAL_ID_LENGTH.min ||
      externalId.length > EXTERNAL_ID_LENGTH.max
    )
      errors.add(
        'externalId',
        `externalId must be ${EXTERNAL_ID_LENGTH.min}-${EXTERNAL_ID_LENGTH.max} characters`,
      );
    else if (externalId.includes(EXTERNAL_ID_FORBIDDEN))
      errors.add('externalId', 'externalId must not contain a comma');
  }
  if (typeof isInstant !== 'boolean') errors.add('isInstant', 'isInstant must be a boolean');

  const lines: SellLine[] = [];
  if (items === undefined) errors.add('items', 'items is required');
  else if (!Array.isArray(items)) errors.add('items', 'items must be an array');
  else if (items.length < MIN_ITEMS_PER_SELL)
    errors.add('items', `items must contain at least ${MIN_ITEMS_PER_SELL} element`);
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
    if (!SELL_ITEM_FIELDS.has(key)) {
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
  } else if (itemId.length < ITEM_ID_LENGTH.min || itemId.length > ITEM_ID_LENGTH.max) {
    errors.add(
      `${path}.itemId`,
      `itemId must be ${ITEM_ID_LENGTH.min}-${ITEM_ID_LENGTH.max} characters`,
    );
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
    (typeof amount !== 'number' ||
      !Number.isInteger(amount) ||
      amount < AMOUNT_RANGE.min ||
      amount > AMOUNT_RANGE.max)
  ) {
    errors.add(
      `${path}.amount`,
      `amount must be an integer between ${AMOUNT_RANGE.min} and ${AMOUNT_RANGE.max}`,
    );
    valid = false;
  }
  return valid
    ? {
        itemId: itemId as string,
        price: price as number,
        amount: (amount as number | undefined) ?? DEFAULT_AMOUNT,
      }
    : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
