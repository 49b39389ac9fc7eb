/**
 * Scenarios side by side (issue 20), as a user answers "is it better to move auth into its own
 * bundle?": the checkout example, a variant made from the current state in one click (and its
 * creation undone and redone), auth moved into a new bundle in the variant with the palette and
 * the inspector, the base seen unchanged, base and variant compared with the cost difference
 * read off the table, the variant still there after a reload (saved with the design), and a point
 * of goal seek's cost–P99 frontier applied to the variant and undone.
 *
 * By hand (cost.spec.ts has the base): the base costs $634.63 a month; the variant adds one
 * bundle of 1 vCPU and 256 MiB in each of 3 zones: 3 × (1 × 0.03125 + 0.25 × 0.00419) × 730 =
 * $70.73 (locality keeps auth's calls in their zone, NATS is priced per server), so $705.36.
 */
import { EXAMPLES } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';
import { trpcGet, trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

const SHOTS = '/tmp/web-scenarios-shots/';
const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc;
const bundles = (page: Page) => page.locator('[data-testid^="bundle-zones-"]');

async function shots(page: Page, name: string, dir = SHOTS) {
  await page.screenshot({ path: `${dir}${name}-light.png` });
  // The comparison covers the window (and the theme toggle): set the theme as the toggle does.
  const theme = (t: string) => page.evaluate((v) => (document.documentElement.dataset.theme = v), t);
  await theme('dark');
  await page.screenshot({ path: `${dir}${name}-dark.png` });
  await theme('light');
}

test('a variant with auth in its own bundle, compared with the base, saved with the design', async ({ page }) => {
  if (!checkout) throw new Error('no checkout example');
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'Scenarios', doc: checkout });
  await page.goto(`${app.url}/#/design/${id}`);
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('cost-total')).toHaveText('$634.63');
  await expect(bundles(page)).toHaveCount(3);

  // One click makes a variant of what is on the canvas; undo takes it away, redo brings it back.
  await page.getByTestId('scenario-switcher').click();
  await page.getByTestId('scenario-new').click();
  await expect(page.getByTestId('scenario-current')).toHaveText('variant 1');
  await page.getByTestId('scenario-rename-field').press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('variant-banner')).toContainText('Editing variant variant 1 — 0 changes · base unchanged');
  await page.getByTestId('cost-total').click();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('scenario-current')).toHaveText('base');
  await expect(page.getByTestId('variant-banner')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('scenario-current')).toHaveText('variant 1');

  // Renamed from the switcher (V opens it).
  await page.keyboard.press('v');
  await page.getByTestId('scenario-rename-variant 1').click();
  await page.getByTestId('scenario-rename-field').fill('own bundle');
  await page.getByTestId('scenario-rename-field').press('Enter');
  await expect(page.getByTestId('scenario-current')).toHaveText('own bundle');
  await shots(page, '1-switcher');
  await page.keyboard.press('Escape');

  // In the variant: a new bundle from the palette, auth moved into it in the inspector.
  await page.getByTestId('palette-bundle').click();
  await expect(page.getByTestId('field-bundle-name')).toBeFocused();
  await page.getByTestId('field-bundle-name').fill('auth');
  await page.getByTestId('field-bundle-name').press('Enter');
  await page.getByTestId('service-auth.checkout').click();
  await page.getByTestId('field-service-bundle').selectOption('auth');
  await expect(bundles(page)).toHaveCount(4);
  await expect(page.getByTestId('variant-changes')).not.toHaveText('0');
  await page.getByTestId('tab-results').click();
  const variantCost = 634.62915 + 3 * (0.03125 + 0.25 * 0.00419) * 730;
  await expect(page.getByTestId('cost-total')).toHaveText(`$${variantCost.toFixed(2)}`);
  const resultsCost = await page.getByTestId('cost-total').textContent();
  await shots(page, '2-variant-banner');

  // The variant's minute of the day (checkout's traffic has a profile): HH:MM, one undo step.
  const minute = page.getByTestId('variant-at-minute');
  await minute.fill('25:00');
  await expect(minute).toHaveAttribute('aria-invalid', 'true');
  await minute.fill('21:00');
  await minute.press('Enter');
  await expect(page.getByTestId('variant-banner')).toContainText('what-if: traffic at 21:00');
  await shots(page, '1-variant-at-minute', '/tmp/compare-follow-shots/');
  await page.getByTestId('cost-total').click();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('variant-banner')).not.toContainText('traffic at');
  await expect(minute).toHaveValue('');

  // Back to base: three bundles, the base's cost.
  await page.getByTestId('variant-back-to-base').click();
  await expect(page.getByTestId('scenario-current')).toHaveText('base');
  await expect(bundles(page)).toHaveCount(3);
  await expect(page.getByTestId('cost-total')).toHaveText('$634.63');

  // Side by side: both costs, the difference, the variant's equal to what Results showed.
  await page.getByTestId('scenario-switcher').click();
  await page.getByTestId('scenario-compare').click();
  await expect(page.getByTestId('compare-col-0')).toContainText('base');
  await expect(page.getByTestId('compare-col-1')).toContainText('own bundle');
  await expect(page.getByTestId('compare-cell-design:costMonthly-0')).toContainText('$634.63');
  await expect(page.getByTestId('compare-cell-design:costMonthly-1')).toContainText(resultsCost ?? 'missing');
  await expect(page.getByTestId('compare-delta-design:costMonthly-1')).toHaveText(`+$${(variantCost - 634.62915).toFixed(2)}`);
  await expect(page.getByTestId('compare-cell-design:costMonthly-1')).toHaveClass(/tone-worse/);
  await expect(page.getByTestId('compare-chart-p99').locator('.recharts-bar-rectangle').first()).toBeVisible();
  // A DES run of the variant's column: its figures join the analytic ones, kept after closing.
  await page.getByTestId('compare-des-own bundle').getByRole('button').click();
  await expect(page.getByTestId('compare-row-entry:edge.checkout:des:p99Ms')).toBeVisible({ timeout: 30_000 });
  await shots(page, '3-compare');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare')).toHaveCount(0);
  await page.keyboard.press('v');
  await page.getByTestId('scenario-compare').click();
  await expect(page.getByTestId('compare-des-own bundle')).toContainText('DES ✓');
  await expect(page.getByTestId('compare-row-entry:edge.checkout:des:p99Ms')).toBeVisible();
  await page.getByTestId('compare-close').click();

  // Saved with the design: the stored document holds the variant, and a reload lists it.
  await expect(page.getByTestId('save-state')).toHaveText(/^saved/, { timeout: 15_000 });
  const stored = await trpcGet(app.url, id);
  expect((stored.doc.scenarios as { name: string }[]).map((s) => s.name)).toEqual(['own bundle']);
  expect((stored.doc.bundles as unknown[]).length).toBe(3);
  await page.reload();
  await page.getByTestId('scenario-switcher').click();
  await page.getByTestId('scenario-pick-own bundle').click();
  await expect(page.getByTestId('variant-banner')).toContainText('Editing variant own bundle');
  await expect(bundles(page)).toHaveCount(4);

  // Goal seek in the variant: its most expensive frontier point applied (to the variant), then undone.
  await page.getByTestId('tab-results').click();
  const changesBefore = await page.getByTestId('variant-changes').textContent();
  await page.locator('body').press('g');
  const dialog = page.getByTestId('goal-seek');
  await dialog.getByTestId('goal-run').click();
  await expect(dialog.getByTestId('goal-result')).toBeVisible({ timeout: 25_000 });
  await dialog.locator('.goal-frontier-scatter .recharts-scatter-symbol').last().click();
  await expect(dialog.locator('[data-frontier-index]').last()).toHaveAttribute('data-current', 'false');
  const preview = dialog.getByTestId('goal-preview');
  const moved: { bundle: string; before: number; after: number }[] = [];
  const sums = new Map<string, { before: number; after: number }>();
  let bundle = '';
  for (const row of await preview.locator('tbody tr').all()) {
    const cells = await row.locator('td').allTextContents();
    bundle = cells[0] || bundle;
    const [before, after] = (cells[2] ?? '').split('→').map((x) => Number(x.trim()));
    const t = sums.get(bundle) ?? { before: 0, after: 0 };
    sums.set(bundle, { before: t.before + (before ?? 0), after: t.after + (after ?? 0) });
  }
  for (const [b, t] of sums) if (t.before !== t.after) moved.push({ bundle: b, ...t });
  expect(moved.length).toBeGreaterThan(0);
  await preview.getByTestId('goal-apply').click();
  await expect(dialog).toBeHidden();
  for (const m of moved) await expect(page.getByTestId(`bundle-${m.bundle}`).locator('.bundle-label')).toContainText(`· ${m.after} replicas`);
  await expect(page.getByTestId('variant-banner')).toContainText('Editing variant own bundle');
  await page.getByTestId('cost-total').click();
  await page.keyboard.press('Control+z');
  for (const m of moved) await expect(page.getByTestId(`bundle-${m.bundle}`).locator('.bundle-label')).toContainText(`· ${m.before} replicas`);
  await expect(page.getByTestId('variant-changes')).toHaveText(changesBefore ?? '');
  await expect(page.getByTestId('cost-total')).toHaveText(resultsCost ?? 'missing');
  consoleWatch.assertClean();
});

