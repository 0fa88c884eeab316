import { expect, test, type Page } from '@playwright/test';
import type { EmulatorState } from '../../emulator';
import type { InventoryRow } from '../../shared/contract';
import { centsToUsd, formatUsd } from '../../shared/money';
import { type E2EHost, reloadApp, shot } from './host';
import { accountWithInventory, planOf, openApp, type Seller } from './seed';

/*
 * Issue 14, defect 11: a Rust stack whose amount AssetPay caps
 * (offer.maxAmount) says so — in the plan editor, the price check and the
 * run board's review — and every price says whether it is per unit.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
let s: Seller;
let capped: InventoryRow;

test.beforeAll(async ({ browser }) => {
  ({ e2e, page, s } = await openApp(browser, { items: 120 }));
  const { accountId, rows } = await accountWithInventory(s, '252490');
  const found = rows.find(
    (r) => r.maxAmount !== null && r.maxAmount < r.amount && r.priceCents >= 20,
  );
  expect(found, 'a Rust stack with a cap below its size').toBeDefined();
  capped = found!;
  await planOf(s, 'Capped stack', [
    { accountId, game: '252490', itemId: capped.itemId, amount: capped.maxAmount! },
  ]);
  await reloadApp(page);
  await page.keyboard.press('Alt+4');
  await page.getByRole('button', { name: /Capped stack/ }).click();
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const capWords = () =>
  `AssetPay takes at most ${capped.maxAmount} of this stack of ${capped.amount}`;

test('plan editor: the cap and the per-unit price are shown', async () => {
  const row = page.locator(`.plan-row[data-item-id="${capped.itemId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`${formatUsd(capped.priceCents)} / unit`);
  await expect(row).toContainText(formatUsd(capped.priceCents * capped.maxAmount!));
  await expect(row.getByTitle(capWords())).toBeVisible();
  await expect(row).toContainText(`of ${capped.amount}`);
  await shot(page, 'stack-cap-plan');
});

let newCents: number;

test('price check: the changed stack shows units, cap and per-unit prices', async () => {
  newCents = Math.round(capped.priceCents * 0.8);
  await e2e.post('/__host/sandbox/price', { itemId: capped.itemId, usd: centsToUsd(newCents) });
  await page.getByTestId('check-and-submit').click();
  const dialog = page.getByRole('dialog', { name: 'Prices checked' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const row = dialog.locator(`.diff-row[data-item-id="${capped.itemId}"]`);
  await expect(row).toContainText(`× ${capped.maxAmount}`);
  await expect(row).toContainText('/ unit');
  await expect(row.getByTitle(capWords())).toBeVisible();
  await shot(page, 'stack-cap-price-check');
  await row.getByRole('checkbox').check();
  await page.getByTestId('preflight-continue').click();
  await expect(page.getByRole('dialog', { name: 'Confirm the sale' })).toBeVisible();
});

test('run board: a price review of the stack shows its units and cap', async () => {
  await e2e.post('/__host/sandbox/inject', { endpoint: 'sell', fault: 'price-changed' });
  await page.getByTestId('confirm-sell').click();
  await expect(page.getByRole('heading', { name: 'Run board' })).toBeVisible();
  const card = page.locator('[data-testid="batch-card"][data-batch-state="needs-review"]');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await card.getByRole('button', { name: 'Review prices' }).click();
  const row = page.locator(`[data-testid="review-item"][data-item-id="${capped.itemId}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(`× ${capped.maxAmount}`);
  await expect(row).toContainText('/ unit');
  await expect(row.getByTitle(capWords())).toBeVisible();
  await shot(page, 'stack-cap-review');
  await row.getByRole('checkbox').check();
  await page.getByTestId('review-sell').click();
  await expect
    .poll(
      async () => {
        const state = await e2e.get<EmulatorState>('/__host/sandbox/state');
        return state.trades.find((t) => t.itemIds.includes(capped.itemId))?.amounts;
      },
      { timeout: 30_000 },
    )
    .toEqual([capped.maxAmount]);
});
