/**
 * `busboard timeline` through the real CLI (issue 19): the checkout example's day under its two
 * autoscale policies — the HPA on CPU misses the P95 in the 07:00 rush (exit 1), the HPA on
 * in-flight requests does not (exit 0) — the JSON series are per minute, --compare puts the
 * policies side by side, and an unknown policy is refused by name.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it, vi } from 'vitest';

// The CLI bundled once per run (support/programs.ts).
const BIN = inject('programs').cli;
vi.setConfig({ testTimeout: 180_000 });
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('busboard timeline', () => {
  it('--policy cpu --json: per-minute series, and the rush minute over the P95 (exit 1)', () => {
    const r = run('timeline', 'example:checkout', '--policy', 'cpu', '--json');
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('pointwise-stationary');
    expect(out.policy).toBe('cpu');
    expect(out.minutes).toBe(1440);
    const e = out.series.entries['edge.checkout'];
    expect(e.p95Ms).toHaveLength(1440);
    expect(e.rps[0]).toBeCloseTo(90, 9); // 30 % of 300 rps at night
    expect(e.rps[600]).toBe(300);
    expect(out.series.bundles.shop.zones['us-west-2a'].replicas).toHaveLength(1440);
    expect(out.totals.sloMinutesMissed).toBeGreaterThanOrEqual(1);
    expect(out.totals.sloMinutesMissedByEntry['edge.checkout']).toBe(out.totals.sloMinutesMissed);
    expect(Object.keys(out.totals.replicaHours)).toEqual(['edge', 'shop', 'payments']);
    expect(out.totals.rejected).toBe(0);
    expect(out.totals.peakP99Ms).toBeGreaterThan(300);
    // Interpolated on the rate grid by default, and the JSON says so.
    expect(out.accuracy.method).toMatch(/^pointwise-stationary, interpolated on a rate grid ≤ 1 % \(the largest midpoint discrepancy met: [\d.]+ %/);
    expect(out.accuracy.tolerance).toBe(0.01);
  });

  it('--tolerance 0 runs every distinct minute exactly; a tolerance out of range is refused (exit 2)', () => {
    const r = run('timeline', 'example:checkout', '--policy', 'in-flight', '--minutes', '60', '--tolerance', '0', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).accuracy).toEqual({
      method: 'pointwise-stationary, exact (one engine run per distinct minute)',
      tolerance: null,
      maxEstimatedError: null,
      interpolatedMinutes: 0,
    });
    const bad = run('timeline', 'example:checkout', '--tolerance', '0.5');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--tolerance must be a fraction from 0 (every minute exact) to 0.1, got "0.5"');
  });

  it('--policy in-flight holds every minute (exit 0); --compare prints both beside the bundles’ own', () => {
    const ok = run('timeline', 'example:checkout', '--policy', 'in-flight', '--json');
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).totals.sloMinutesMissed).toBe(0);
    const cmp = run('timeline', 'example:checkout', '--compare', '--json');
    const rows = JSON.parse(cmp.stdout).compare as { policy: string | null; totals: { sloMinutesMissed: number } }[];
    expect(rows.map((x) => x.policy)).toEqual([null, 'cpu', 'in-flight']);
    const text = run('timeline', 'example:checkout', '--policy', 'cpu');
    expect(text.stdout).toMatch(/SLO missed \(policy cpu\):\nentry\s+from\s+to\s+minutes\s+worst P95 ms\nedge\.checkout\s+07:03/);
  });

  it('refuses a policy the design does not define, naming those it does (exit 2)', () => {
    const r = run('timeline', 'example:checkout', '--policy', 'memory');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('busboard timeline: --policy memory: no policy "memory"; the document has "cpu", "in-flight"');
  });
});
