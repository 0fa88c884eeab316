import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { TRADE_URL } from './host';

/*
 * The same smoke path in the real Electron app (preload bridge, IPC binding,
 * CSP as shipped). The Electron binary cannot be downloaded on the build
 * machines (design §8), so there this spec is reported as skipped — never as
 * passed.
 */

/**
 * Where the electron package keeps its binary, found without `require('electron')`
 * (which starts a download when the binary is missing).
 */
function electronBinary(): string | null {
  try {
    const dir = dirname(
      createRequire(join(process.cwd(), 'package.json')).resolve('electron/package.json'),
    );
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const relative = readFileSync(pathFile, 'utf8').trim();
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
    const binary = join(dist, relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const electronBinaryPresent = binary !== null;

test('electron: setup, account, inventory and every screen', async () => {
  test.skip(!electronBinaryPresent, 'Electron binary not installed on this machine');
  test.skip(!existsSync('out/main/index.js'), 'The app is not built (npx electron-vite build)');
  const home = mkdtempSync(join(tmpdir(), 'bulk-seller-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: ['out/main/index.js', '--no-sandbox'],
    // A private user-data folder (Linux: $XDG_CONFIG_HOME/<app>) so the trader's own data is never touched.
    env: { ...process.env, XDG_CONFIG_HOME: home, HOME: home },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Setup' })).toBeVisible();
    await expect(page.locator('[data-connectivity]')).toBeVisible();
    await page.getByRole('radio', { name: /Local sandbox/ }).check();

    await page.keyboard.press('Alt+2');
    await page.getByLabel('Name').fill('Main account');
    await page.getByTestId('trade-url-input').fill(TRADE_URL);
    await page.getByRole('button', { name: 'Add account' }).click();
    await expect(page.locator('.account-card h3')).toHaveText('Main account');

    await page.getByRole('button', { name: 'Fetch your inventory' }).first().click();
    await expect(page.getByTestId('inventory-grid')).toBeVisible({ timeout: 30_000 });

    for (const [key, heading] of [
      ['4', 'Sell plans'],
      ['5', 'Run board'],
      ['6', 'History'],
      ['1', 'Setup'],
    ] as const) {
      await page.keyboard.press(`Alt+${key}`);
      await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    }
    // The preload exposes exactly the contract, never ipcRenderer.
    const exposed = await page.evaluate<string[]>('Object.keys(window.bulkSeller)');
    expect(exposed).toContain('startRun');
    expect(exposed).not.toContain('invoke');
  } finally {
    await app.close();
  }
});
