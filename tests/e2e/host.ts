import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Method, RequestOf, ResponseOf } from '../../shared/contract/contract';
import type { IpcResult } from '../../shared/contract/result';
import type { Environment } from '../../shared/domain';
import { startTestHost, type TestHost } from '../host/test-host';

/*
 * The real backend behind the page: the WebSocket test host started in the
 * Playwright worker on a fresh data dir, with the in-process sandbox emulator
 * as AssetPay. Timings are shortened (trade lifecycle, tracking polls) so a
 * whole run settles in seconds; nothing else is faked.
 */

export const TRADE_URL = 'https://steamcommunity.com/tradeoffer/new/?partner=123456&token=AbCdEf12';

export interface E2EHost {
  host: TestHost;
  url: string;
  dataDir: string;
  post(path: string, body: unknown): Promise<unknown>;
  get<T = unknown>(path: string): Promise<T>;
}

export interface E2EHostOptions {
  items?: number;
  sellLatencyMs?: number;
  /** The sandbox's trade lifecycle (stepMs 0: trades move only when a test advances them). */
  lifecycle?: { stepMs: number; holdMs?: number };
  /** Where production and staging point (default: the real hosts, never reached by the specs). */
  environmentBaseUrls?: Partial<Record<Exclude<Environment, 'sandbox'>, string>>;
}

export async function startE2EHost(options: E2EHostOptions = {}): Promise<E2EHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulk-seller-e2e-'));
  const host = await startTestHost({
    dataDir,
    services: {
      ...(options.environmentBaseUrls ? { environmentBaseUrls: options.environmentBaseUrls } : {}),
      sandbox: {
        itemsPerInventory: options.items ?? 700,
        latencyMs: options.sellLatencyMs ?? 0,
        lifecycle: options.lifecycle ?? { stepMs: 700, holdMs: 700 },
      },
      engine: {
        timing: {
          activePollMs: 400,
          holdPollMs: 800,
          missingPollMs: 800,
          lookupBaseMs: 300,
          lookupCapMs: 2_000,
          resendDelayMs: 200,
          inFlightWindowMs: 5_000,
          notSentRetryMs: 300,
        },
      },
    },
  });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${host.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${host.url}${path}`);
    if (!res.ok) throw new Error(`${path} → ${res.status}`);
    return (await res.json()) as T;
  };
  return { host, url: host.url, dataDir, post, get };
}

/**
 * Reloads the page and waits until the app is on screen: a key pressed before the app
 * has mounted (and listens for keys) would go nowhere.
 */
export async function reloadApp(page: Page): Promise<void> {
  await page.reload();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png` });
}

/**
 * Calls the app's own `window.bulkSeller` from the page — what the renderer does — for
 * setting up what a spec is not about (accounts, fetches, a sale) and for ground truth;
 * typed by the contract, throws unless ok.
 */
export async function bridgeCall<M extends Method>(
  page: Page,
  method: M,
  request: RequestOf<M>,
): Promise<ResponseOf<M>> {
  const result = await page.evaluate(
    async ([m, r]) => {
      const api = (
        globalThis as unknown as { bulkSeller: Record<string, (req: unknown) => unknown> }
      ).bulkSeller;
      return (await api[m]!(r)) as IpcResult<unknown>;
    },
    [method, request] as const,
  );
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.data as ResponseOf<M>;
}
