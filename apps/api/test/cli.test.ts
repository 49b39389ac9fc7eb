import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLES, type TopologyInput, toYaml } from '@busboard/core';
import { describe, expect, inject, it } from 'vitest';

const SOURCE_BIN = join(import.meta.dirname, '../bin/busboard.js');
// The CLI bundled once per run (support/programs.ts): the same sources without tsx's start-up; SOURCE_BIN is tested below.
const BIN = inject('programs').cli;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const example = (id: string) => structuredClone(EXAMPLES.find((e) => e.id === id)?.doc) as TopologyInput;

function writeDesign(doc: unknown, name = 'design.yaml'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bb-cli-')), name);
  writeFileSync(file, toYaml(doc as TopologyInput));
  return file;
}

/** One 10 ms single-worker service in three zones at 900 rps: the answers follow by hand. */
const single = (slo?: NonNullable<TopologyInput['slo']>[number]): TopologyInput => ({
  schema: 'busboard.topology/v3',
  zones: [
    { name: 'a', region: 'r' },
    { name: 'b', region: 'r' },
    { name: 'c', region: 'r' },
  ],
  network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
  services: [{ name: 'api', serviceTimeMs: 10, workers: 1 }],
  bundles: [{ name: 'app', services: ['api'], replicas: { a: 1, b: 1, c: 1 } }],
  traffic: [{ entry: 'api', rps: 900 }],
  ...(slo ? { slo: [slo] } : {}),
});

