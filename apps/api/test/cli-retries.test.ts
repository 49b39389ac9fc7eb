/**
 * The CLI with retries (schema v2, issue 17): simulate --json carries the retry figures, --sweep
 * the goodput chart's data, check fails on a missed rejection budget with retries counted, and
 * recommend --max-rejection sizes for a rejection target. One M/M/1/5 replica (10 ms, queueLimit 4)
 * at 80 rps with 3 client retries and no backoff: P = P_K(0.8) = 0.0888195 (a retry meets the same
 * full queue), offered 80·(1 + 3P) = 101.317 rps, success 1 − P (engine/retries.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TopologyInput, toYaml } from '@busboard/core';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../bin/busboard.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

function writeDesign(doc: TopologyInput): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bb-retries-')), 'design.yaml');
  writeFileSync(file, toYaml(doc));
  return file;
}

const P = 0.088819499;

const design = (maxRejectionRate: number, zones = ['a']): TopologyInput => ({
  schema: 'busboard.topology/v3',
  zones: zones.map((name) => ({ name, region: 'r' })),
  network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
  services: [{ name: 'api', serviceTimeMs: 10, queueLimit: 4 }],
  bundles: [{ name: 'app', services: ['api'], replicas: Object.fromEntries(zones.map((z) => [z, 1])) }],
  traffic: [{ entry: 'api', rps: 80 * zones.length, retries: 3, backoffMs: 0 }],
  slo: [{ entry: 'api', maxRejectionRate }],
});

describe('busboard with retries', { timeout: 120_000 }, () => {
  it('simulate --json: arrivalRps counts every attempt, retryAmplification, successRate 1 − P', () => {
    const r = run('simulate', writeDesign(design(0.5)), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.services.api.arrivalRps).toBeCloseTo(80 * (1 + 3 * P), 4);
    expect(out.services.api.retryAmplification).toBeCloseTo(1 + 3 * P, 6);
    expect(out.services.api.offeredWithoutRetriesRps).toBeCloseTo(80, 9);
    expect(out.entries.api.successRate).toBeCloseTo(1 - P, 6);
  });

  it('check exits 1 on a missed maxRejectionRate with the retries counted (1 − P = 8.9 % > 5 %), 0 within 10 %', () => {
    const miss = run('check', writeDesign(design(0.05)), '--json');
    expect(miss.status, miss.stderr).toBe(1);
    const rows = JSON.parse(miss.stdout).checks ?? JSON.parse(miss.stdout).rows ?? JSON.parse(miss.stdout);
    expect(JSON.stringify(rows)).toContain('rejection');
    expect(run('check', writeDesign(design(0.1))).status).toBe(0);
  });

  it('simulate --sweep --json: both series, the current scale, goodput λ(1 − P) at scale 1', () => {
    const r = run('simulate', writeDesign(design(0.5)), '--sweep', '--points', '6', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.currentScale).toBe(1);
    expect(out.withRetries.length).toBe(out.scales.length);
    expect(out.withoutRetries.length).toBe(out.scales.length);
    const at1 = out.withRetries[out.scales.indexOf(1)];
    expect(at1.goodputRps).toBeCloseTo(80 * (1 - P), 4);
  });

  it('recommend --max-rejection 0.01 adds replicas a rejection budget needs; a bad value is a usage error', () => {
    const doc = writeDesign(design(1, ['a', 'b']));
    const plain = JSON.parse(run('recommend', doc, '--json').stdout);
    const strict = JSON.parse(run('recommend', doc, '--max-rejection', '0.01', '--json').stdout);
    expect(strict.totalReplicas).toBeGreaterThan(plain.totalReplicas);
    expect(run('recommend', doc, '--max-rejection', '2').status).toBe(2);
  });
});
