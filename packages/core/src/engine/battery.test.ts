/**
 * Issue 12's accuracy battery (test/battery.ts) against long pinned-seed DES runs
 * (test/fixtures/battery-reference.json, from scripts/battery-reference.ts — never from the
 * engine):
 *
 * 1. every analytic entry figure (mean, P50, P95, P99) more than 5 % from the reference carries a
 *    validity other than `ok` — on every case;
 * 2. `--method auto` (autoCrossCheck) gives every entry P50/P95/P99 within 5 % of the reference —
 *    on a subset that keeps CI fast (one case of each flagged kind, DES to ±2 %). Unflagged
 *    figures are the analytic ones, so (1) covers them on every case; the whole battery through
 *    auto is `node --import tsx scripts/battery-table.ts --auto` (src/des/AGREEMENT.md).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BATTERY } from '../../test/battery.ts';
import { autoCrossCheck } from './auto.ts';
import { simulate } from './simulate.ts';
import type { Percentiles } from './types.ts';

interface Reference {
  cases: Record<string, { entries: Record<string, Percentiles | null>; precision: number; achievedPrecision: number }>;
}
const ref: Reference = JSON.parse(readFileSync(new URL('../../test/fixtures/battery-reference.json', import.meta.url), 'utf8'));
const KEYS = ['mean', 'p50', 'p95', 'p99'] as const;
const rel = (a: number, b: number) => Math.abs(a - b) / b;

describe('accuracy battery (issue 12)', () => {
  it('has a reference for every case', () => {
    for (const c of BATTERY) expect(ref.cases[c.id], c.id).toBeDefined();
  });

  it.each(BATTERY.map((c) => [c.id, c] as const))('%s: every analytic figure off by more than 5 % is flagged', (_, c) => {
    const r = simulate(c.doc, { failZones: c.failZones });
    const want = ref.cases[c.id];
    for (const [name, e] of Object.entries(r.entries)) {
      const d = want?.entries[name];
      if (!e.latencyMs || !d) {
        expect(e.latencyMs === null, `${name}: analytic and reference agree on having a latency`).toBe(d === null || d === undefined);
        continue;
      }
      for (const k of KEYS) {
        if (rel(e.latencyMs[k], d[k]) > 0.05) expect(e.validity, `${c.id} ${name} ${k}: ${e.latencyMs[k]} vs ${d[k]}`).not.toBe('ok');
      }
    }
  });

  const AUTO = ['fan-out-10', 'scatter-10', 'queue-cv2-c16-rho0.5', 'queue-cv0-c4-rho0.5', 'checkout-fail-us-west-2a'];
  it.each(AUTO)(
    '%s: --method auto is within 5 % of the reference',
    (id) => {
      const c = BATTERY.find((x) => x.id === id);
      if (!c) throw new Error(id);
      const r = autoCrossCheck(c.doc, { failZones: c.failZones, seed: `auto-${id}`, precision: 0.02, requests: 10_000_000 });
      expect(r.des, 'something is flagged, so the DES ran').not.toBeNull();
      for (const [name, row] of Object.entries(r.entries)) {
        const d = ref.cases[id]?.entries[name];
        if (!d) throw new Error(`${id}: no reference for ${name}`);
        for (const k of ['p50', 'p95', 'p99'] as const) {
          const f = row[k];
          expect(rel(f.value, d[k]), `${id} ${name} ${k}: auto ${f.value} (${f.trusted}) vs ${d[k]}`).toBeLessThan(0.05);
        }
      }
    },
    120_000,
  );
});
