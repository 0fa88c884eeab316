import { expect, test, type Page } from '@playwright/test';
import type { Account, InventoryRow } from '../../shared/contract/views';
import { bridgeCall, type E2EHost, reloadApp, shot, startE2EHost, TRADE_URL } from './host';

/*
 * Issue 14's friction, in real Chromium against the real services: accounts checked when
 * added, filters that do not follow the trader from CS2 to Rust, unit fields that say their
 * bound, plain words (and an honest indicator) when AssetPay cannot be reached, plan rows
 * with exterior and float, plans that can be duplicated, archived and deleted, and unsold
 * items put into a new plan in one step.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
let main: Account;
let cs2: InventoryRow[];
let rust: InventoryRow[];

test.beforeAll(async ({ browser }) => {
  // Production points at a name that never resolves (RFC 2606 .invalid): "AssetPay cannot be reached".
  e2e = await startE2EHost({
    items: 60,
    environmentBaseUrls: { production: 'https://api.assetpay.invalid' },
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(e2e.url);
  main = await bridgeCall(page, 'addAccount', { label: 'Main', tradeUrl: TRADE_URL });
  for (const game of ['730', '252490'] as const)
    await bridgeCall(page, 'fetchInventory', { accountId: main.id, game });
  cs2 = (await bridgeCall(page, 'listInventory', { accountId: main.id, game: '730', limit: 500 }))
    .rows;
  rust = (
    await bridgeCall(page, 'listInventory', { accountId: main.id, game: '252490', limit: 500 })
  ).rows;
  await reloadApp(page);
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const planInList = (name: string) => page.locator('.plan-list-item', { hasText: name });

test('an account is checked with AssetPay as soon as it is added (online)', async () => {
  await page.keyboard.press('Alt+2');
  await page.getByLabel('Name').fill('Second');
  await page
    .getByTestId('trade-url-input')
    .fill('https://steamcommunity.com/tradeoffer/new/?partner=654321&token=Zz_-9xY8');
  await page.getByRole('button', { name: 'Add account' }).click();
  const card = page.locator('.account-card', { hasText: 'Second' });
  await expect(card).toContainText('can trade', { timeout: 30_000 });
});

test('filters do not follow the trader from CS2 to Rust', async () => {
  await reloadApp(page);
  await page.keyboard.press('Alt+3');
  await page.getByRole('radio', { name: 'CS2' }).click();
  await expect(page.getByTestId('shown-count')).toHaveText(`${cs2.length} items`);
  const type = cs2[0]!.type;
  await page.getByRole('combobox', { name: 'Type' }).selectOption(type);
  await expect(page.getByTestId('shown-count')).not.toHaveText(`${cs2.length} items`);
  await page.getByRole('radio', { name: 'Rust' }).click();
  await expect(page.getByTestId('shown-count')).toHaveText(`${rust.length} items`);
  await expect(page.getByText('No items match')).toHaveCount(0);
});

test('plan rows carry exterior and float', async () => {
  const skin = cs2.find((r) => r.tradable && r.accepted && r.exterior && r.wear)!;
  await bridgeCall(page, 'createPlan', {
    name: 'Rows',
    items: [{ accountId: main.id, game: '730', itemId: skin.itemId }],
  });
  await reloadApp(page);
  await page.keyboard.press('Alt+4');
  await planInList('Rows').click();
  const skinRow = page.locator(`.plan-row[data-item-id="${skin.itemId}"]`);
  await expect(skinRow).toContainText(skin.exterior!);
  await expect(skinRow).toContainText(Number(skin.wear).toFixed(4));
  await shot(page, 'i14-07-plan-rows');
});

test('a unit field says its bound instead of changing the number', async () => {
  const stack = rust.find(
    (r) => r.tradable && r.accepted && Math.min(r.amount, r.maxAmount ?? r.amount) > 3,
  )!;
  const max = Math.min(stack.amount, stack.maxAmount ?? stack.amount);
  await bridgeCall(page, 'createPlan', {
    name: 'Units',
    items: [{ accountId: main.id, game: '252490', itemId: stack.itemId, amount: 2 }],
  });
  await reloadApp(page);
  await page.keyboard.press('Alt+4');
  await planInList('Units').click();
  const units = page.getByRole('spinbutton', { name: new RegExp(`Units of ${stack.name}`) });
  await units.fill(String(max + 98));
  await units.blur();
  await expect(units).toHaveValue(String(max + 98));
  await expect(page.getByRole('alert').filter({ hasText: `At most ${max}` })).toBeVisible();
  await units.fill('2.5');
  await expect(page.getByRole('alert').filter({ hasText: 'Whole units only' })).toBeVisible();
  await units.fill('3');
  await units.blur();
  await expect(page.getByRole('alert').filter({ hasText: /At most|Whole units/ })).toHaveCount(0);
  await expect(page.getByTestId('save-indicator')).toHaveText('Saved');
  const saved = (await bridgeCall(page, 'listPlans', {})).find((p) => p.name === 'Units')!;
  const plan = await bridgeCall(page, 'getPlan', { planId: saved.id });
  expect(plan.items.find((i) => i.itemId === stack.itemId)!.amount).toBe(3);
});

test('plans can be duplicated, archived and deleted from the plans screen', async () => {
  const items = cs2
    .filter((r) => r.tradable && r.accepted)
    .slice(40, 42)
    .map((r) => ({ accountId: main.id, game: '730' as const, itemId: r.itemId }));
  await bridgeCall(page, 'createPlan', { name: 'Details', items });
  await reloadApp(page);
  await page.keyboard.press('Alt+4');
  await planInList('Details').first().click();
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await expect(page.getByRole('textbox', { name: 'Plan name' })).toHaveValue('Details (copy)');
  await expect(page.getByTestId('preview-items')).toHaveText('2');

  await page.getByRole('button', { name: 'Archive' }).click();
  await expect(page.locator('.plan-list .archived')).toContainText('Details (copy)');
  await page.getByRole('button', { name: 'Restore' }).click();
  await expect(page.locator('.plan-list .archived')).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: 'Delete “Details (copy)”?' })
    .getByRole('button', { name: 'Delete plan' })
    .click();
  await expect(planInList('Details (copy)')).toHaveCount(0);
  await expect(planInList('Details')).toHaveCount(1);
});

test('unsold items go into a new plan in one step', async () => {
  const items = cs2
    .filter((r) => r.tradable && r.accepted)
    .slice(30, 33)
    .map((r) => ({ accountId: main.id, game: '730' as const, itemId: r.itemId }));
  const plan = await bridgeCall(page, 'createPlan', { name: 'Stopped', items });
  const diff = await bridgeCall(page, 'runPreflight', { planId: plan.id });
  const confirmation = await bridgeCall(page, 'acceptPreflight', {
    planId: plan.id,
    preflightId: diff.preflightId,
    acceptedItemIds: [],
  });
  // Started offline and canceled before anything left: nothing was sold.
  await e2e.post('/__host/online', { online: false });
  const run = await bridgeCall(page, 'startRun', { confirmation });
  await bridgeCall(page, 'cancelRun', { runId: run.id });
  await e2e.post('/__host/online', { online: true });

  await reloadApp(page);
  await page.keyboard.press('Alt+4');
  await planInList('Stopped').click();
  await page.getByRole('button', { name: 'Put the unsold items in a new plan' }).click();
  await expect(page.getByRole('textbox', { name: 'Plan name' })).toHaveValue('Stopped — unsold');
  await expect(page.getByTestId('preview-items')).toHaveText('3');
});

test('AssetPay out of reach: plain words, and the indicator says so while the network is up', async () => {
  await bridgeCall(page, 'updateSettings', { environment: 'production' });
  await reloadApp(page);
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('radio', { name: /Production/ })).toBeChecked();
  await page.getByTestId('api-key-input').fill('ap_test_0123456789');
  await page.getByRole('button', { name: 'Save key' }).click();
  await page.getByRole('button', { name: 'Check key' }).click();
  const validation = page.locator('.validation');
  await expect(validation).toContainText('AssetPay cannot be reached');
  await expect(validation).not.toContainText('getaddrinfo');
  await expect(validation).not.toContainText('ENOTFOUND');
  const indicator = page.locator('[data-connectivity]');
  await expect(indicator).toHaveAttribute('data-connectivity', 'unreachable');
  await expect(indicator).toContainText('AssetPay unreachable');
  await shot(page, 'i14-08-unreachable');

  // Back to the sandbox: AssetPay answers again.
  await page.getByRole('radio', { name: /Local sandbox/ }).click();
  await page
    .getByRole('dialog', { name: 'Switch to Local sandbox?' })
    .getByRole('button', { name: 'Switch to Local sandbox' })
    .click();
  await page.getByRole('button', { name: 'Check key' }).click();
  await expect(page.locator('.validation-ok')).toBeVisible();
  await expect(indicator).toHaveAttribute('data-connectivity', 'online');
});
