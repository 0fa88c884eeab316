import { expect, test, type Page } from '@playwright/test';
import { formatUsd } from '../../shared/money';
import { type E2EHost, reloadApp, shot } from './host';
import { accountWithInventory, planOf, rowsOf, sell, openApp, type Seller } from './seed';

/*
 * Issue 14, defects 7, 8 and 9, and the "1 items" friction: the run board
 * says what is true. An armed run shows its plan; a batch's words follow its
 * trades and the clock (a hold that ends), not only batch events; "Open trade
 * offer" reaches the test host's recorder, and a failing opener is named.
 * The sandbox's trades move only when this spec advances them.
 */

test.describe.configure({ mode: 'serial' });

const HOLD_MS = 6_000;
let dropRunReads = false;
let e2e: E2EHost;
let page: Page;
let s: Seller;
let accountId: string;
let rows: Awaited<ReturnType<typeof accountWithInventory>>['rows'];

test.beforeAll(async ({ browser }) => {
  // The page's line to the services, with a switch that drops its re-reads of the run
  // (getRun): then only push events and the page's own clock can change what it shows.
  const dropping = (tab: Page) =>
    tab.routeWebSocket(/\/__host\/ws$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        if (dropRunReads && typeof frame === 'string' && frame.includes('"method":"getRun"'))
          return;
        server.send(frame);
      });
    });
  ({ e2e, page, s } = await openApp(
    browser,
    { items: 60, lifecycle: { stepMs: 0, holdMs: HOLD_MS } },
    dropping,
  ));
  ({ accountId, rows } = await accountWithInventory(s));
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const header = () => page.getByTestId('run-header');
const total = (label: string) => header().locator(`dt:text-is("${label}") + dd`);
const card = () => page.getByTestId('batch-card').first();

async function showRun(runId: string) {
  await reloadApp(page);
  await page.keyboard.press('Alt+5');
  await page.getByRole('combobox', { name: 'Run' }).selectOption(runId);
}

test('offline: an armed run shows its plan — items, batches and total', async () => {
  const items = rows.slice(0, 4);
  const planId = await planOf(s, 'Armed four', rowsOf(accountId, items), { batchSize: 250 });
  await e2e.post('/__host/online', { online: false });
  await s.ok('armPlan', { planId });
  const runs = await s.ok('listRuns', {});
  const armed = runs.find((r) => r.planId === planId)!;
  await showRun(armed.id);
  await expect(header()).toHaveAttribute('data-run-state', 'armed');
  await expect(total('Items')).toHaveText('4');
  await expect(page.getByTestId('finished-batches')).toContainText('0 / 1');
  const planTotal = items.reduce((sum, r) => sum + r.priceCents, 0);
  await expect(total('Plan total')).toHaveText(formatUsd(planTotal));
  await shot(page, 'run-board-armed');
  await s.ok('disarmPlan', { planId });
  await e2e.post('/__host/online', { online: true });
  // Disarmed before it started: the run still shows the plan it stood for, and leads back to it.
  await showRun(armed.id);
  await expect(header()).toHaveAttribute('data-run-state', 'canceled');
  await expect(total('Items')).toHaveText('4');
  await expect(total('Plan total')).toHaveText(formatUsd(planTotal));
  await expect(header().getByRole('button', { name: /unsold items/ })).toHaveCount(0);
  await header().getByRole('button', { name: 'Open the plan' }).click();
  await expect(page.getByRole('textbox', { name: 'Plan name' })).toHaveValue('Armed four');
});

let offerId: string;

test('a batch of one item reads "1 item", and its words follow its trade to the Steam offer', async () => {
  const item = rows[10]!;
  const planId = await planOf(s, 'One item', rowsOf(accountId, [item]));
  const run = await sell(s, planId);
  await showRun(run.id);
  await expect(card()).toHaveAttribute('data-batch-state', 'tracking', { timeout: 30_000 });
  await expect(card()).toContainText(`1 item · ${formatUsd(item.priceCents)}`);
  await expect(page.locator('body')).not.toContainText(/\b1 items\b|batch\(es\)|item\(s\)/);
  await expect(card()).toContainText('Waiting for AssetPay to send the Steam trade offer');

  await e2e.post('/__host/sandbox/advance', {});
  const line = card().locator('[data-trade-status="active"]');
  await expect(line).toBeVisible({ timeout: 15_000 });
  offerId = (await line.locator('code.mono').last().innerText()).trim();
  await expect(card()).toContainText(`Accept the AssetPay trade offer #${offerId} in Steam.`);
  await expect(card()).not.toContainText('Waiting for AssetPay to send');
});

