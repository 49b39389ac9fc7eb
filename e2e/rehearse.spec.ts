import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type RunningPrometheus, startPrometheus } from '../apps/api/test/support/prometheus.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';

let app: RunningApp;
let prometheus: RunningPrometheus;
let dir: string;

// A real Prometheus that scrapes whatever rehearsal runs: the server lists its replicas in a file_sd file.
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'busboard-e2e-prom-'));
  const sdFile = join(dir, 'rehearsal.json');
  writeFileSync(sdFile, '[]');
  prometheus = await startPrometheus({ sdFile });
  app = await startApp({ env: { BUSBOARD_PROMETHEUS_URL: prometheus.url, BUSBOARD_REHEARSAL_SD_FILE: sdFile } });
});
test.afterAll(async () => {
  await app?.stop();
  await prometheus?.close();
  rmSync(dir, { recursive: true, force: true });
});
test.afterEach(async ({ page: _page }, info) => {
  if (info.status !== info.expectedStatus) console.log(app.output().slice(-4000));
});

test('Rehearse: an example runs on real NATS, the canvas lights up with measured values, and the predicted-vs-measured panel compares', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const consoleWatch = watchConsole(page);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByTestId('service-cart.checkout')).toBeVisible();

  await page.getByTestId('rehearse-button').click();
  const panel = page.getByTestId('rehearse-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('rehearse-unavailable')).toHaveCount(0);
  await panel.getByRole('combobox').first().selectOption('15');
  await page.getByTestId('rehearse-start').click();

  // The servers come up (their monitoring URLs), then the load: measured badges appear on the canvas.
  await expect(page.getByTestId('rehearse-monitor')).toContainText('127.0.0.1:', { timeout: 60_000 });
  await expect(page.getByTestId('rehearse-monitor')).toContainText('Live page');
  await expect(page.getByTestId('rehearse-phase')).toContainText('measuring', { timeout: 60_000 });
  await expect(page.getByTestId('measured-badge-pricing.checkout')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('rehearse-button')).toContainText('Rehearsing');
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-1-running.png` });

  // The end: how the model fared, then the panel.
  const outcome = page.getByTestId('rehearse-outcome');
  await expect(outcome).toBeVisible({ timeout: 90_000 });
  await expect(outcome).toContainText('figures within ±15 %');
  await expect(outcome).toContainText('edge.checkout P50');
  await expect(page.getByTestId('measured-badge-pricing.checkout')).toHaveAttribute('title', /model 0\.400/);
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-2-done.png` });

  await page.getByTestId('open-measured').click();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  const table = page.getByTestId('measured-table');
  await expect(table).toBeVisible();
  await expect(table.locator('tr[data-figure="edge.checkout:p99"] td.err')).toHaveText(/%/);
  await expect(table.locator('tr[data-figure="pricing.checkout:utilization"] td.num').first()).toHaveText('0.400');
  await expect(page.getByTestId('measured-table-summary')).toContainText('figures within ±15 %');
  // What the rehearsal itself measured at the entry (on a busy machine its load generator may fall short of 300 req/s).
  const measuredRps = Number.parseFloat((await table.locator('tr[data-figure="edge.checkout:rps"] td.num').nth(1).textContent()) ?? '');
  expect(measuredRps).toBeGreaterThan(150);
  // A tighter tolerance colours more figures as off.
  await page.getByLabel('Tolerance in percent').fill('1');
  await expect(page.getByTestId('measured-table-summary')).toContainText('within ±1 %');
  await page.getByLabel('Tolerance in percent').fill('15');
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-3-measured.png` });

  await page.getByTestId('theme-toggle').click();
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-4-measured-dark.png` });
  await page.getByTestId('rehearse-button').click();
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-5-done-dark.png` });
  await page.getByTestId('theme-toggle').click();

  // Prometheus scraped the rehearsal: a design that says 100 req/s is compared and calibrated back.
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-inspect').click();
  await page.getByTestId('service-edge.checkout').click();
  await page.getByTestId('field-traffic-0').fill('100');
  await page.getByTestId('tab-measured').click();
  await page.getByRole('button', { name: 'Prometheus' }).click();
  await expect(page.getByTestId('prometheus-settings')).toContainText('from BUSBOARD_PROMETHEUS_URL');
  // The default window is the rehearsal's own, read at its dilation.
  await expect(page.getByLabel('Window')).toHaveValue('-1');
  await expect(page.getByLabel(/time scale/)).toHaveValue('10');
  await page.getByRole('button', { name: 'Compare' }).click();
  const prom = page.getByTestId('prometheus-table');
  await expect(prom).toBeVisible({ timeout: 20_000 });
  await expect(prom.locator('tr[data-figure="edge.checkout:p99"] td.num').nth(1)).toHaveText(/\d/);
  const preview = page.getByTestId('calibrate-preview');
  await expect(preview).toContainText('traffic[0].rps');
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-6-prometheus.png` });
  await page.getByTestId('theme-toggle').click();
  await page.screenshot({ path: `${SCREENSHOTS}rehearse-7-prometheus-dark.png` });
  await page.getByTestId('theme-toggle').click();
  await preview.getByRole('button', { name: /^Apply \d+ changes?$/ }).click();
  await expect(page.getByTestId('calibrate-applied')).toContainText('Ctrl+Z undoes');
  await page.getByTestId('tab-inspect').click();
  await page.getByTestId('service-edge.checkout').click();
  const calibrated = Number(await page.getByTestId('field-traffic-0').inputValue());
  // Prometheus's reading of the same window agrees with the rehearsal's own measurement.
  expect(calibrated).toBeGreaterThan(measuredRps * 0.85);
  expect(calibrated).toBeLessThan(Math.min(measuredRps * 1.15, 360));
  // One edit: undo brings the 100 back.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('field-traffic-0')).toHaveValue('100');
  consoleWatch.assertClean();
});
