import { describe, expect, it, vi } from 'vitest';
import {
  bindIpc,
  createEventPusher,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from '../../electron/main/ipc-binding';
import type { AppLocation } from '../../electron/main/security-policy';
import { contract, events, type Method } from '../../shared/contract/contract';
import type { IpcResult } from '../../shared/contract/result';

/*
 * Electron cannot run here, so the binding is exercised through a stand-in
 * for ipcMain that records handlers and lets the test invoke them the way
 * Electron would: (event, ...args).
 */
class IpcMainStandIn implements IpcMainLike {
  readonly handlers = new Map<
    string,
    (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>
  >();
  readonly handleCalls: string[] = [];

  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void {
    this.handleCalls.push(channel);
    // Electron throws on a second handler for the same channel; so do we.
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

const APP_URL = 'file:///opt/bulk-seller/resources/app.asar/out/renderer/index.html';
const app: AppLocation = { indexFileUrl: APP_URL };
const WINDOW_ID = 1;

function frame(
  url: string,
  parent: FrameLike | null = null,
  routingId = 1,
  processId = 10,
): FrameLike {
  return { url, parent, processId, routingId };
}

function eventFrom(
  options: { id?: number; url?: string; subframe?: boolean; frameGone?: boolean } = {},
): InvokeEventLike {
  const main = frame(options.url ?? APP_URL);
  const sub = frame('file:///opt/bulk-seller/resources/app.asar/out/renderer/index.html', main, 2);
  return {
    sender: { id: options.id ?? WINDOW_ID, mainFrame: main },
    senderFrame: options.frameGone ? null : options.subframe ? sub : main,
  };
}

function setup() {
  const ipcMain = new IpcMainStandIn();
  const dispatch = vi.fn(async (method: string, payload: unknown): Promise<IpcResult<unknown>> => ({
    ok: true,
    data: { method, payload },
  }));
  const trustedIds = new Set([WINDOW_ID]);
  const unbind = bindIpc({ ipcMain, dispatch, trust: { trustedIds, app } });
  return { ipcMain, dispatch, trustedIds, unbind };
}

const methods = Object.keys(contract) as Method[];

describe('bindIpc', () => {
  it('binds every contract method exactly once, on its own channel', () => {
    const { ipcMain } = setup();
    const expected = methods.map((method) => contract[method].channel);
    expect([...ipcMain.handleCalls].sort()).toEqual([...expected].sort());
    expect(new Set(ipcMain.handleCalls).size).toBe(ipcMain.handleCalls.length);
  });

  it('passes a trusted message to dispatch with its method name and payload', async () => {
    const { ipcMain, dispatch } = setup();
    const request = { environment: 'sandbox' };
    const answer = await ipcMain.invoke(contract.getKeyStatus.channel, eventFrom(), request);
    expect(dispatch).toHaveBeenCalledExactlyOnceWith('getKeyStatus', request);
    expect(answer).toEqual({ ok: true, data: { method: 'getKeyStatus', payload: request } });
  });

  it('routes each channel to its own method', async () => {
    const { ipcMain, dispatch } = setup();
    for (const method of methods) {
      await ipcMain.invoke(contract[method].channel, eventFrom(), {});
      expect(dispatch).toHaveBeenLastCalledWith(method, {});
    }
    expect(dispatch).toHaveBeenCalledTimes(methods.length);
  });

  const refused: Array<[string, InvokeEventLike]> = [
    ['an unknown webContents', eventFrom({ id: 99 })],
    ['a subframe of the app window', eventFrom({ subframe: true })],
    ['the app window showing a foreign URL', eventFrom({ url: 'https://evil.io/' })],
    ['the app window showing another local file', eventFrom({ url: 'file:///tmp/index.html' })],
    ['a frame that is gone', eventFrom({ frameGone: true })],
    [
      'a top-level frame that is not the main frame of its webContents',
      {
        sender: { id: WINDOW_ID, mainFrame: frame(APP_URL) },
        senderFrame: frame(APP_URL, null, 7, 11),
      },
    ],
    [
      'a sender whose frame throws when read (disposed)',
      {
        sender: { id: WINDOW_ID, mainFrame: frame(APP_URL) },
        get senderFrame(): FrameLike {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      },
    ],
  ];

  it.each(refused)('refuses %s without calling dispatch', async (_what, event) => {
    const { ipcMain, dispatch } = setup();
    const answer = (await ipcMain.invoke(contract.setApiKey.channel, event, {
      environment: 'sandbox',
      apiKey: 'ap_secret_key_1234',
    })) as IpcResult<unknown>;
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('forbidden-sender');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses a window once it is no longer trusted (destroyed)', async () => {
    const { ipcMain, dispatch, trustedIds } = setup();
    trustedIds.delete(WINDOW_ID);
    const answer = (await ipcMain.invoke(
      contract.getSettings.channel,
      eventFrom(),
      {},
    )) as IpcResult<unknown>;
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('answers with an internal error instead of rejecting when dispatch throws', async () => {
    const ipcMain = new IpcMainStandIn();
    bindIpc({
      ipcMain,
      dispatch: async () => {
        throw new Error('boom at /home/trader/secret/path');
      },
      trust: { trustedIds: new Set([WINDOW_ID]), app },
    });
    const answer = (await ipcMain.invoke(
      contract.getSettings.channel,
      eventFrom(),
      {},
    )) as IpcResult<unknown>;
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(answer)).not.toContain('/home/trader');
  });

  it('removes every handler on unbind', () => {
    const { ipcMain, unbind } = setup();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('createEventPusher', () => {
  function contents(url = APP_URL, destroyed = false) {
    const sent: unknown[][] = [];
    const wc: WebContentsLike = {
      id: WINDOW_ID,
      send: (...args: unknown[]) => void sent.push(args),
      isDestroyed: () => destroyed,
      getURL: () => url,
    };
    return { wc, sent };
  }

  const net = (online: boolean) => ({
    online,
    assetpay: { state: 'unknown' as const, message: null },
  });

  it('sends each event on its contract channel', () => {
    const { wc, sent } = contents();
    const push = createEventPusher(() => wc, app);
    push('connectivity', net(false));
    push('attention', { runId: 'r1', title: 'Needs you', body: 'Review prices' });
    expect(sent).toEqual([
      [events.connectivity.channel, net(false)],
      [events.attention.channel, { runId: 'r1', title: 'Needs you', body: 'Review prices' }],
    ]);
  });

  it('sends nothing to a missing, destroyed or navigated-away window', () => {
    const away = contents('https://evil.io/');
    const gone = contents(APP_URL, true);
    createEventPusher(() => null, app)('connectivity', net(true));
    createEventPusher(() => away.wc, app)('connectivity', net(true));
    createEventPusher(() => gone.wc, app)('connectivity', net(true));
    expect(away.sent).toEqual([]);
    expect(gone.sent).toEqual([]);
  });
});
