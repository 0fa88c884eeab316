import { expect, test, type Locator, type Page } from '@playwright/test';
import type { EmulatorState } from '../../emulator';
import type { InventoryRow } from '../../shared/contract';
import { formatUsd } from '../../shared/money';
import { type E2EHost, reloadApp, shot } from './host';
import { accountWithInventory, planOf, rowsOf, sell, openApp, type Seller } from './seed';

/*
 * Issue 14, defects 1 and 2: a refused batch is reviewed for what it is.
 * PRICE_CHANGED lists each changed item (name, exterior, float, old → new,
 * change in $ and %) and sells the accepted ones at AssetPay's current offer —
 * the trader's acceptance replaces the plan's 0 % tolerance. ITEM_OVERSTOCKED
 * and ITEMS_NOT_ACCEPTED get their own words and actions: never "prices
 * changed", never "Review prices".
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
let s: Seller;
let accountId: string;
let skins: InventoryRow[];

test.beforeAll(async ({ browser }) => {
  ({ e2e, page, s } = await openApp(browser, { items: 120 }));
  const inventory = await accountWithInventory(s);
  accountId = inventory.accountId;
  // Skins with an exterior and a float, dearest first (a drop of ~1 % is at least a cent).
  skins = inventory.rows.filter((r) => r.exterior !== null && r.wear !== null);
  expect(skins.length).toBeGreaterThanOrEqual(6);
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

/** Cents after the emulator's `price-changed` fault: ~1 % less, at least a cent. */
const droppedCents = (cents: number) => cents - Math.max(1, Math.round(cents * 0.01));

async function runBoardWithRefusal(
  fault: string,
  items: Parameters<typeof planOf>[2],
  name: string,
) {
  await e2e.post('/__host/sandbox/inject', { endpoint: 'sell', fault });
  const planId = await planOf(s, name, items);
  const run = await sell(s, planId);
  await reloadApp(page);
  await page.keyboard.press('Alt+5');
  await page.getByRole('combobox', { name: 'Run' }).selectOption(run.id);
  const card = page.locator('[data-testid="batch-card"][data-batch-state="needs-review"]');
  await expect(card).toBeVisible({ timeout: 30_000 });
  return { run, card, batchRef: await externalIdPrefix(card) };
}

/** The batch's externalId without its attempt number: every attempt of the batch starts with it. */
async function externalIdPrefix(card: Locator): Promise<string> {
  return (await card.getAttribute('data-external-id'))!.replace(/-\d+$/, '');
}

