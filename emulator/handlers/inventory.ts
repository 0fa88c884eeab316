import type { GameId } from '../api/games';
import { usdToCents } from '../api/money';
import { parseTradeUrl } from '../api/trade-url';
import { accountRefusal } from '../accounts';
import { FieldErrors, fail, ok, validationFailed, type Reply } from '../envelope';
import { SORT_KEYS, queryInventory, type InventoryQuery, type SortKey } from '../inventory/query';
import { iso } from '../trades/trade-book';
import type { RequestContext, Services } from '../server/context';

/** GET /secure/inventory (api §4.1). */
export function handleInventory(ctx: RequestContext, services: Services): Reply {
  const q = ctx.query;
  const errors = new FieldErrors();
  const tradeUrl = q.get('tradeUrl');
  if (tradeUrl === null) errors.add('tradeUrl', 'tradeUrl is required');

  const game = parseGame(q.get('game'), errors);
  const query: InventoryQuery = {
    acceptedOnly: parseBool(q.get('acceptedOnly'), 'acceptedOnly', errors),
    sort: 'relevance',
    page: 1,
    limit: 50,
  };
  const refresh = parseBool(q.get('refresh'), 'refresh', errors);
  const search = q.get('search');
  if (search !== null) {
    if (search.length > 100) errors.add('search', 'search must be at most 100 characters');
    else if (search !== '') query.search = search;
  }
  const sort = q.get('sort');
  if (sort !== null && sort !== '') {
    if ((SORT_KEYS as readonly string[]).includes(sort)) query.sort = sort as SortKey;
    else errors.add('sort', `sort must be one of ${SORT_KEYS.join(', ')}`);
  }
  for (const [name, key] of [
    ['minPrice', 'minCents'],
    ['maxPrice', 'maxCents'],
  ] as const) {
    const text = q.get(name);
    if (text === null || text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      errors.add(name, `${name} must be a non-negative number`);
    else query[key] = usdToCents(value);
  }
  const page = q.get('page');
  if (page !== null) {
    if (/^\d+$/.test(page) && Number(page) > 0) query.page = Number(page);
    else errors.add('page', 'page must be an integer greater than 0');
  }
  const limit = q.get('limit');
  if (limit !== null) {
    if (limit === '-1' || (/^\d+$/.test(limit) && Number(limit) > 0)) query.limit = Number(limit);
    else errors.add('limit', 'limit must be a positive integer or -1');
  }
  if (!errors.empty) return validationFailed(errors.fields);
  // The server matches the pattern exactly (api §7): no trimming here.
  const parsed = parseTradeUrl(tradeUrl!);
  if (!parsed) return fail('INVALID_TRADEURL');
  const partner = parsed.partner;
  const refusal = accountRefusal(partner, game, false);
  if (refusal) return fail(refusal);

  const now = services.world.sync();
  const inventory = services.world.inventory(partner, game);
  if (refresh) inventory.refreshedAt = now;
  const book = services.world.book;
  const result = queryInventory(
    inventory,
    (stored) => stored.item.amount - book.heldUnits(stored.item.id),
    query,
  );
  return ok({
    inventory: result.inventory,
    count: result.count,
    updatedAt: iso(inventory.refreshedAt),
    collateral: 0,
  });
}

function parseGame(value: string | null, errors: FieldErrors): GameId {
  if (value === null || value === '' || value === '730') return '730';
  if (value === '252490') return '252490';
  errors.add('game', 'game must be 730 or 252490');
  return '730';
}

function parseBool(value: string | null, name: string, errors: FieldErrors): boolean {
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  errors.add(name, `${name} must be true or false`);
  return false;
}