describe('busboard simulate', () => {
  it('--json prints the whole contract for a YAML file', () => {
    const r = run('simulate', writeDesign(example('checkout')), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('analytic');
    const cart = out.services['cart.checkout'];
    expect(cart).toMatchObject({
      arrivalRps: 300,
      replicas: 6,
      saturated: false,
      unavailable: false,
      excessRps: 0,
      cacheHitRate: null,
      method: 'exact',
    });
    // 50 rps per shop replica × 5 ms on one worker.
    expect(cart.utilization).toBeCloseTo(0.25, 9);
    expect(Object.keys(cart.sojournMs)).toEqual(expect.arrayContaining(['mean', 'p50', 'p95', 'p99']));
    expect(cart.replicasDetail).toHaveLength(6);
    expect(Object.keys(cart.replicasDetail[0])).toEqual(expect.arrayContaining(['bundle', 'zone', 'arrivalRps', 'utilization', 'sojournMeanMs']));
    expect(out.bundles.shop).toMatchObject({ replicas: 6 });
    expect(out.bundles.shop.cpuUtilization).toBeCloseTo(0.55, 9);
    const entry = out.entries['edge.checkout'];
    expect(entry).toMatchObject({ rps: 300, method: 'composed' });
    expect(entry.latencyMs.p95).toBeGreaterThan(120); // the processor alone averages 120 ms
    expect(entry.slo.checks[0]).toMatchObject({ percentile: 'p95', limitMs: 300, met: true });
    expect(out.brokers[0]).toEqual({
      cluster: 'nats',
      zone: 'us-west-2a',
      server: 'nats-us-west-2a-0',
      msgsPerSec: expect.any(Number),
      utilization: expect.any(Number),
    });
    // pricing's workers sit at ρ 0.4, but the shop bundle's 2 cores run at 55 %: CPU binds first.
    expect(out).toMatchObject({ crossZoneRps: 0, crossRegionRps: 0, bottleneck: 'cpu:shop/us-west-2a', warnings: [] });
    expect(out.binding).toMatchObject({ constraint: 'cpu', name: 'shop', zone: 'us-west-2a' });
    expect(out.headroom).toBeCloseTo(1 / 0.55, 9);
  });

  it('--scale and --fail-zone are what-ifs: traffic doubles; a failed zone’s replicas and ingress move', () => {
    const file = writeDesign(example('checkout'));
    const scaled = JSON.parse(run('simulate', file, '--scale', '2', '--json').stdout);
    expect(scaled.services['cart.checkout'].arrivalRps).toBeCloseTo(600, 9);
    const failed = JSON.parse(run('simulate', file, '--fail-zone', 'us-west-2a', '--json').stdout);
    expect(failed.services['cart.checkout'].replicas).toBe(4);
    expect(Object.keys(failed.entries['edge.checkout'].zones)).toEqual(['us-west-2b', 'us-west-2c']);
    expect(failed.failedZones).toEqual(['us-west-2a']);
  });

  it('the text report names hot replicas with the path to change', () => {
    const r = run('simulate', 'example:microbus-shop');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('hot-replica at bundles[1].replicas["us-east-1c"]');
    expect(r.stdout).toMatch(/headroom \d+\.\d\d×, bottleneck workers of web\.example in us-east-1c \(ρ 0\.60\)/);
  });

  it('exits 2 and lists every problem with its path for a bad document', () => {
    const bad = example('checkout') as any;
    bad.services[2].calls[0].to = 'cart.exmple';
    bad.zones = [];
    const r = run('simulate', writeDesign(bad), '--json');
    expect(r.status).toBe(2);
    // With --json, stdout holds the failure in the API's shape; the words for a person go to stderr.
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      problems: expect.arrayContaining([
        { path: 'zones', message: 'a design needs at least one zone' },
        { path: 'services[2].calls[0].to', message: 'no service "cart.exmple"' },
      ]),
    });
    expect(r.stderr).toContain('zones: a design needs at least one zone');
    expect(r.stderr).toContain('services[2].calls[0].to: no service "cart.exmple"');
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
    expect(bad.stderr).toContain('--seed: only with --des');
    expect(run('simulate', 'example:checkout', '--des', '--requests', 'lots').status).toBe(2);
    expect(run('simulate', 'example:checkout', '--des', '--precision', '5').stderr).toContain('--precision must be a fraction');
    expect(run('simulate', 'example:checkout', '--des', '--time-budget', '0').stderr).toContain('--time-budget must be a number of seconds');
  });

  it('simulate --des: an M/M/4 at ρ 0.875 beside busier entries gets its exact P99 99.843 s inside the interval (issue 12, item 1)', () => {
    // MODEL.md §3's M/M/4 (PDQ's example) in a document with two other entries. The old DES took
    // each replication's own P99 and averaged them: 11.6 % low on average, the interval missing
    // the truth 4 times in 5. Now: percentiles from the merged histogram, sections of ≥ 100
    // relaxation times.
    const doc: TopologyInput = {
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      network: { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 },
      services: [
        { name: 's', serviceTimeMs: 10_000, workers: 4 },
        { name: 'o', serviceTimeMs: 50, workers: 4 },
        { name: 'p', serviceTimeMs: 200, workers: 8 },
      ],
      bundles: [
        { name: 'bs', services: ['s'], replicas: { a: 1 } },
        { name: 'bo', services: ['o'], replicas: { a: 1 } },
        { name: 'bp', services: ['p'], replicas: { a: 1 } },
      ],
      traffic: [
        { entry: 's', rps: 0.35 },
        { entry: 'o', rps: 1 },
        { entry: 'p', rps: 0.5 },
      ],
    };
    const r = run('simulate', writeDesign(doc), '--des', '--requests', '30000000', '--precision', '0.1', '--seed', 'issue-12', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const s = out.entries.s.latencyMs;
    expect(s.ci.p99[0]).toBeLessThanOrEqual(99_843);
    expect(s.ci.p99[1]).toBeGreaterThanOrEqual(99_843);
    expect(Math.abs(s.p99 / 99_843 - 1)).toBeLessThan(0.1);
    expect(s.ci.mean[0]).toBeLessThanOrEqual(24_757.2);
    expect(s.ci.mean[1]).toBeGreaterThanOrEqual(24_757.2);
    expect(out.des.converged).toBe(true);
    // The slowest queue sizes the run: relaxation time 1/(cμ(1 − √ρ)²) = 599 s.
    expect(out.des.relaxationMs).toBeCloseTo(599_360, -3);
    expect(out.des.slowestQueue).toContain('s in a #0');
  }, 60_000);

  it('simulate --des --time-budget stops when the time is spent, with what the finished replications say', () => {
    const r = run('simulate', 'example:microbus-shop', '--des', '--requests', '100000000', '--precision', '0', '--time-budget', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.des.stoppedBy).toBe('time');
    expect(out.des.requests).toBeLessThan(100_000_000);
    expect(out.entries['http.ingress.core'].latencyMs.ci.p99).toHaveLength(2);
  });
});

