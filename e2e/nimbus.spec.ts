/**
 * Issue 17's Nimbus journey: a fresh design built in the designer (no YAML) — one process, two
 * tenants as traffic classes, each with its own admission queue (20 waiting, 4 of 8 workers).
 * Tenant A at 600 rps against the 500 rps its workers serve is rejected with 429 at the exact
 * M/M/4/24 rate (16.9 %); tenant B at 250 rps keeps its P99 ≤ 40 ms. Both are read on screen
 * and checked against core's figures for the stored document.
 */
import { parseTopology, simulate } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { trpcGet } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: `${SCREENSHOTS}nimbus-${name}.png` });
};
async function bothThemes(page: Page, name: string) {
  await shot(page, `${name}-light`);
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'dark';
  });
  await shot(page, `${name}-dark`);
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });
}

/** Click into a field, replace its text, commit with Enter. */
async function fill(page: Page, testId: string, text: string) {
  const f = page.getByTestId(testId);
  await f.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('Nimbus from a blank design: tenant A rejected with 429 at 16.9 %, tenant B keeps P99 ≤ 40 ms', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(app.url);
  await page.getByTestId('new-blank').click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');

  // Two tenants, named in the design's Classes section (the inspector with nothing selected).
  await page.getByTestId('tab-inspect').click();
  if (!(await page.getByTestId('inspector-document').isVisible())) {
    await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  }
  await page.getByTestId('add-class').click({ timeout: 10_000 });
  await page.getByTestId('add-class').click();
  await fill(page, 'field-class-name-0', 'tenantA');
  await expect(page.getByTestId('field-class-name-0')).toHaveValue('tenantA');
  await fill(page, 'field-class-name-1', 'tenantB');
  await expect(page.getByTestId('field-class-name-1')).toHaveValue('tenantB');
  await bothThemes(page, '1-classes');

  // The function runtime: 8 workers, 8 ms each, a line of 40.
  await page.getByTestId('palette-service').click();
  await expect(page.getByTestId('field-service-name')).toBeFocused();
  await page.keyboard.type('functions.nimbus');
  await page.keyboard.press('Enter');
  await fill(page, 'field-serviceTimeMs', '8');
  await fill(page, 'field-workers', '8');
  await fill(page, 'field-queueLimit', '40');
  // One process on an 8-core machine: the bundle's replica gets 8 cores.
  await page.getByTestId('bundle-functions').locator('.bundle-label').click();
  await page.getByLabel('CPU (cores)').fill('8');
  await page.getByTestId('service-functions.nimbus').click();
  await expect(page.getByTestId('field-service-name')).toHaveValue('functions.nimbus');

  // Each tenant's traffic.
  await page.getByRole('button', { name: '+ traffic' }).click();
  await fill(page, 'field-traffic-0', '600');
  await page.getByTestId('field-traffic-class-0').selectOption('tenantA');
  await page.getByRole('button', { name: '+ traffic' }).click();
  await fill(page, 'field-traffic-1', '250');
  await page.getByTestId('field-traffic-class-1').selectOption('tenantB');

  // Tenant B's SLO: P99 ≤ 40 ms.
  await page.getByRole('button', { name: '+ SLO' }).click();
  await page.getByTestId('field-slo-class-0').selectOption('tenantB');
  await fill(page, 'field-slo-p99Ms', '40');

  // Each tenant's own admission queue: 20 waiting, 4 workers at most.
  await page.getByTestId('add-admission').click();
  await fill(page, 'field-admission-queueLimit-0', '20');
  await page.getByTestId('add-admission').click();
  await fill(page, 'field-admission-queueLimit-1', '20');
  await expect(page.getByTestId('field-admission-maxInFlight-0')).toHaveValue('4');
  await expect(page.getByTestId('field-admission-maxInFlight-1')).toHaveValue('4');

  // The node names the tenant its rejections fall on.
  await expect(page.getByTestId('rejects-functions.nimbus-tenantA')).toHaveText('17% tenantA');
  await expect(page.getByTestId('rejects-functions.nimbus-tenantB')).toHaveCount(0);
  await expect(page.getByTestId('admission-figures-tenantA')).toContainText('16.9 % rejected (429)');
  await expect(page.getByTestId('class-slo-status-tenantB')).toContainText('tenantB: SLO met');
  await bothThemes(page, '2-inspector');

  // Results: per-class rows.
  await page.getByTestId('tab-results').click();
  const rejectedA = page.getByTestId('class-rejected-functions.nimbus-tenantA');
  const p99B = page.getByTestId('class-p99-functions.nimbus-tenantB');
  await expect(rejectedA).toHaveText('16.9 %');
  await expect(p99B).toContainText('/40');
  await bothThemes(page, '3-results');

  // Against core, for the document the designer stored.
  await expect(page.getByTestId('save-state')).toHaveText(/^saved/);
  const id = decodeURIComponent(page.url().split('/design/')[1] ?? '');
  const stored = await trpcGet(app.url, id);
  const parsed = parseTopology(stored.doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const r = simulate(parsed.doc);
  const A = r.entries['functions.nimbus']?.classes?.tenantA;
  const B = r.entries['functions.nimbus']?.classes?.tenantB;
  // M/M/4/24 at a = 4.8: P_K = 0.16915488 (core README, "Traffic classes").
  expect(1 - (A?.successRate as number)).toBeCloseTo(0.16915488, 6);
  expect(await rejectedA.textContent()).toBe(`${((1 - (A?.successRate as number)) * 100).toFixed(1)} %`);
  const shownP99 = Number.parseFloat((await p99B.textContent()) ?? '');
  expect(shownP99).toBeCloseTo(B?.latencyMs?.p99 as number, 1);
  expect(shownP99).toBeLessThanOrEqual(40);
  expect(B?.slo?.met).toBe(true);
  consoleWatch.assertClean();
});
