import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';

let app: RunningApp;

test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

async function progressOf(page: Page): Promise<number> {
  return Number(await page.getByTestId('des-progress').getAttribute('aria-valuenow'));
}

/** Parses the table's number formatting back ('—' is no figure). */
const num = (s: string) => (s.trim() === '—' || s.trim() === '' ? null : Number(s.replace(/[^\d.]/g, '')));

test('DES: the worker advances a progress bar, a run can be cancelled, another completes with intervals', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByTestId('service-cart.checkout')).toBeVisible();

  // Open the panel from the toolbar.
  await page.getByRole('button', { name: 'Simulate (DES)' }).click();
  const panel = page.getByTestId('des-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('des-status')).toHaveText('Not run yet.');

  // 1. A long run (20 million requests, no early stop): the bar advances while the page stays responsive; cancel it.
  await page.getByTestId('des-requests').selectOption('20000000');
  await page.getByTestId('des-to-cap').check();
  await page.getByTestId('des-run').click();
  await expect(page.getByTestId('des-status')).toContainText('Running…');
  await expect.poll(() => progressOf(page), { timeout: 30_000 }).toBeGreaterThan(0);
  const first = await progressOf(page);
  await expect.poll(() => progressOf(page), { timeout: 30_000 }).toBeGreaterThan(first);
  // Live percentiles appear once two replications are done, while the run goes on.
  await expect(page.getByTestId('des-entry-edge.checkout-p99-des')).toHaveText(/\d/, { timeout: 30_000 });
  await expect(page.getByTestId('des-status')).toContainText('Running…');
  await page.screenshot({ path: `${SCREENSHOTS}des-1-running.png` });
  await page.getByTestId('des-cancel').click();
  await expect(page.getByTestId('des-status')).toContainText('Cancelled at');
  const cancelledAt = await progressOf(page);
  expect(cancelledAt).toBeLessThan(100);
  // Nothing moves after a cancel: the worker is gone.
  await page.waitForTimeout(500);
  expect(await progressOf(page)).toBe(cancelledAt);
  await page.screenshot({ path: `${SCREENSHOTS}des-2-cancelled.png` });

  // 2. A run with the stopping rule (P99 within ±5 %) completes.
  await page.getByTestId('des-to-cap').uncheck();
  await page.getByTestId('des-requests').selectOption('1000000');
  await page.getByTestId('des-seed').fill('42');
  await page.getByTestId('des-run').click();
  await expect(page.getByTestId('des-status')).toContainText('Done:', { timeout: 60_000 });
  await expect(page.getByTestId('des-status')).toContainText('P99 within ±');
  expect(await progressOf(page)).toBe(100);

  // The checkout's processor alone averages 120 ms: every simulated entry figure is above it and
  // each lies inside its own interval.
  for (const k of ['mean', 'p50', 'p95', 'p99']) {
    const v = num(await page.getByTestId(`des-entry-edge.checkout-${k}-des`).innerText());
    expect(v).toBeGreaterThan(100);
  }
  // The analytic engine's figures stand beside them.
  expect(num(await page.getByTestId('des-entry-edge.checkout-p99-analytic').innerText())).toBeGreaterThan(100);
  await expect(page.getByTestId('des-verdict')).toHaveText(/analytic figures lie (inside|outside) the simulated intervals/);
  // Every analytic figure outside its simulated interval is marked, and no other.
  const rows = page.getByTestId('des-entries').locator('tbody tr');
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = rows.nth(i).locator('td');
    const analytic = num((await cells.nth(2).innerText()).replace('⚠', ''));
    const interval = (await cells.nth(4).innerText()).match(/\[([\d.]+), ([\d.]+)\]/);
    expect(interval).not.toBeNull();
    const outside = analytic !== null && (analytic < Number(interval?.[1]) || analytic > Number(interval?.[2]));
    await expect(cells.nth(2)).toHaveClass(outside ? /outside/ : /^(?!.*outside)/);
  }
  await expect(page.getByTestId('des-verdict')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}des-3-done.png` });

  // Esc closes the panel.
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  consoleWatch.assertClean();
});
