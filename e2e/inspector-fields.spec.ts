/**
 * Issue 16 item 4: every schema field is editable in the inspector, with units, inline
 * problems from the schema (with their paths) and undo. Exercised on the flow8 example:
 * the cache set by target hit rate (solved to entries with Che; checked against the forward
 * computation), endpoints, shards, the bundle's image and autoscale bounds, traffic zone
 * shares, and the design's name in the toolbar. Screenshots of each changed inspector screen
 * in both themes at 1024×768 and 1920×1080.
 */
import { cheHitRate, EXAMPLES } from '@busboard/core';
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

const flow8 = EXAMPLES.find((e) => e.id === 'flow8-tier')?.doc;

async function openFlow8(page: Page, name: string) {
  if (!flow8) throw new Error('no flow8 example');
  const { id } = await trpcSave(app.url, { name, doc: flow8 });
  await page.goto(`${app.url}/#/design/${id}`);
  await expect(page.getByTestId('service-api.flow8')).toBeVisible();
  return id;
}

test('cache by target hit rate, endpoints, shards, image, autoscale, zone shares and the design name: edited, refused inline, undone', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const consoleWatch = watchConsole(page);
  const id = await openFlow8(page, 'Fields');
  const undo = () => page.keyboard.press('Control+z');

  // Cache: 95 % hits over 400,000 keys at α 0.8 per replica → the fewest entries that reach it.
  await page.getByTestId('service-api.flow8').click();
  const target = page.getByTestId('field-cache-target');
  await expect(target).toHaveValue(String(Math.floor(cheHitRate(400_000, 0.8, 20_000) * 1000) / 10));
  await target.fill('95');
  await expect(page.getByTestId('cache-achieved')).toContainText('achieves 95.0 %');
  const entries = Number(await page.getByTestId('field-cache-entries').inputValue());
  expect(cheHitRate(400_000, 0.8, entries)).toBeGreaterThanOrEqual(0.95);
  expect(cheHitRate(400_000, 0.8, entries - 1)).toBeLessThan(0.95);
  await expect(page.getByTestId('util-api.flow8')).toBeVisible();
  await target.fill('120');
  await expect(page.getByRole('alert').filter({ hasText: 'hit rate' })).toContainText('at most 100 %');
  await expect(page.getByTestId('field-cache-entries')).toHaveValue(String(entries));
  // Undo (one step: the solve is one edit) brings the old entries back, and the target shows their rate.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await undo();
  await page.getByTestId('service-api.flow8').click();
  await expect(page.getByTestId('field-cache-entries')).toHaveValue('20000');
  await expect(target).toHaveValue(String(Math.floor(cheHitRate(400_000, 0.8, 20_000) * 1000) / 10));

  // Endpoints: a list, stored as one; a blank list removes the field.
  const endpoints = page.getByTestId('field-endpoints');
  await endpoints.fill('orders.get, orders.list');
  await endpoints.press('Enter');
  await page.screenshot({ path: `${SCREENSHOTS}inspector-fields-service.png` });

  // A call's target: a cycle (lb → api → lb) is refused under the field, with its path.
  await page.getByRole('button', { name: '→ sessions.flow8' }).click();
  await expect(page.getByTestId('field-call-to')).toHaveValue('sessions.flow8');
  await page.getByTestId('field-call-to').selectOption('lb.flow8');
  await expect(page.getByRole('alert')).toContainText('cycle');
  await expect(page.getByTestId('field-call-to')).toHaveValue('sessions.flow8');

  // Shards: removing one leaves two; the last cannot go.
  await page.getByTestId('database-mongo').click();
  await page.getByRole('button', { name: 'remove shard rs2' }).click();
  await expect(page.getByRole('heading', { name: 'Shards (2)' })).toBeVisible();

  // Bundle: image, autoscale bounds (min above max is refused with its path).
  await page
    .getByTestId('bundle-flow8')
    .locator('.bundle-label')
    .click({ position: { x: 12, y: 8 } });
  await page.getByTestId('field-bundle-image-flow8').fill('ghcr.io/acme/flow8:1.4.2');
  await page.getByTestId('field-bundle-image-flow8').press('Enter');
  await page.getByTestId('field-autoscale-min-flow8').fill('9');
  await expect(page.getByRole('alert').filter({ hasText: 'autoscale.min' })).toContainText('must not exceed max');
  await page.getByTestId('field-autoscale-min-flow8').fill('3');

  // Traffic zone shares on the entry.
  await page.getByTestId('service-lb.flow8').click();
  await page.getByTestId('traffic-share-0-eu-west-1a').fill('0.5');

  // The design's name, where one looks: the toolbar.
  const name = page.getByTestId('design-name');
  await name.fill('flow8 tier, sized');
  await name.press('Enter');
  await expect(page.getByTestId('save-state')).toHaveText(/^saved · revision \d+$/);

  const { doc } = await trpcGet(app.url, id);
  const api = (doc.services as { name: string; endpoints?: string[] }[]).find((s) => s.name === 'api.flow8');
  expect(api?.endpoints).toEqual(['orders.get', 'orders.list']);
  expect((doc.databases as { shards: { name: string }[] }[])[0]?.shards.map((s) => s.name)).toEqual(['rs0', 'rs1']);
  const bundle = (doc.bundles as { name: string; image?: string; autoscale?: { min: number; max: number } }[]).find((b) => b.name === 'flow8');
  expect(bundle?.image).toBe('ghcr.io/acme/flow8:1.4.2');
  expect(bundle?.autoscale?.min).toBe(3);
  expect((doc.traffic as { zones?: Record<string, number> }[])[0]?.zones?.['eu-west-1a']).toBe(0.5);
  expect(doc.name).toBe('flow8 tier, sized');
  await page.goto(app.url);
  await expect(page.getByTestId('design-list')).toContainText('flow8 tier, sized');
  consoleWatch.assertClean();
});

for (const theme of ['light', 'dark'] as const) {
  for (const viewport of [
    { width: 1024, height: 768 },
    { width: 1920, height: 1080 },
  ]) {
    test(`changed inspector screens, ${theme}, ${viewport.width}×${viewport.height}`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('busboard.theme', t), theme);
      await page.setViewportSize(viewport);
      const consoleWatch = watchConsole(page);
      await openFlow8(page, `Screens ${theme} ${viewport.width}`);
      const shot = (what: string) => page.screenshot({ path: `${SCREENSHOTS}inspector-${what}-${theme}-${viewport.width}.png` });
      await page.getByTestId('service-api.flow8').click();
      await page.getByTestId('field-cache-target').fill('90');
      await expect(page.getByTestId('cache-achieved')).toContainText('achieves 90.0 %');
      await page.getByTestId('field-cache-target').evaluate((el) => el.closest('section')?.scrollIntoView({ block: 'start' }));
      await shot('cache');
      await page.getByTestId('database-mongo').click();
      await shot('database');
      await page.getByTestId('design-name').focus();
      await shot('toolbar-name');
      consoleWatch.assertClean();
    });
  }
}
