/**
 * Issue 19's journey: the checkout example over its day. Open the timeline, scrub to the
 * morning ramp, fail a zone at the peak, read the minutes over SLO. The expected figures come
 * from core's own timeline for the same case, computed here (never numbers copied from an
 * earlier run).
 */
import AxeBuilder from '@axe-core/playwright';
import { getExample, parseTopology, type TimelineResult, type Topology, timeline } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';

// The two journeys share nothing but a fresh server (each opens the seeded Checkout example): they may run
// on both workers at once. This file is last alphabetically and takes about a minute, so otherwise one
// worker would sit idle at the end of the run while the other does both.
test.describe.configure({ mode: 'parallel' });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(240_000);

const SHOTS = process.env.TIMELINE_SHOTS ?? '/tmp/timeline-ui-shots';
const shot = async (page: Page, name: string) => {
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    await page.screenshot({ path: `${SHOTS}/timeline-${name}-${theme}.png` });
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });
};

function checkout(): Topology {
  const parsed = parseTopology(getExample('checkout')?.doc);
  if (!parsed.ok) throw new Error('the checkout example does not parse');
  return parsed.doc;
}

function day(doc: Topology, policy?: string): TimelineResult {
  const r = timeline(doc, policy ? { policy } : {});
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.timeline;
}

/** The first minute with the most traffic, from core's factors (what "fails at the peak" picks). */
function peakOf(doc: Topology, d: TimelineResult): number {
  let best = 0;
  let most = -1;
  for (let m = 0; m < d.minutes; m++) {
    const rps = doc.traffic.reduce((s, t, i) => s + t.rps * (d.series.factors[i]?.[m] ?? 1), 0);
    if (rps > most + 1e-9) [best, most] = [m, rps];
  }
  return best;
}

/** A day in the browser's worker: seconds, longer on a loaded machine. */
const DAY = { timeout: 60_000 };

const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

test('the timeline: scrub to the morning ramp, fail a zone at the peak, read the minutes over SLO', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const doc = checkout();
  const own = day(doc);
  const cpu = day(doc, 'cpu');
  const zone = doc.zones[1]?.name as string;
  const peak = peakOf(doc, own);
  const failed = day({ ...doc, timeline: [{ atMinute: peak, failZone: zone }] });

  await page.goto(app.url);
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByTestId('service-cart.checkout')).toBeVisible();
  await shot(page, '0-closed');

  // Collapsed by default; T opens it.
  await expect(page.getByTestId('timeline')).toHaveCount(0);
  await page.keyboard.press('t');
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('tl-slo-minutes-0')).toHaveText(String(own.totals.sloMinutesMissed), DAY);

  // Scrub to the morning ramp with the keyboard: 07:00 is 7 hours (Shift+→), then 2 minutes (→).
  const scrubber = page.getByTestId('tl-scrubber');
  await scrubber.focus();
  for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tl-clock')).toHaveText('07:02');
  const ramp = 7 * 60 + 2;
  const rps = doc.traffic.reduce((s, t, i) => s + t.rps * (own.series.factors[i]?.[ramp] ?? 1), 0);
  await expect(page.getByTestId('tl-now')).toContainText(`${rps.toFixed(0)} rps`);
  await expect(page.getByTestId('tl-now')).toContainText(`shop ${own.series.bundles.shop?.replicas[ramp]}`);
  // The canvas shows that minute: the entry's rate at the ramp, said so over the canvas.
  await expect(page.getByTestId('tl-canvas-at')).toContainText('Canvas at 07:02');
  await expect(page.getByTestId('service-edge.checkout')).toContainText(`${rps.toFixed(0)} rps`);
  await shot(page, '1-ramp');
  // The open timeline passes axe in both themes.
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    const axe = await new AxeBuilder({ page }).include('[data-testid="timeline"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });

  // The open timeline leaves the palette whole (its last item in view, nothing over it) and the canvas room.
  await expect(page.getByTestId('palette-consumer')).toBeInViewport({ ratio: 1 });
  await page.getByTestId('palette-consumer').click({ trial: true });
  const panel = page.getByTestId('timeline');
  const before = (await panel.boundingBox())?.height ?? 0;
  expect((await page.getByTestId('canvas').boundingBox())?.height).toBeGreaterThan(before);
  // Its height: ↑ on the handle 20 px taller, remembered; a drag; a double click back to the default.
  await page.getByTestId('tl-resize').focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => Math.round((await panel.boundingBox())?.height ?? 0)).toBe(Math.round(before) + 20);
  expect(await page.evaluate(() => localStorage.getItem('busboard.timeline.height'))).toBe(String(Math.round(before) + 20));
  const grip = await page.getByTestId('tl-resize').boundingBox();
  if (!grip) throw new Error('no resize handle');
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2 + 60, { steps: 3 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await panel.boundingBox())?.height ?? 0)).toBe(Math.round(before) - 40);
  await page.getByTestId('tl-resize').dblclick();
  await expect.poll(async () => Math.round((await panel.boundingBox())?.height ?? 0)).toBe(Math.round(before));
  // Results stays the steady design's and says so, with the minute's own figures from the timeline.
  const note = page.getByTestId('results-minute-note');
  await expect(note).toContainText('Steady figures, not 07:02’s');
  await expect(note).toContainText(`At 07:02: ${rps.toFixed(0)} rps`);

  // Compare the HPA on CPU with the bundles' own replicas.
  await page.getByTestId('tl-policy').selectOption('cpu');
  await page.getByTestId('tl-compare').selectOption('');
  await expect(page.getByTestId('tl-slo-minutes-0')).toHaveText(String(cpu.totals.sloMinutesMissed), DAY);
  await expect(page.getByTestId('tl-slo-minutes-1')).toHaveText(String(own.totals.sloMinutesMissed), DAY);
  await shot(page, '2-compare');
  await page.getByTestId('tl-policy').selectOption('');
  await page.getByTestId('tl-compare').selectOption('\u0000');

  // A zone fails at the peak: a what-if, the design unchanged.
  await page.getByTestId('tl-fail-zone').selectOption(zone);
  await page.getByTestId('tl-fail-at-peak').click();
  await expect(page.getByTestId('tl-whatif-chip')).toHaveText(new RegExp(`${zone} fails at ${clock(peak)}`));
  await expect(page.getByTestId('tl-clock')).toHaveText(clock(peak));
  await expect(page.getByTestId('tl-slo-minutes-0')).toHaveText(String(failed.totals.sloMinutesMissed), DAY);
  await expect(page.getByTestId('tl-replica-hours-0')).toHaveText(failed.totals.replicaHoursTotal.toFixed(1), DAY);
  await expect(page.getByTestId('tl-now')).toContainText(`${zone} down`);
  await expect(page.getByTestId('tl-canvas-at')).toContainText(`${clock(peak)} (${zone} down)`);
  await shot(page, '3-zone-fails');

  // Zoom to three hours round the peak: the failure's minutes are wide enough to read.
  await page.getByTestId('tl-zoom').selectOption('180');
  await shot(page, '4-zoomed');
  await page.getByTestId('tl-zoom').selectOption('0');

  // "Add to design" writes the event into the document (one undo step); Ctrl+Z takes it out.
  await page.getByTestId('tl-add-to-design').click();
  await expect(page.getByTestId('tl-whatif-chip')).toHaveCount(0);
  await expect(page.getByTestId('tl-slo-minutes-0')).toHaveText(String(failed.totals.sloMinutesMissed), DAY);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('tl-slo-minutes-0')).toHaveText(String(own.totals.sloMinutesMissed), DAY);
  await expect(page.getByTestId('tl-replica-hours-0')).toHaveText(own.totals.replicaHoursTotal.toFixed(1), DAY);

  // T closes it again; the canvas is back to the steady figures.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('t');
  await expect(page.getByTestId('timeline')).toHaveCount(0);
  await expect(page.getByTestId('results-minute-note')).toHaveCount(0);
  consoleWatch.assertClean();
});

