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
  // One StatefulSet and Service per zone: each replica talks to a server of its own zone.
  await expect(preview).toContainText('nats-route://nats-us-east-1c-0.nats-headless.default.svc.cluster.local:6222');
  await files.nth(2).click();
  await expect(preview).toContainText('name: shop-us-east-1c');
  await expect(preview).toContainText('value: us-east-1-c');
  await expect(preview).toContainText('value: nats://nats-us-east-1c.default.svc.cluster.local:4222');
  await expect(preview).toContainText('no spec.replicas here, so a re-apply never resets them');
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
  await dialog.getByText('docker-compose', { exact: true }).click();
  await expect(files).toHaveText([/docker-compose\.yaml/, /README\.md/]);
  await expect(preview).toContainText('MICROBUS_LOCALITY: us-east-1-c');
  await expect(preview).toContainText('nats-3:');
  await page.screenshot({ path: `${SCREENSHOTS}export-3-compose.png` });

  // 4. Back to Kubernetes with an image prefix, spread by AWS where even; download and unzip.
  await dialog.getByText('Kubernetes', { exact: true }).click();
  await dialog.getByLabel('Image prefix').fill('ghcr.io/acme/');
  await dialog.getByLabel('Zones from the cloud').selectOption('aws');
  await expect(dialog.getByTestId('export-warnings')).toContainText('bundle shop is spread 3/3/2');
  await expect(dialog.getByTestId('export-warnings')).toContainText('IMDSv2');
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
  // The autoscalers own the counts (no spec.replicas); their floors are the design's.
  for (const d of deployments) expect(d.spec.replicas).toBeUndefined();
  const floors = Object.fromEntries(
    objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h: any) => [h.spec.scaleTargetRef.name, h.spec.minReplicas]),
  );
  // ingress and foreman are even (2/2/2, 1/1/1): one spread Deployment each; shop (3/3/2) stays per zone.
  expect(floors).toEqual({ ingress: 6, 'shop-us-east-1a': 3, 'shop-us-east-1b': 3, 'shop-us-east-1c': 2, foreman: 3 });
  for (const d of deployments) expect(d.spec.template.spec.containers[0].image).toMatch(/^ghcr\.io\/acme\//);
  // Traffic enters at the ingress bundle: a Service reaches it.
  expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'ingress')).toBeTruthy();
  expect(readFileSync(join(dir, root, 'README.md'), 'utf8')).toContain('kubectl apply -f namespace.yaml');

  // 5. Production: what it cannot do without is listed; with a tag and a host, TLS, accounts and an Ingress.
  await dialog.getByText('Production', { exact: true }).click();
  const problems = dialog.getByTestId('export-problems');
  await expect(problems).toContainText('has no tag: it pulls :latest');
  await expect(problems).toContainText('give the host name it answers for');
  await expect(dialog.getByRole('button', { name: 'Download .zip' })).toBeDisabled();
  await dialog.getByLabel('Image tag').fill('1.4.2');
  await dialog.getByLabel('Ingress host').fill('shop.example.com');
  await expect(problems).toBeHidden();
  await dialog.getByText('nats/nats.yaml').click();
  await expect(preview).toContainText('verify_and_map: true');
  await expect(preview).toContainText('system_account: SYS');
  await dialog.getByText('bundles/ingress.yaml').click();
  await expect(preview).toContainText('kind: Ingress');
  await expect(preview).toContainText('mountPath: /app/cert.pem');
  await page.screenshot({ path: `${SCREENSHOTS}export-5-production.png` });
  await dialog.getByTestId('export-files').getByText('README.md').click();
  await expect(preview).toContainText('Before you apply: the Secrets');
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'dark';
  });
  await page.screenshot({ path: `${SCREENSHOTS}export-6-production-readme-dark.png` });
  await dialog.getByTestId('export-files').getByText('bundles/shop.yaml').click();
  await page.screenshot({ path: `${SCREENSHOTS}export-7-production-dark.png` });
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });

  // 6. Escape closes the dialog; the designer is as it was.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('service-web.example')).toBeVisible();
  consoleWatch.assertClean();
});

test('inspector: the image, autoscale bounds (per zone) and traffic zone shares the export reads', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Microbus shop' }).click();
  await expect(page.getByTestId('service-web.example')).toBeVisible();
  await page.getByTestId('bundle-shop').locator('.bundle-label').click();
  const inspector = page.getByTestId('inspector-bundle');
  await expect(inspector).toBeVisible();

  const image = inspector.getByTestId('field-bundle-image-shop');
  await image.fill('ghcr.io/acme/shop:1.4.2');
  await image.press('Enter');
  await inspector.getByTestId('autoscale-shop').check();
  await expect(inspector.getByTestId('field-autoscale-min-shop')).toHaveValue('3');
  await inspector.getByTestId('field-autoscale-max-shop').fill('5');
  await expect(inspector.getByTestId('autoscale-total-shop')).toHaveText('Per zone: 3 zones → 9–15 replicas in total.');
  await inspector.getByTestId('field-autoscale-min-shop').fill('6');
  await expect(inspector.getByText('must not exceed max (5)')).toBeVisible();
  await inspector.getByTestId('field-autoscale-min-shop').fill('2');
  await page.screenshot({ path: `${SCREENSHOTS}export-inspector-1-bundle.png` });

  // Traffic shares by zone, on the entry service.
  await page.getByTestId('service-http.ingress.core').click();
  await page.getByTestId('traffic-zones-0').check();
  await page.getByTestId('traffic-share-0-us-east-1c').fill('2');
  await expect(page.getByText('us-east-1c (50 %)')).toBeVisible();
  await page.getByTestId('theme-toggle').click();
  await page.screenshot({ path: `${SCREENSHOTS}export-inspector-2-traffic-dark.png` });
  await page.getByTestId('bundle-shop').locator('.bundle-label').click();
  await page.screenshot({ path: `${SCREENSHOTS}export-inspector-3-bundle-dark.png` });
  await page.getByTestId('theme-toggle').click();

  // The export reads them: the image as set, the autoscaler's bounds per zone.
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export Microbus shop' });
  await dialog.getByText('bundles/shop.yaml').click();
  const preview = dialog.getByTestId('export-preview');
  await expect(preview).toContainText('image: ghcr.io/acme/shop:1.4.2');
  await expect(preview).toContainText('minReplicas: 2');
  await expect(preview).toContainText('maxReplicas: 5');
  await expect(dialog.getByTestId('export-warnings')).toContainText(
    "bundle shop's autoscale bounds (min 2, max 5) apply to each of its 3 zones' Deployments: 6–15 replicas in total",
  );
  await page.keyboard.press('Escape');
  consoleWatch.assertClean();
});
