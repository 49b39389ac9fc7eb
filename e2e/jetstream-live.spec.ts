/**
 * Journey: a real 3-server JetStream cluster with streams, consumers and lag made on purpose
 * (apps/api/test/support/jetstream.ts: ORDERS R3 with `fulfil` at its max_ack_pending, `retry`
 * redelivered, an unbound push consumer; CLICKS R1 in memory). The Live page's JetStream tab
 * shows the streams on their servers, the consumers' lag growing as more orders arrive, and
 * the drift against a saved design that wants CLICKS as R3 on file.
 */

import AxeBuilder from '@axe-core/playwright';
import type { NatsConnection } from '@nats-io/transport-node';
import { expect, type Page, test } from '@playwright/test';
import {
  appConnection,
  CLICKS_PUBLISHED,
  FULFIL_ACKED,
  FULFIL_MAX_ACK_PENDING,
  makeStreams,
  ORDERS_PUBLISHED,
  publish,
  RETRY_FETCHED,
  startJetStreamCluster,
} from '../apps/api/test/support/jetstream.ts';
import { type NatsCluster, SYS_USER } from '../apps/api/test/support/nats-cluster.ts';
import { ordersEvents } from '../packages/core/src/examples/orders-events.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';

const SHOTS = '/tmp/async-live-shots/';

let app: RunningApp;
let cluster: NatsCluster;
let nc: NatsConnection;

test.beforeAll(async () => {
  [app, cluster] = await Promise.all([startApp(), startJetStreamCluster()]);
  nc = await appConnection(cluster);
  await makeStreams(nc, 3);
});
test.afterAll(async () => {
  await nc?.close();
  await app?.stop();
  await cluster?.close();
});

/** axe's WCAG 2.1 AA findings on the page as it is. */
async function violations(page: Page): Promise<string[]> {
  await page.waitForTimeout(300);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? v.help).slice(0, 200)}`));
}

async function saveDesign(url: string): Promise<string> {
  const doc = {
    ...ordersEvents,
    name: 'Orders with events (live check)',
    streams: [
      { name: 'ORDERS', subjects: ['orders.>'], replicas: 3, storage: 'file' },
      { name: 'CLICKS', subjects: ['clicks.*'], replicas: 3, storage: 'file' },
    ],
    consumers: [
      { name: 'fulfil', stream: 'ORDERS', service: 'fulfilment.example', filterSubject: 'orders.created', maxAckPending: FULFIL_MAX_ACK_PENDING },
      { name: 'retry', stream: 'ORDERS', service: 'fulfilment.example', ackWaitMs: 1000 },
      { name: 'audit', stream: 'ORDERS', service: 'fulfilment.example', mode: 'push' },
    ],
  };
  const res = await fetch(`${url}/trpc/designs.save`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-busboard-request': '1' },
    body: JSON.stringify({ name: doc.name, doc }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
}

test.setTimeout(120_000);

test('live JetStream: streams on their servers, consumer lag growing, drift against a design', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const designId = await saveDesign(app.url);
  await page.goto(`${app.url}/#/live`);
  await page.getByLabel('Name').fill('orders cluster');
  await page.getByLabel('NATS URLs').fill(cluster.servers[0]?.url ?? '');
  await page.getByLabel(/System account user/).selectOption('user');
  await page.getByLabel('System user').fill(SYS_USER.user);
  await page.getByLabel('System password').fill(SYS_USER.pass);
  await page.getByLabel(/Poll every/).fill('1000');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('live-status')).toHaveText('live · system');

  await page.getByRole('tab', { name: /^JetStream/ }).click();
  await expect(page.getByRole('tab', { name: /^JetStream/ })).toHaveText('JetStream (2)');
  const orders = page.getByTestId('stream-ORDERS');
  await expect(orders).toContainText('R3');
  for (const s of cluster.servers) await expect(orders).toContainText(s.name);
  await expect(orders).toContainText('orders.>');
  await expect(orders).toContainText(String(ORDERS_PUBLISHED));
  await expect(page.getByTestId('stream-CLICKS')).toContainText('R1');
  await expect(page.getByTestId('stream-CLICKS')).toContainText(String(CLICKS_PUBLISHED));
  const fulfil = page.getByTestId('consumer-ORDERS-fulfil');
  await expect(fulfil).toContainText(String(ORDERS_PUBLISHED - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING));
  await expect(fulfil).toContainText(`${FULFIL_MAX_ACK_PENDING} / ${FULFIL_MAX_ACK_PENDING}`);
  await expect(page.getByTestId('consumer-ORDERS-retry')).toContainText(String(ORDERS_PUBLISHED - RETRY_FETCHED));
  await expect(page.getByTestId('consumer-ORDERS-audit')).toContainText('nobody bound');

  // More orders arrive and nobody takes them: the lag grows and the findings say so.
  await publish(nc, 'orders.created', 25);
  await expect(fulfil).toContainText(String(ORDERS_PUBLISHED + 25 - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING));
  await expect(fulfil).toContainText('▲ +25');
  await expect(page.getByTestId('drift-consumer-lag-growing').first()).toBeVisible();
  await expect(page.getByTestId('drift-consumer-ack-pending-full')).toContainText('fulfil');

  // Against the saved design: CLICKS runs R1 in memory, designed R3 on file.
  await page.getByTestId('js-design').selectOption({ label: 'Orders with events (live check)' });
  await expect(page.getByTestId('drift-stream-replicas')).toContainText('stream CLICKS runs as R1');
  await expect(page.getByTestId('drift-stream-storage')).toContainText('memory');
  await page.screenshot({ path: `${SHOTS}jetstream-light.png`, fullPage: true });
  expect(await violations(page), 'axe, light').toEqual([]);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: `${SHOTS}jetstream-dark.png`, fullPage: true });
  expect(await violations(page), 'axe, dark').toEqual([]);

  // The designer's live overlay: the designed streams and consumers with their live figures.
  await page.goto(`${app.url}/#/design/${designId}`);
  await page.getByRole('button', { name: 'Live', exact: true }).click();
  const overlay = page.getByTestId('live-overlay');
  const table = overlay.getByTestId('overlay-jetstream');
  await expect(table.getByTestId('overlay-stream-CLICKS')).toContainText('R1/R3');
  await expect(table.getByTestId('overlay-stream-ORDERS')).toContainText('R3/R3');
  await expect(table.getByTestId('overlay-consumer-ORDERS-fulfil')).toContainText(
    `lag ${ORDERS_PUBLISHED + 25 - FULFIL_ACKED - FULFIL_MAX_ACK_PENDING}`,
  );
  await expect(table.getByTestId('overlay-consumer-ORDERS-fulfil')).toContainText(`ack ${FULFIL_MAX_ACK_PENDING}/${FULFIL_MAX_ACK_PENDING}`);
  await expect(table.getByTestId('overlay-consumer-ORDERS-retry')).toContainText(`${RETRY_FETCHED} redelivered`);
  await expect(overlay.getByTestId('drift-stream-replicas')).toContainText('stream CLICKS runs as R1');
  await table.scrollIntoViewIfNeeded();
  await overlay.screenshot({ path: `${SHOTS}overlay-dark.png` });
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await overlay.screenshot({ path: `${SHOTS}overlay-light.png` });
  consoleWatch.assertClean();
});
