/**
 * The canvas in headless Chromium (Debian's), against the built app and a real server:
 * - median frame time while panning a generated 1,000-service design, and the same pan on a
 *   bare React Flow page with the same nodes (apps/web/bench.html), measured in this run;
 * - time from an edit (a service time typed in the inspector) to the updated badge on the
 *   200-service design;
 * - the production bundle's initial load, gzipped.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateDesign, parseTopology, simulate, type TopologyInput } from '@busboard/core';
import { chromium, type Page } from '@playwright/test';
import ELK from 'elkjs/lib/elk.bundled.js';
import { layoutGraph } from '../../apps/web/src/layout/graph.ts';
import { startApp } from '../../e2e/support/app.ts';
import { type Figures, median } from './util.ts';

const ROOT = join(import.meta.dirname, '../..');
const DIST = join(ROOT, 'apps/web/dist');

async function save(url: string, doc: unknown): Promise<string> {
  const res = await fetch(`${url}/trpc/designs.save`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-busboard-request': '1' },
    body: JSON.stringify({ name: 'bench', doc }),
  });
  return ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
}

/** Drags the pane in small steps and returns the frame intervals seen meanwhile. */
async function panFrames(page: Page): Promise<number[]> {
  const box = await page.locator('[data-testid="canvas"] .react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  // Plain strings: tsx would wrap named functions in helpers the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40; i++) await page.mouse.move(cx + 8 * i, cy + 4 * i);
    for (let i = 40; i > 0; i--) await page.mouse.move(cx + 8 * i, cy + 4 * i);
  }
  await page.mouse.up();
  return page.evaluate<number[]>('(() => { window.__stop = true; return window.__frames.slice(2); })()');
}

/** The design with elk's positions written into its layout, so both pages draw the same picture. */
async function laidOut(doc: TopologyInput): Promise<TopologyInput> {
  const parsed = parseTopology(doc);
  if (!parsed.ok) throw new Error('generated design is invalid');
  const g = layoutGraph(parsed.doc);
  const out = await new ELK().layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
    },
    children: g.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: g.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return { ...doc, layout: Object.fromEntries((out.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }])) };
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

async function waitForNodes(page: Page) {
  await page.locator('.react-flow__node').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500);
}

export async function run(): Promise<Figures> {
  if (!existsSync(join(DIST, 'bench.html'))) execSync('npm run build', { cwd: ROOT, stdio: 'ignore' });
  const figures: Figures = {};

  const assets = join(DIST, 'assets');
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] as string);
  figures.initial_load_gzip_kb = Math.round(initial.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0) / 102.4) / 10;
  figures.lazy_chunks = readdirSync(assets).filter((f) => !initial.includes(f)).length;

  const app = await startApp();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const bigId = await save(app.url, await laidOut(generateDesign({ services: 1000, seed: 7 })));
    await page.goto(`${app.url}/#/design/${bigId}`);
    await waitForNodes(page);
    const canvasBox = await page.locator('[data-testid="canvas"]').boundingBox();
    figures.nodes_1000_rendered = await page.locator('.react-flow__node').count();
    const ours = await panFrames(page);
    figures.pan_1000_median_frame_ms = Math.round(median(ours) * 100) / 100;
    figures.pan_1000_p95_frame_ms = Math.round(p95(ours) * 100) / 100;

    const bare = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await bare.goto(`${app.url}/bench.html#id=${bigId}&w=${Math.round(canvasBox?.width ?? 800)}&h=${Math.round(canvasBox?.height ?? 600)}`);
    await waitForNodes(bare);
    const base = await panFrames(bare);
    figures.pan_1000_bare_reactflow_median_frame_ms = Math.round(median(base) * 100) / 100;
    figures.pan_1000_bare_reactflow_p95_frame_ms = Math.round(p95(base) * 100) / 100;
    figures.nodes_1000_bare_rendered = await bare.locator('.react-flow__node').count();
    figures.pan_1000_ratio_vs_bare = Math.round((median(ours) / median(base)) * 100) / 100;
    await bare.close();

    try {
      // Edit → badge on the 200-service design: type a replica count, wait for the badge to change.
      const doc200 = generateDesign({ services: 200, seed: 3 });
      // Edit the busiest service's own time in the inspector: its badge (busiest replica's ρ) must change.
      const parsed200 = parseTopology(doc200);
      if (!parsed200.ok) throw new Error('generated design is invalid');
      const result200 = simulate(parsed200.doc);
      const [svc0 = ''] = Object.entries(result200.services).sort((a, b) => b[1].utilization - a[1].utilization)[0] ?? [];
      const time0 = parsed200.doc.services.find((x) => x.name === svc0)?.serviceTimeMs ?? 1;
      const id200 = await save(app.url, await laidOut(doc200));
      await page.close();
      const page200 = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page200.on('crash', () => process.stderr.write('bench: the page crashed\n'));
      page200.on('console', (m) => m.type() === 'error' && process.stderr.write(`bench: console: ${m.text()}\n`));
      await page200.goto(`${app.url}/#/design/${id200}`);
      await waitForNodes(page200);
      await page200.waitForTimeout(3000);
      // Select the service through search (Ctrl+K), then show its inspector.
      await page200.keyboard.press('Control+k');
      await page200.getByTestId('search-input').fill(svc0);
      await page200.keyboard.press('Enter');
      await page200.getByTestId('tab-inspect').click();
      await page200.getByTestId('field-serviceTimeMs').waitFor();
      const samples: number[] = [];
      const misses: number[] = [];
      for (let i = 0; i < 21; i++) {
        // In-page timing: from the input event to the badge's text changing in the DOM (React
        // commits the edit in a microtask after the event, so the observer sees the real commit).
        const ms = await page200.evaluate<number>(`new Promise((resolve) => {
        const input = document.querySelector('[data-testid="field-serviceTimeMs"]');
        const badge = document.querySelector('[data-testid="util-${svc0}"]');
        if (!input) return resolve(-2);
        if (!badge) return resolve(-3);
        const before = badge.textContent;
        let t0 = 0;
        const timer = setTimeout(() => { obs.disconnect(); resolve(-1); }, 2000);
        const obs = new MutationObserver(() => {
          if (badge.textContent !== before) { clearTimeout(timer); obs.disconnect(); resolve(performance.now() - t0); }
        });
        obs.observe(badge, { characterData: true, childList: true, subtree: true });
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        t0 = performance.now();
        setter.call(input, '${i % 2 === 0 ? Math.round(time0 * 130) / 100 : time0}');
        input.dispatchEvent(new Event('input', { bubbles: true }));
      })`);
        if (i > 0 && ms >= 0) samples.push(ms);
        if (ms < 0) misses.push(ms);
      }
      figures.edit_to_badge_200_median_ms = samples.length ? Math.round(median(samples) * 100) / 100 : null;
      figures.edit_to_badge_samples = samples.length;
      if (misses.length) figures.edit_to_badge_misses = [...new Set(misses)].join(',');
    } catch (err) {
      figures.edit_to_badge_200_median_ms = null;
      figures.edit_to_badge_error = String(err).split('\n')[0] ?? 'failed';
    }
    figures.targets = 'pan ≤ 20 ms and ≤ 1.3× bare; edit→badge ≤ 50 ms; initial ≤ 450 KB gz';
  } finally {
    await browser.close();
    await app.stop();
  }
  return figures;
}
