/**
 * `busboard cost` through the real CLI (issue 20): the checkout example's month worked out by hand
 * under the default preset and under --preset gcp-us-central1, the text report, and refusals.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExample } from '@busboard/core';
import { describe, expect, inject, it, vi } from 'vitest';

// The CLI bundled once per run (support/programs.ts).
const BIN = inject('programs').cli;
vi.setConfig({ testTimeout: 60_000 });
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 50_000 });

describe('busboard cost', () => {
  it('--json: the checkout example’s month equals the hand arithmetic (aws-us-east-1, the default)', () => {
    const r = run('cost', 'example:checkout', '--json');
    expect(r.status, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.prices.preset).toBe('aws-us-east-1');
    expect(c.prices.asOf).toBe('2024-06');
    // edge: 3 replicas × (1 vCPU × 0.03125 + 0.25 GiB × 0.00419) × 730 h = 3 × 0.0322975 × 730 = 70.731525
    expect(c.byBundle.edge).toBeCloseTo(70.731525, 9);
    // shop: 6 × (2 × 0.03125 + 0.5 × 0.00419) × 730 = 6 × 0.064595 × 730 = 282.9261
    expect(c.byBundle.shop).toBeCloseTo(282.9261, 9);
    expect(c.byBundle.payments).toBeCloseTo(70.731525, 9);
    // NATS: 1 server per zone × 3 zones × 0.096 × 730 = 210.24; every call stays in its zone (locality).
    expect(c.totals.nats).toBeCloseTo(210.24, 9);
    expect(c.totals.network).toBe(0);
    // 70.731525 + 282.9261 + 70.731525 + 210.24 = 634.62915
    expect(c.totals.total).toBeCloseTo(634.62915, 9);
  });

  it('--preset gcp-us-central1 prices with GCP’s N2 figures; the text report shows every line’s formula', () => {
    const r = run('cost', 'example:checkout', '--preset', 'gcp-us-central1', '--json');
    expect(r.status, r.stderr).toBe(0);
    // edge and payments: 3 × (0.031611 + 0.25 × 0.004237) × 730 = 71.5478475 each;
    // shop: 6 × (2 × 0.031611 + 0.5 × 0.004237) × 730 = 286.19139; NATS: 3 × 0.097118 × 730 = 212.68842
    expect(JSON.parse(r.stdout).totals.total).toBeCloseTo(2 * 71.5478475 + 286.19139 + 212.68842, 9);
    const text = run('cost', 'example:checkout');
    expect(text.stdout).toContain('Checkout: $634.63 per month (730 h)\nAWS us-east-1: list prices as of 2024-06; check your provider\n');
    expect(text.stdout).toMatch(/bundle\s+shop\s+\$282\.93\s+6 replicas × \(2 vCPU × \$0\.03125\/h \+ 0\.5 GiB × \$0\.00419\/h\) × 730 h/);
  });

  it('refuses an unknown preset (exit 2) and a bad price book with its path', () => {
    const bad = run('cost', 'example:checkout', '--preset', 'oracle');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--preset oracle: no such preset (there are aws-us-east-1, gcp-us-central1, azure-eastus)');
    const dir = mkdtempSync(join(tmpdir(), 'cost-'));
    const file = join(dir, 'd.json');
    writeFileSync(file, JSON.stringify({ ...getExample('checkout')?.doc, cost: { vcpuHour: -0.1 } }));
    const r = run('cost', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cost.vcpuHour: a price per vCPU-hour: 0 or more');
  });
});
