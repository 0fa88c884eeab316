import { expect, test, type Page } from '@playwright/test';
import { type E2EHost, reloadApp, shot, TRADE_URL } from './host';
import { openApp, type Seller } from './seed';

/*
 * Issue 14 friction: on the unverified tier AssetPay allows 100 trade-URL
 * checks an hour (api §3), so a second check waits ~38 s for the app's own
 * limiter. The account card says that it waits, for what, and until when —
 * not a bare "Checking…".
 */

let e2e: E2EHost;
let page: Page;

test.beforeAll(async ({ browser }) => {
  let s: Seller;
  ({ e2e, page, s } = await openApp(browser, { items: 10 }));
  await s.ok('updateSettings', { environment: 'sandbox', tier: 'unverified' });
  await s.ok('addAccount', { label: 'Main account', tradeUrl: TRADE_URL });
  await reloadApp(page);
  await page.keyboard.press('Alt+2');
});

test.afterAll(async () => {
  await page?.close();
  await e2e?.host.stop();
});

test('a trade-URL check that waits for the hourly limit says so, with the time', async () => {
  const card = page.locator('.account-card');
  const check = card.getByRole('button', { name: 'Check trade URL' });
  const wait = card.getByTestId('check-wait');
  // The first check of the hour leaves at once (unless adding the account already spent it)…
  await check.click();
  await expect(wait.or(card.getByText('can trade'))).toBeVisible({ timeout: 15_000 });
  // …the next one waits for the unverified tier's 100 checks per hour.
  if (!(await wait.isVisible())) await check.click();
  await expect(wait).toContainText('100 trade-URL checks per hour');
  await expect(wait).toContainText(/unverified/i);
  await expect(wait).toContainText(/at \d\d:\d\d:\d\d/);
  await expect(wait).toContainText(/in about \d+ seconds?/);
  await shot(page, 'trade-url-check-wait');
});
