import { expect, test, type Page } from '@playwright/test';
import type { EmulatorState } from '../../emulator';
import { bridgeCall, type E2EHost, reloadApp, shot, startE2EHost, TRADE_URL } from './host';

/*
 * Offers to accept (issue 11 deliverable 4) in real Chromium against the real
 * services: a run's trades become active with their Steam offer ids; the run
 * board's panel and the sidebar badge count them, oldest first, and count
 * down as the trader accepts them in Steam (the emulator moves each trade on
 * when the test says so); the button opens Steam's incoming-offers page.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;

test.beforeAll(async ({ browser }) => {
  // The trade lifecycle moves only when the test says so.
  e2e = await startE2EHost({ items: 60, lifecycle: { stepMs: 0 } });
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(e2e.url);
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const trades = async () => (await e2e.get<EmulatorState>('/__host/sandbox/state')).trades;

test('the panel and the badge count the offers waiting in Steam, and count down as they are accepted', async () => {
  // A run of 3 batches, set up through the page's own bridge.
  const account = await bridgeCall(page, 'addAccount', {
    label: 'Main',
    tradeUrl: TRADE_URL,
  });
  await bridgeCall(page, 'fetchInventory', { accountId: account.id, game: '730' });
  const { rows } = await bridgeCall(page, 'listInventory', {
    accountId: account.id,
    game: '730',
    sellableOnly: true,
    limit: 30,
  });
  const plan = await bridgeCall(page, 'createPlan', {
    name: 'Offers',
    options: { batchSize: 10, priceToleranceBp: 10_000 },
    items: rows.map((r) => ({ accountId: r.accountId, game: r.game, itemId: r.itemId })),
  });
  const diff = await bridgeCall(page, 'runPreflight', { planId: plan.id });
  const confirmation = await bridgeCall(page, 'acceptPreflight', {
    planId: plan.id,
    preflightId: diff.preflightId,
    acceptedItemIds: [],
  });
  await bridgeCall(page, 'startRun', { confirmation });
  // The page learns the account made through the bridge on its next load.
  await reloadApp(page);
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { name: 'Run board' })).toBeVisible();
  await expect.poll(async () => (await trades()).length, { timeout: 30_000 }).toBe(3);
  await expect(page.getByTestId('offers-panel')).toHaveCount(0);

  // AssetPay sends the three offers, one after the other.
  const ids = (await trades()).map((t) => t.id);
  for (const tradeId of ids) {
    await e2e.post('/__host/sandbox/trade-status', { tradeId, status: 'active' });
    await new Promise((r) => setTimeout(r, 30));
  }
  const panel = page.getByTestId('offers-panel');
  await expect(panel).toHaveAttribute('data-count', '3', { timeout: 30_000 });
  await expect(panel.getByRole('heading')).toHaveText('3 offers wait for you in Steam');
  await expect(page.getByTestId('offers-badge')).toHaveText('3 offers');
  const listed = await panel
    .getByTestId('offer-row')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-trade-id')));
  expect(listed).toEqual(ids); // oldest first
  await shot(page, 'offers-3');

  await page.getByTestId('open-incoming-offers').click();
  await expect
    .poll(async () => (await e2e.get<{ urls: string[] }>('/__host/opened')).urls)
    .toContain('https://steamcommunity.com/my/tradeoffers/');

  // The trader accepts them in Steam, oldest first: the count drops each time.
  for (const [k, tradeId] of ids.entries()) {
    await e2e.post('/__host/sandbox/trade-status', { tradeId, status: 'hold' });
    const left = ids.length - k - 1;
    if (left > 0) {
      await expect(panel).toHaveAttribute('data-count', String(left), { timeout: 30_000 });
      await expect(page.getByTestId('offers-badge')).toHaveText(
        left === 1 ? '1 offer' : `${left} offers`,
      );
    }
  }
  await expect(panel).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('offers-badge')).toHaveCount(0);
});
