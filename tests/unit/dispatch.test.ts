import { describe, expect, it, vi } from 'vitest';
import { checkShape, createDispatcher, type Handlers } from '../../electron/main/ipc/dispatch';
import { EventHub } from '../../electron/main/app/event-hub';
import type { LogFields, Logger } from '../../electron/main/services/log';
import { contract, type Method } from '../../shared/contract/contract';
import { AppError } from '../../shared/contract/result';

const settings = {
  environment: 'sandbox',
  tier: 'verified',
  defaultGame: '730',
  isInstant: true,
  concurrency: 4,
  priceToleranceBp: 0,
  batchSize: 250,
} as const;

function recordingLogger(): Logger & {
  lines: { level: string; message: string; fields?: LogFields }[];
} {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const push = (level: string) => (message: string, fields?: LogFields) =>
    lines.push({ level, message, fields });
  return {
    lines,
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
  };
}

/** Every method answers via `impl` when given, else throws (a call we did not expect). */
function handlers(impl: Partial<Record<Method, (req: unknown) => unknown>>): Handlers {
  return new Proxy({} as Handlers, {
    get: (_t, key: string) =>
      impl[key as Method] ??
      (() => {
        throw new Error(`unexpected call ${key}`);
      }),
  });
}

describe('dispatcher', () => {
  it('passes the parsed request (defaults applied) and returns the parsed answer', async () => {
    const seen: unknown[] = [];
    const d = createDispatcher(
      handlers({
        listInventory: (req) => {
          seen.push(req);
          return { total: 0, rows: [] };
        },
      }),
    );
    const res = await d.dispatch('listInventory', { search: 'ak' });
    expect(res).toEqual({ ok: true, data: { total: 0, rows: [] } });
    expect(seen).toEqual([{ search: 'ak', offset: 0, limit: 500 }]);
  });

  it('treats a missing payload of an empty request as {}', async () => {
    const d = createDispatcher(handlers({ getSettings: () => settings }));
    expect(await d.dispatch('getSettings', undefined)).toEqual({ ok: true, data: settings });
  });

  it('refuses unknown methods, including prototype names', async () => {
    const d = createDispatcher(handlers({}));
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      const res = await d.dispatch(name, {});
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('unknown-channel');
    }
  });

  it('names the first bad field', async () => {
    const d = createDispatcher(handlers({}));
    const res = await d.dispatch('createPlan', {
      name: 'x',
      items: [
        { accountId: 'a', game: '730', itemId: 'item-1' },
        { accountId: 'a', game: '730', itemId: 'item-2', amount: 0 },
      ],
    });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', details: { field: 'items[1].amount' } },
    });
    if (!res.ok) expect(res.error.message).toMatch(/items\[1\]\.amount/);
  });

  it('names an extra field', async () => {
    const d = createDispatcher(handlers({}));
    const res = await d.dispatch('getKeyStatus', { environment: 'sandbox', extra: 1 });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('invalid-request');
      expect(res.error.message).toContain('"extra" is not part of this request');
    }
  });

  it('refuses __proto__ / constructor keys, NaN, Infinity, cycles, class instances and deep nesting', async () => {
    const d = createDispatcher(handlers({}));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let deep: unknown = {};
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const payloads: [Method, unknown][] = [
      ['getKeyStatus', JSON.parse('{"environment":"sandbox","__proto__":{"polluted":true}}')],
      ['getKeyStatus', { environment: 'sandbox', constructor: { prototype: {} } }],
      ['listInventory', { minCents: Number.NaN }],
      ['listInventory', { maxCents: Number.POSITIVE_INFINITY }],
      ['listInventory', { minCents: -1 }],
      ['getSettings', cyclic],
      ['getSettings', new Date()],
      ['getSettings', new Map()],
      ['getSettings', deep],
      ['getSettings', () => 1],
      ['getSettings', 12n],
      ['getSettings', Symbol('x')],
      ['getSettings', []],
      ['getSettings', null],
      ['getSettings', 'text'],
    ];
    for (const [method, payload] of payloads) {
      const res = await d.dispatch(method, payload);
      expect(res.ok, `${method} ${String(payload)}`).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('invalid-request');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses huge input before parsing it', () => {
    expect(checkShape({ text: 'x'.repeat(30 * 1024 * 1024) })).toBe('the request is too large.');
    expect(checkShape({ list: new Array(2_000_000).fill(0) })).toBe('the request is too large.');
    expect(checkShape({ ok: 'fine', list: [1, 2, { a: 'b' }] })).toBeNull();
  });

  it('turns AppError into its code and message, anything else into a generic internal error', async () => {
    const logger = recordingLogger();
    const d = createDispatcher(
      handlers({
        getPlan: () => {
          throw new AppError('not-found', 'That plan no longer exists.', { planId: 'p1' });
        },
        listPlans: () => {
          throw new Error(
            'database exploded at /home/trader/secret/path with key ap_live_SECRET123',
          );
        },
      }),
      { logger },
    );
    expect(await d.dispatch('getPlan', { planId: 'p1' })).toEqual({
      ok: false,
      error: {
        code: 'not-found',
        message: 'That plan no longer exists.',
        details: { planId: 'p1' },
      },
    });
    const res = await d.dispatch('listPlans', {});
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('internal');
      expect(JSON.stringify(res)).not.toMatch(/exploded|ap_live|stack|at /);
    }
    expect(logger.lines.some((l) => l.level === 'error' && l.message === 'ipc handler threw')).toBe(
      true,
    );
  });

  it('refuses an answer that breaks the response schema (no extra fields leak)', async () => {
    const logger = recordingLogger();
    const d = createDispatcher(
      handlers({
        getKeyStatus: () => ({
          environment: 'sandbox',
          present: true,
          hint: 'abcd',
          apiKey: 'ap_secret_key',
        }),
        getSettings: () => ({ ...settings, concurrency: 99 }),
      }),
      { logger },
    );
    for (const [method, payload] of [
      ['getKeyStatus', { environment: 'sandbox' }],
      ['getSettings', {}],
    ] as const) {
      const res = await d.dispatch(method, payload);
      expect(res).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(JSON.stringify(res)).not.toContain('ap_secret_key');
    }
    expect(
      logger.lines.filter((l) => l.message === 'ipc response failed its contract schema'),
    ).toHaveLength(2);
  });

  it('maps channel names back to methods', () => {
    const d = createDispatcher(handlers({}));
    for (const method of Object.keys(contract) as Method[]) {
      expect(d.methodForChannel(contract[method].channel)).toBe(method);
    }
    expect(d.methodForChannel('nope')).toBeNull();
  });
});

