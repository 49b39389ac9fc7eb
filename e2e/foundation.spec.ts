import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTopology, simulate, type TopologyInput } from '@busboard/core';
import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { type NatsCluster, startCluster } from '../apps/api/test/support/nats-cluster.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { unzip } from './support/unzip.ts';

let app: RunningApp;
let cluster: NatsCluster;

test.beforeAll(async () => {
  // From source, as `npm start` runs it (the other specs run the bundle global-setup.ts builds).
  [app, cluster] = await Promise.all([startApp({ source: true }), startCluster({ size: 3 })]);
});
test.afterAll(async () => {
  await app?.stop();
  await cluster?.close();
});

function expectedUtilization(doc: TopologyInput, service: string): string {
  const parsed = parseTopology(doc);
  if (!parsed.ok) throw new Error('invalid');
  return `ρ ${(simulate(parsed.doc).services[service]?.utilization ?? Number.NaN).toFixed(2)}`;
}

test('foundation slice: canvas, replicas → utilization, save across a restart, live servers, Kubernetes export', async ({ page }) => {
  const consoleWatch = watchConsole(page);

  // 1. The designs list holds the bundled examples; the canvas draws services, calls and bundles.
  await page.goto(app.url);
  await expect(page.getByRole('link', { name: 'Checkout' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Microbus shop' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'flow8 stateless tier' })).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}foundation-1-designs.png` });
  await page.getByRole('link', { name: 'Checkout' }).click();
  for (const s of ['edge.checkout', 'auth.checkout', 'cart.checkout', 'pricing.checkout', 'inventory.checkout', 'payment.checkout']) {
    await expect(page.getByTestId(`service-${s}`)).toBeVisible();
  }
  for (const b of ['edge', 'shop', 'payments']) await expect(page.getByTestId(`bundle-${b}`)).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await expect(page.locator('.react-flow__node-endpoint')).toContainText('processor');

  // 2. Fewer replicas of the shop bundle in one zone: core recomputes and the canvas shows it.
  const designId = decodeURIComponent(page.url().split('/design/')[1] ?? '');
  const res = await fetch(`${app.url}/trpc/designs.get?input=${encodeURIComponent(JSON.stringify({ id: designId }))}`, {
    headers: { 'x-busboard-request': '1' },
  });
  const doc = ((await res.json()) as { result: { data: { doc: TopologyInput } } }).result.data.doc;
  await expect(page.getByTestId('util-cart.checkout')).toHaveText(expectedUtilization(doc, 'cart.checkout'));
  const edited = structuredClone(doc);
  const shop = edited.bundles?.find((b) => b.name === 'shop');
  if (!shop) throw new Error('no shop bundle');
  shop.replicas['us-west-2a'] = 1;
  await page.getByTestId('bundle-shop').locator('.bundle-label').click();
  await page.getByTestId('replicas-shop-us-west-2a').fill('1');
  await expect(page.getByTestId('util-cart.checkout')).toHaveText(expectedUtilization(edited, 'cart.checkout'));
  expect(expectedUtilization(edited, 'cart.checkout')).not.toBe(expectedUtilization(doc, 'cart.checkout'));
  await page.screenshot({ path: `${SCREENSHOTS}foundation-2-canvas.png` });

  // 3. The edit is saved through tRPC into SQLite (autosave); restart the server; it is still there.
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 2');
  app = await app.restart();
  await page.goto(`${app.url}/#/design/${designId}`);
  await page.getByTestId('bundle-shop').locator('.bundle-label').click();
  await expect(page.getByTestId('replicas-shop-us-west-2a')).toHaveValue('1');
  await expect(page.getByTestId('save-state')).toHaveText('saved · revision 2');

  // 5. Export downloads Kubernetes YAML with a Deployment per bundle and zone (zipped by the export dialog).
  await page.getByRole('button', { name: 'Export…' }).click();
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('dialog').getByRole('button', { name: 'Download .zip' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('checkout-k8s.zip');
  const { dir, files } = unzip((await download.path()) as string);
  const objects = files
    .filter((f) => f.startsWith('checkout-k8s/bundles/'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()));
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  expect(deployments).toHaveLength(9);
  // The autoscaler owns each count (no spec.replicas for a re-apply to reset); its floor is the design's.
  const floor = (name: string) => objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name)?.spec.minReplicas;
  for (const d of deployments) expect(d.spec.replicas).toBeUndefined();
  expect(floor('shop-us-west-2a')).toBe(1);
  expect(floor('shop-us-west-2b')).toBe(2);
  await page.keyboard.press('Escape');

  // 4. The Live page lists the servers of a real 3-node cluster from their monitoring URLs.
  await page.getByRole('link', { name: 'Live' }).click();
  await page.getByLabel(/Monitoring URLs/).fill(cluster.servers.map((s) => s.monitorUrl).join('\n'));
  await page.getByRole('button', { name: 'Connect' }).click();
  const rows = page.getByTestId('servers-table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const s of cluster.servers) {
    const row = rows.filter({ hasText: s.name });
    await expect(row).toContainText('up');
    await expect(row).toContainText(cluster.name);
  }
  await page.screenshot({ path: `${SCREENSHOTS}foundation-3-live.png` });
  consoleWatch.assertClean();
});
