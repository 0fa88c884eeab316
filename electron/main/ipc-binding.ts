import type { IpcMainInvokeEvent } from 'electron';
import { contract, events, type EventName, type Method } from '../../shared/contract/contract';
import type { IpcResult } from '../../shared/contract/result';
import { isAppUrl, isTrustedSender, type AppLocation } from './security-policy';
import { silentLogger, type Logger } from './services/log';

/*
 * Binds the IPC contract to Electron's ipcMain: one `handle` per contract
 * channel, each refusing any sender that is not the app's own window, main
 * frame, on the app's own page (Electron security checklist #17, "Validate the
 * sender of all IPC messages"), before the transport-independent dispatcher
 * parses the payload with the contract schema. Only types come from
 * 'electron', so this runs under plain Node with a stand-in for ipcMain.
 */

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number; readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}

/** `ipcMain`, or a stand-in for it in tests. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** Where push events go: the app window's webContents. */
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  getURL(): string;
}

export interface Dispatch {
  (method: string, payload: unknown): Promise<IpcResult<unknown>>;
}

export interface SenderTrust {
  /** webContents ids of the app's own windows; main adds a window when it is created and removes it when destroyed. */
  readonly trustedIds: ReadonlySet<number>;
  readonly app: AppLocation;
}

// Compile-time proof that the real ipcMain and its events fit these shapes.
type Assignable<T extends U, U> = T;
export type _ElectronEventFits = Assignable<IpcMainInvokeEvent, InvokeEventLike>;

const FORBIDDEN: IpcResult<never> = {
  ok: false,
  error: {
    code: 'forbidden-sender',
    message: 'This request did not come from the app window and was refused.',
  },
};
const INTERNAL: IpcResult<never> = {
  ok: false,
  error: {
    code: 'internal',
    message: 'Something went wrong inside the app. The details were written to the log.',
  },
};

/** Reads the sender of one message; a frame that is gone (or throws when read) is not trusted. */
export function describeSender(event: InvokeEventLike): {
  senderFrameUrl: string | null;
  isMainFrame: boolean;
  webContentsId: number;
} {
  try {
    const frame = event.senderFrame;
    const main = event.sender.mainFrame;
    const isMainFrame =
      frame !== null &&
      frame.parent === null &&
      (frame === main ||
        (frame.processId === main.processId && frame.routingId === main.routingId));
    return {
      senderFrameUrl: frame ? frame.url : null,
      isMainFrame,
      webContentsId: event.sender.id,
    };
  } catch {
    return { senderFrameUrl: null, isMainFrame: false, webContentsId: -1 };
  }
}

/**
 * Registers one handler per contract method. Every handler answers with an
 * `IpcResult` and never rejects (a rejection would hand Electron's own error
 * text to the renderer). Returns a function that removes them all.
 */
export function bindIpc(options: {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  trust: SenderTrust;
  logger?: Logger;
}): () => void {
  const { ipcMain, dispatch, trust } = options;
  const logger = options.logger ?? silentLogger;
  const channels: string[] = [];

  for (const method of Object.keys(contract) as Method[]) {
    const { channel } = contract[method];
    ipcMain.handle(channel, async (event, ...args) => {
      const sender = describeSender(event);
      if (!isTrustedSender(sender, trust.trustedIds, trust.app)) {
        // Never log the payload: it may be the API key (key:set).
        logger.warn('ipc message from an untrusted sender refused', {
          channel,
          webContentsId: sender.webContentsId,
          isMainFrame: sender.isMainFrame,
          url: sender.senderFrameUrl?.slice(0, 200) ?? null,
        });
        return FORBIDDEN;
      }
      try {
        return await dispatch(method, args[0]);
      } catch (error) {
        logger.error('ipc dispatch threw', { channel, error });
        return INTERNAL;
      }
    });
    channels.push(channel);
  }

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Returns a subscriber for the EventHub (which has already parsed each payload
 * with its contract schema): sends each event on its contract channel to the
 * app window, only while that window shows the app's own page.
 */
export function createEventPusher(
  target: () => WebContentsLike | null,
  app: AppLocation,
): (event: EventName, payload: unknown) => void {
  return (event, payload) => {
    const contents = target();
    if (!contents || contents.isDestroyed() || !isAppUrl(contents.getURL(), app)) return;
    if (!Object.prototype.hasOwnProperty.call(events, event)) return;
    contents.send(events[event].channel, payload);
  };
}
