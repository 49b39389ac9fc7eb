import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, toYaml } from '@busboard/core';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/busboard.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('busboard CLI', () => {
  it('simulate --json prints the engine result for a YAML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-cli-'));
    const file = join(dir, 'checkout.yaml');
    writeFileSync(file, toYaml(EXAMPLES.find((e) => e.id === 'checkout')!.doc));
    const r = run('simulate', file, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('analytic');
    expect(out.services['cart.checkout'].arrivalRps).toBeCloseTo(300);
    expect(out.services['cart.checkout'].replicas).toBe(6);
  });

  it('exits 2 and lists every problem with its path for a bad document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-cli-'));
    const file = join(dir, 'bad.yaml');
    const bad = structuredClone(EXAMPLES.find((e) => e.id === 'checkout')!.doc) as any;
    bad.services[2].calls[0].to = 'cart.exmple';
    bad.zones = [];
    writeFileSync(file, toYaml(bad));
    const r = run('simulate', file, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('zones: a design needs at least one zone');
  });

  it('exits 2 with a usage message for an unknown command or zone', () => {
    expect(run('simulat').status).toBe(2);
    const r = run('simulate', 'example:checkout', '--fail-zone', 'nowhere');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--fail-zone nowhere: the design has no such zone');
  });

  it('simulate --des --json prints the DES result with 99 % intervals; one seed, one answer', () => {
    const a = run('simulate', 'example:checkout', '--des', '--requests', '30000', '--seed', '7', '--json');
    expect(a.status, a.stderr).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(out.method).toBe('des');
    const latency = out.entries['edge.checkout'].latencyMs;
    for (const k of ['mean', 'p50', 'p95', 'p99']) {
      expect(latency.ci[k][0]).toBeLessThanOrEqual(latency[k]);
      expect(latency.ci[k][1]).toBeGreaterThanOrEqual(latency[k]);
    }
    expect(out.services['cart.checkout'].sojournMs.ci.p99).toHaveLength(2);
    expect(out.des.requests).toBeLessThanOrEqual(33_000);
    // The payment processor alone averages 120 ms: the entry's mean latency is above it.
    expect(latency.mean).toBeGreaterThan(120);
    const b = run('simulate', 'example:checkout', '--des', '--requests', '30000', '--seed', '7', '--json');
    expect(b.stdout).toBe(a.stdout);
  });

  it('simulate --des prints a table with intervals; --seed without --des is a usage error', () => {
    const r = run('simulate', 'example:microbus-shop', '--des', '--requests', '20000');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/discrete-event simulation: [\d,]+ requests in \d+ replications, seed 1, 99 % intervals/);
    expect(r.stdout).toMatch(/http\.ingress\.core\s+1200\.0\s+[\d.]+ ±[\d.]+/);
    const bad = run('simulate', 'example:checkout', '--seed', '3');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--requests and --seed go with --des');
    expect(run('simulate', 'example:checkout', '--des', '--requests', 'lots').status).toBe(2);
  });
});
