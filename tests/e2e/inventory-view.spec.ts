import { expect, test, type Page } from '@playwright/test';
import { fromInventoryColumns } from '../../shared/inventory-columns';
import { marketShareBp } from '../../shared/market-share';
import type { Account, InventoryRow } from '../../shared/contract';
import { bridgeCall, type E2EHost, reloadApp, shot, startE2EHost, TRADE_URL } from './host';

/*
 * The trader's view of the inventory (issue 11 deliverables 1–3) in real
 * Chromium against the real services: item pictures come from main's cache —
 * also after an app restart with AssetPay (the sandbox emulator, which serves
 * the pictures) stopped and the app offline; groups mode picks the N cheapest
 * of a group into a plan; the "% of market" filter and sort.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
let account: Account;
let rows: InventoryRow[];

test.beforeAll(async ({ browser }) => {
  e2e = await startE2EHost({ items: 400 });
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(e2e.url);
  account = await bridgeCall(page, 'addAccount', { label: 'Main', tradeUrl: TRADE_URL });
  await bridgeCall(page, 'fetchInventory', { accountId: account.id, game: '730' });
  rows = fromInventoryColumns(
    await bridgeCall(page, 'inventoryColumns', {
      accountId: account.id,
      game: '730',
    }),
  );
  // With an account, the app opens on the inventory.
  await reloadApp(page);
  await expect(page.getByTestId('inventory-grid')).toBeVisible({ timeout: 30_000 });
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

/** Pictures in the visible rows that the browser decoded (from main's cache), and placeholders. */
async function pictures(p: Page): Promise<{ shown: number; placeholders: number }> {
  return p.evaluate(`(() => ({
    shown: [...document.querySelectorAll('img.item-picture')].filter((i) => i.complete && i.naturalWidth === 64).length,
    placeholders: document.querySelectorAll('[data-testid="picture-placeholder"]').length,
  }))()`);
}

test('item pictures show, then come from the cache with AssetPay stopped and the app restarted offline', async () => {
  expect(rows[0]!.iconUrl).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/icons\/[0-9a-f]{6}\/[0-9a-z]+\.png$/,
  );
  await expect
    .poll(async () => (await pictures(page)).shown, { timeout: 20_000 })
    .toBeGreaterThan(8);
  expect((await pictures(page)).placeholders).toBe(0);
  const served = (await e2e.get<{ requestCounts: Record<string, number> }>('/__host/sandbox/state'))
    .requestCounts.icon;
  expect(served).toBeGreaterThan(0);
  await shot(page, 'pictures-online');

  // AssetPay and its picture host are gone, the app is offline and restarted (a fresh cache index from disk).
  await e2e.post('/__host/sandbox/stop', {});
  await e2e.post('/__host/online', { online: false });
  await e2e.post('/__host/restart', {});
  expect((await e2e.get<{ sandboxUrl: string | null }>('/__host/health')).sandboxUrl).toBeNull();
  await reloadApp(page);
  await expect(page.getByTestId('inventory-grid')).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(async () => (await pictures(page)).shown, { timeout: 20_000 })
    .toBeGreaterThan(8);
  expect((await pictures(page)).placeholders).toBe(0);
  await expect(page.locator('[data-connectivity="offline"]')).toBeVisible();
  await shot(page, 'pictures-offline-from-cache');
});

test('groups: pick the 2 cheapest of a group into a plan', async () => {
  const byGroup = new Map<string, InventoryRow[]>();
  for (const r of rows) {
    const sellable = r.tradable && r.accepted && r.priceCents > 0;
    if (sellable) byGroup.set(r.marketHashName, [...(byGroup.get(r.marketHashName) ?? []), r]);
  }
  const [name, members] = [...byGroup].find(
    ([, list]) => list.length >= 3 && new Set(list.map((r) => r.priceCents)).size === list.length,
  )!;
  const cheapest = [...members].sort((a, b) => a.priceCents - b.priceCents).slice(0, 2);

  await page.getByTestId('mode-groups').click();
  await page.getByTestId('inventory-search').fill(name);
  const group = page.locator(`[data-testid="group-row"][data-group="${name}"]`);
  await expect(group).toBeVisible();
  await expect(group.getByTestId('group-count')).toContainText(`${members.length} / `);
  await group.getByTestId('pick-group').click();
  const dialog = page.getByRole('dialog', { name: `Pick from ${name}` });
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('pick-count').fill('2');
  await dialog.getByTestId('pick-order').selectOption('cheapest');
  await shot(page, 'groups-pick');
  await dialog.getByTestId('pick-confirm').click();
  await expect(page.getByTestId('selected-count')).toHaveText('2 selected');
  // Open the group: exactly its two cheapest items are ticked.
  await group.click();
  for (const item of members) {
    const row = page.locator(`[data-item-id="${item.itemId}"]`);
    await expect(row).toHaveAttribute(
      'aria-selected',
      String(cheapest.some((c) => c.itemId === item.itemId)),
    );
  }
  await shot(page, 'groups-expanded');
  await page.getByTestId('add-to-plan').click();
  await expect(page.getByTestId('plan-editor')).toBeVisible();
  await expect(page.getByTestId('preview-items')).toHaveText('2');
  const planItems = await page
    .getByTestId('plan-items')
    .locator('[data-item-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')));
  expect(planItems.sort()).toEqual(cheapest.map((c) => c.itemId).sort());
  await page.keyboard.press('Alt+3');
  await page.getByTestId('inventory-search').fill('');
  await page.getByTestId('mode-items').click();
});

test('% of market: filter "at least 85 %" and sort by it', async () => {
  const share = (r: InventoryRow) => marketShareBp(r.priceCents, r.marketPriceCents);
  const expected = rows.filter((r) => (share(r) ?? -1) >= 8500).length;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(rows.length);
  await page.getByTestId('min-share').fill('85');
  await expect(page.getByTestId('shown-count')).toHaveText(`${expected} of ${rows.length}`);
  const shares = await page
    .locator('.inv-row [data-share-bp]')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-share-bp'))));
  expect(shares.length).toBeGreaterThan(0);
  expect(shares.every((bp) => bp >= 8500)).toBe(true);
  await page.getByTestId('sort-share').click();
  const top = Math.max(...rows.map((r) => share(r) ?? -1));
  await expect(page.locator('#inv-row-0 [data-share-bp]')).toHaveAttribute(
    'data-share-bp',
    String(top),
  );
  await shot(page, 'inventory-share-filter');
  await page.getByTestId('min-share').fill('');
  await expect(page.getByTestId('shown-count')).toHaveText(`${rows.length} items`);
});
