import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventSubscriberName, BRIDGE_GLOBAL, type BulkSellerApi } from '../../shared/contract/api';
import {
  contract,
  events,
  type EventName,
  type EventPayload,
  type Method,
  type RequestOf,
  type ResponseOf,
} from '../../shared/contract/contract';
import type { IpcResult } from '../../shared/contract/result';

/*
 * The only bridge between the renderer and main (design §3). It exposes one
 * function per contract method, each bound to its fixed channel, and one
 * `on<Event>` subscriber per push event — never ipcRenderer itself, a generic
 * invoke, or anything from Node (Electron security checklist #3 context
 * isolation, #20 "do not expose Electron APIs to untrusted web content").
 * Runs sandboxed; bundled as CJS with the contract (zod included).
 */

function invoker<M extends Method>(
  method: M,
): (request: RequestOf<M>) => Promise<IpcResult<ResponseOf<M>>> {
  const { channel } = contract[method];
  return (request) => ipcRenderer.invoke(channel, request);
}

function subscriber<E extends EventName>(event: E) {
  const { channel } = events[event];
  return (listener: (payload: EventPayload<E>) => void): (() => void) => {
    // The IpcRendererEvent (which carries `sender`) never reaches the page.
    const forward = (_event: IpcRendererEvent, payload: EventPayload<E>) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

function buildApi(): BulkSellerApi {
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(contract) as Method[]) api[method] = invoker(method);
  for (const event of Object.keys(events) as EventName[])
    api[eventSubscriberName(event)] = subscriber(event);
  return api as BulkSellerApi;
}

const api = buildApi();

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, api);
