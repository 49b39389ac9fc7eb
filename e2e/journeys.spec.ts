/**
 * Every screen at 1024×768 and 1920×1080, light and dark, compared against screenshots that
 * were looked at (issue 16): the designs list, the designer's Inspect, Results and Charts tabs,
 * the physical view, History, the export dialog, the Live page and a shared link. Stable by
 * construction: fixed designs saved in a fixed order, animations off, dates masked.
 * Regenerate after a deliberate change: npx playwright test e2e/journeys.spec.ts --update-snapshots
 */
import { EXAMPLES } from '@busboard/core';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { encodeShare } from '../apps/web/src/documents/share.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';
import { clickTool, trpcSave } from './support/designer.ts';

let app: RunningApp;
let shopId = '';
let share = '';
test.beforeAll(async () => {
  app = await startApp();
  const example = (id: string) => {
    const e = EXAMPLES.find((x) => x.id === id);
    if (!e) throw new Error(`no example ${id}`);
    return e;
  };
  // The server starts with the examples as designs; the shop gets two more revisions for History.
  const res = await fetch(`${app.url}/trpc/designs.list`, { headers: { 'x-busboard-request': '1' } });
  const listed = ((await res.json()) as { result: { data: { id: string; name: string; revision: number }[] } }).result.data;
  const seeded = listed.find((d) => d.name === 'Microbus shop');
  if (!seeded) throw new Error('the server did not seed the shop');
  const shop = example('microbus-shop');
  const busier = await trpcSave(app.url, {
    id: seeded.id,
    name: 'Microbus shop',
    doc: { ...shop.doc, traffic: [{ entry: 'http.ingress.core', rps: 1500 }] },
    expectedRevision: seeded.revision,
  });
  await trpcSave(app.url, { id: seeded.id, name: 'Microbus shop', doc: shop.doc, expectedRevision: busier.revision });
  shopId = seeded.id;
  share = await encodeShare(example('checkout').doc);
});
test.afterAll(async () => {
  await app?.stop();
});
test.setTimeout(90_000);

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/** Waits for the designer's figures to settle (end-to-end entries and the recommendation). */
async function settled(page: Page) {
  await expect(page.locator('.react-flow__node-bundle').first()).toBeVisible();
  // Auto-layout runs in a worker (elkjs): wait for its positions, then for the fit that follows.
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-layout', 'done', { timeout: 20_000 });
  await expect(page.getByTestId('canvas').locator('.canvas-note')).toHaveCount(0);
  // A flagged design is cross-checked by a DES in the background (seeded, so its verdict is fixed):
  // wait until every entry badge shows it, twice, since the check starts a moment after the figures.
  for (let i = 0; i < 2; i++) {
    await expect(page.locator('.crosscheck-badge:not(.done)')).toHaveCount(0, { timeout: 45_000 });
    await page.waitForTimeout(700);
  }
  await page.waitForTimeout(300);
}

async function shot(page: Page, name: string, mask: Locator[] = []) {
  // No hover or focus ring left over from the last click.
  await page.mouse.move(0, 0);
  await expect(page).toHaveScreenshot(`${name}.png`, { maxDiffPixelRatio: 0.01, animations: 'disabled', caret: 'hide', mask });
}

/** The toolbar is one row, and the what-if bar stays inside the canvas column (never under the side panel). */
async function oneRow(page: Page) {
  const tops = await page.locator('.toolbar > *:visible').evaluateAll((els) =>
    els
      .flatMap((e) => (getComputedStyle(e).display === 'contents' ? [...e.querySelectorAll(':scope > *, :scope > * > *')] : [e]))
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.height > 0)
      .map((r) => Math.round(r.top + r.height / 2)),
  );
  expect(Math.max(...tops) - Math.min(...tops), 'toolbar items on one row').toBeLessThanOrEqual(4);
  const whatif = await page.getByTestId('whatif').boundingBox();
  const panel = await page.locator('.side-panel').boundingBox();
  if (!whatif || !panel) throw new Error('no what-if bar or side panel');
  expect(whatif.x + whatif.width, 'what-if bar clear of the side panel').toBeLessThanOrEqual(panel.x + 1);
  const middles = await page
    .getByTestId('whatif')
    .locator(':scope > *')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
  expect(Math.max(...middles) - Math.min(...middles), 'what-if bar on one row').toBeLessThanOrEqual(6);
}