/** A connectivity push: the network, and nothing known of AssetPay yet. */
const net = (online: boolean) => ({
  online,
  assetpay: { state: 'unknown' as const, message: null },
});

describe('EventHub', () => {
  it('delivers valid payloads to subscribers and drops invalid ones', () => {
    const logger = recordingLogger();
    const hub = new EventHub({ logger });
    const all = vi.fn();
    const only = vi.fn();
    hub.subscribe(all);
    const off = hub.on('connectivity', only);
    expect(hub.emit('connectivity', net(true))).toBe(true);
    expect(hub.emit('connectivity', { online: 'yes' } as never)).toBe(false);
    expect(hub.emit('connectivity', { ...net(false), apiKey: 'x' } as never)).toBe(false);
    expect(hub.emit('attention', { runId: 'r1', title: 't', body: 'b' })).toBe(true);
    expect(all).toHaveBeenCalledTimes(2);
    expect(only).toHaveBeenCalledTimes(1);
    expect(only).toHaveBeenCalledWith(net(true));
    off();
    hub.emit('connectivity', net(true));
    expect(only).toHaveBeenCalledTimes(1);
    expect(
      logger.lines.filter((l) => l.message === 'push event failed its contract schema'),
    ).toHaveLength(2);
  });

  it('isolates a throwing subscriber and stops after close', () => {
    const hub = new EventHub();
    const good = vi.fn();
    hub.subscribe(() => {
      throw new Error('boom');
    });
    hub.subscribe(good);
    hub.emit('connectivity', net(true));
    expect(good).toHaveBeenCalledTimes(1);
    hub.close();
    expect(hub.emit('connectivity', net(true))).toBe(false);
  });
});
