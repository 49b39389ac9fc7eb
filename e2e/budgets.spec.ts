/**
 * Time budgets in the designer (issue 17, schema v2, Microbus): the time-budget example without its
 * budget, with us-east-1c failed, has orders "saturated" and no latency; giving the traffic a 1 s
 * budget in the inspector (no YAML) turns it into a finite timeout rate on the node ("times out
 * 11%", M/M/c+D: 1 − 1/ρ at ρ 1.125) and a latency for the requests that succeed.
 */
import { getExample, type TopologyInput } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';
import { trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ port: 41201 });
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const SHOTS = process.env.BUDGET_SHOTS;
const shot = async (page: Page, name: string) => {
  if (!SHOTS) return;
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    await page.screenshot({ path: `${SHOTS}/budgets-${name}-${theme}.png` });
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });
};

test('a time budget set on the traffic turns a saturated replica into a timeout rate, with the ack timeout and onTimeout editable', async ({
  page,
}) => {
  const consoleWatch = watchConsole(page);
  const example = getExample('microbus-budget')?.doc as TopologyInput;
  const doc: TopologyInput = {
    ...example,
    name: 'Budget journey',
    traffic: (example.traffic ?? []).map(({ timeBudgetMs: _, ...t }) => t),
    slo: [{ entry: 'http.ingress.core', p99Ms: 600 }],
  };
  const { id } = await trpcSave(app.url, { name: 'Budget journey', doc });
  await page.goto(`${app.url}/#/design/${id}`);
  await page.getByTestId('fail-us-east-1c').click();
  await expect(page.getByTestId('p99-orders.example')).toHaveText('P99 saturated');

  // Nothing selected: the design's inspector holds the traffic, the network and the SLOs.
  await page.keyboard.press('Escape');
  await page.getByTestId('tab-inspect').click();
  await page.getByTestId('field-timeBudgetMs-0').fill('1000');
  await expect(page.getByTestId('timeouts-orders.example')).toHaveText('times out 11%');
  await expect(page.getByTestId('p99-orders.example')).not.toHaveText('P99 saturated');
  await page.getByTestId('field-ackTimeoutMs').fill('250');
  await page.getByTestId('field-maxTimeoutRate-0').fill('1');
  await page.getByTestId('budget-network').scrollIntoViewIfNeeded();
  await shot(page, '1-document');

  await page.getByTestId('service-orders.example').click();
  await expect(page.getByTestId('field-onTimeout')).toHaveValue('stop');
  await expect(page.getByTestId('service-timeouts')).toContainText('11.1 %');
  await page.getByTestId('on-timeout').scrollIntoViewIfNeeded();
  await shot(page, '2-service');

  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('entry-timeouts-http.ingress.core')).toContainText('% timed out (budget 1.0 %)');
  await expect(page.getByTestId('entry-reason-http.ingress.core')).toHaveCount(0);
  await shot(page, '3-results');

  // finish: the in-service timeouts stay (M/M/c+D exactly): more of them.
  await page.getByTestId('tab-inspect').click();
  await page.getByTestId('field-onTimeout').selectOption('finish');
  await expect(page.getByTestId('timeouts-orders.example')).toHaveText('times out 41%');
  consoleWatch.assertClean();
});
