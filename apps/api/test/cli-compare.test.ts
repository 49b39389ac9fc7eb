/**
 * `busboard compare` and `busboard scenarios` through the real CLI (issue 20): each column's
 * figures equal simulate + designCost of that scenario alone, computed here; usage errors.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { designCost, getExample, resolveScenario, simulate, type TopologyInput } from '@busboard/core';
import { describe, expect, inject, it, vi } from 'vitest';

const BIN = inject('programs').cli;
vi.setConfig({ testTimeout: 60_000 });
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 50_000 });

function design(): { file: string; input: TopologyInput } {
  const input = JSON.parse(JSON.stringify(getExample('checkout')?.doc)) as TopologyInput;
  const shop = input.bundles?.find((b) => b.name === 'shop');
  if (!shop) throw new Error('checkout has a shop bundle');
  input.scenarios = [
    {
      name: 'own-bundle-cart',
      description: 'cart in its own bundle',
      changes: [
        { op: 'replace', path: '/bundles/shop/services', value: shop.services.filter((s) => s !== 'cart.checkout') },
        {
          op: 'add',
          path: '/bundles/cart',
          value: {
            name: 'cart',
            services: ['cart.checkout'],
            replicas: { 'us-west-2a': 1, 'us-west-2b': 1, 'us-west-2c': 1 },
            cpu: 1,
            memoryMiB: 256,
          },
        },
      ],
    },
    { name: 'zone-down', changes: [], whatIf: { scale: 1.5, failZones: ['us-west-2b'] } },
    { name: 'gone', changes: [{ op: 'replace', path: '/bundles/nope/cpu', value: 2 }] },
    { name: 'broken', changes: [{ op: 'replace', path: '/bundles/shop/cpu', value: -1 }] },
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'compare-')), 'd.json');
  writeFileSync(file, JSON.stringify(input));
  return { file, input };
}

describe('busboard compare', () => {
  const { file, input } = design();

  it('--json: each column equals simulate + designCost of its scenario alone; --full adds the engine results', () => {
    const names = ['base', 'own-bundle-cart', 'zone-down'];
    const r = run('compare', file, ...names.flatMap((n) => ['--scenario', n]), '--json');
    expect(r.status, r.stderr).toBe(0);
    const cmp = JSON.parse(r.stdout);
    expect(cmp.columns.map((c: { name: string }) => c.name)).toEqual(names);
    names.forEach((name, i) => {
      const col = cmp.columns[i];
      const s = resolveScenario(input, name);
      if (!s.doc) throw new Error(`${name} resolves`);
      const result = simulate(s.doc, s.options);
      const cost = designCost(s.doc, result);
      expect(col.result).toBeUndefined();
      expect(col.costMonthly).toBeCloseTo(cost.totals.total, 9);
      expect(col.entries['edge.checkout'].p99Ms).toBeCloseTo(result.entries['edge.checkout']?.latencyMs?.p99 ?? Number.NaN, 9);
      expect(col.headroom).toBeCloseTo(result.headroom ?? Number.NaN, 9);
      for (const [b, monthly] of Object.entries(cost.byBundle)) expect(col.bundles[b].costMonthly).toBeCloseTo(monthly, 9);
    });
    const row = cmp.rows.find((x: { key: string }) => x.key === 'bundle:cart:totalReplicas');
    expect(row).toMatchObject({ values: [null, 3, null], differs: true });
    const full = JSON.parse(run('compare', file, '--scenario', 'base', '--scenario', 'zone-down', '--json', '--full').stdout);
    expect(full.columns[1].result.failedZones).toEqual(['us-west-2b']);
  });

  it('prints a table with differing rows starred, and the conflicts of a scenario', () => {
    const r = run('compare', file, '--scenario', 'base', '--scenario', 'gone');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Checkout: base vs gone (* differs from base)\n');
    expect(r.stdout).toContain('gone: does not apply as written: replace /bundles/nope/cpu: no bundles item nope in the base');
    expect(r.stdout).toMatch(/\nCost per month\s+\$634\.63\s+\$634\.63\n/);
    expect(r.stdout).not.toContain('*  ');
  });

  it('refuses unknown scenarios (listing the known ones), fewer than 2 or more than 4, and says which variant is invalid', () => {
    const unknown = run('compare', file, '--scenario', 'base', '--scenario', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--scenario nope: no such scenario (the design has base, own-bundle-cart, zone-down, gone, broken)');
    const one = run('compare', file, '--scenario', 'base');
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('compare needs 2 to 4 --scenario flags, got 1');
    const five = run('compare', file, ...['base', 'own-bundle-cart', 'zone-down', 'gone', 'broken'].flatMap((n) => ['--scenario', n]));
    expect(five.stderr).toContain('compare needs 2 to 4 --scenario flags, got 5');
    const broken = run('compare', file, '--scenario', 'base', '--scenario', 'broken', '--json');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/scenario broken: its changes leave an invalid design \(1 problem\):\n {2}bundles\[1\]\.cpu: /);
    expect(JSON.parse(broken.stdout).columns[1].costMonthly).toBeNull();
  });
});

describe('busboard scenarios', () => {
  it('lists the scenarios with their change counts and what-ifs, and warns of conflicts and invalid variants', () => {
    const { file } = design();
    const r = run('scenarios', file, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scenarios.map((s: { name: string; changes: number }) => [s.name, s.changes])).toEqual([
      ['base', 0],
      ['own-bundle-cart', 2],
      ['zone-down', 0],
      ['gone', 1],
      ['broken', 1],
    ]);
    expect(out.warnings.map((w: { path: string }) => w.path)).toEqual(['scenarios[2]', 'scenarios[3]']);
    const text = run('scenarios', file);
    expect(text.stdout).toMatch(/zone-down\s+0\s+traffic × 1\.5, us-west-2b down/);
    expect(text.stdout).toContain('warning: scenarios[3]: "broken" leaves an invalid design: bundles[1].cpu:');
  });
});
