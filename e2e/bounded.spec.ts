/**
 * Bounded queues in the designer (issue 17, schema v2): a replica at ρ 1.5 reads "saturated"
 * with no latency; giving it a queue limit of 4 in the inspector (no YAML) turns it into an
 * M/M/1/5 that rejects P_K = (1 − ρ)ρ⁵/(1 − ρ⁶) = 36.5 % of its requests, shown on the node and
 * the entry, with a finite latency for the requests that succeed.
 */
import type { TopologyInput } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { trpcGet, trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(90_000);

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}bounded-${name}.png` });

const OVERLOADED: TopologyInput = {
  // A v1 design as saved before v2: it opens through the migration.
  schema: 'busboard.topology/v1' as 'busboard.topology/v3',
  name: 'Overloaded API',
  zones: [{ name: 'a', region: 'r' }],
  services: [{ name: 'api.x', serviceTimeMs: 10, workers: 1 }],
  bundles: [{ name: 'app', services: ['api.x'], replicas: { a: 1 }, cpu: 1 }],
  traffic: [{ entry: 'api.x', rps: 150 }],
};

test('a queue limit set in the inspector turns "saturated" into a 36.5 % rejection rate on the node and the entry', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'Overloaded API', doc: OVERLOADED });
  // Stored as its v2 migration.
  expect((await trpcGet(app.url, id)).doc.schema).toBe('busboard.topology/v3');
  await page.goto(`${app.url}/#/design/${id}`);
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('p99-api.x')).toHaveText('P99 saturated');
  await expect(page.getByTestId('entry-reason-api.x')).toContainText('no latency');

  await page.getByTestId('service-api.x').click();
  await page.getByTestId('field-queueLimit').fill('4');
  await expect(page.getByTestId('rejects-api.x')).toHaveText('rejects 37%');
  await expect(page.getByTestId('p99-api.x')).not.toHaveText('P99 saturated');
  await expect(page.getByTestId('field-rejectWith')).toHaveValue('429');
  await page.getByTestId('field-rejectWith').selectOption('503');
  await shot(page, '1-inspector-light');
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('entry-rejection-api.x')).toContainText('36.5 % rejected, 95.2 rps succeed');
  await expect(page.getByTestId('entry-reason-api.x')).toHaveCount(0);
  await shot(page, '2-results-light');
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'dark';
  });
  await shot(page, '3-results-dark');
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });

  // Emptying the limit makes the queue unbounded again (and drops the status with it).
  await page.getByTestId('tab-inspect').click();
  await page.getByTestId('field-queueLimit').fill('');
  await expect(page.getByTestId('p99-api.x')).toHaveText('P99 saturated');
  await expect(page.getByTestId('field-rejectWith')).toHaveCount(0);
  consoleWatch.assertClean();
});
