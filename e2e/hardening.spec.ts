/**
 * Issue 21 and issue 12 item 7 in the browser: importing a file with fields Busboard does not
 * know offers to drop them (each listed) instead of losing them silently; a YAML alias bomb and
 * a document past the limits are refused with a message, and the design stays as it was.
 */
import { EXAMPLES, toJson } from '@busboard/core';
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
test.use({ viewport: { width: 1280, height: 800 } });
test.setTimeout(60_000);

const checkout = () => structuredClone(EXAMPLES.find((e) => e.id === 'checkout')?.doc) as Record<string, any>;

async function importFile(page: Page, name: string, text: string) {
  await page.getByTestId('file-menu').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('menu-import').click();
  await (await chooser).setFiles({ name, mimeType: 'text/yaml', buffer: Buffer.from(text) });
}

test('unknown fields: listed, imported only when the user drops them; alias bombs and values past the limits refused', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'Import target', doc: EXAMPLES.find((e) => e.id === 'flow8-tier')?.doc as never });
  await page.goto(`${app.url}/#/design/${id}`);
  await expect(page.getByTestId('service-api.flow8')).toBeVisible();

  // Unknown fields: a choice, each field listed; Cancel changes nothing.
  const withUnknown = checkout();
  withUnknown.services[0].maxQueue = 200;
  withUnknown.bundles[1].owner = 'team-a';
  await importFile(page, 'queue-limit.json', toJson(withUnknown as never));
  const dialog = page.getByTestId('import-unknown');
  await expect(dialog).toContainText('queue-limit.json has 2 fields Busboard does not know');
  await expect(dialog.locator('li')).toHaveText(['services[0].maxQueue', 'bundles[1].owner']);
  await page.screenshot({ path: `${SCREENSHOTS}hardening-unknown-fields-light.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('service-api.flow8')).toBeVisible();
  await page.getByTestId('theme-toggle').click();

  await importFile(page, 'queue-limit.json', toJson(withUnknown as never));
  await page.screenshot({ path: `${SCREENSHOTS}hardening-unknown-fields-dark.png` });
  await page.getByTestId('import-drop-unknown').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Imported queue-limit.json' })).toBeVisible();
  await expect(page.getByTestId('service-edge.checkout')).toBeVisible();

  // A YAML alias bomb: one problem, in words.
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [prev, next] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi'] as const)
    lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
  await importFile(page, 'bomb.yaml', lines.join('\n'));
  const refused = page.getByTestId('import-refused');
  await expect(refused).toContainText('bomb.yaml was not imported: 1 problem');
  await expect(refused).toContainText('the YAML expands its aliases (*name) past the limit');
  await refused.getByRole('button', { name: 'Close' }).click();

  // A document past the limits (issue 21's red-team values): refused with the paths, before any work.
  const huge = checkout();
  huge.services[0].serviceTimeCv = 1e300;
  huge.services[1].workers = 1e9;
  huge.nats[0].serversPerZone = 1e9;
  huge.bundles[0].replicas['us-west-2a'] = 1e9;
  await importFile(page, 'huge.json', toJson(huge as never));
  await expect(refused).toContainText('huge.json was not imported: 4 problems');
  await expect(refused).toContainText('services[0].serviceTimeCv at most 10');
  await expect(refused).toContainText('nats[0].serversPerZone at most 64');
  await expect(refused).toContainText('bundles[0].replicas["us-west-2a"] at most 1,000 per zone');
  await page.screenshot({ path: `${SCREENSHOTS}hardening-limits-dark.png` });
  await refused.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('service-edge.checkout')).toBeVisible();
  consoleWatch.assertClean();
});
