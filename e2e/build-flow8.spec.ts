/**
 * Issue 16's "Done when": building a flow8-style tier from scratch takes at most 30 clicks.
 * The tier (core example `flow8-tier`, seed flow8-scaling.txt): an ingress service, an API
 * with a per-replica cache at a 90 % hit target, a sessions service beside it, a 3-shard
 * database, three zones with two API replicas each, traffic and a P99 SLO. Every mouse click
 * or drag goes through a counter (a native select's open-and-choose counts 2); keystrokes are
 * counted apart. The result is checked in the stored document and in the figures on screen.
 */
import { cheHitRate } from '@busboard/core';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { SCREENSHOTS, watchConsole } from './support/console.ts';
import { trpcGet } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.setTimeout(90_000);

/** Every click, drag and keystroke a user would make, counted. */
function counted(page: Page) {
  const n = { clicks: 0, keys: 0 };
  return {
    n,
    async click(l: Locator, position?: { x: number; y: number }) {
      n.clicks++;
      await l.click(position ? { position } : undefined);
    },
    /** Click into a field, select its text and type. */
    async fill(l: Locator, text: string) {
      await this.click(l);
      await page.keyboard.press('Control+a');
      await this.type(text);
      n.keys++;
    },
    async select(l: Locator, value: string) {
      n.clicks += 2;
      await l.selectOption(value);
    },
    async type(text: string) {
      n.keys += text.length;
      await page.keyboard.type(text);
    },
    async press(key: string) {
      n.keys++;
      await page.keyboard.press(key);
    },
    /** A connection: press on the caller's outgoing handle, release anywhere on the callee. */
    async connect(from: string, to: string) {
      n.clicks++;
      const a = await page.getByTestId(from).locator('.react-flow__handle.source').boundingBox();
      const b = await page.getByTestId(to).boundingBox();
      if (!a || !b) throw new Error(`${from} or ${to} not on screen`);
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move((a.x + b.x + b.width / 2) / 2, (a.y + b.y + b.height / 2) / 2, { steps: 5 });
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
      await page.mouse.up();
    },
  };
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every top-level node lies inside the canvas, and no two overlap. */
async function expectPlacedInFreeSpace(page: Page) {
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const boxes: Box[] = [];
  for (const node of await page.locator('.react-flow__node-bundle, .react-flow__node-endpoint').all()) {
    const b = await node.boundingBox();
    if (!b) throw new Error('a node is not rendered');
    expect(b.x).toBeGreaterThanOrEqual(canvas.x);
    expect(b.y).toBeGreaterThanOrEqual(canvas.y);
    expect(b.x + b.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(b.y + b.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    for (const other of boxes) expect(overlap(b, other)).toBe(false);
    boxes.push(b);
  }
  return boxes.length;
}

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1024, height: 768 },
]) {
  test(`a flow8-style tier from scratch in at most 30 clicks (${viewport.width}×${viewport.height})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const consoleWatch = watchConsole(page);
    const u = counted(page);
    await page.goto(app.url);
    await u.click(page.getByTestId('new-blank'));
    await expect(page.getByTestId('save-state')).toHaveText('saved · revision 1');

    // Three zones (a blank design has one).
    await u.click(page.getByTestId('palette-zone'));
    await u.click(page.getByTestId('palette-zone'));

    // Ingress: a new service's name field has the focus, so typing names it; its bundle follows.
    await u.click(page.getByTestId('palette-service'));
    await expect(page.getByTestId('field-service-name')).toBeFocused();
    await u.type('lb.flow8');
    await u.press('Enter');
    await expect(page.getByTestId('field-service-bundle')).toHaveValue('lb');
    await u.fill(page.getByTestId('field-serviceTimeMs'), '0.5');
    await u.click(page.getByRole('button', { name: '+ traffic' }));
    await u.fill(page.getByTestId('field-traffic-0'), '900');
    await u.click(page.getByRole('button', { name: '+ SLO' }));
    await u.fill(page.getByTestId('field-slo-p99Ms'), '200');

    // The API: 10 ms, a per-replica cache sized by its target hit rate.
    await u.click(page.getByTestId('palette-service'));
    await expect(page.getByTestId('field-service-name')).toBeFocused();
    await u.type('api.flow8');
    await u.press('Enter');
    await expect(page.getByTestId('field-service-bundle')).toHaveValue('api');
    await u.fill(page.getByTestId('field-serviceTimeMs'), '10');
    await u.click(page.getByTestId('field-cache-on'));
    await u.select(page.getByLabel('Scope'), 'perReplica');
    await u.fill(page.getByTestId('field-cache-target'), '90');
    await expect(page.getByTestId('cache-achieved')).toContainText('achieves 90.0 %');

    // Sessions beside the API: clicked in while the API's bundle is selected.
    await u.click(page.getByTestId('bundle-api').locator('.bundle-label'));
    await u.click(page.getByTestId('palette-service'));
    await expect(page.getByTestId('field-service-name')).toBeFocused();
    await u.type('sessions.flow8');
    await u.press('Enter');
    await expect(page.getByTestId('field-service-bundle')).toHaveValue('api');

    // A database with three shards.
    await u.click(page.getByTestId('palette-database'));
    await expect(page.getByTestId('field-database-name')).toBeFocused();
    await u.type('mongo');
    await u.press('Enter');
    await u.click(page.getByRole('button', { name: '+ shard' }));
    await u.click(page.getByRole('button', { name: '+ shard' }));
    await page.screenshot({ path: `${SCREENSHOTS}flow8-build-${viewport.width}-placed.png` });
    expect(await expectPlacedInFreeSpace(page)).toBe(3); // two bundles and the database, all in view

    // Calls: drag from a service's right edge and drop anywhere on the callee.
    await u.press('Escape');
    await u.connect('service-lb.flow8', 'service-api.flow8');
    await u.connect('service-api.flow8', 'database-mongo');
    await u.connect('service-api.flow8', 'service-sessions.flow8');
    await u.connect('service-sessions.flow8', 'database-mongo');
    await page.screenshot({ path: `${SCREENSHOTS}flow8-build-${viewport.width}-connected.png` });
    await expect(page.locator('.react-flow__edge')).toHaveCount(4);

    // Two API replicas in each zone: one click into the first zone, Tab to the next ones.
    await u.click(page.getByTestId('bundle-api').locator('.bundle-label'), { x: 12, y: 8 });
    await u.fill(page.locator('[data-testid^="replicas-api-"]').first(), '2');
    for (let i = 0; i < 2; i++) {
      await u.press('Tab');
      await u.press('Control+a');
      await u.type('2');
    }

    await u.click(page.getByTestId('tab-results'));
    await expect(page.getByTestId('entry-lb.flow8')).toContainText(/\d \/200met/); // P99 within the 200 ms SLO
    await expect(page.getByTestId('util-api.flow8')).toContainText('ρ');
    await page.screenshot({ path: `${SCREENSHOTS}flow8-build-${viewport.width}-done.png` });

    // What was built, from the server.
    await expect(page.getByTestId('save-state')).toHaveText(/^saved · revision \d+$/);
    const id = decodeURIComponent(page.url().split('/design/')[1] ?? '');
    const { doc } = await trpcGet(app.url, id);
    const services = doc.services as { name: string; serviceTimeMs: number; calls: { to: string }[]; cache?: Record<string, number | string> }[];
    const bundles = doc.bundles as { name: string; services: string[]; replicas: Record<string, number> }[];
    expect(services.map((s) => s.name)).toEqual(['lb.flow8', 'api.flow8', 'sessions.flow8']);
    expect(bundles.map((b) => [b.name, b.services])).toEqual([
      ['lb', ['lb.flow8']],
      ['api', ['api.flow8', 'sessions.flow8']],
    ]);
    expect(Object.values(bundles[1]?.replicas ?? {})).toEqual([2, 2, 2]);
    expect(Object.values(bundles[0]?.replicas ?? {})).toEqual([1, 1, 1]);
    expect(services.map((s) => s.calls.map((c) => c.to))).toEqual([['api.flow8'], ['db:mongo', 'sessions.flow8'], ['db:mongo']]);
    expect((doc.databases as { name: string; shards: unknown[] }[]).map((d) => [d.name, d.shards.length])).toEqual([['mongo', 3]]);
    expect(doc.traffic).toEqual([{ entry: 'lb.flow8', rps: 900 }]);
    expect(doc.slo).toEqual([{ entry: 'lb.flow8', p99Ms: 200 }]);
    const cache = services[1]?.cache;
    expect(cache?.scope).toBe('perReplica');
    const entries = Number(cache?.entriesPerReplica);
    const keys = Number(cache?.keySpace);
    const zipf = Number(cache?.zipf);
    expect(cheHitRate(keys, zipf, entries)).toBeGreaterThanOrEqual(0.9);
    expect(cheHitRate(keys, zipf, entries - 1)).toBeLessThan(0.9);

    console.log(`flow8 tier at ${viewport.width}×${viewport.height}: ${u.n.clicks} clicks, ${u.n.keys} keystrokes`);
    expect(u.n.clicks).toBeLessThanOrEqual(30);
    consoleWatch.assertClean();
  });
}
