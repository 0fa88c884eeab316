import { parseTradeUrl } from '../api/trade-url';
import { accountCheck } from '../accounts';
import { FieldErrors, ok, validationFailed, type Reply } from '../envelope';
import type { RequestContext } from '../server/context';

/** POST /secure/check-tradeurl (api §4.7). Body key is `tradeurl`, lower-case u. */
export function handleCheckTradeUrl(ctx: RequestContext): Reply {
  if (ctx.bodyError) return validationFailed({ body: ctx.bodyError });
  const body = ctx.body;
  const errors = new FieldErrors();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return validationFailed({ body: 'must be a JSON object' });
  }
  for (const key of Object.keys(body)) {
    if (key !== 'tradeurl' && key !== 'forceRefresh')
      errors.add(key, `property ${key} should not exist`);
  }
  const { tradeurl, forceRefresh } = body as { tradeurl?: unknown; forceRefresh?: unknown };
  if (tradeurl === undefined) errors.add('tradeurl', 'tradeurl is required');
  else if (typeof tradeurl !== 'string') errors.add('tradeurl', 'tradeurl must be a string');
  if (forceRefresh !== undefined && typeof forceRefresh !== 'boolean')
    errors.add('forceRefresh', 'forceRefresh must be a boolean');
  if (!errors.empty) return validationFailed(errors.fields);

  const parsed = parseTradeUrl(tradeurl as string);
  if (!parsed) return ok({ state: 6, message: 'Trade URL format is invalid' });
  const check = accountCheck(parsed.partner);
  return ok({ steamid: parsed.steamId64, ...check });
}
