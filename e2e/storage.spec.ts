import type { TopologyInput } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';

const TOKEN = 'e2e-token-7c4f9b2a61d84e3f-5a09d2b8e1c7';
let app: RunningApp;

test.beforeAll(async () => {
  app = await startApp({ env: { BUSBOARD_TOKEN: TOKEN } });
});
test.afterAll(async () => {
  await app?.stop();
});

/** Another client (a colleague's browser, a script) talking to the same server. */
async function other(path: string, input: unknown, kind: 'query' | 'mutation' = 'query') {
  const headers = {
    authorization: `Bearer ${TOKEN}`,
    'content-type': 'application/json',
    'x-busboard-author': 'colleague',
    'x-busboard-request': '1',
  };
  const res =
    kind === 'query'
      ? await fetch(`${app.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(`${app.url}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const body = (await res.json()) as { result: { data: unknown } };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data;
}

/** Replica counts live in the bundle's inspector: select the bundle on the canvas first. */
async function selectBundle(page: Page, bundle: string) {
  await page.getByTestId(`bundle-${bundle}`).locator('.bundle-label').click();
}

test('token prompt, then a save conflict offering reload or save-as-copy', async ({ page }) => {
  // Refusals the test causes on purpose: the first calls without a token (401) and the stale saves (409).
  const consoleWatch = watchConsole(page, [/status of 401/, /status of 409/]);

  // 1. Without a token the server answers 401: the app asks for one.
  await page.goto(app.url);
  const dialog = page.getByRole('dialog', { name: 'This Busboard server needs an access token' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('token-input')).toBeFocused();
  await page.screenshot({ path: `${SCREENSHOTS}storage-1-token-prompt.png` });

  // A wrong token is refused and the prompt says so.
  await page.getByTestId('token-input').fill('not-the-token-at-all');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(/did not accept that token/);
  await page.screenshot({ path: `${SCREENSHOTS}storage-2-token-rejected.png` });

  // The right one opens the app, and is kept for the session (a reload does not ask again).
  await page.getByTestId('token-input').fill(TOKEN);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('link', { name: 'Checkout' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Checkout' })).toBeVisible();
  await expect(dialog).toBeHidden();

  // 2. Open Checkout; a colleague saves a newer revision meanwhile; our save is refused, not lost.
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');
  const id = decodeURIComponent(page.url().split('/design/')[1] ?? '');
  const theirs = (await other('designs.get', { id })) as { doc: TopologyInput };
  const theirDoc = structuredClone(theirs.doc);
  theirDoc.bundles!.find((b) => b.name === 'edge')!.replicas['us-west-2a'] = 3;
  await other('designs.save', { id, name: 'Checkout', doc: theirDoc, expectedRevision: 1, message: 'more edge' }, 'mutation');

  await selectBundle(page, 'shop');
  await page.getByTestId('replicas-shop-us-west-2a').fill('5');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const banner = page.getByTestId('conflict-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Not saved: this design was changed elsewhere.');
  await expect(banner).toContainText('Revision 2 by colleague');
  await expect(banner).toContainText('newer than revision 1 you were editing');
  await expect(page.getByTestId('replicas-shop-us-west-2a')).toHaveValue('5');
  await page.screenshot({ path: `${SCREENSHOTS}storage-3-conflict.png` });

  // 3. Save as a copy: a new design holding our edit; the colleague's revision stays as it was.
  await page.getByRole('button', { name: 'Save my version as a copy' }).click();
  await expect(page.getByTestId('design-name')).toHaveValue('Checkout (copy)');
  await selectBundle(page, 'shop');
  await expect(page.getByTestId('replicas-shop-us-west-2a')).toHaveValue('5');
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');
  const copyId = decodeURIComponent(page.url().split('/design/')[1] ?? '');
  expect(copyId).not.toBe(id);
  const original = (await other('designs.get', { id })) as { revision: number; doc: TopologyInput };
  expect(original.revision).toBe(2);
  expect(original.doc.bundles!.find((b) => b.name === 'shop')!.replicas['us-west-2a']).toBe(2);

  // 4. Back on the original: another conflict, this time "Reload" shows the colleague's revision.
  await page.goto(`${app.url}/#/design/${id}`);
  await page.reload(); // a fresh page: the client's cache may still hold revision 1
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 2');
  await other('designs.save', { id, name: 'Checkout', doc: { ...theirDoc, name: 'Checkout v3' }, expectedRevision: 2 }, 'mutation');
  await selectBundle(page, 'shop');
  await page.getByTestId('replicas-shop-us-west-2a').fill('4');
  await page.keyboard.press('Control+s');
  await expect(banner).toContainText('Revision 3 by colleague');
  await banner.getByRole('button', { name: 'Reload revision 3' }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 3');
  await expect(page.getByTestId('replicas-shop-us-west-2a')).toHaveValue('2');
  await selectBundle(page, 'edge');
  await expect(page.getByTestId('replicas-edge-us-west-2a')).toHaveValue('3');
  await page.screenshot({ path: `${SCREENSHOTS}storage-4-reloaded.png` });

  consoleWatch.assertClean();
});

test('history: revisions with who and what, a diff, and restoring an old revision', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  // The token from an earlier visit in this tab's session: no prompt.
  await page.addInitScript((token) => sessionStorage.setItem('busboard.token', token), TOKEN);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Microbus shop' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');

  await page.getByRole('button', { name: 'History' }).click();
  const panel = page.getByTestId('history-panel');
  await expect(panel.getByTestId('revision-1')).toContainText('bundled example');
  await panel.getByLabel('Your name in history').fill('Dana');

  // Two explicit saves by Dana.
  await selectBundle(page, 'ingress');
  await page.getByTestId('replicas-ingress-us-east-1a').fill('4');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 2');
  await selectBundle(page, 'foreman');
  await page.getByTestId('replicas-foreman-us-east-1c').fill('3');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 3');
  await expect(panel.getByTestId('revision-3')).toContainText('Dana');
  await expect(panel.getByTestId('revision-3')).toContainText('open');
  await expect(panel.getByTestId('revision-2')).toContainText('Dana');

  // What changed since the bundled example.
  await panel.getByTestId('revision-1').click();
  const diff = panel.getByTestId('diff-lines');
  await expect(diff).toContainText('ingress in us-east-1a: 2 → 4 replicas');
  await expect(diff).toContainText('foreman in us-east-1c: 1 → 3 replicas');
  await expect(diff.locator('li')).toHaveCount(2);
  await page.screenshot({ path: `${SCREENSHOTS}storage-5-history-diff.png` });

  // Restore it: a new revision 4 with the example's replica counts; revisions 2 and 3 stay in history.
  await panel.getByRole('button', { name: 'Restore r1' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 4');
  await expect(page.getByTestId('replicas-foreman-us-east-1c')).toHaveValue('1');
  await selectBundle(page, 'ingress');
  await expect(page.getByTestId('replicas-ingress-us-east-1a')).toHaveValue('2');
  await expect(panel.getByTestId('revision-4')).toContainText('restored revision 1');
  await expect(panel.locator('.revisions li')).toHaveCount(4);
  await page.screenshot({ path: `${SCREENSHOTS}storage-6-history-restored.png` });
  consoleWatch.assertClean();
});

test('deleting a design moves it to the trash, from where it comes back with its history', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.addInitScript((token) => sessionStorage.setItem('busboard.token', token), TOKEN);
  await page.goto(app.url);
  const link = page.getByRole('link', { name: 'flow8 stateless tier' });
  await expect(link).toBeVisible();
  await page.getByRole('button', { name: 'Delete flow8 stateless tier' }).click();
  await expect(link).toBeHidden();
  const trash = page.getByTestId('trash');
  await expect(trash).toContainText('flow8 stateless tier');
  await expect(trash).toContainText('restorable until');
  const purge = new Date(Date.now() + 30 * 24 * 3600_000).toLocaleDateString('en-US', { dateStyle: 'medium' });
  await expect(trash).toContainText(purge);
  await page.screenshot({ path: `${SCREENSHOTS}storage-7-trash.png` });

  await trash.getByRole('button', { name: 'Restore flow8 stateless tier' }).click();
  await expect(link).toBeVisible();
  await expect(trash).toBeHidden();
  await link.click();
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');
  consoleWatch.assertClean();
});
