/**
 * One naming scheme and one warning set (issue 16, item 6): for every bundled example, as
 * designed and with its first zone failed, the NATS server names, the warning codes and counts
 * and the messages (which carry the recommendation figures: "the engine recommends 3", "needs
 * about 2 in …") agree between core, the designer's Results tab and its badge, the physical
 * view, the export dialog and the CLI (`busboard simulate --json`, `busboard check --json`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { designWarnings, EXAMPLES, parseTopology, recommend, simulate, type Warning } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';
import { clickTool, trpcSave } from './support/designer.ts';

// The CLI bundled by the global setup (the same sources as bin/busboard.js, ~0.7 s less per run: this
// spec runs it 24 times); bin/busboard.js itself when the spec runs without that setup.
const BIN = process.env.BUSBOARD_E2E_CLI ?? join(import.meta.dirname, '../apps/api/bin/busboard.js');

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.setTimeout(120_000);

interface Figures {
  servers: string[];
  codes: string[];
  messages: string[];
}

function coreFigures(id: string, failZones: string[]): Figures {
  const example = EXAMPLES.find((e) => e.id === id);
  const parsed = parseTopology(example?.doc);
  if (!parsed.ok) throw new Error(`${id} does not parse`);
  const result = simulate(parsed.doc, { failZones });
  const warnings = designWarnings(parsed.doc, result, recommend(parsed.doc));
  return { servers: result.brokers.map((b) => b.server), codes: warnings.map((w) => w.code), messages: warnings.map((w) => w.message) };
}

function cli(...args: string[]): { status: number | null; json: Record<string, unknown> } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`busboard ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { status: r.status, json: JSON.parse(r.stdout) as Record<string, unknown> };
}

/** Each warning item's code and text, hidden or not. */
async function listed(page: Page, selector: string): Promise<{ code: string; text: string }[]> {
  return page
    .locator(selector)
    .evaluateAll((els) =>
      els.map((e) => ({ code: e.getAttribute('data-code') ?? '', text: `${e.textContent ?? ''} ${e.getAttribute('title') ?? ''}` })),
    );
}

function expectSame(where: string, items: { code: string; text: string }[], core: Figures) {
  expect(
    items.map((i) => i.code),
    `${where}: warning codes`,
  ).toEqual(core.codes);
  items.forEach((item, i) => {
    expect(item.text, `${where}: warning ${i}`).toContain(core.messages[i]);
  });
}

for (const example of EXAMPLES) {
  test(`${example.id}: the same servers, warnings and recommendations everywhere`, async ({ page }) => {
    const consoleWatch = watchConsole(page);
    const zone = (example.doc.zones ?? [])[0]?.name;
    if (!zone) throw new Error('an example without zones');
    const { id } = await trpcSave(app.url, { name: example.title, doc: example.doc });
    await page.goto(`${app.url}/#/design/${id}`);
    await page.getByTestId('tab-results').click();

    for (const failZones of [[], [zone]]) {
      const label = failZones.length ? `with ${zone} failed` : 'as designed';
      const core = coreFigures(example.id, failZones);
      if (failZones.length) await page.getByTestId(`fail-${zone}`).click();

      // Results: the list, its badge and the NATS servers table.
      await expect(page.getByTestId('warnings')).toHaveAttribute('data-settled', 'true', { timeout: 20_000 });
      expectSame(`Results ${label}`, await listed(page, '[data-testid="warnings"] > li'), core);
      const badge = page.getByTestId('tab-results-badge');
      if (core.codes.length) await expect(badge).toHaveText(String(core.codes.length));
      else await expect(badge).toHaveCount(0);
      expect(await page.getByTestId('results-nats-server').allTextContents(), `Results servers ${label}`).toEqual(core.servers);

      // The physical view: its servers (a failed zone has none) and its warnings.
      await page.getByTestId('view-physical').click();
      await expect(page.getByTestId('physical-warnings')).toHaveAttribute('data-settled', 'true');
      const physical = await page.getByTestId('nats-server').evaluateAll((els) => els.map((e) => e.getAttribute('data-server') ?? ''));
      const failedServers = physical.filter((s) => !core.servers.includes(s));
      // A failed zone's servers still stand in its lane (greyed), under the same names; no other name differs.
      expect(
        failedServers.every((s) => failZones.some((z) => s.includes(`-${z}-`))),
        `physical servers ${label}`,
      ).toBe(true);
      expect(physical.filter((s) => core.servers.includes(s))).toEqual(core.servers);
      expectSame(`physical view ${label}`, await listed(page, '[data-testid="physical-warnings"] li'), core);
      await page.getByTestId('view-logical').click();

      // The CLI, with the same scenario.
      const zoneFlag = failZones.flatMap((z) => ['--fail-zone', z]);
      const simulated = cli('simulate', `example:${example.id}`, ...zoneFlag).json as { brokers: { server: string }[]; warnings: Warning[] };
      expect(
        simulated.brokers.map((b) => b.server),
        `CLI servers ${label}`,
      ).toEqual(core.servers);
      expect(
        simulated.warnings.map((w) => w.code),
        `CLI simulate warnings ${label}`,
      ).toEqual(core.codes);
      expect(simulated.warnings.map((w) => w.message)).toEqual(core.messages);
      const checked = cli('check', `example:${example.id}`, ...zoneFlag).json as { warnings: Warning[] };
      expect(
        checked.warnings.map((w) => w.message),
        `CLI check warnings ${label}`,
      ).toEqual(core.messages);
    }

    // The export dialog: the design's warnings as designed (an export deploys the design, not a what-if).
    await page.getByTestId(`fail-${zone}`).click();
    const core = coreFigures(example.id, []);
    await clickTool(page, 'Export…');
    const dialog = page.locator('dialog.export-dialog');
    await expect(dialog).toBeVisible();
    const exported = await listed(page, '[data-testid="export-design-warnings"] li');
    expectSame('export dialog', exported, core);
    expect(await dialog.getByTestId('export-warnings').locator('li[data-code="below-recommendation"]').count()).toBe(0);
    consoleWatch.assertClean();
  });
}
