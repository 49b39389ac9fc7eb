/**
 * Retries in the designer (issue 17, schema v2): a front service calls a bounded store; the
 * retries and backoff of the call and of the clients are set in the inspector (no YAML), and the
 * Charts tab draws goodput, failures and the P99 of successes against offered load, with and
 * without the retries.
 */
import type { TopologyInput } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { trpcGet, trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ port: Number(process.env.E2E_PORT ?? 0) || undefined });
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}retries-${name}.png` });

const STORE: TopologyInput = {
  schema: 'busboard.topology/v3',
  name: 'Retry storm',
  zones: [{ name: 'a', region: 'r' }],
  services: [
    { name: 'api.x', serviceTimeMs: 2, workers: 2, calls: [{ to: 'store.x' }] },
    { name: 'store.x', serviceTimeMs: 10, workers: 2, queueLimit: 8 },
  ],
  bundles: [
    { name: 'api', services: ['api.x'], replicas: { a: 2 }, cpu: 2 },
    { name: 'store', services: ['store.x'], replicas: { a: 2 }, cpu: 2 },
  ],
  traffic: [{ entry: 'api.x', rps: 350 }],
  slo: [{ entry: 'api.x', p99Ms: 200, maxRejectionRate: 0.01 }],
};

async function theme(page: Page, t: 'light' | 'dark') {
  await page.evaluate((x) => {
    document.documentElement.dataset.theme = x;
  }, t);
}

test('retries set in the inspector reach the document, and the goodput chart draws both series', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'Retry storm', doc: STORE });
  await page.goto(`${app.url}/#/design/${id}`);

  // The call's retries, from the service's call list into the call inspector.
  await page.getByTestId('service-api.x').click();
  await page.getByRole('button', { name: '→ store.x' }).click();
  await expect(page.getByTestId('inspector-call')).toBeVisible();
  await page.getByTestId('call-retry-retries').fill('3');
  await expect(page.getByTestId('call-retry-backoff')).toBeVisible();
  await page.getByTestId('call-retry-backoff').fill('20');
  await shot(page, '1-call-inspector-light');
  await theme(page, 'dark');
  await shot(page, '2-call-inspector-dark');
  await theme(page, 'light');

  // The clients' retries at the entry.
  await page.getByTestId('service-api.x').click();
  await page.getByTestId('traffic-retry-0-retries').fill('2');
  await page.getByTestId('traffic-retry-0-backoff').fill('50');
  await shot(page, '3-entry-inspector-light');

  await expect
    .poll(async () => {
      const doc = (await trpcGet(app.url, id)).doc as TopologyInput;
      return [doc.services?.[0]?.calls?.[0], doc.traffic?.[0]];
    })
    .toEqual([
      { to: 'store.x', retries: 3, backoffMs: 20 },
      { entry: 'api.x', rps: 350, retries: 2, backoffMs: 50 },
    ]);

  await page.getByRole('tab', { name: 'Charts' }).click();
  const chart = page.getByTestId('chart-goodput');
  await expect(chart).toBeVisible();
  await expect(page.getByTestId('chart-goodput-note')).toContainText('rps offered', { timeout: 30_000 });
  await expect(chart.getByText('goodput, no retries')).toBeVisible();
  await chart.scrollIntoViewIfNeeded();
  await shot(page, '4-chart-light');
  await theme(page, 'dark');
  await shot(page, '5-chart-dark');
  await theme(page, 'light');

  // Clearing the retries clears the backoff with them.
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.getByTestId('service-api.x').click();
  await page.getByTestId('traffic-retry-0-retries').fill('');
  await expect(page.getByTestId('traffic-retry-0-backoff')).toHaveCount(0);
  consoleWatch.assertClean();
});
