import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { InventoryRow } from '../../shared/contract';
import { formatCentsPlain, formatUsd } from '../../shared/money';
import { type E2EHost, reloadApp, shot } from './host';
import { accountWithInventory, planOf, rowsOf, sell, openApp, type Seller } from './seed';

/*
 * Issue 14, defect 10: history explains failures. A failed trade shows why
 * (Trade.error, api §5) and links to the batch's next attempt, rows name their
 * items, a game filter, totals per run and per day, and the CSV carries each
 * item's id and price.
 */

test.describe.configure({ mode: 'serial' });

let e2e: E2EHost;
let page: Page;
let s: Seller;
let cs2: InventoryRow[];
let rust: InventoryRow[];
let accountId: string;

test.beforeAll(async ({ browser }) => {
  ({ e2e, page, s } = await openApp(browser, { items: 40 }));
  ({ accountId, rows: cs2 } = await accountWithInventory(s, '730'));
  ({ rows: rust } = await accountWithInventory(s, '252490'));

  // The first sell's offer cannot be sent: AssetPay records it failed; attempt 2 sells.
  await e2e.post('/__host/sandbox/inject', { endpoint: 'sell', fault: 'trade-offer-failed' });
  const first = await sell(
    s,
    await planOf(s, 'CS2 pair', rowsOf(accountId, cs2.slice(0, 2)), { batchSize: 1 }),
  );
  const second = await sell(
    s,
    await planOf(s, 'Rust single', [
      { accountId, game: '252490', itemId: rust[0]!.itemId, amount: 1 },
    ]),
  );
  for (const run of [first, second])
    await expect
      .poll(async () => (await s.ok('getRun', { runId: run.id })).run.state, { timeout: 60_000 })
      .toBe('finished');
  await reloadApp(page);
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

const rows = () => page.locator('[data-trade-id]');

test('a failed trade says why and links to the attempt that sold', async () => {
  const failed = page.locator('[data-trade-id][data-trade-status="failed"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText('SERVICE_UNAVAILABLE');
  await expect(failed).toContainText(/unavailable/i);
  await expect(failed).toContainText('attempt 1');
  await shot(page, 'history-failed');
  await failed.getByRole('button', { name: /attempt 2: completed/ }).click();
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toHaveAttribute('data-trade-status', 'completed');
  await expect(rows().first()).toContainText('attempt 2');
  await page.getByRole('searchbox', { name: 'Search trades' }).fill('');
  await expect(rows()).toHaveCount(4);
});

test('rows name their items; a game filter', async () => {
  await expect(page.locator('.hist-list')).toContainText(cs2[0]!.name);
  await expect(page.locator('.hist-list')).toContainText(rust[0]!.name);
  await page.getByRole('combobox', { name: 'Game' }).selectOption({ label: 'Rust' });
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toContainText(rust[0]!.name);
  await page.getByRole('combobox', { name: 'Game' }).selectOption({ label: 'All games' });
  await expect(rows()).toHaveCount(4);
});

test('totals per run and per day', async () => {
  const totals = page.getByTestId('history-totals');
  const pair = cs2[0]!.priceCents + cs2[1]!.priceCents;
  const byRun = totals.locator('[data-testid="totals-run"]');
  await expect(byRun.filter({ hasText: 'CS2 pair' })).toContainText(formatUsd(pair));
  await expect(byRun.filter({ hasText: 'Rust single' })).toContainText(
    formatUsd(rust[0]!.priceCents),
  );
  const day = totals.locator('[data-testid="totals-day"]');
  await expect(day).toHaveCount(1);
  await expect(day).toContainText(formatUsd(pair + rust[0]!.priceCents));
  await shot(page, 'history-totals');
});

test('the CSV carries each item with its id and price', async () => {
  const download = page.waitForEvent('download');
  await page.getByTestId('export-history').click();
  const text = await readFile((await (await download).path())!, 'utf8');
  const [head, ...lines] = text.trim().split('\r\n');
  const columns = head!.split(',');
  for (const c of ['tradeId', 'status', 'error', 'itemId', 'itemName', 'amount', 'unitPriceUsd'])
    expect(columns).toContain(c);
  const at = (line: string, column: string) => csvFields(line)[columns.indexOf(column)];
  for (const item of [cs2[0]!, cs2[1]!, rust[0]!]) {
    const line = lines.find(
      (l) => at(l, 'itemId') === item.itemId && at(l, 'status') === 'completed',
    );
    expect(line, item.itemId).toBeDefined();
    expect(at(line!, 'unitPriceUsd')).toBe(formatCentsPlain(item.priceCents));
  }
  const failed = lines.find((l) => at(l, 'status') === 'failed');
  expect(at(failed!, 'error')).toBe('SERVICE_UNAVAILABLE');
});

/** The fields of one CSV line (RFC 4180 quoting; the export writes no line breaks inside a cell). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
    const cell = m[1]!;
    out.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
    if (m[2] === '') break;
  }
  return out;
}
