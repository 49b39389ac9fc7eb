/**
 * Designer polish (issue 16): the shortcut sheet, keyboard focus on canvas nodes, a hint on a
 * blank design, the canvas re-fitting when History opens and closes, traffic beyond ×3.
 */
import { EXAMPLES } from '@busboard/core';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { encodeShare } from '../apps/web/src/documents/share.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { clickTool, trpcGet, trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.setTimeout(90_000);

/** Every node's box inside the canvas's box (the design fits what is left of the window). */
async function allNodesInside(page: Page): Promise<boolean> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) return false;
  const boxes = await page.locator('.react-flow__node-bundle').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  return boxes.every(
    (b: DOMRect) =>
      b.left >= canvas.x - 1 && b.right <= canvas.x + canvas.width + 1 && b.top >= canvas.y - 1 && b.bottom <= canvas.y + canvas.height + 1,
  );
}

for (const theme of ['light', 'dark'] as const) {
  test(`shortcut sheet, keyboard focus, blank hint, re-fit, traffic beyond ×3 (${theme})`, async ({ page }) => {
    const consoleWatch = watchConsole(page);
    await page.addInitScript((t) => localStorage.setItem('busboard.theme', t), theme);
    await page.setViewportSize({ width: 1024, height: 768 });

    // A blank design says where to start.
    await page.goto(app.url);
    await page.getByTestId('new-blank').click();
    await expect(page.getByTestId('canvas-start')).toContainText('Start here');
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-blank.png` });
    await page.getByTestId('palette-service').click();
    await expect(page.getByTestId('canvas-start')).toHaveCount(0);

    // `?` opens the sheet; Escape closes it.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcut-sheet');
    await expect(sheet).toBeVisible();
    await expect(sheet).toContainText('Ctrl+Z');
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-shortcuts.png` });
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();

    // A larger design: the canvas re-fits when History squeezes it and when it closes.
    const shop = EXAMPLES.find((e) => e.id === 'microbus-shop');
    if (!shop) throw new Error('no example');
    const { id } = await trpcSave(app.url, { name: `shop ${theme}`, doc: shop.doc });
    await page.goto(`${app.url}/#/design/${id}`);
    await expect(page.locator('.react-flow__node-bundle').first()).toBeVisible();
    await expect.poll(() => allNodesInside(page)).toBe(true);
    // The legend explains the marks; warnings read as titles and places, not codes and paths.
    await page.getByTestId('legend-button').click();
    await expect(page.getByTestId('legend')).toContainText('busiest replica');
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-legend.png` });
    await page.getByTestId('legend-button').click();
    await page.getByTestId('tab-results').click();
    const warnings = page.getByTestId('warnings');
    await expect(warnings).toContainText('Hot replica');
    await expect(warnings).toContainText('bundle shop · replicas in');
    await expect(warnings).not.toContainText('hot-replica');
    await expect(warnings).not.toContainText('bundles[');
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-warnings.png` });
    await clickTool(page, 'History');
    await expect(page.getByTestId('history-panel')).toBeVisible();
    await expect.poll(() => allNodesInside(page), { timeout: 5000 }).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-history-refit.png` });
    await clickTool(page, 'History');
    await expect.poll(() => allNodesInside(page), { timeout: 5000 }).toBe(true);

    // Keyboard: Tab reaches a node, it shows a focus ring, Enter selects it.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    let tabs = 0;
    const focusedKind = () => page.evaluate(() => document.activeElement?.getAttribute('class') ?? '');
    while (!(await focusedKind()).includes('react-flow__node-service') && tabs < 60) {
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    const node = page.locator('.react-flow__node-service:focus');
    await expect(node).toHaveCount(1);
    expect(await node.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-focus.png` });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('inspector-service')).toBeVisible();

    // Traffic beyond ×3, typed.
    await page.getByTestId('scale-input').fill('5');
    await expect(page.getByTestId('scale-slider')).toHaveAttribute('aria-valuetext', '×5.00');
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-traffic-5x.png` });
    consoleWatch.assertClean();
  });
}

test('the designs list: thumbnails, headroom and SLO status, search, sort, fresh names', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const shop = EXAMPLES.find((e) => e.id === 'microbus-shop');
  const checkout = EXAMPLES.find((e) => e.id === 'checkout');
  if (!shop || !checkout) throw new Error('no example');
  await trpcSave(app.url, { name: 'zeta shop', doc: shop.doc });
  await trpcSave(app.url, { name: 'alpha checkout', doc: checkout.doc });
  await page.goto(app.url);
  const row = page.getByTestId('design-row-zeta shop');
  await expect(row).toContainText('headroom 1.67×');
  await expect(row).toContainText('SLO met');
  await expect(row.locator('svg.design-thumb rect')).toHaveCount(3);

  await page.getByTestId('design-search').fill('ALPHA');
  await expect(page.getByTestId('design-list').locator('li')).toHaveCount(1);
  await page.getByTestId('design-search').fill('');
  await page.getByTestId('design-sort').selectOption('name');
  const names = await page.getByTestId('design-list').locator('li .design-main a').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  await page.screenshot({ path: `${SCREENSHOTS}polish-designs-list.png` });

  // Two blank designs get two names.
  await page.getByTestId('new-blank').click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');
  const first = await page.getByTestId('design-name').inputValue();
  await page.goto(app.url);
  await page.getByTestId('new-blank').click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');
  await expect(page.getByTestId('design-name')).not.toHaveValue(first);
  await expect(page.getByTestId('design-name')).toHaveValue(/^Untitled design \d+$/);
  consoleWatch.assertClean();
});

/** A locator's box once it has not moved for three consecutive frames' worth of polls. */
async function stableBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = '';
  let same = 0;
  for (let i = 0; i < 100; i++) {
    const box = await locator.boundingBox();
    const key = JSON.stringify(box);
    if (box && key === last) {
      if (++same >= 3) return box;
    } else same = 0;
    last = key;
    await locator.page().waitForTimeout(100);
  }
  throw new Error('the node never stood still');
}

test('a connection dropped anywhere on a node connects to it', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const doc = {
    schema: 'busboard.topology/v3',
    name: 'drop anywhere',
    zones: [{ name: 'zone-a', region: 'r1' }],
    services: [
      { name: 'web.x', serviceTimeMs: 2, calls: [] },
      { name: 'api.x', serviceTimeMs: 2, calls: [] },
    ],
    bundles: [
      { name: 'web', services: ['web.x'], replicas: { 'zone-a': 1 } },
      { name: 'api', services: ['api.x'], replicas: { 'zone-a': 1 } },
    ],
    traffic: [{ entry: 'web.x', rps: 10 }],
  };
  const { id } = await trpcSave(app.url, { name: 'drop anywhere', doc });
  await page.goto(`${app.url}/#/design/${id}`);
  const from = page.getByTestId('service-web.x').locator('.react-flow__handle.source');
  const to = page.getByTestId('service-api.x');
  await expect(to).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  // The layout (ELK, in a worker) and the fit move nodes after they first appear: drag only once both stand still.
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-layout', 'done');
  const a = await stableBox(from);
  const b = await stableBox(to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * 0.7, b.y + b.height * 0.6, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect.poll(async () => JSON.stringify((await trpcGet(app.url, id)).doc)).toContain('"to":"api.x"');
  consoleWatch.assertClean();
});

