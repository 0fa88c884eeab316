import type { Reply } from '../envelope';
import { iconPng } from '../icons/icon-png';
import type { RequestContext } from '../server/context';

/**
 * GET /icons/<rrggbb>/<seed>.png — the item pictures inventories point at.
 * Like an image CDN: no api-key, no envelope, cacheable.
 */
export function handleIcon(ctx: RequestContext): Reply {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    return { kind: 'raw', status: 405, contentType: 'text/plain; charset=utf-8', body: 'GET only' };
  }
  const png = iconPng(ctx.path);
  if (!png)
    return {
      kind: 'raw',
      status: 404,
      contentType: 'text/plain; charset=utf-8',
      body: 'no such picture',
    };
  return { kind: 'raw', status: 200, contentType: 'image/png', body: png };
}
