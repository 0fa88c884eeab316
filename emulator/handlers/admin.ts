import { isTradeStatus } from '../api/trade-statuses';
import { json, type Reply } from '../envelope';
import { toFaultSpec, validateEndpoint, validateOneShot } from '../faults/fault-spec';
import type { RequestContext } from '../server/context';
import type { Emulator } from '../types';

/*
 * /__emulator/* — control surface for tests in other processes (crash tests,
 * Playwright). No api-key; loopback callers only. Plain JSON, not the API envelope.
 */

type Control = Pick<
  Emulator,
  | 'state'
  | 'setFaults'
  | 'injectNext'
  | 'setPrice'
  | 'setAccepted'
  | 'advanceLifecycle'
  | 'setTradeStatus'
  | 'inventoryOf'
  | 'setBots'
>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function handleAdmin(ctx: RequestContext, control: Control): Reply {
  if (!ctx.remoteAddress || !LOOPBACK.has(ctx.remoteAddress))
    return json(403, { ok: false, error: 'loopback only' });
  if (ctx.bodyError && ctx.method === 'POST' && ctx.path !== '/__emulator/faults') {
    return json(400, { ok: false, error: ctx.bodyError });
  }
  const body = (typeof ctx.body === 'object' && ctx.body !== null ? ctx.body : {}) as Record<
    string,
    unknown
  >;
  try {
    switch (`${ctx.method} ${ctx.path}`) {
      case 'GET /__emulator/state':
        return json(200, control.state());
      case 'POST /__emulator/faults': {
        // Body: a FaultSpec object, a JSON string, or the fault string as plain text.
        const input = ctx.bodyError ? ctx.rawBody : (ctx.body ?? '');
        const spec = toFaultSpec(input);
        control.setFaults(spec);
        return json(200, { ok: true, faults: spec });
      }
      case 'POST /__emulator/inject': {
        const count = body.count === undefined ? 1 : Number(body.count);
        if (!Number.isInteger(count) || count < 1)
          throw new Error('count must be a positive integer');
        control.injectNext(validateEndpoint(body.endpoint), validateOneShot(body.fault), count);
        return json(200, { ok: true });
      }
      case 'POST /__emulator/price':
        if (typeof body.itemId !== 'string' || typeof body.price !== 'number')
          throw new Error('need {itemId, price}');
        control.setPrice(body.itemId, body.price);
        return json(200, { ok: true });
      case 'POST /__emulator/accepted':
        if (typeof body.itemId !== 'string' || typeof body.accepted !== 'boolean')
          throw new Error('need {itemId, accepted}');
        control.setAccepted(body.itemId, body.accepted);
        return json(200, { ok: true });
      case 'POST /__emulator/advance':
        if (body.ms !== undefined && typeof body.ms !== 'number')
          throw new Error('ms must be a number');
        control.advanceLifecycle(body.ms as number | undefined);
        return json(200, { ok: true });
      case 'POST /__emulator/trade-status':
        if (typeof body.tradeId !== 'string' || !isTradeStatus(body.status)) {
          throw new Error('need {tradeId, status}');
        }
        control.setTradeStatus(body.tradeId, body.status);
        return json(200, { ok: true });
      case 'POST /__emulator/bots':
        if (typeof body.bots !== 'number') throw new Error('need {bots}');
        control.setBots(body.bots);
        return json(200, { ok: true, capacity: control.state().capacity });
      case 'GET /__emulator/inventory': {
        const game = ctx.query.get('game') ?? '730';
        if (game !== '730' && game !== '252490') throw new Error('game must be 730 or 252490');
        return json(200, control.inventoryOf(ctx.query.get('tradeUrl') ?? '', game));
      }
      default:
        return json(404, { ok: false, error: `no admin route ${ctx.method} ${ctx.path}` });
    }
  } catch (error) {
    return json(400, { ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}
