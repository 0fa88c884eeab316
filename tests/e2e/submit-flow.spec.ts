import { expect, test, type Page } from '@playwright/test';
import type { EmulatorState } from '../../emulator';
import type { InventoryRow } from '../../shared/contract';
import { formatUsd } from '../../shared/money';
import { type E2EHost, reloadApp, shot } from './host';
import { accountWithInventory, openApp, planOf, rowsOf, type Seller } from './seed';

/*
 * Submitting is for the plan on screen (found by a first session in Chromium):
 * a "Confirm the sale" left open while the trader went elsewhere came back over
 * another plan and sold the first one; the plan list kept the total from before
 * the pre-flight's accepted price change.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
let s: Seller;
let accountId: string;
let rows: InventoryRow[];

test.beforeAll(async ({ browser }) => {
  ({ e2e, page, s } = await openApp(browser, { items: 60 }));
  ({ accountId, rows } = await accountWithInventory(s));
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const planInList = (name: string) => page.locator('.plan-list-item', { hasText: name });
const sells = async () =>
  (await e2e.get<EmulatorState>('/__host/sandbox/state')).requestCounts.sell ?? 0;

async function openPlan(name: string): Promise<void> {
  await page.keyboard.press('Alt+4');
  await planInList(name).click();
  await expect(page.getByRole('textbox', { name: 'Plan name' })).toHaveValue(name);
}

test('a sale left open on another screen never comes back over another plan', async () => {
  await planOf(s, 'Knives', rowsOf(accountId, rows.slice(0, 2)));
  await planOf(s, 'Gloves', rowsOf(accountId, rows.slice(2, 6)));
  await reloadApp(page);
  await openPlan('Knives');
  await page.getByTestId('check-and-submit').click();
  await page.getByTestId('preflight-continue').click({ timeout: 30_000 });
  const confirm = page.getByRole('dialog', { name: 'Confirm the sale' });
  await expect(confirm).toContainText('Knives');

  // The trader goes to the run board with the dialog open, then back, then to another plan.
  await page.keyboard.press('Alt+5');
  await page.keyboard.press('Alt+4');
  await expect(confirm).toHaveCount(0);
  await openPlan('Gloves');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await shot(page, 'submit-other-plan-no-stale-confirm');
  expect(await sells()).toBe(0);
});

test('after the pre-flight, the plan list shows the total the trader confirms', async () => {
  const [changed] = rows.slice(2, 3);
  const newUsd = Math.round(changed!.priceCents * 0.9) / 100;
  await e2e.post('/__host/sandbox/price', { itemId: changed!.itemId, usd: newUsd });
  await openPlan('Gloves');
  await page.getByTestId('check-and-submit').click();
  const review = page.getByRole('dialog', { name: 'Prices checked' });
  await review
    .locator(`.diff-row[data-item-id="${changed!.itemId}"]`)
    .getByRole('checkbox')
    .check({ timeout: 30_000 });
  await page.getByTestId('preflight-continue').click();
  const confirm = page.getByRole('dialog', { name: 'Confirm the sale' });
  const total =
    rows.slice(3, 6).reduce((sum, r) => sum + r.priceCents, 0) + Math.round(newUsd * 100);
  await expect(confirm).toContainText(formatUsd(total));
  await expect(planInList('Gloves')).toContainText(formatUsd(total));
  await confirm.getByRole('button', { name: 'Cancel' }).click();
});

test('a unit value out of range is not saved, says so, and holds the submit back', async () => {
  const rust = await accountWithInventory(s, '252490');
  const stack = rust.rows.find((r) => r.amount >= 5)!;
  await planOf(s, 'Stack', [{ accountId, game: '252490', itemId: stack.itemId, amount: 2 }]);
  await reloadApp(page);
  await openPlan('Stack');
  const units = page.getByRole('spinbutton', { name: /^Units of / });
  await units.fill(String(stack.amount + 100));
  await units.blur();
  await expect(page.getByText(/^At most \d+/)).toBeVisible();
  await expect(page.getByTestId('save-indicator')).toHaveText(/^Not saved/);
  await expect(page.getByTestId('check-and-submit')).toBeDisabled();
  await shot(page, 'submit-units-out-of-range');
  // The plan still holds the last valid value, and the trader is told so.
  const planId = (await s.ok('listPlans', {})).find((p) => p.name === 'Stack')!.id;
  expect((await s.ok('getPlan', { planId })).items[0]!.amount).toBe(2);
  await units.fill('3');
  await expect(page.getByTestId('save-indicator')).toHaveText('Saved');
  await expect(page.getByTestId('check-and-submit')).toBeEnabled();
});

test('an imported price that is not AssetPay’s offer is said at once, with the offer', async () => {
  await planOf(s, 'Imported', []);
  await reloadApp(page);
  await openPlan('Imported');
  const [dear, fair] = [rows[30]!, rows[31]!];
  await page
    .getByTestId('import-paste')
    .fill(
      [
        'itemId,price',
        `${dear.itemId},99999.99`,
        `${fair.itemId},${((fair.priceCents + 1) / 100).toFixed(2)}`,
      ].join('\n'),
    );
  await page.getByTestId('import-paste-button').click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('imported 2 items');
  await expect(report).toContainText('2 items keep the file’s price, not AssetPay’s offer');
  await expect(report).toContainText(
    `${dear.name}: $99,999.99 in the file, AssetPay offers ${formatUsd(dear.priceCents)}`,
  );
  await shot(page, 'submit-import-price-differs');
});
