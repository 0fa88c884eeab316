import type { EventName, EventPayload, Method, RequestOf, ResponseOf } from './contract';
import type { IpcResult } from './result';

/** `onBatchUpdated`, `onRunProgress`, … */
export type EventSubscriberName<E extends EventName> = `on${Capitalize<E>}`;

export function eventSubscriberName<E extends EventName>(event: E): EventSubscriberName<E> {
  return `on${event[0]!.toUpperCase()}${event.slice(1)}` as EventSubscriberName<E>;
}

/**
 * What the renderer sees as `window.bulkSeller`: one function per contract
 * entry and one subscriber per push event. The Electron preload and the
 * WebSocket test host both provide exactly this shape.
 */
export type BulkSellerApi = {
  [M in Method]: (request: RequestOf<M>) => Promise<IpcResult<ResponseOf<M>>>;
} & {
  [E in EventName as EventSubscriberName<E>]: (
    listener: (payload: EventPayload<E>) => void,
  ) => () => void;
};

export const BRIDGE_GLOBAL = 'bulkSeller' as const;