describe('busboard recommend', () => {
  it('--json prints replicas per bundle and zone, and whether SLOs and a zone failure hold', () => {
    // By hand: 300 rps per zone at 10 ms needs 5 replicas for ρ ≤ 0.7 (ρ 0.6); with a zone
    // down each survivor takes 450 rps: ρ 0.9 on 5, and p99 = ln(100)/(100 − 90) s = 460 ms,
    // so a p99 budget of 200 ms needs 6 per zone (ln(100)/(100 − 75) = 184 ms).
    const plain = JSON.parse(run('recommend', writeDesign(single()), '--json').stdout);
    expect(plain).toMatchObject({ bundles: { app: { replicas: { a: 5, b: 5, c: 5 } } }, meetsSlo: true, survivesZoneFailure: true, reasons: [] });
    const r = run('recommend', writeDesign(single({ entry: 'api', p99Ms: 200 })), '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bundles: { app: { replicas: { a: 6, b: 6, c: 6 } } }, meetsSlo: true, survivesZoneFailure: true });
  });

  it('prints the change per zone as text and exits 2 for a bad document', () => {
    const r = run('recommend', writeDesign(single()));
    expect(r.stdout).toMatch(/app\s+1 → 5 \(ρ\)\s+1 → 5 \(ρ\)\s+1 → 5 \(ρ\)/);
    expect(r.stdout).toContain('3 → 15 replicas; SLOs met; zone failure survived');
    expect(run('recommend', writeDesign({ schema: 'busboard.topology/v3', zones: [] })).status).toBe(2);
  });
});

describe('a CPU-bound design (issue 12 item 5)', () => {
  // gateway: 10 ms on 4 workers in a 1-core bundle, 3 replicas in each of 3 zones, 450 rps.
  const cpuBound = (): TopologyInput => ({
    ...single(),
    services: [{ name: 'gateway', serviceTimeMs: 10, workers: 4 }],
    bundles: [{ name: 'ingress', services: ['gateway'], replicas: { a: 3, b: 3, c: 3 }, cpu: 1 }],
    traffic: [{ entry: 'gateway', rps: 450 }],
  });

  it('simulate: at 2× with a zone down the headroom is 1/CPU (0.67×), not 1/ρ (2.67×), and says CPU binds', () => {
    // 900 rps over 6 replicas = 150 rps each: CPU = 150 × 10 ms ÷ 1 core = 1.5; ρ = 1.5 ÷ 4 workers = 0.375.
    const file = writeDesign(cpuBound());
    const out = JSON.parse(run('simulate', file, '--scale', '2', '--fail-zone', 'a', '--json').stdout);
    expect(out.services.gateway.utilization).toBeCloseTo(0.375, 9);
    expect(out.bundles.ingress.cpuUtilization).toBeCloseTo(1.5, 9);
    expect(out.headroom).toBeCloseTo(1 / 1.5, 9);
    expect(out.binding).toMatchObject({ constraint: 'cpu', name: 'ingress' });
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['cpu-overcommitted', 'workers-exceed-cores']));
    const text = run('simulate', file, '--scale', '2', '--fail-zone', 'a').stdout;
    expect(text).toMatch(/headroom 0\.67×, bottleneck CPU of bundle ingress in [bc] \(150 %\)/);
    expect(text).toMatch(/ingress\s+6\s+150\.0 %/);
  }, 60_000);

  it('recommend keeps CPU ≤ 0.7 (and < 1 with any zone down): 5 per zone at 2×, bound by CPU; the result never warns cpu-overcommitted', () => {
    // 2×: 300 rps per zone → 3 cores of work: n ≥ 3/0.7 = 4.3; a zone down, 450 rps: n > 4.5 → 5. ρ alone would give 1 per zone.
    const doc = cpuBound();
    const r = JSON.parse(run('recommend', writeDesign(doc), '--scale', '2', '--json').stdout);
    expect(r.bundles.ingress.replicas).toEqual({ a: 5, b: 5, c: 5 });
    expect(r.bundles.ingress.zones.a).toMatchObject({ current: 3, replicas: 5, binds: 'cpu' });
    expect(run('recommend', writeDesign(doc), '--scale', '2').stdout).toMatch(/ingress\s+3 → 5 \(CPU\)/);
    const after = writeDesign({ ...doc, bundles: [{ ...doc.bundles?.[0], replicas: r.bundles.ingress.replicas }] });
    for (const zone of [null, 'a', 'b', 'c']) {
      const out = JSON.parse(run('simulate', after, '--scale', '2', ...(zone ? ['--fail-zone', zone] : []), '--json').stdout);
      expect(out.warnings.map((w: { code: string }) => w.code)).not.toContain('cpu-overcommitted');
      expect(out.bundles.ingress.cpuUtilization).toBeCloseTo(zone ? 0.9 : 0.6, 9);
    }
  }, 120_000);
});

