import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const SHOTS = process.env.EXPORT_POLICY_SHOTS;
const shot = async (page: Page, name: string) => {
  if (!SHOTS) return;
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    await page.screenshot({ path: `${SHOTS}/export-policy-${name}-${theme}.png` });
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });
};

test('export dialog: an autoscale policy chosen is the one written, with the simulated day’s SLO miss as a warning', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Export Checkout/ });
  await expect(dialog).toBeVisible();
  const policy = dialog.getByTestId('export-policy');
  await expect(policy.locator('option')).toHaveText(["The bundles' own", 'cpu', 'in-flight']);

  await policy.selectOption('cpu');
  await expect(dialog.getByTestId('export-warnings')).toContainText('misses edge.checkout P95 300 ms at 07:03 (321 ms)');
  await dialog.getByText('bundles/shop.yaml').click();
  await expect(dialog.getByTestId('export-preview')).toContainText('from autoscale policy "cpu"');
  await shot(page, '1-cpu');

  await policy.selectOption('in-flight');
  await expect(dialog.getByTestId('export-preview')).toContainText('name: busboard_in_flight_requests');
  await expect(dialog.getByTestId('export-warnings')).not.toContainText('misses edge.checkout');
  await shot(page, '2-in-flight');
  consoleWatch.assertClean();
});