test('a design from before the stricter rules offers its repair, shows every change, and opens after it', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const old = {
    schema: 'busboard.topology/v3',
    name: 'old names',
    zones: [{ name: 'a', region: 'r' }],
    services: [
      { name: 'Web Front', serviceTimeMs: 2, calls: [{ to: 'Cart Checkout!', perRequest: 1 }] },
      { name: 'Cart Checkout!', serviceTimeMs: 3, maxQueue: 200 },
    ],
    bundles: [{ name: 'app', services: ['Web Front', 'Cart Checkout!'], replicas: { a: 2 } }],
    traffic: [{ entry: 'Web Front', rps: 10 }],
  };
  await page.goto(`${app.url}/#/share/${await encodeShare(old as never)}`);
  const offer = page.getByTestId('repair-offer');
  await expect(offer).toContainText('services[1].maxQueue: dropped');
  await expect(offer).toContainText('"Cart Checkout!" renamed to "cart-checkout"');
  await page.screenshot({ path: `${SCREENSHOTS}polish-repair-offer.png` });
  await page.getByTestId('repair-apply').click();
  await expect(page.getByTestId('service-web-front')).toBeVisible();
  await expect(page.getByTestId('service-cart-checkout')).toBeVisible();
  consoleWatch.assertClean();
});
