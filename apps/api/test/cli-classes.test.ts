import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExample, toYaml } from '@busboard/core';
import { describe, expect, it } from 'vitest';

// Traffic classes (schema v2) through the CLI: per-class figures in the JSON and the table, and
// `check` failing on a missed per-class SLO, naming the entry and the class.
const BIN = join(import.meta.dirname, '../bin/busboard.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

function writeDesign(doc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'busboard-classes-'));
  const file = join(dir, 'design.yaml');
  writeFileSync(file, toYaml(doc as never));
  return file;
}

describe('busboard with traffic classes', () => {
  it('simulate --json carries per-class entry and service figures (Nimbus: tenant A rejected at the M/M/4/24 rate)', () => {
    const r = run('simulate', 'example:nimbus', '--json');
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const a = json.entries['transport.nimbus'].classes.tenantA;
    expect(1 - a.successRate).toBeCloseTo(0.16915488, 6);
    expect(json.services['functions.nimbus'].classes.tenantA.rejectionRate).toBeCloseTo(0.16915488, 6);
    expect(json.entries['transport.nimbus'].classes.tenantB.slo.met).toBe(true);
  });

  it('simulate prints a row per class', () => {
    const r = run('simulate', 'example:nimbus');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tenantA\s.*16\.9 %/);
    expect(r.stdout).toMatch(/tenantB\s.*p99 ≤ 40 met/);
  });

  it('check passes on the Nimbus example and fails naming entry and class when a class SLO is missed', () => {
    const ok = run('check', 'example:nimbus');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('ok      transport.nimbus [tenantB] p99');
    const doc = structuredClone(getExample('nimbus')?.doc) as any;
    doc.slo.push({ entry: 'transport.nimbus', class: 'tenantA', maxRejectionRate: 0.05 });
    doc.slo[0].p99Ms = 20;
    const missed = run('check', writeDesign(doc));
    expect(missed.status).toBe(1);
    expect(missed.stdout).toMatch(/MISSED\s+transport\.nimbus \[tenantB\] p99 \d+(\.\d+)? ms > 20 ms/);
    expect(missed.stdout).toMatch(
      /MISSED\s+transport\.nimbus \[tenantA\] rejected 16\.9 % > 5\.00 %.*functions\.nimbus rejects 16\.9 % of its tenantA requests/,
    );
    const json = JSON.parse(run('check', writeDesign(doc), '--json').stdout);
    expect(json.passed).toBe(false);
    expect(json.checks.filter((c: any) => !c.met).map((c: any) => `${c.entry}/${c.class}/${c.percentile}`)).toEqual([
      'transport.nimbus/tenantA/rejection',
      'transport.nimbus/tenantB/p99',
    ]);
  });
});
