/**
 * A CPU-bound design (issue 12 items 5 and 6): gateway, 10 ms on 4 workers, in a 1-core bundle
 * of 3 replicas per zone, 900 rps. ρ reads 0.25 while each replica's core runs at 100 %; with
 * a zone down the survivors need 150 %. The headroom says CPU binds, the recommendation preview
 * shows 3 → 5 per zone bound by CPU, applying it leaves no `cpu-overcommitted` warning in normal
 * operation or with any zone down, and the P99-vs-replicas chart marks the saturated counts.
 *
 * Closed forms: CPU per replica = λ·s ÷ cores: 300 rps × 10 ms ÷ 3 = 1.00 (zone down: 450 ÷ 3 →
 * 1.50); recommended n: 3 ÷ n ≤ 0.7 → n ≥ 5 (0.60), zone down 4.5 ÷ 5 = 0.90 < 1.
 */
import type { TopologyInput } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(90_000);

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}cpu-${name}.png` });

const CPU_BOUND: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'CPU-bound ingress',
  zones: [
    { name: 'a', region: 'r' },
    { name: 'b', region: 'r' },
    { name: 'c', region: 'r' },
  ],
  services: [{ name: 'gateway.x', serviceTimeMs: 10, workers: 4 }],
  bundles: [{ name: 'ingress', services: ['gateway.x'], replicas: { a: 3, b: 3, c: 3 }, cpu: 1 }],
  traffic: [{ entry: 'gateway.x', rps: 900 }],
  slo: [{ entry: 'gateway.x', p99Ms: 100 }],
};

test('a CPU-bound design: headroom says CPU, the preview shows the change, applying keeps CPU ≤ target, the chart marks saturation', async ({
  page,
}) => {
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'CPU-bound ingress', doc: CPU_BOUND });
  await page.goto(`${app.url}/#/design/${id}`);
  const warnings = page.getByTestId('warnings');
  await page.getByTestId('tab-results').click();

  // ρ 100 × 0.01 / 4 = 0.25, but the core is full: headroom 1.00×, bound by CPU; the workers warning says what to change.
  await expect(page.getByTestId('util-gateway.x')).toHaveText('ρ 0.25');
  await expect(page.getByTestId('bundle-cpu-ingress')).toContainText('CPU 100%');
  await expect(page.getByTestId('headroom')).toHaveText('1.00×');
  await expect(page.getByTestId('bottleneck')).toContainText('CPU of bundle ingress');
  await expect(warnings).toContainText('More workers than cores');
  await expect(warnings).toContainText('set services[0].workers to 1');
  await page.getByTestId('fail-a').click();
  await expect(page.getByTestId('headroom')).toHaveText('0.67×');
  await expect(warnings).toContainText('CPU overcommitted');
  await expect(warnings).toContainText('150 %');
  await page.getByTestId('fail-a').click();
  await expect(warnings).not.toContainText('CPU overcommitted');

  // The chart: counts below 9 overcommit the cores (CPU 150–300 %) and are drawn as a saturated band, not left out.
  await page.getByTestId('tab-charts').click();
  const chart = page.getByTestId('chart-replicas');
  await expect(chart.getByTestId('chart-replicas-saturated')).toContainText('1–8 replicas saturate');
  await expect(chart.getByTestId('chart-replicas-min')).toContainText('Fewest meeting the 100 ms P99 SLO: 9');
  await expect(chart.locator('.recharts-reference-area')).toHaveCount(1);
  await expect(chart.locator('.recharts-scatter-symbol').first()).toBeVisible();
  await shot(page, '1-chart-light');
  await page.getByTestId('theme-toggle').click();
  await shot(page, '1-chart-dark');
  await page.getByTestId('theme-toggle').click();

  // The preview: per zone 3 → 5, bound by CPU, 60 % CPU after (90 % with a zone down).
  await page.getByTestId('apply-recommendation').click();
  const preview = page.getByTestId('recommendation-preview');
  for (const z of ['a', 'b', 'c']) {
    const row = preview.getByTestId(`rec-ingress-${z}`);
    await expect(row).toContainText('3 → 5');
    await expect(row).toContainText('CPU');
    await expect(row).toContainText('60%');
    await expect(row).toContainText('90%');
  }
  await expect(preview).toContainText('9 → 15 replicas');
  await expect(preview.getByTestId('recommendation-binding')).toContainText('CPU of bundle ingress');
  await shot(page, '2-preview-light');
  // The theme toggle sits behind the dialog: set the theme as the toggle does.
  const theme = (t: string) =>
    page.evaluate((v) => {
      document.documentElement.dataset.theme = v;
    }, t);
  await theme('dark');
  await shot(page, '2-preview-dark');
  await theme('light');
  await preview.getByTestId('recommendation-apply').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Recommendation applied' })).toContainText('9 → 15 replicas');

  // Applied: CPU 60 %, headroom 1/0.6; no zone failure overcommits the cores.
  await expect(page.getByTestId('bundle-cpu-ingress')).toContainText('CPU 60%');
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('headroom')).toHaveText('1.67×');
  await expect(warnings).not.toContainText('CPU overcommitted');
  for (const z of ['a', 'b', 'c']) {
    await page.getByTestId(`fail-${z}`).click();
    await expect(page.getByTestId('headroom')).toHaveText('1.11×'); // CPU 0.90
    await expect(warnings).not.toContainText('CPU overcommitted');
    await page.getByTestId(`fail-${z}`).click();
  }
  await shot(page, '3-applied-light');
  await page.getByTestId('theme-toggle').click();
  await shot(page, '3-applied-dark');
  await page.getByTestId('theme-toggle').click();

  // Undoable: one Ctrl+Z brings the 3 per zone back.
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('bundle-cpu-ingress')).toContainText('CPU 100%');
  consoleWatch.assertClean();
});
