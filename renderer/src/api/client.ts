import type {
  BulkSellerApi,
  EventName,
  EventPayload,
  IpcError,
  IpcResult,
  Method,
  RequestOf,
  ResponseOf,
} from '../../../shared/contract';
import { useNotices } from './notices-store';

/*
 * The renderer's only door to main: `window.bulkSeller` (the preload in the
 * app, the WebSocket bridge in the test host). `call` unwraps the IpcResult
 * and turns an error into a toast with main's message (written for the
 * trader) unless the caller handles it itself (`quiet`).
 */

let override: BulkSellerApi | null = null;

/** Unit tests plug the fake bridge in here; the app never calls it. */
export function setBridge(api: BulkSellerApi | null): void {
  override = api;
}

export function bridge(): BulkSellerApi {
  if (override) return override;
  const api = (globalThis as { bulkSeller?: BulkSellerApi }).bulkSeller;
  if (!api) throw new Error('window.bulkSeller is missing: the preload did not run');
  return api;
}

export class ApiError extends Error {
  readonly code: IpcError['code'];
  constructor(readonly error: IpcError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
  }
}

type CallOptions = {
  /** The caller shows the error itself; no toast. */
  quiet?: boolean;
  /** Prefix for the toast, e.g. "Could not fetch the inventory". */
  context?: string;
};

export async function attempt<M extends Method>(
  method: M,
  request: RequestOf<M>,
): Promise<IpcResult<ResponseOf<M>>> {
  const fn = bridge()[method] as unknown as (
    req: RequestOf<M>,
  ) => Promise<IpcResult<ResponseOf<M>>>;
  try {
    return await fn(request);
  } catch (error) {
    // A broken bridge (host gone, preload bug) is not a contract answer; say so plainly.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `The app's background service did not answer (${message}).`,
      },
    };
  }
}

export async function call<M extends Method>(
  method: M,
  request: RequestOf<M>,
  options: CallOptions = {},
): Promise<ResponseOf<M>> {
  const result = await attempt(method, request);
  if (result.ok) return result.data;
  if (!options.quiet) {
    useNotices
      .getState()
      .push(
        'error',
        options.context ? `${options.context}: ${result.error.message}` : result.error.message,
      );
  }
  throw new ApiError(result.error);
}

/** The message of anything a store caught, for an inline banner. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

const SUBSCRIBERS = {
  batchUpdated: 'onBatchUpdated',
  runProgress: 'onRunProgress',
  tradeUpdated: 'onTradeUpdated',
  connectivity: 'onConnectivity',
  attention: 'onAttention',
} as const satisfies Record<EventName, string>;

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  const api = bridge();
  const on = api[SUBSCRIBERS[event]] as unknown as (
    l: (payload: EventPayload<E>) => void,
  ) => () => void;
  return on(listener);
}
