import { expect, test, type Locator, type Page } from '@playwright/test';
import type { EmulatorState } from '../../emulator';
import { shot, startE2EHost, TRADE_URL, type E2EHost } from './host';

/*
 * The trader's whole journey in real Chromium against the real services
 * (design §1): set up the local sandbox, add an account, fetch the inventory,
 * go offline and build a 600-item plan (selection + a CSV import with two bad
 * rows), come back online, accept a changed price in the pre-flight, confirm,
 * restart the backend mid-run, and see every batch complete with no item sold
 * twice. Screenshots of every screen land in artifacts/screenshots/.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
const ROW = 40;
/** Items picked in the inventory grid; 10 more come from the CSV → 600 = 3 batches of ≤ 250. */
const PICKED = 590;
let csvItems: { itemId: string; price: string }[] = [];
let changedItem: { itemId: string; price: string };

test.beforeAll(async ({ browser }) => {
  e2e = await startE2EHost({ items: 700, sellLatencyMs: 600 });
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(e2e.url);
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const nav = (screen: string) => page.locator(`[data-nav="${screen}"]`);
const grid = () => page.getByTestId('inventory-grid');

async function scrollGridTo(position: number): Promise<Locator> {
  await grid().evaluate((el, top) => (el.scrollTop = top), Math.max(0, position * ROW - 120));
  const row = page.locator(`#inv-row-${position}`);
  await expect(row).toBeVisible();
  return row;
}

test('setup: choose the local sandbox and set a key', async () => {
  await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
  await expect(page.locator('[data-connectivity="online"]')).toBeVisible();
  await page.getByRole('radio', { name: /Local sandbox/ }).check();
  await page.getByTestId('api-key-input').fill('ap_sandbox_key');
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByText(/A key ending in/)).toContainText('…_key');
  await page.getByRole('button', { name: 'Check key' }).click();
  await expect(page.locator('.validation-ok')).toBeVisible();
  await shot(page, '01-setup');
});

test('accounts: add a Steam account (trade URL checked as you type)', async () => {
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { name: 'Add a Steam account' })).toBeVisible();
  await shot(page, '02-accounts-empty');
  await page.getByLabel('Name').fill('Main account');
  await page
    .getByTestId('trade-url-input')
    .fill('https://www.steamcommunity.com/tradeoffer/new/?partner=1&token=ABCDEFGH');
  await page.getByTestId('trade-url-input').blur();
  await expect(page.locator('#trade-url-help')).toContainText('without "www."');
  await page.getByTestId('trade-url-input').fill(TRADE_URL);
  await expect(page.locator('#trade-url-help')).toContainText('SteamID64');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.locator('.account-card h3')).toHaveText('Main account');
  await shot(page, '03-accounts');
});