test('a variant whose change lost its target lists it; the Results what-if follows the variant', async ({ page }) => {
  if (!checkout) throw new Error('no checkout example');
  const doc = {
    ...checkout,
    scenarios: [
      {
        name: 'zone a down',
        changes: [
          { op: 'replace', path: '/bundles/billing/cpu', value: 2 },
          { op: 'replace', path: '/bundles/payments/cpu', value: 2 },
        ],
        whatIf: { failZones: ['us-west-2a'] },
      },
      { name: 'peak ×1.5', changes: [], whatIf: { scale: 1.5 } },
      { name: 'shop 3 vCPU', changes: [{ op: 'replace', path: '/bundles/shop/cpu', value: 3 }] },
    ],
  };
  const { id } = await trpcSave(app.url, { name: 'Scenario conflicts', doc });
  await page.goto(`${app.url}/#/design/${id}`);
  await expect(page.getByTestId('scenario-current')).toHaveText('base');
  await page.keyboard.press('v');
  await page.getByTestId('scenario-pick-zone a down').click();
  const banner = page.getByTestId('variant-banner');
  await expect(banner).toContainText('Editing variant zone a down — 2 changes · base unchanged');
  await expect(banner).toContainText('what-if: us-west-2a down');
  await page.getByTestId('variant-conflicts').locator('summary').click();
  await expect(page.getByTestId('variant-conflicts')).toContainText('1 change no longer applies to the base');
  await expect(page.getByTestId('variant-conflicts')).toContainText('/bundles/billing/cpu');
  // The variant's failed zone is the what-if the Results run: its button shows pressed.
  await expect(page.getByTestId('fail-us-west-2a')).toHaveAttribute('aria-pressed', 'true');
  await shots(page, '4-conflicts');
  await page.getByTestId('variant-back-to-base').click();
  await expect(page.getByTestId('fail-us-west-2a')).toHaveAttribute('aria-pressed', 'false');

  // Four side by side: the base first, then the variants.
  await page.keyboard.press('v');
  await page.getByTestId('scenario-compare').click();
  await expect(page.getByTestId('compare-col-3')).toContainText('shop 3 vCPU');
  await expect(page.getByTestId('compare-col-1')).toContainText('1 change not applied');
  await expect(page.getByTestId('compare-cell-design:costMonthly-3')).toHaveClass(/tone-worse/);
  await shots(page, '5-compare-four');
});
