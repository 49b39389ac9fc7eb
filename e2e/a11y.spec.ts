/**
 * Accessibility of every screen in both themes (issue 16): axe-core's WCAG 2 A/AA rules, with
 * contrast and labels among them, on the designs list, the designer (each side tab, the
 * physical view, a selected service, export, history, the discrete-event panel) and the Live
 * page connected to a real supercluster. A violation fails with where it is and why.
 */
import AxeBuilder from '@axe-core/playwright';
import { EXAMPLES } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type LiveTopology, startLiveTopology } from '../apps/api/test/support/live-topology.ts';
import { SYS_USER } from '../apps/api/test/support/nats-cluster.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS } from './support/console.ts';
import { trpcSave } from './support/designer.ts';

let app: RunningApp;
let topo: LiveTopology;
let designId = '';

test.beforeAll(async () => {
  [app, topo] = await Promise.all([startApp(), startLiveTopology()]);
  await topo.traffic(10);
  const shop = EXAMPLES.find((e) => e.id === 'microbus-shop') ?? EXAMPLES[0];
  if (!shop) throw new Error('no example');
  designId = (await trpcSave(app.url, { name: shop.title, doc: shop.doc })).id;
});
test.afterAll(async () => {
  await app?.stop();
  await topo?.close();
});
// axe takes seconds per screen on a busy 2-core machine.
test.setTimeout(300_000);

type Theme = 'light' | 'dark';

/** axe's findings on the page as it is, one line per node: rule, target, and axe's reason. */
async function violations(page: Page): Promise<string[]> {
  // Let transitions and lazy panels settle so colours are final.
  await page.waitForTimeout(300);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 220)}`),
  );
}

async function withTheme(page: Page, theme: Theme): Promise<void> {
  await page.addInitScript((t) => localStorage.setItem('busboard.theme', t), theme);
}

async function connectOnce(page: Page): Promise<void> {
  await page.goto(`${app.url}/#/live`);
  const status = page.getByTestId('live-status');
  const name = page.getByLabel('Name');
  await expect(status.or(name).first()).toBeVisible();
  if (await status.isVisible()) return;
  const [e1] = topo.sc.servers;
  if (!e1) throw new Error('no server');
  await name.fill('shop supercluster');
  await page.getByLabel('NATS URLs').fill(e1.url);
  await page.getByLabel(/System account user/).selectOption('user');
  await page.getByLabel('System user').fill(SYS_USER.user);
  await page.getByLabel('System password').fill(SYS_USER.pass);
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** Runs axe on each screen `visit` reaches; fails with every violation of every screen at once. */
function screens(theme: Theme, page: Page) {
  const found: Record<string, string[]> = {};
  return {
    async check(screen: string) {
      found[screen] = await violations(page);
      await page.screenshot({ path: `${SCREENSHOTS}a11y-${theme}-${screen}.png` });
    },
    assertClean() {
      expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
    },
  };
}

for (const theme of ['light', 'dark'] as const) {
  test(`designs list and designer pass axe in the ${theme} theme`, async ({ page }) => {
    await withTheme(page, theme);
    const { check, assertClean } = screens(theme, page);
    await page.goto(app.url);
    await expect(page.getByText('New from an example')).toBeVisible();
    await check('designs');

    await page.goto(`${app.url}/#/design/${designId}`);
    await expect(page.getByTestId('save-state')).toBeVisible();
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    await check('designer-document');
    await page.locator('.react-flow__node-service').first().click();
    await expect(page.getByTestId('inspector-service')).toBeVisible();
    await check('designer-service');
    await page.getByTestId('tab-results').click();
    await expect(page.getByTestId('results')).toBeVisible();
    await check('designer-results');
    await page.getByTestId('tab-charts').click();
    await expect(page.getByTestId('charts')).toBeVisible();
    await check('designer-charts');
    await page.getByTestId('view-physical').click();
    await expect(page.locator('.react-flow__node-lane').first()).toBeVisible();
    await check('designer-physical');
    await page.getByTestId('view-logical').click();
    await page.getByRole('button', { name: /^Export/ }).click();
    await expect(page.getByTestId('export-preview')).toBeVisible();
    await check('export');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /History/ }).click();
    await expect(page.getByTestId('history-panel')).toBeVisible();
    await check('history');
    assertClean();
  });

  test(`the Live page passes axe in the ${theme} theme`, async ({ page }) => {
    await withTheme(page, theme);
    const { check, assertClean } = screens(theme, page);
    await connectOnce(page);
    await expect(page.getByTestId('live-status')).toHaveText('live · system');
    await check('live-servers');
    for (const tab of ['Connections', 'Queue groups', 'Services']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await check(`live-${tab.toLowerCase().replace(' ', '-')}`);
    }
    await page.getByRole('button', { name: 'Add cluster' }).click();
    await expect(page.getByLabel('Name')).toBeVisible();
    await check('live-form');
    assertClean();
  });
}