describe('busboard check (a CI gate)', () => {
  it('exits 0 when every SLO holds', () => {
    const r = run('check', 'example:checkout');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok\s+edge\.checkout p95 \d+ ms ≤ 300 ms/);
  });

  it('exits 1 and names the missed SLO; --zone-failures checks each zone down', () => {
    const tight = example('checkout');
    tight.slo = [{ entry: 'edge.checkout', p95Ms: 150 }];
    const r = run('check', writeDesign(tight));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/MISSED\s+edge\.checkout p95 \d+ ms > 150 ms\s+\[normal\]/);
    // Five single-worker replicas per zone: 60 rps each, ρ 0.6, p99 = ln(100)/(100 − 60) s = 115 ms;
    // with a zone down 90 rps each, ρ 0.9, p99 = 460 ms.
    const five = single({ entry: 'api', p99Ms: 150 }) as any;
    five.bundles[0].replicas = { a: 5, b: 5, c: 5 };
    const ok = run('check', writeDesign(five));
    expect(ok.status, ok.stdout).toBe(0);
    const down = run('check', writeDesign(five), '--zone-failures', '--json');
    expect(down.status).toBe(1);
    const out = JSON.parse(down.stdout);
    expect(out.passed).toBe(false);
    expect(out.checks.filter((c: { met: boolean }) => !c.met).map((c: { scenario: string }) => c.scenario)).toEqual([
      'with a down',
      'with b down',
      'with c down',
    ]);
    const missed = out.checks.find((c: { met: boolean }) => !c.met);
    expect(missed.valueMs).toBeGreaterThan(400);
    expect(missed.valueMs).toBeLessThan(520);
  });

  it('exits 2 with every problem and its path on stderr for a bad document', () => {
    const bad = example('checkout') as any;
    bad.slo = [{ entry: 'nobody', p95Ms: 100 }];
    bad.bundles[0].replicas['us-west-9z'] = 1;
    const r = run('check', writeDesign(bad));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('slo[0].entry: no service "nobody"');
    expect(r.stderr).toContain('bundles[0].replicas["us-west-9z"]: no zone "us-west-9z"');
  });
});

describe('time budgets (schema v2, issue 17)', () => {
  /** The single 10 ms service at 400 rps over 3 replicas (ρ 4/3 each), a 30 ms budget, no hop reserve: M/M/1+D per replica. */
  const budgeted = (maxTimeoutRate: number) => {
    const d = single({ entry: 'api', maxTimeoutRate });
    d.traffic = [{ entry: 'api', rps: 400, timeBudgetMs: 30 }];
    d.network = { ...(d.network ?? {}), timeBudgetHopMs: 0 };
    d.services = [{ name: 'api', serviceTimeMs: 10, workers: 1 }];
    return d;
  };
  // M/M/1+D (finish): P(time out) = (1 − ρ²)E/(1 − ρ²E), E = e^{−(μ − λ)D}.
  const rho = 4 / 3;
  const E = Math.exp(-(0.1 - 0.4 / 3) * 30);
  const timeout = ((1 - rho * rho) * E) / (1 - rho * rho * E);

  it('simulate --json reports timeoutRate, timedOutRps, wastedWorkRate and the entry timeout rate; no "saturated"', () => {
    const r = run('simulate', writeDesign(budgeted(0.9)), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.services.api.saturated).toBe(false);
    expect(out.services.api.method).toBe('mmcd');
    expect(out.services.api.timeoutRate).toBeCloseTo(timeout, 9);
    expect(out.services.api.timedOutRps).toBeCloseTo(400 * timeout, 6);
    expect(out.services.api.wastedWorkRate).toBeGreaterThan(0);
    expect(out.entries.api.timeoutRate).toBeCloseTo(timeout, 9);
    expect(out.entries.api.successRate).toBeCloseTo(1 - timeout, 9);
    expect(out.entries.api.latencyMs.p99).toBeLessThanOrEqual(31);
    expect(out.entries.api.slo.timeout).toMatchObject({ limit: 0.9, met: true });
  });

  it('check exits 1 naming the entry and the timing-out service when the timeout budget is exceeded; 0 within it', () => {
    const missed = run('check', writeDesign(budgeted(0.01)));
    expect(missed.status, missed.stderr).toBe(1);
    expect(missed.stdout).toContain(`MISSED  api timed out ${(timeout * 100).toPrecision(3)} % > 1.00 %  [normal]  (api times out`);
    const json = run('check', writeDesign(budgeted(0.01)), '--json');
    expect(JSON.parse(json.stdout).checks).toEqual([
      expect.objectContaining({ entry: 'api', percentile: 'timeout', limit: 0.01, met: false, value: expect.closeTo(timeout, 9) }),
    ]);
    expect(run('check', writeDesign(budgeted(0.9))).status).toBe(0);
  });
});

