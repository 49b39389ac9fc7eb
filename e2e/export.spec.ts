import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeObject, validateObject } from '@busboard/core/export';
import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { unzip } from './support/unzip.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('export dialog: preview every file, switch formats, refuse a bad namespace, download a zip a cluster accepts', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Microbus shop' }).click();
  await expect(page.getByTestId('service-web.example')).toBeVisible();

  // The dialog is not in the app's first load: its chunk arrives when it is opened.
  const chunk = page.waitForResponse((r) => /ExportDialog-[\w-]+\.js$/.test(r.url()));
  await page.getByRole('button', { name: 'Export…' }).click();
  await chunk;
  const dialog = page.getByRole('dialog', { name: 'Export Microbus shop' });
  await expect(dialog).toBeVisible();

  // 1. Kubernetes: the NATS cluster, a file per bundle, and a README; each previews.
  const files = dialog.getByTestId('export-files').getByRole('button');
  await expect(files).toHaveText([/nats\/nats\.yaml/, /bundles\/ingress\.yaml/, /bundles\/shop\.yaml/, /bundles\/foreman\.yaml/, /README\.md/]);
  await expect(files.nth(2)).toContainText('ConfigMap, 3 Deployments, 3 HorizontalPodAutoscalers, PodDisruptionBudget');
  const preview = dialog.getByTestId('export-preview');
  await expect(preview).toContainText('kind: StatefulSet');
  await expect(preview).toContainText('nats-route://nats-2.nats-headless.default.svc.cluster.local:6222');
  await files.nth(2).click();
  await expect(preview).toContainText('name: shop-us-east-1c');
  await expect(preview).toContainText('value: us-east-1-c');
  await expect(preview).toContainText('No HTTP probes');
  // Arrow keys walk the list.
  await page.keyboard.press('ArrowDown');
  await expect(preview).toContainText('name: foreman-us-east-1a');
  await expect(dialog.getByTestId('export-warnings')).toContainText('bundle shop has no image');
  await dialog.getByText('bundles/shop.yaml').click();
  await page.screenshot({ path: `${SCREENSHOTS}export-1-kubernetes.png` });

  // 2. A namespace Kubernetes would refuse: said why, and nothing to download.
  const namespace = dialog.getByLabel('Namespace');
  await namespace.fill('Shop Prod');
  await expect(dialog.getByTestId('export-problems')).toContainText('"Shop Prod" is not a Kubernetes namespace name');
  await expect(dialog.getByRole('button', { name: 'Download .zip' })).toBeDisabled();
  await page.screenshot({ path: `${SCREENSHOTS}export-2-bad-namespace.png` });
  await namespace.fill('shop-prod');

  // 3. docker-compose: one file with the NATS trio and a container per replica.
  await dialog.getByText('docker-compose').click();
  await expect(files).toHaveText([/docker-compose\.yaml/, /README\.md/]);
  await expect(preview).toContainText('MICROBUS_LOCALITY: us-east-1-c');
  await expect(preview).toContainText('nats-3:');
  await page.screenshot({ path: `${SCREENSHOTS}export-3-compose.png` });

  // 4. Back to Kubernetes with an image prefix, spread by AWS where even; download and unzip.
  await dialog.getByText('Kubernetes', { exact: true }).click();
  await dialog.getByLabel('Image prefix').fill('ghcr.io/acme/');
  await dialog.getByLabel('Zones from the cloud').selectOption('aws');
  await expect(dialog.getByTestId('export-warnings')).toContainText('bundle shop is spread 3/3/2');
  await dialog.getByText('bundles/ingress.yaml').click();
  await expect(preview).toContainText('value: AWS');
  await page.screenshot({ path: `${SCREENSHOTS}export-4-aws.png` });
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download .zip' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('microbus-shop-k8s.zip');
  const { dir, files: unzipped } = unzip((await download.path()) as string);
  const root = 'microbus-shop-k8s';
  expect(unzipped).toEqual(
    ['README.md', 'bundles/foreman.yaml', 'bundles/ingress.yaml', 'bundles/shop.yaml', 'namespace.yaml', 'nats/nats.yaml'].map((f) => `${root}/${f}`),
  );
  const objects: KubeObject[] = unzipped
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject));
  for (const o of objects) {
    expect(validateObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    expect(o.metadata.namespace).toBe(o.kind === 'Namespace' ? undefined : 'shop-prod');
  }
  const deployments = objects.filter((o) => o.kind === 'Deployment') as any[];
  const replicas = Object.fromEntries(deployments.map((d) => [d.metadata.name, d.spec.replicas]));
  // ingress and foreman are even (2/2/2, 1/1/1): one spread Deployment each; shop (3/3/2) stays per zone.
  expect(replicas).toEqual({ ingress: 6, 'shop-us-east-1a': 3, 'shop-us-east-1b': 3, 'shop-us-east-1c': 2, foreman: 3 });
  for (const d of deployments) expect(d.spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/acme\//);
  expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toHaveLength(5);
  expect(readFileSync(join(dir, root, 'README.md'), 'utf8')).toContain('kubectl apply -f namespace.yaml');

  // 5. Escape closes the dialog; the designer is as it was.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('service-web.example')).toBeVisible();
  consoleWatch.assertClean();
});
