/**
 * `busboard timeline --des` through the real CLI (issue 19): the DES with time over the checkout
 * example's 07:00 rush under the HPA on CPU — per-minute series in the analytic timeline's shape
 * with 99 % intervals and the analytic P99 beside, the minute over the P95 SLO (exit 1) — and a
 * window that is not one refused (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, inject, it, vi } from 'vitest';

const BIN = inject('programs').cli;
vi.setConfig({ testTimeout: 180_000 });
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('busboard timeline --des', () => {
  it('--from 419 --to 424 --json: the rush minute by minute, with intervals, over the P95 at 07:03 (exit 1)', () => {
    const r = run('timeline', 'example:checkout', '--des', '--policy', 'cpu', '--from', '419', '--to', '424', '--replications', '3', '--json');
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('des');
    expect(out.series.minutes).toEqual([419, 420, 421, 422, 423]);
    const e = out.series.entries['edge.checkout'];
    for (const k of ['rps', 'p50Ms', 'p95Ms', 'p99Ms', 'sloMet', 'p99Ci', 'samples']) expect(e[k]).toHaveLength(5);
    expect(e.rps[0]).toBeGreaterThan(80); // 30 % of 300 rps before the rush
    expect(e.rps[0]).toBeLessThan(100);
    expect(e.rps[4]).toBeGreaterThan(280);
    for (const [lo, hi] of e.p99Ci) expect(lo).toBeLessThan(hi);
    expect(e.sloMet.at(-1)).toBe(false);
    expect(out.totals.sloMinutesMissed).toBeGreaterThanOrEqual(1);
    expect(out.series.analytic.p99Ms['edge.checkout']).toHaveLength(5);
    // The pods the analytic HPA on CPU set: a second shop pod per zone created at 07:02, not yet serving at 07:03.
    expect(out.series.bundles.shop.zones['us-west-2a'].replicas).toEqual([1, 1, 1, 2, 2]);
    expect(out.series.bundles.shop.zones['us-west-2a'].ready).toEqual([1, 1, 1, 1, 1]);
    const text = run('timeline', 'example:checkout', '--des', '--policy', 'cpu', '--from', '422', '--to', '424', '--replications', '2');
    expect(text.stdout).toMatch(/DES over minutes 422–424/);
    expect(text.stdout).toMatch(/07:03 .*MISSED/);
  });

  it('refuses a window that ends before it starts (exit 2)', () => {
    const r = run('timeline', 'example:checkout', '--des', '--from', '30', '--to', '20');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--to must be after --from (got 30 to 20)');
  });
});