async function soldTrade(externalIdPrefix: string) {
  let trade: EmulatorState['trades'][number] | undefined;
  await expect
    .poll(
      async () => {
        const state = await e2e.get<EmulatorState>('/__host/sandbox/state');
        trade = state.trades.find(
          (t) => t.externalId?.startsWith(externalIdPrefix) && t.status !== 'failed',
        );
        return trade !== undefined;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return trade!;
}

test('PRICE_CHANGED: the review lists each changed item and sells it at the current offer', async () => {
  const [changed, other] = [skins[0]!, skins[1]!];
  const { card, batchRef } = await runBoardWithRefusal(
    'price-changed',
    rowsOf(accountId, [changed, other]),
    'Price review',
  );
  const newCents = droppedCents(changed.priceCents);

  await expect(card).toContainText('price');
  await card.getByRole('button', { name: 'Review prices' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const row = dialog.locator(`[data-testid="review-item"][data-item-id="${changed.itemId}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(changed.name);
  await expect(row).toContainText(changed.exterior!);
  await expect(row).toContainText(changed.wear!);
  await expect(row).toContainText(formatUsd(changed.priceCents));
  await expect(row).toContainText(formatUsd(newCents));
  await expect(row).toContainText(`−${formatUsd(changed.priceCents - newCents)}`);
  await expect(row).toContainText(/−\d+\.\d\d %/);
  // The unchanged item is not in the list; it goes as it is.
  await expect(
    dialog.locator(`[data-testid="review-item"][data-item-id="${other.itemId}"]`),
  ).toHaveCount(0);
  await shot(page, 'review-price-changed');

  await row.getByRole('checkbox').check();
  const sellButton = dialog.getByTestId('review-sell');
  await expect(sellButton).toHaveText(`Sell 2 items for ${formatUsd(newCents + other.priceCents)}`);
  await sellButton.click();
  await expect(dialog).toBeHidden();

  // AssetPay's ground truth: both items sold, the changed one at its current offer.
  const trade = await soldTrade(batchRef);
  expect(new Set(trade.itemIds)).toEqual(new Set([changed.itemId, other.itemId]));
  expect(Math.round(trade.totalPrice * 100)).toBe(newCents + other.priceCents);
});

test('ITEM_OVERSTOCKED: named as overstocked; the rest is sold without the item', async () => {
  const items = skins.slice(2, 5);
  const { card, batchRef } = await runBoardWithRefusal(
    'overstocked',
    rowsOf(accountId, items),
    'Overstock review',
  );
  await expect(card).toContainText(/overstocked/i);
  await expect(card).not.toContainText(/price/i);
  await expect(card.getByRole('button', { name: 'Review prices' })).toHaveCount(0);
  await card.getByRole('button', { name: 'Review items' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).not.toContainText(/prices? changed/i);
  const row = dialog.locator(`[data-testid="review-item"][data-item-id="${items[0]!.itemId}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText(items[0]!.name);
  await expect(row).toContainText('AssetPay takes no more of it now');
  await shot(page, 'review-overstocked');
  const rest = items[1]!.priceCents + items[2]!.priceCents;
  await expect(dialog.getByTestId('review-sell')).toHaveText(`Sell 2 items for ${formatUsd(rest)}`);
  await dialog.getByTestId('review-sell').click();

  const trade = await soldTrade(batchRef);
  expect(new Set(trade.itemIds)).toEqual(new Set([items[1]!.itemId, items[2]!.itemId]));
});

test('ITEM_OVERSTOCKED on a Rust stack: accepting it sells the units AssetPay still takes', async () => {
  const { rows } = await accountWithInventory(s, '252490');
  const stack = rows.find((r) => r.amount >= 7 && (r.maxAmount ?? 1_000) >= 7)!;
  const { card, batchRef } = await runBoardWithRefusal(
    'overstocked',
    [{ accountId, game: '252490', itemId: stack.itemId, amount: 7 }],
    'Overstocked stack',
  );
  await card.getByRole('button', { name: 'Review items' }).click();
  const dialog = page.getByRole('dialog');
  const row = dialog.locator(`[data-testid="review-item"][data-item-id="${stack.itemId}"]`);
  await expect(row).toContainText('AssetPay takes only 3 of 7 now', { timeout: 30_000 });
  await row.getByRole('checkbox').check();
  await expect(dialog.getByTestId('review-sell')).toHaveText(
    `Sell 1 item for ${formatUsd(3 * stack.priceCents)}`,
  );
  await shot(page, 'review-overstocked-stack');
  await dialog.getByTestId('review-sell').click();

  // AssetPay's ground truth: 3 units of the stack, not 7.
  const trade = await soldTrade(batchRef);
  expect(trade.itemIds).toEqual([stack.itemId]);
  expect(trade.amounts).toEqual([3]);
});

test('ITEMS_NOT_ACCEPTED: named as not accepted; leave the item out and send the rest', async () => {
  const items = skins.slice(5, 7);
  const planId = await planOf(s, 'Not accepted review', rowsOf(accountId, items));
  const diff = await s.ok('runPreflight', { planId });
  const confirmation = await s.ok('acceptPreflight', {
    planId,
    preflightId: diff.preflightId,
    acceptedItemIds: [],
  });
  // AssetPay stops accepting the item between the price check and the sell.
  await e2e.post('/__host/sandbox/accepted', { itemId: items[0]!.itemId, accepted: false });
  const run = await s.ok('startRun', { confirmation });
  await reloadApp(page);
  await page.keyboard.press('Alt+5');
  await page.getByRole('combobox', { name: 'Run' }).selectOption(run.id);
  const card = page.locator('[data-testid="batch-card"][data-batch-state="needs-review"]');
  await expect(card).toBeVisible({ timeout: 30_000 });
  const batchRef = await externalIdPrefix(card);
  await expect(card).toContainText(/no longer accepts/i);
  await expect(card).not.toContainText(/price/i);
  await expect(card.getByRole('button', { name: 'Review prices' })).toHaveCount(0);
  await card.getByRole('button', { name: 'Review items' }).click();
  const dialog = page.getByRole('dialog');
  const row = dialog.locator(`[data-testid="review-item"][data-item-id="${items[0]!.itemId}"]`);
  await expect(row).toContainText('AssetPay does not accept it now', { timeout: 30_000 });
  await expect(dialog.getByTestId('review-sell')).toHaveText(
    `Sell 1 item for ${formatUsd(items[1]!.priceCents)}`,
  );
  await dialog.getByTestId('review-sell').click();
  const trade = await soldTrade(batchRef);
  expect(trade.itemIds).toEqual([items[1]!.itemId]);
});