test('inventory: fetch and browse it', async () => {
  await page.getByRole('button', { name: 'Fetch your inventory' }).first().click();
  await expect(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
  await expect(grid()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('cache-badge')).toContainText('cached just now');
  await expect(page.getByTestId('shown-count')).toHaveText('700 items');
  await shot(page, '04-inventory');
});

test('offline: the indicator says so and the cached inventory still works', async () => {
  await e2e.post('/__host/online', { online: false });
  await expect(page.locator('[data-connectivity="offline"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeDisabled();
  await page.getByTestId('inventory-search').fill('zzzz-no-such-item');
  await expect(page.getByText('No items match')).toBeVisible();
  await page.getByTestId('inventory-search').fill('');
  await expect(grid()).toBeVisible();
});

test('offline: select 590 items with click and shift-click, add them to a plan', async () => {
  await page.getByLabel('Sellable only').check();
  const shown = Number((await page.getByTestId('shown-count').innerText()).split(' ')[0]);
  expect(shown).toBeGreaterThanOrEqual(PICKED + 12);

  await (await scrollGridTo(0)).click();
  await expect(page.getByTestId('selected-count')).toHaveText('1 selected');
  await (await scrollGridTo(PICKED - 1)).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selected-count')).toHaveText(`${PICKED} selected`);
  await expect(page.getByTestId('selection-bar')).toContainText('3 batches');
  await shot(page, '05-inventory-selection');

  // The next 10 sellable items go into the CSV, plus one more for a bad-price row.
  csvItems = [];
  for (let p = PICKED; p < PICKED + 11; p++) {
    const row = await scrollGridTo(p);
    csvItems.push({
      itemId: (await row.getAttribute('data-item-id'))!,
      price: (await row.getAttribute('data-price'))!,
    });
  }
  const first = await scrollGridTo(0);
  changedItem = {
    itemId: (await first.getAttribute('data-item-id'))!,
    price: (await first.getAttribute('data-price'))!,
  };

  await page.getByTestId('add-to-plan').click();
  await expect(page.getByTestId('plan-editor')).toBeVisible();
  await expect(page.getByTestId('preview-items')).toHaveText(String(PICKED));
  await expect(page.getByTestId('save-indicator')).toHaveText('Saved');
});

test('offline: import a CSV with 2 bad rows — both reported with their row numbers', async () => {
  const good = csvItems.slice(0, 10);
  const csv = [
    'itemId,price',
    ...good.map((i) => `${i.itemId},${i.price}`),
    'not-a-real-item-0001,1.00', // row 12: unknown item
    `${csvItems[10]!.itemId},abc`, // row 13: not a price
  ].join('\n');
  await page.getByTestId('import-paste').fill(csv);
  await page.getByTestId('import-paste-button').click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('imported 10 items');
  await expect(report).toContainText('2 rows not imported');
  const errors = page.getByTestId('import-error-row');
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(0).locator('td').first()).toHaveText('12');
  await expect(errors.nth(1).locator('td').first()).toHaveText('13');
  await expect(page.getByTestId('preview-items')).toHaveText('600');
  await expect(page.getByTestId('preview-batches')).toHaveText('3');
  await shot(page, '06-plan-editor-import');
});

test('offline: "Submit when online" arms the plan with a clear badge; disarm to keep control', async () => {
  await page.getByTestId('arm').click();
  await page.getByTestId('arm-confirm').click();
  await expect(page.getByTestId('armed-banner')).toContainText('ARMED');
  await expect(nav('plans')).toContainText('1 armed');
  await shot(page, '07-plan-armed');
  await page.getByRole('button', { name: 'Disarm to edit' }).click();
  await expect(page.getByTestId('armed-banner')).toHaveCount(0);
});

test('export: the plan downloads as CSV', async () => {
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
});

test('online: the pre-flight shows the changed price; accept it and confirm', async () => {
  await e2e.post('/__host/online', { online: true });
  await expect(page.locator('[data-connectivity="online"]')).toBeVisible();
  // AssetPay's offer for one planned item drops by 20 %.
  const newUsd = Math.max(0.01, Math.round(Number(changedItem.price) * 80) / 100);
  await e2e.post('/__host/sandbox/price', { itemId: changedItem.itemId, usd: newUsd });

  await page.getByTestId('check-and-submit').click();
  const dialog = page.getByRole('dialog', { name: 'Prices checked' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('preflight-counts')).toContainText('1 down');
  const changed = dialog.locator(`.diff-row.price-down[data-item-id="${changedItem.itemId}"]`);
  await expect(changed).toBeVisible();
  await expect(changed).toContainText('▼');
  await expect(changed).toContainText(/−\d+\.\d\d %/);
  await shot(page, '08-preflight');
  await expect(page.getByTestId('preflight-continue')).toContainText('599 items');
  await changed.getByRole('checkbox').check();
  await page.getByTestId('preflight-continue').click();

  const confirm = page.getByRole('dialog', { name: 'Confirm the sale' });
  await expect(confirm).toBeVisible();
  await expect(page.getByTestId('confirm-items')).toHaveText('600');
  await expect(page.getByTestId('confirm-batches')).toHaveText('3');
  await expect(confirm).toContainText('Main account — 600 items');
  await shot(page, '09-confirm');
  await page.getByTestId('confirm-sell').click();
  await expect(page.getByRole('heading', { name: 'Run board' })).toBeVisible();
  await expect(page.getByTestId('batch-card')).toHaveCount(3);
});

test('run board: restart the backend mid-run; it recovers and every batch completes once', async () => {
  // Mid-run: as soon as a batch has left the queue.
  await expect(
    page.locator('[data-testid="batch-card"]:not([data-batch-state="queued"])').first(),
  ).toBeVisible({
    timeout: 30_000,
  });
  await shot(page, '10-run-board-live');
  await e2e.post('/__host/restart', {});

  const cards = page.getByTestId('batch-card');
  await expect(page.locator('[data-testid="batch-card"][data-batch-state="settled"]')).toHaveCount(
    3,
    { timeout: 120_000 },
  );
  for (let i = 0; i < 3; i++) {
    const statuses = await cards
      .nth(i)
      .locator('[data-trade-status]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-trade-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 'completed')).toBe(true);
  }
  await expect(page.getByTestId('run-header')).toHaveAttribute('data-run-state', 'finished', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('finished-batches')).toContainText('3 / 3');
  await shot(page, '11-run-board-done');

  // Ground truth: AssetPay (the emulator) holds each item in at most one trade.
  const state = await e2e.get<EmulatorState>('/__host/sandbox/state');
  expect(state.duplicateSoldItemIds).toEqual([]);
  const live = state.trades.filter((t) => !['failed', 'canceled', 'declined'].includes(t.status));
  const sold = live.flatMap((t) => t.itemIds);
  expect(new Set(sold).size).toBe(sold.length);
  expect(sold).toHaveLength(600);
  expect(new Set(live.map((t) => t.externalId)).size).toBe(live.length);
  expect((await e2e.get<{ restarts: number }>('/__host/health')).restarts).toBe(1);
});

test('history: every trade, searchable by externalId, exported as CSV', async () => {
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  const rows = page.locator('[data-trade-id]');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(3);
  await shot(page, '12-history');
  const externalId = await rows.first().locator('code').first().innerText();
  await page.getByRole('searchbox', { name: 'Search trades' }).fill(externalId);
  await expect(rows).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search trades' }).fill('');
  await expect(rows).toHaveCount(count);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-history').click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
});

test('keyboard: Alt+1..6 switch screens and "?" lists the shortcuts', async () => {
  for (const [key, heading] of [
    ['1', 'Setup'],
    ['3', 'Inventory'],
    ['4', 'Sell plans'],
    ['5', 'Run board'],
  ] as const) {
    await page.keyboard.press(`Alt+${key}`);
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await expect(page.locator('#shortcut-help')).toBeVisible();
  await shot(page, '13-shortcuts');
  await page.keyboard.press('?');
});

test('dark theme follows the system', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('Alt+5');
  await expect(page.getByTestId('run-header')).toBeVisible();
  const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  expect(bg).not.toBe('rgb(244, 245, 247)');
  await shot(page, '14-run-board-dark');
  await page.keyboard.press('Alt+3');
  await expect(grid()).toBeVisible();
  await shot(page, '15-inventory-dark');
  await page.keyboard.press('Alt+4');
  await shot(page, '16-plans-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});