test('"Open trade offer" opens the Steam page (the test host records it)', async () => {
  await card().getByRole('button', { name: 'Open trade offer' }).click();
  await expect
    .poll(async () => (await e2e.get<{ urls: string[] }>('/__host/opened')).urls)
    .toEqual([`https://steamcommunity.com/tradeoffer/${offerId}/`]);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('when the browser cannot be opened, the message names why', async () => {
  await e2e.post('/__host/opened', { failWith: 'no web browser is set up on this computer' });
  await card().getByRole('button', { name: 'Open trade offer' }).click();
  const toast = page.locator('.toast').filter({ hasText: 'Could not open Steam' });
  await expect(toast).toContainText('no web browser is set up on this computer');
  await expect(toast).toContainText(`https://steamcommunity.com/tradeoffer/${offerId}/`);
  await expect(toast).not.toContainText('Something went wrong inside the app');
  await e2e.post('/__host/opened', { failWith: null });
  await toast.getByRole('button', { name: 'Dismiss' }).click();
});

test('a hold reads as a hold, and says so when Steam’s hold has ended — without a batch event', async () => {
  await e2e.post('/__host/sandbox/advance', {});
  await expect(card().locator('[data-trade-status="hold"]')).toBeVisible({ timeout: 15_000 });
  await expect(card()).toContainText('Accepted; Steam holds the items until');
  await expect(card()).not.toContainText('Accept the AssetPay trade offer');
  await shot(page, 'run-board-hold');
  // Nothing moves at AssetPay and the page rereads nothing: only the clock passes the hold's end.
  dropRunReads = true;
  try {
    await expect(card()).toContainText('Steam’s hold ended', { timeout: HOLD_MS + 10_000 });
    await expect(card()).not.toContainText('Steam holds the items until');
  } finally {
    dropRunReads = false;
  }
});

test('a completed trade shows no hold date and no offer to open', async () => {
  await e2e.post('/__host/sandbox/advance', {});
  const line = card().locator('[data-trade-status="completed"]');
  await expect(line).toBeVisible({ timeout: 15_000 });
  await expect(line).not.toContainText('hold until');
  await expect(line.getByRole('button', { name: 'Open trade offer' })).toHaveCount(0);
  await expect(line).toContainText(`Steam offer ${offerId}`);
});

test('a paused run gives no time left; a canceled one counts the batches it finished', async () => {
  const planId = await planOf(s, 'Paused then canceled', rowsOf(accountId, rows.slice(20, 26)), {
    batchSize: 1,
  });
  const run = await sell(s, planId);
  await s.ok('pauseRun', { runId: run.id });
  await showRun(run.id);
  await expect(header()).toHaveAttribute('data-run-state', 'paused');
  await expect(page.getByTestId('run-pace')).toContainText('paused: no new sells until you resume');
  await expect(page.getByTestId('run-pace')).not.toContainText(/left|measuring/);
  await s.ok('cancelRun', { runId: run.id });
  await showRun(run.id);
  await expect(header()).toHaveAttribute('data-run-state', 'canceled');
  const { batches } = await s.ok('getRun', { runId: run.id });
  const finished = batches.filter((b) => ['settled', 'skipped', 'canceled'].includes(b.state));
  expect(finished.length).toBeGreaterThan(0);
  await expect(page.getByTestId('finished-batches')).toContainText(
    `${finished.length} / ${batches.length}`,
  );
  // Neither armed nor finished: the sidebar counts no run as live.
  await expect(page.getByRole('navigation', { name: 'Screens' })).not.toContainText('live');
});
