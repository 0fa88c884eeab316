import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, eventSubscriberName } from '../../shared/contract/api';
import { contract, events, type EventName, type Method } from '../../shared/contract/contract';

/*
 * The preload runs only inside Electron; here 'electron' is replaced by a
 * recorder so we can see exactly what reaches the page: one function per
 * contract method bound to its channel, one subscriber per push event, and
 * nothing else.
 */

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, request: unknown) => ({
  ok: true,
  data: { channel, request },
}));
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
      listeners.get(channel)?.delete(listener),
  },
}));

let api: Record<string, (...args: unknown[]) => unknown>;

beforeAll(async () => {
  await import('../../electron/preload/index');
  api = exposed.get(BRIDGE_GLOBAL) as typeof api;
});

describe('preload bridge', () => {
  it('exposes only window.bulkSeller', () => {
    expect([...exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
  });

  it('has exactly one function per contract method and one subscriber per event', () => {
    const expected = [
      ...Object.keys(contract),
      ...(Object.keys(events) as EventName[]).map((event) => eventSubscriberName(event)),
    ].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('binds each method to its own fixed channel', async () => {
    for (const method of Object.keys(contract) as Method[]) {
      const request = { probe: method };
      await expect(api[method]!(request)).resolves.toEqual({
        ok: true,
        data: { channel: contract[method].channel, request },
      });
    }
  });

  it('delivers push payloads without the IPC event, and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = api.onConnectivity!((payload: unknown) =>
      received.push(payload),
    ) as () => void;
    const channel = events.connectivity.channel;
    for (const listener of listeners.get(channel) ?? [])
      listener({ sender: 'secret-ipc-event' }, { online: false });
    expect(received).toEqual([{ online: false }]);

    unsubscribe();
    expect(listeners.get(channel)?.size ?? 0).toBe(0);
  });
});
