import { FieldErrors, fail, ok, validationFailed, type Reply } from '../envelope';
import { decodeCursor, encodeCursor } from '../trades/cursor';
import type { WireTrade } from '../api/wire';
import type { RequestContext, Services } from '../server/context';

export const MAX_REFS = 100;

/** GET /secure/trades (api §4.4): newest first, opaque cursor. */
export function handleTradeList(ctx: RequestContext, services: Services): Reply {
  const q = ctx.query;
  const errors = new FieldErrors();
  let limit = 20;
  const limitText = q.get('limit');
  if (limitText !== null) {
    if (/^\d+$/.test(limitText) && Number(limitText) >= 1 && Number(limitText) <= 100)
      limit = Number(limitText);
    else errors.add('limit', 'limit must be an integer between 1 and 100');
  }
  const type = q.get('type');
  if (type !== null && type !== 'deposit' && type !== 'withdraw')
    errors.add('type', 'type must be deposit or withdraw');
  // game defaults to CS2 (api §4.4): Rust needs game=252490.
  const game = q.get('game') ?? '730';
  if (game !== '730' && game !== '252490') errors.add('game', 'game must be 730 or 252490');
  let before: number | undefined;
  const cursor = q.get('cursor');
  if (cursor !== null && cursor !== '') {
    before = decodeCursor(cursor);
    if (before === undefined) errors.add('cursor', 'cursor is invalid');
  }
  if (!errors.empty) return validationFailed(errors.fields);

  services.world.sync();
  // Only sells exist here, so a withdraw listing is empty.
  if (type === 'withdraw') return ok({ items: [], nextCursor: null });
  const { records, more } = services.world.book.page(game as '730' | '252490', before, limit);
  const last = records[records.length - 1];
  return ok({
    items: records.map((r) => r.wire),
    nextCursor: more && last ? encodeCursor(last.seq) : null,
  });
}

/**
 * GET /secure/trades/{refs} (api §4.5): one ref → the trade or TRADE_NOT_FOUND;
 * several (comma-separated, ≤ 100) → the trades found, unknown refs omitted.
 * relatedTrades appear only on the create response, never here.
 */
export function handleTradeLookup(ctx: RequestContext, services: Services, rawRefs: string): Reply {
  let decoded: string;
  try {
    // Refs never contain commas (api §4.2 externalId rule), so decoding before splitting also accepts %2C.
    decoded = decodeURIComponent(rawRefs);
  } catch {
    return validationFailed({ tradeId: 'tradeId is not correctly URL-encoded' });
  }
  const batch = decoded.includes(',');
  const refs = decoded.split(',').filter((ref) => ref !== '');
  if (refs.length === 0) return validationFailed({ tradeId: 'tradeId is required' });
  if (refs.length > MAX_REFS)
    return validationFailed({ tradeId: `at most ${MAX_REFS} comma-separated refs` });

  services.world.sync();
  const book = services.world.book;
  if (!batch) {
    const record = book.lookup(refs[0]!);
    return record ? ok(record.wire) : fail('TRADE_NOT_FOUND');
  }
  const found: WireTrade[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const record = book.lookup(ref);
    if (!record || seen.has(record.wire.id)) continue;
    seen.add(record.wire.id);
    found.push(record.wire);
  }
  return ok(found);
}