test('node labels read at 12 px or more at the default fit, 1440×900, on every example', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const res = await fetch(`${app.url}/trpc/designs.list`, { headers: { 'x-busboard-request': '1' } });
  const designs = ((await res.json()) as { result: { data: { id: string; name: string }[] } }).result.data;
  expect(designs.length).toBeGreaterThanOrEqual(EXAMPLES.length);
  for (const d of designs) {
    await page.goto(`${app.url}/#/design/${d.id}`);
    await settled(page);
    // Rendered size = the label's CSS font size × the canvas zoom at fit.
    const sizes = await page.evaluate(() => {
      const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
      const zoom = Number(/scale\(([\d.]+)\)/.exec(viewport?.style.transform ?? '')?.[1] ?? Number.NaN);
      const px = (sel: string) => [...document.querySelectorAll(sel)].map((e) => Number.parseFloat(getComputedStyle(e).fontSize) * zoom);
      return { names: px('.service-name'), bundles: px('.bundle-name'), endpoints: px('.endpoint-node strong') };
    });
    for (const [kind, list] of Object.entries(sizes)) expect(Math.min(...list), `${d.name}: ${kind}`).toBeGreaterThanOrEqual(12);
  }
});

for (const size of SIZES) {
  for (const theme of ['light', 'dark'] as const) {
    test(`every screen at ${size.width}×${size.height}, ${theme}`, async ({ page }) => {
      const consoleWatch = watchConsole(page);
      const at = `${size.width}x${size.height}-${theme}`;
      await page.addInitScript((t) => localStorage.setItem('busboard.theme', t), theme);
      await page.setViewportSize(size);

      await page.goto(`${app.url}/#/`);
      await expect(page.getByTestId('design-row-Microbus shop')).toBeVisible();
      // Each row's headroom and SLO status come in once its design is computed.
      const rows = await page.locator('[data-testid^="design-row-"]').count();
      await expect(page.locator('.design-list .design-status')).toHaveCount(rows, { timeout: 20_000 });
      await shot(page, `${at}-designs`, [page.locator('.design-main .muted')]);

      await page.goto(`${app.url}/#/design/${shopId}`);
      await settled(page);
      await page.getByTestId('tab-results').click();
      await expect(page.getByTestId('warnings')).toHaveAttribute('data-settled', 'true', { timeout: 20_000 });
      await shot(page, `${at}-designer-results`);
      await oneRow(page);
      await page.getByTestId('tab-inspect').click();
      await shot(page, `${at}-designer-inspect`);
      await page.getByTestId('tab-charts').click();
      await expect(page.locator('.side-panel .recharts-surface').first()).toBeVisible({ timeout: 20_000 });
      await shot(page, `${at}-designer-charts`);
      await page.getByTestId('tab-results').click();

      await page.getByTestId('view-physical').click();
      await expect(page.getByTestId('physical-warnings')).toHaveAttribute('data-settled', 'true');
      await shot(page, `${at}-physical`);
      await page.getByTestId('view-logical').click();

      await clickTool(page, 'History');
      await expect(page.getByTestId('revision-3')).toBeVisible();
      await shot(page, `${at}-history`, [page.locator('.history-panel [data-testid^="revision-"] .muted')]);
      await clickTool(page, 'History');

      await clickTool(page, 'Export…');
      await expect(page.getByTestId('export-preview')).toBeVisible();
      await shot(page, `${at}-export`);
      await page.keyboard.press('Escape');
      await expect(page.locator('dialog.export-dialog')).toHaveCount(0);

      await page.goto(`${app.url}/#/live`);
      await expect(page.locator('.live-page')).toBeVisible();
      await shot(page, `${at}-live`);

      await page.goto(`${app.url}/#/share/${share}`);
      await settled(page);
      await shot(page, `${at}-share`);
      consoleWatch.assertClean();
    });
  }
}
