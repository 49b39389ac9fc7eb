/**
 * Issue 17: flow8's channel pool and least-connections load balancer, edited in the inspector
 * (no YAML). The example's API tier carries the LC mark; its cap is edited, and at twice the
 * traffic the node says the cap is rejecting and the inspector gives the pool's figures — the
 * same numbers core computes for the edited document. Screenshots in both themes.
 */
import { EXAMPLES, parseTopology, simulate } from '@busboard/core';
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
test.setTimeout(60_000);

const flow8 = EXAMPLES.find((e) => e.id === 'flow8-tier')?.doc;

async function openFlow8(page: Page, name: string) {
  if (!flow8) throw new Error('no flow8 example');
  const { id } = await trpcSave(app.url, { name, doc: flow8 });
  await page.goto(`${app.url}/#/design/${id}`);
  await expect(page.getByTestId('service-api.flow8')).toBeVisible();
  return id;
}

for (const theme of ['light', 'dark'] as const) {
  test(`in-flight cap and least-connections in the inspector (${theme})`, async ({ page }) => {
    await page.addInitScript((t) => localStorage.setItem('busboard.theme', t), theme);
    await page.setViewportSize({ width: 1440, height: 900 });
    const consoleWatch = watchConsole(page);
    const id = await openFlow8(page, `In flight ${theme}`);
    await expect(page.getByTestId('lc-api.flow8')).toHaveText('LC');
    await expect(page.getByTestId('lc-sessions.flow8')).toHaveCount(0);

    await page.getByTestId('service-api.flow8').click();
    await expect(page.getByTestId('field-maxInFlight')).toHaveValue('100');
    await expect(page.getByTestId('field-service-routing')).toHaveValue('least-connections');
    await expect(page.getByTestId('service-in-flight')).toContainText('of 100');
    await expect(page.getByTestId('service-in-flight')).toContainText('least connections');

    // A smaller pool, at twice the traffic: the cap rejects, and the node says so.
    const cap = page.getByTestId('field-maxInFlight');
    await cap.fill('60');
    await cap.press('Enter');
    await page.getByTestId('scale-input').fill('2');
    await expect(page.getByTestId('rejects-api.flow8')).toContainText('· cap');
    type Stored = { services: { name: string; maxInFlight?: number }[] };
    await expect.poll(async () => ((await trpcGet(app.url, id)).doc as Stored).services[1]?.maxInFlight).toBe(60);
    const stored = (await trpcGet(app.url, id)).doc as Stored;
    const parsed = parseTopology(stored);
    if (!parsed.ok) throw new Error('stored document does not parse');
    const core = simulate(parsed.doc, { scale: 2 }).services['api.flow8']?.inFlight;
    const pct = ((core?.capRejectionRate ?? 0) * 100).toFixed(1);
    await expect(page.getByTestId('service-cap-rejects')).toContainText(`${pct} %`);
    await page.screenshot({ path: `${SCREENSHOTS}in-flight-${theme}.png` });
    await page.getByTestId('inspector-service').screenshot({ path: `${SCREENSHOTS}in-flight-inspector-${theme}.png` });

    // Back to the queue group's random choice: the mark goes, the field leaves the document.
    await page.getByTestId('field-service-routing').selectOption('queue-group');
    await expect(page.getByTestId('lc-api.flow8')).toHaveCount(0);
    await expect
      .poll(async () => ((await trpcGet(app.url, id)).doc as { services: { name: string; routing?: string }[] }).services[1]?.routing)
      .toBeUndefined();
    consoleWatch.assertClean();
  });
}
