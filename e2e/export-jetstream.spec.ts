/**
 * The export dialog for a design with JetStream (issue 18): the stream and consumer JSON files
 * are listed and previewed beside the manifests, nats.yaml carries the jetstream block and a
 * volume claim per server, compose a volume per server, and the zip holds the JSON a
 * `nats stream add --config` reads. Screenshots in both themes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { ordersEvents } from '../packages/core/src/examples/orders-events.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';
import { trpcSave } from './support/designer.ts';
import { unzip } from './support/unzip.ts';

const SHOTS = process.env.BUSBOARD_SHOTS ?? '/tmp/async-export-shots/';
let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

async function shot(page: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    await page.screenshot({ path: `${SHOTS}${name}-${theme}.png` });
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });
}

test('export dialog with streams: JetStream files listed, previewed and in the zip', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'Orders with events', doc: ordersEvents });
  await page.goto(`${app.url}/#/design/${id}`);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export Orders with events' });
  await expect(dialog).toBeVisible();

  const files = dialog.getByTestId('export-files').getByRole('button');
  await expect(files).toHaveText([
    /nats\/nats\.yaml/,
    /bundles\/ingress\.yaml/,
    /bundles\/orders\.yaml/,
    /bundles\/fulfilment\.yaml/,
    /bundles\/notify\.yaml/,
    /jetstream\/ORDERS\/stream\.jsonJetStream stream/,
    /jetstream\/ORDERS\/fulfil\.consumer\.jsonJetStream consumer/,
    /README\.md/,
  ]);
  const preview = dialog.getByTestId('export-preview');
  await expect(preview).toContainText('jetstream {');
  await expect(preview).toContainText('store_dir: "/data/jetstream"');
  await expect(preview).toContainText('volumeClaimTemplates:');
  await dialog.getByText('jetstream/ORDERS/stream.json').click();
  await expect(preview).toContainText('"max_age": 604800000000000');
  await expect(preview).toContainText('"num_replicas": 3');
  await shot(page, 'export-jetstream-1-stream');
  await dialog.getByText('jetstream/ORDERS/fulfil.consumer.json').click();
  await expect(preview).toContainText('"ack_wait": 30000000000');
  await dialog.getByTestId('export-files').getByText('README.md').click();
  await expect(preview).toContainText('nats --server "$NATS" stream add --config jetstream/ORDERS/stream.json');
  await preview.getByText('## JetStream: streams and consumers').scrollIntoViewIfNeeded();
  await shot(page, 'export-jetstream-2-readme');

  await dialog.getByText('docker-compose', { exact: true }).click();
  await expect(files).toHaveText([
    /docker-compose\.yaml/,
    /jetstream\/ORDERS\/stream\.json/,
    /jetstream\/ORDERS\/fulfil\.consumer\.json/,
    /README\.md/,
  ]);
  await expect(preview).toContainText('nats-1-jetstream:/data/jetstream');
  await shot(page, 'export-jetstream-3-compose');

  await dialog.getByText('Kubernetes', { exact: true }).click();
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download .zip' }).click();
  const download = await downloading;
  const { dir, files: unzipped } = unzip((await download.path()) as string);
  const root = download.suggestedFilename().replace(/\.zip$/, '');
  expect(unzipped).toContain(`${root}/jetstream/ORDERS/stream.json`);
  const stream = JSON.parse(readFileSync(join(dir, root, 'jetstream/ORDERS/stream.json'), 'utf8'));
  expect(stream).toMatchObject({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3, storage: 'file' });
  consoleWatch.assertClean();
});
