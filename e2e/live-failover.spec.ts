/**
 * Journey: real Microbus apps (newest code and v1.x, raw-protocol connections that subscribe
 * as the framework does) on a real 3-server cluster, laid over the design that says what runs.
 * Calibrate shows its preview and undoes in one step; then a server dies, its clients fail over
 * to the next server: the drift panel names the failover and offers no replica change, and the
 * restarted server comes back as one entry on the Live page.
 */
import { expect, type Page, test } from '@playwright/test';
import { APP_CASES, type MicrobusTopology, matchingDesign, startMicrobusTopology } from '../apps/api/test/support/microbus-topology.ts';
import { SYS_USER } from '../apps/api/test/support/nats-cluster.ts';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';

const CASES = APP_CASES.filter((c) => c.suffix === 'example' || c.suffix === 'legacy');

let app: RunningApp;
let topo: MicrobusTopology;
let stopTraffic: (() => Promise<void>) | null = null;

test.beforeAll(async () => {
  [app, topo] = await Promise.all([startApp(), startMicrobusTopology(CASES)]);
  stopTraffic = await topo.steady(40);
});
test.afterAll(async () => {
  await stopTraffic?.();
  await app?.stop();
  await topo?.close();
});

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${app.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-busboard-request': '1' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data;
}

async function bothThemes(page: Page, name: string, target?: ReturnType<Page['getByTestId']>) {
  for (const theme of ['light', 'dark']) {
    const current = await page.evaluate(() => document.documentElement.dataset.theme);
    if (current !== theme) await page.getByTestId('theme-toggle').click();
    await (target ?? page).screenshot({ path: `${SCREENSHOTS}${name}-${theme}.png` });
  }
  await page.getByTestId('theme-toggle').click(); // back to light
}

test('live: Microbus apps read right; calibrate previews and undoes; a failover is named, not written into the design', async ({ page }) => {
  test.setTimeout(150_000);
  const consoleWatch = watchConsole(page);
  const servers = topo.cluster.servers;
  await post('live.addConnection', {
    connection: {
      name: 'microbus east',
      servers: servers.map((s) => s.url),
      auth: { kind: 'none' },
      systemAuth: { kind: 'user', user: SYS_USER.user, password: SYS_USER.pass },
      monitorUrls: [],
      wsUrls: [],
      pollMs: 1000,
    },
  });
  const saved = await post('designs.save', { name: 'Microbus apps', doc: matchingDesign(CASES) });
  await page.goto(`${app.url}/#/design/${saved.id}`);
  await page.getByRole('button', { name: 'Live', exact: true }).click();
  const overlay = page.getByTestId('live-overlay');
  await expect(overlay.getByTestId('drift-count')).toHaveText('none');
  await expect(overlay.getByTestId('overlay-events')).toContainText('cart.example → pay.example (a call on the canvas)');
  await expect(page.getByTestId('live-event-cart.legacy-pay.legacy')).toHaveText('event live');
  await expect(page.getByTestId('live-badge-cart.legacy')).toContainText('live 2/2');

  // Calibrate: a preview first (900 req/s designed, ~40 measured), once five polls are in.
  const preview = overlay.getByTestId('calibrate-preview');
  await overlay.getByRole('button', { name: 'Calibrate from live…' }).click();
  await expect(async () => {
    await overlay.getByRole('button', { name: 'Refresh' }).click();
    await expect(preview.locator('.calibrate-changes')).toContainText('traffic[0].rps 900 →', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(preview).toContainText('traffic[1].rps 900 →');
  await expect(preview).toContainText(/req\/s measured at cart\.example, mean of \d+ polls/);
  await expect(overlay.getByTestId('overlay-cart.example')).toContainText('design 900');
  await page.screenshot({ path: `${SCREENSHOTS}live-failover-1-calibrate-preview.png` });
  await preview.getByRole('button', { name: 'Apply 2 changes' }).click();
  await expect(overlay.getByTestId('calibrate-applied')).toContainText('Applied 2 changes as one edit');
  await expect(overlay.getByTestId('overlay-cart.example')).not.toContainText('design 900');
  // One undo takes both back.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(overlay.getByTestId('overlay-cart.example')).toContainText('design 900');
  await expect(overlay.getByTestId('overlay-cart.legacy')).toContainText('design 900');
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Redo', exact: true })).toBeEnabled();
  await bothThemes(page, 'live-overlay-healthy', overlay);

  // east-n2 dies; the processes on it fail over to east-n1.
  const victim = servers[1];
  if (!victim) throw new Error('no east-n2');
  await topo.cluster.stop(victim);
  await expect(overlay.getByTestId('drift-server-down')).toContainText('east-n2 (cluster east, us-east-1b) is down');
  const failover = overlay.locator('[data-testid="drift-failover"]');
  await expect(failover.filter({ hasText: 'cart.example' })).toContainText(
    '1 replica of example (cart.example, pay.example) in us-east-1a failed over from east-n2 (us-east-1b, down) to east-n1 (us-east-1a)',
  );
  await expect(failover.filter({ hasText: 'cart.legacy' })).toContainText('every call to it now crosses zones until it reconnects in us-east-1c');
  await expect(failover).toHaveCount(2); // one per bundle: a process moves with all its services
  await page.screenshot({ path: `${SCREENSHOTS}live-failover-2-canvas.png`, clip: { x: 90, y: 180, width: 600, height: 560 } });
  await expect(overlay.getByTestId('overlay-health')).toContainText('east-n2 down: replica counts are held');
  // Replicas count where their locality says: nothing to take into the design.
  await expect(overlay.locator('[data-testid="drift-missing-replicas"], [data-testid="drift-extra-replicas"]')).toHaveCount(0);
  await expect(overlay.getByRole('button', { name: /Use live count/ })).toHaveCount(0);
  // Calibrate will not lower traffic from a window with a server failure.
  await overlay.getByRole('button', { name: 'Calibrate from live…' }).click();
  await expect(preview).toContainText('with a server failure: east-n2 down');
  await expect(overlay.getByTestId('calibrate-refused')).toContainText('not lowered: the window holds a server failure (east-n2 down');
  await expect(preview.getByRole('button', { name: 'Apply 0 changes' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(preview).toHaveCount(0);
  await bothThemes(page, 'live-drift-failover', overlay);

  // east-n2 comes back: one entry, up, on the Live page; its clients stay where they failed over.
  await topo.cluster.start(victim);
  await page.getByRole('link', { name: 'Live' }).click();
  const rows = page.getByTestId('servers-table').locator('tbody tr');
  await expect(rows.filter({ hasText: 'east-n2' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'east-n2' })).toHaveClass(/up/, { timeout: 10_000 });
  await expect(rows).toHaveCount(3);
  await bothThemes(page, 'live-page-after-restart');
  await page.getByRole('tab', { name: /^Services/ }).click();
  const bundles = page.getByTestId('bundles-table');
  await expect(bundles.getByTestId('live-bundle-cart.example')).toContainText('shared connection');
  await expect(bundles.getByTestId('live-bundle-cart.legacy')).toContainText('client IP');
  await expect(page.getByTestId('live-service-cart.legacy')).toContainText('microbus (v1.x)');
  await page.getByTestId('live-service-pay.example').click();
  await expect(page.getByTestId('services-table')).toContainText('failed over from east-n2');
  await expect(page.getByTestId('services-table')).toContainText('POST :417/on-checkout (event from cart.example)');
  await bothThemes(page, 'live-services-bundles');
  consoleWatch.assertClean();
});