describe('bounded queues (schema v2, issue 17)', () => {
  /** The single 10 ms service at 400 rps over 3 replicas (ρ 4/3 each) with a line of 4: M/M/1/5 per replica. */
  const bounded = (maxRejectionRate: number) => {
    const d = single({ entry: 'api', maxRejectionRate });
    d.traffic = [{ entry: 'api', rps: 400 }];
    d.services = [{ name: 'api', serviceTimeMs: 10, workers: 1, queueLimit: 4, rejectWith: 503 }];
    return d;
  };
  // M/M/1/5 at ρ 4/3: P_K = (1 − ρ)ρ⁵/(1 − ρ⁶).
  const rho = 4 / 3;
  const block = ((1 - rho) * rho ** 5) / (1 - rho ** 6);

  it('simulate --json reports rejectedRps, rejectionRate, successRate and goodputRps; no "saturated"', () => {
    const r = run('simulate', writeDesign(bounded(0.5)), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.services.api.saturated).toBe(false);
    expect(out.services.api.method).toBe('mmck');
    expect(out.services.api.rejectionRate).toBeCloseTo(block, 9);
    expect(out.services.api.rejectedRps).toBeCloseTo(400 * block, 6);
    expect(out.services.api.replicasDetail[0].rejectionRate).toBeCloseTo(block, 9);
    expect(out.entries.api.successRate).toBeCloseTo(1 - block, 9);
    expect(out.entries.api.goodputRps).toBeCloseTo(400 * (1 - block), 6);
    expect(out.entries.api.latencyMs.p99).toBeGreaterThan(0);
    expect(out.entries.api.slo.rejection).toMatchObject({ limit: 0.5, met: true });
  });

  it('check exits 1 naming the entry and the rejecting service when the rejection budget is exceeded; 0 within it', () => {
    const missed = run('check', writeDesign(bounded(0.01)));
    expect(missed.status, missed.stderr).toBe(1);
    expect(missed.stdout).toContain(`MISSED  api rejected ${(block * 100).toPrecision(3)} % > 1.00 %  [normal]  (api rejects`);
    const json = run('check', writeDesign(bounded(0.01)), '--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout).checks).toEqual([
      expect.objectContaining({ entry: 'api', percentile: 'rejection', limit: 0.01, met: false, value: expect.closeTo(block, 9) }),
    ]);
    expect(run('check', writeDesign(bounded(0.5))).status).toBe(0);
  });

  it('a v1 file still opens (through its migration)', () => {
    const d = { ...single(), schema: 'busboard.topology/v1' };
    const r = run('simulate', writeDesign(d), '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).entries.api.successRate).toBe(1);
  });
});

describe('bin/busboard.js, the CLI as `npx busboard` runs it (TypeScript through tsx)', () => {
  it('answers exactly as the bundle the other tests run: a budgeted command (worker thread) and an unbudgeted one', () => {
    const file = writeDesign(example('checkout'));
    const source = spawnSync(process.execPath, [SOURCE_BIN, 'simulate', file, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(source.status, source.stderr).toBe(0);
    expect(JSON.parse(source.stdout)).toEqual(JSON.parse(run('simulate', file, '--json').stdout));
    const usage = spawnSync(process.execPath, [SOURCE_BIN, 'frobnicate'], { encoding: 'utf8', timeout: 60_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe(run('frobnicate').stderr);
  });
});
