/**
 * `busboard goal` through the real CLI (issue 20): the checkout example's answer (ρ binds the
 * shop at 2 per zone: 1 would run at ρ 0.80), the table, --out writing the design with the answer
 * applied in the input's format (and `busboard check --zone-failures` passing on it), the exit
 * code when replicas cannot meet every constraint, and usage errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExample } from '@busboard/core';
import { describe, expect, inject, it, vi } from 'vitest';

// The CLI bundled once per run (support/programs.ts).
const BIN = inject('programs').cli;
vi.setConfig({ testTimeout: 60_000 });
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 50_000 });

describe('busboard goal', () => {
  it('--json: the checkout example is already the fewest (12), bound by ρ in the shop', () => {
    const r = run('goal', 'example:checkout', '--json');
    expect(r.status, r.stderr).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g.totalReplicas).toBe(12);
    expect(g.currentReplicas).toBe(12);
    expect(g.feasible && g.exact).toBe(true);
    expect(g.bundles.shop.zones['us-west-2a']).toEqual({
      current: 2,
      replicas: 2,
      binds: { kind: 'rho', detail: "1 in us-west-2a: ρ of shop's busiest service in us-west-2a 0.80 > 0.70 in normal operation" },
    });
    expect(g.frontier.length).toBeGreaterThan(1);
    // $634.63 a month, as `busboard cost` works out by hand (cli-cost.test.ts).
    expect(g.costMonthly).toBeCloseTo(634.62915, 6);
  });

  it('prints per zone before → after with the binding constraint, and --out writes the answer in the input’s format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'goal-'));
    const input = join(dir, 'shop.json');
    const doc = getExample('microbus-shop')?.doc;
    writeFileSync(input, JSON.stringify(doc));
    const out = join(dir, 'answer');
    const r = run('goal', input, '--objective', 'cost', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^bundle\s+zone\s+replicas\s+binds\s+why\n/);
    expect(r.stdout).toMatch(
      /shop\s+us-east-1a\s+3 → 4\s+zone down\s+3 in us-east-1a: with us-east-1b down: http\.ingress\.core p95 \d+\.\d ms > 60 ms/,
    );
    expect(r.stdout).toMatch(/17 → 17 replicas; \$[\d,.]+ → \$[\d,.]+ per month \(objective: cost; ρ ≤ 0\.7, CPU ≤ 0\.7, any one zone may fail\)/);
    expect(r.stdout).toContain(`wrote the design with the answer applied to ${out}`);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.bundles.find((b: { name: string }) => b.name === 'shop').replicas).toEqual({ 'us-east-1a': 4, 'us-east-1b': 4, 'us-east-1c': 3 });
    expect({ ...written, bundles: null }).toEqual({ ...doc, bundles: null });
    // The written design passes the SLO gate with each zone down.
    const check = run('check', out, '--zone-failures');
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('exits 1 when replicas cannot meet every constraint (a single zone cannot fail over), with the reason', () => {
    const r = run('goal', 'example:nimbus');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('NOT every constraint met');
    expect(r.stdout).toMatch(/- .*has no live replica/);
  });

  it('refuses a bad objective or target (exit 2)', () => {
    const a = run('goal', 'example:checkout', '--objective', 'speed');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('--objective must be replicas or cost, got "speed"');
    const b = run('goal', 'example:checkout', '--rho', '1.5');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--rho must be a utilization above 0 and at most 1 (0.7 = 70 %), got "1.5"');
    const c = run('goal');
    expect(c.status).toBe(2);
  });
});
