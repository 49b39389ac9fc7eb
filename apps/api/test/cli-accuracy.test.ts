/**
 * Issue 12, items 2–4, through documents run by the CLI. References: closed forms, or the long
 * pinned-seed DES runs of packages/core/test/fixtures/battery-reference.json (never the engine's
 * own output). What the engine said before issue 12 is in each comment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '@busboard/core';
import { describe, expect, inject, it } from 'vitest';
import { BATTERY } from '../../../packages/core/test/battery.ts';

// The CLI bundled once per run (support/programs.ts); cli.test.ts also runs bin/busboard.js itself.
const BIN = inject('programs').cli;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
const ref = JSON.parse(readFileSync(join(import.meta.dirname, '../../../packages/core/test/fixtures/battery-reference.json'), 'utf8'));
const rel = (a: number, b: number) => Math.abs(a - b) / b;
const codes = (v: unknown) => (v === 'ok' ? [] : (v as { code: string }[]).map((n) => n.code));

function fileOf(id: string): string {
  const c = BATTERY.find((x) => x.id === id);
  if (!c) throw new Error(id);
  const file = join(mkdtempSync(join(tmpdir(), 'bb-acc-')), `${id}.yaml`);
  writeFileSync(file, toYaml(c.doc));
  return file;
}

function simulateJson(...args: string[]) {
  const r = run('simulate', ...args, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('issue 12: figures right, or flagged', () => {
  it('batch arrivals: perRequest 5 in a group into an M/M/1 at ρ 0.5 is M^X/M/1, mean sojourn 60 ms (was 20)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bb-acc-')), 'batch.yaml');
    writeFileSync(
      file,
      toYaml({
        schema: 'busboard.topology/v3',
        zones: [{ name: 'z', region: 'r' }],
        network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
        services: [
          { name: 'front', serviceTimeMs: 1, workers: 64, calls: [{ to: 'leaf', perRequest: 5, parallelGroup: 'g' }] },
          { name: 'leaf', serviceTimeMs: 10, workers: 1 },
        ],
        bundles: [
          { name: 'f', services: ['front'], replicas: { z: 1 } },
          { name: 'l', services: ['leaf'], replicas: { z: 1 } },
        ],
        traffic: [{ entry: 'front', rps: 10 }],
      }),
    );
    const leaf = simulateJson(file).services.leaf;
    // M^X/G/1: λE[X]E[S²]/(2(1 − ρ)) + E[S]E[X(X − 1)]/(2E[X](1 − ρ)) = 10 + 40, plus 10 of own time.
    expect(leaf.sojournMs.mean).toBeCloseTo(60, 6);
    expect(leaf.method).toBe('batch-poisson');
    expect(codes(leaf.validity)).toContain('batch');
  });

  it('scatter perRequest 10 in a group: flagged, and --method auto puts the entry within 5 % (analytic was 51 % low at P99, unflagged)', () => {
    const file = fileOf('scatter-10');
    const want = ref.cases['scatter-10'];
    const a = simulateJson(file);
    expect(rel(a.services.leaf.sojournMs.mean, want.services.leaf.mean)).toBeLessThan(0.07); // was 13.33 against 33.4
    expect(codes(a.entries.front.validity)).toContain('batch');
    const auto = simulateJson(file, '--method', 'auto', '--precision', '0.02', '--time-budget', '60', '--seed', '3');
    expect(auto.method).toBe('auto');
    for (const k of ['p50', 'p95', 'p99'] as const) {
      const f = auto.entries.front[k];
      expect(f.trusted).toBe('des');
      expect(f.ci[0]).toBeLessThanOrEqual(f.des);
      expect(rel(f.value, want.entries.front[k]), k).toBeLessThan(0.05);
    }
  });

  it('fork–join to 10 services: entry mean and P50 within 3 % (composing as independent: +13 %, +16 %), flagged fork-join', () => {
    const a = simulateJson(fileOf('fan-out-10'));
    const want = ref.cases['fan-out-10'].entries.front;
    const e = a.entries.front;
    expect(rel(e.latencyMs.mean, want.mean)).toBeLessThan(0.03);
    expect(rel(e.latencyMs.p50, want.p50)).toBeLessThan(0.03);
    expect(rel(e.latencyMs.p95, want.p95)).toBeLessThan(0.05);
    expect(codes(e.validity)).toEqual(['fork-join']);
  });

  it('cv 0, one worker, ρ 0.5: the exact M/G/1 wait puts P95 and P99 within 1 % (Allen–Cunneen: +8 %, +13 %)', () => {
    const a = simulateJson(fileOf('queue-cv0-c1-rho0.5'));
    const want = ref.cases['queue-cv0-c1-rho0.5'].entries.svc;
    expect(a.services.svc.method).toBe('pollaczek-khinchine');
    expect(rel(a.entries.svc.latencyMs.p95, want.p95)).toBeLessThan(0.01);
    expect(rel(a.entries.svc.latencyMs.p99, want.p99)).toBeLessThan(0.01);
    expect(a.entries.svc.validity).toBe('ok');
  });

  it('cv 2 with 16 workers: the analytic P50 is flagged cv-far-from-1 and --method auto fixes it (analytic +27 %)', () => {
    const file = fileOf('queue-cv2-c16-rho0.5');
    const want = ref.cases['queue-cv2-c16-rho0.5'].entries.svc;
    const a = simulateJson(file);
    expect(rel(a.entries.svc.latencyMs.p50, want.p50)).toBeGreaterThan(0.05);
    expect(codes(a.entries.svc.validity)).toContain('cv-far-from-1');
    const auto = simulateJson(file, '--method', 'auto', '--precision', '0.02', '--time-budget', '60');
    expect(rel(auto.entries.svc.p50.value, want.p50)).toBeLessThan(0.05);
    expect(auto.entries.svc.p50.trusted).toBe('des');
  });

  it('short-circuit repeats (catalog.example called twice in a row on its own replica): flagged, not silently 20 % high', () => {
    const a = simulateJson('example:microbus-shop');
    expect(codes(a.services['catalog.example'].validity)).toContain('short-circuit-repeats');
    expect(codes(a.entries['http.ingress.core'].validity)).toContain('short-circuit-repeats');
  });

  it('--method auto with nothing flagged runs no simulation', () => {
    const auto = simulateJson(fileOf('queue-cv0.5-c1-rho0.5'), '--method', 'auto');
    expect(auto.des).toBeNull();
    expect(auto.figures).toEqual([]);
    expect(auto.entries.svc.p99.trusted).toBe('analytic');
  });

  it('--method must be analytic, des or auto', () => {
    const r = run('simulate', 'example:checkout', '--method', 'magic');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--method must be analytic, des or auto');
  });
});