test('the inspector edits a profile and an autoscaler for the timeline, refusals inline, undo', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const doc = checkout();
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Checkout' }).click();
  await expect(page.getByTestId('service-edge.checkout')).toBeVisible();

  // The entry's traffic profile: points → diurnal, its fields, a refusal shown under the field.
  await page.getByTestId('service-edge.checkout').click();
  const shape = page.getByTestId('field-profile-shape-0');
  await expect(shape).toHaveValue('points');
  await expect(page.getByTestId('field-profile-points-0')).toHaveValue('0=0.3, 420=0.3, 423=1, 1200=1, 1320=0.3');
  await shape.selectOption('diurnal');
  await expect(page.getByTestId('field-profile-peakAt-0')).toHaveValue('840');
  await page.getByTestId('field-profile-trough-0').fill('2');
  await expect(page.getByTestId('profile-0').getByRole('alert')).toContainText('at most 1');
  await page.getByTestId('field-profile-trough-0').fill('0.5');
  await page.keyboard.press('t');
  await expect(page.getByTestId('timeline')).toHaveCount(0);
  await page.getByTestId('timeline-toggle').click();
  const diurnal = day({ ...doc, traffic: doc.traffic.map((t) => ({ ...t, profile: { shape: 'diurnal', peakAt: 840, trough: 0.5 } })) });
  await expect(page.getByTestId('tl-replica-hours-0')).toHaveText(diurnal.totals.replicaHoursTotal.toFixed(1), DAY);
  await expect(page.getByTestId('tl-slo-minutes-0')).toHaveText(String(diurnal.totals.sloMinutesMissed), DAY);
  await shot(page, '5-profile');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.getByTestId('service-edge.checkout').click();
  await expect(page.getByTestId('field-profile-shape-0')).toHaveValue('points');

  // The shop bundle's HPA: on, then on requests in flight with a target; undo puts CPU back.
  await page.getByTestId('bundle-shop').locator('.bundle-label').click();
  const inspector = page.getByTestId('inspector-bundle');
  await expect(inspector.getByTestId('field-startup-delay-shop')).toHaveValue('90');
  await inspector.getByTestId('autoscale-shop').check();
  const metric = inspector.getByTestId('field-autoscale-metric-shop');
  await metric.selectOption('inFlight');
  await expect(inspector.getByTestId('field-autoscale-custom-target-shop')).toHaveValue('2');
  await inspector.getByTestId('field-autoscale-custom-target-shop').fill('1.2');
  await inspector.getByTestId('field-autoscale-scaleDown-window-shop').fill('600');
  await inspector.getByTestId('field-autoscale-sync-shop').fill('0');
  await expect(inspector.getByTestId('autoscale-time-shop').getByRole('alert')).toBeVisible();
  await inspector.getByTestId('field-autoscale-sync-shop').fill('');
  await shot(page, '6-autoscale');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.getByTestId('bundle-shop').locator('.bundle-label').click();
  await expect(inspector.getByTestId('field-autoscale-metric-shop')).toHaveValue('cpu');
  consoleWatch.assertClean();
});
