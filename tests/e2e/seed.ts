import type { Browser, Page } from '@playwright/test';
import type { GameId } from '../../shared/api/games';
import type {
  InventoryRow,
  Method,
  PlanOptions,
  RequestOf,
  ResponseOf,
  RunSummary,
} from '../../shared/contract';
import { startE2EHost, TRADE_URL, type E2EHost, type E2EHostOptions } from './host';

/*
 * Setting the scene for a spec through the page's own `window.bulkSeller`
 * (the same contract the screens call), so a spec about the run board does
 * not click through setup, inventory and plans again — journey.spec.ts does
 * that. Everything still goes through the real services.
 */

/** A host, a page on it (`beforeGoto` may route its traffic first) and the page's seller. */
export async function openApp(
  browser: Browser,
  options: E2EHostOptions,
  beforeGoto?: (page: Page) => Promise<void>,
): Promise<{ e2e: E2EHost; page: Page; s: Seller }> {
  const e2e = await startE2EHost(options);
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await beforeGoto?.(page);
  await page.goto(e2e.url);
  return { e2e, page, s: seller(page) };
}

export interface Seller {
  ok<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
}

export function seller(page: Page): Seller {
  return {
    async ok(method, request) {
      const result = await page.evaluate(
        async ([m, r]) => {
          const api = (
            globalThis as unknown as { bulkSeller: Record<string, (x: unknown) => unknown> }
          ).bulkSeller;
          return (await api[m]!(r)) as { ok: boolean; data?: unknown; error?: { message: string } };
        },
        [method, request] as const,
      );
      if (!result.ok) throw new Error(`${method} failed: ${result.error?.message}`);
      return result.data as never;
    },
  };
}

/** The sandbox, one account, its inventory of `game` fetched; returns the sellable rows. */
export async function accountWithInventory(
  s: Seller,
  game: GameId = '730',
): Promise<{ accountId: string; rows: InventoryRow[] }> {
  await s.ok('updateSettings', { environment: 'sandbox' });
  const accounts = await s.ok('listAccounts', {});
  const account =
    accounts.find((a) => a.tradeUrl === TRADE_URL) ??
    (await s.ok('addAccount', { label: 'Main account', tradeUrl: TRADE_URL }));
  await s.ok('fetchInventory', { accountId: account.id, game });
  const { rows } = await s.ok('listInventory', {
    accountId: account.id,
    game,
    sellableOnly: true,
    sort: 'priceDesc',
    limit: 2_000,
  });
  return { accountId: account.id, rows };
}

export async function planOf(
  s: Seller,
  name: string,
  items: readonly { accountId: string; game: GameId; itemId: string; amount?: number }[],
  options: Partial<PlanOptions> = {},
): Promise<string> {
  const plan = await s.ok('createPlan', {
    name,
    options: { priceToleranceBp: 0, ...options },
    items: items.map((i) => ({ ...i })),
  });
  return plan.id;
}

/** Pre-flight (accepting nothing beyond the tolerance), confirmation, start. */
export async function sell(s: Seller, planId: string): Promise<RunSummary> {
  const diff = await s.ok('runPreflight', { planId });
  const confirmation = await s.ok('acceptPreflight', {
    planId,
    preflightId: diff.preflightId,
    acceptedItemIds: [],
  });
  return s.ok('startRun', { confirmation });
}

export function rowsOf(
  accountId: string,
  rows: readonly InventoryRow[],
): { accountId: string; game: GameId; itemId: string }[] {
  return rows.map((r) => ({ accountId, game: r.game, itemId: r.itemId }));
}
