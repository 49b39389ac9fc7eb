/**
 * Designer polish (issue 16): the shortcut sheet, keyboard focus on canvas nodes, a hint on a
 * blank design, the canvas re-fitting when History opens and closes, traffic beyond ×3.
 */
import { EXAMPLES } from '@busboard/core';
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
    await page.getByRole('button', { name: 'History' }).click();
    await expect(page.getByTestId('history-panel')).toBeVisible();
    await expect.poll(() => allNodesInside(page), { timeout: 5000 }).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}polish-${theme}-history-refit.png` });
    await page.getByRole('button', { name: 'History' }).click();
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
