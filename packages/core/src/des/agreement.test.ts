/**
 * The agreement test: on the three example designs, the analytic engine's entry P99
 * and the simulated one agree within 10 % wherever every replica is at ρ ≤ 0.8. Per-replica
 * utilization is forced flow on both sides, so it must also fall inside the simulated interval
 * of each replica (99 % each, widened for the number compared at once). Seeds are pinned.
 */
import { describe, expect, it } from 'vitest';
import { BOUNDED_CASES, boundedDesign } from '../../test/bounded-agreement.ts';
import { usesAsync } from '../engine/async-model.ts';
import { simulate } from '../engine/simulate.ts';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { createDesRun } from './run.ts';

function example(id: string) {
  const parsed = parseTopology(EXAMPLES.find((e) => e.id === id)?.doc);
  if (!parsed.ok) throw new Error('fixture');
  return parsed.doc;
}

describe('analytic engine vs DES on the example designs', () => {
  // Nimbus pushes a tenant past its capacity on purpose (ρ 0.85, rejecting): des/classes.test.ts holds it per class.
  // Orders with events (schema v3, issue 18): async messaging joins this check once the DES simulates it.
  for (const ex of EXAMPLES.filter((e) => !e.doc.classes && !usesAsync(example(e.id)))) {
    it(`${ex.id}: entry P99s within 10 %, every replica's ρ inside its simulated interval`, () => {
      const doc = example(ex.id);
      const analytic = simulate(doc);
      const des = createDesRun({ doc, seed: `agreement-${ex.id}` }).runToEnd();
      expect(des.des.converged).toBe(true);

      const maxRho = Math.max(
        ...Object.values(analytic.services).flatMap((s) => s.replicasDetail.map((r) => r.utilization)),
        ...Object.values(analytic.databases).flatMap((d) => d.shards.map((s) => s.utilization)),
      );
      expect(maxRho, 'the examples run every replica at ρ ≤ 0.8').toBeLessThanOrEqual(0.8);

      const entries = Object.keys(des.entries);
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        const a = analytic.entries[entry]?.latencyMs;
        const d = des.entries[entry]?.latencyMs;
        expect(a, `analytic latency of ${entry}`).toBeTruthy();
        expect(d, `simulated latency of ${entry}`).toBeTruthy();
        const error = Math.abs((a?.p99 ?? 0) - (d?.p99 ?? 0)) / (d?.p99 ?? 1);
        // Issue 12: a figure is right or flagged. Flagged entries (the shop's catalog.example:
        // repeats and a hit/miss cv² of 4) may part further; unflagged ones stay within 10 %.
        if (error > 0.1)
          expect(analytic.entries[entry]?.validity, `${entry}: analytic P99 ${a?.p99} vs simulated ${d?.p99}, unflagged`).not.toBe('ok');
      }

      for (const [name, s] of Object.entries(des.services)) {
        s.replicasDetail.forEach((rep, k) => {
          const ci = des.des.intervals[`services[${JSON.stringify(name)}].replicasDetail[${k}].utilization`];
          const other = analytic.services[name]?.replicasDetail.find((x) => x.bundle === rep.bundle && x.zone === rep.zone && x.index === rep.index);
          expect(other, `${name} ${rep.zone} #${rep.index} in the analytic result`).toBeTruthy();
          // Dozens of 99 % intervals at once: a few miss an exact value by chance. Bonferroni over
          // ~40 of them with 10 replications (t 0.99987 at 9 degrees of freedom ≈ 6.0 against
          // 3.25) doubles each half-width; a routing or load error misses by far more.
          const a = other?.utilization ?? -1;
          const half = ((ci?.[1] ?? 0) - (ci?.[0] ?? 0)) / 2;
          expect(Math.abs(a - rep.utilization), `${name} ${rep.zone} #${rep.index} ρ ${a} vs ${ci}`).toBeLessThanOrEqual(2 * half + 1e-9);
        });
      }
    });
  }

  it("where they part: each replica's arrivals are not Poisson when a request calls it twice in a row, or twice at once", () => {
    // The Microbus shop's web.example calls catalog.example (same bundle, one worker) twice per
    // request. The analytic queue takes those arrivals as Poisson: one figure whatever the order.
    // Called one after another, the second call lands on the worker the first has just freed and
    // rarely waits; called at once (a parallel group), the two always collide. The DES sees both.
    const variant = (parallel: boolean) => {
      const input = structuredClone(EXAMPLES.find((e) => e.id === 'microbus-shop')?.doc);
      const web = input?.services?.find((s) => s.name === 'web.example');
      if (!input || !web?.calls) throw new Error('fixture');
      if (parallel) web.calls = web.calls.map((c) => (c.to === 'catalog.example' ? { ...c, parallelGroup: 'both' } : c));
      const parsed = parseTopology(input);
      if (!parsed.ok) throw new Error('fixture');
      const catalog = (r: { services: Record<string, { sojournMs: { mean: number; ci?: { mean: [number, number] } } | null }> }) =>
        r.services['catalog.example']?.sojournMs;
      return {
        analytic: catalog(simulate(parsed.doc)),
        des: catalog(createDesRun({ doc: parsed.doc, seed: 'order', requests: 600_000 }).runToEnd()),
      };
    };
    const sequential = variant(false);
    const parallel = variant(true);
    const analytic = sequential.analytic?.mean ?? 0;
    // Measured (AGREEMENT.md): the analytic mean is about 20 % above the sequential truth (flagged
    // short-circuit-repeats since issue 12); at once, the batch formula (M^X/G/1) follows the DES.
    expect(sequential.des?.ci?.mean[1]).toBeLessThan(analytic * 0.9);
    const par = parallel.analytic?.mean ?? 0;
    const parDes = parallel.des?.mean ?? 1;
    expect(Math.abs(par - parDes) / parDes).toBeLessThan(0.05);
  });

  // AGREEMENT.md, "Bounded queues": the table's cases, at ±2 % instead of ±1 %.
  const bounded = (id: string) => {
    const c = BOUNDED_CASES.find((x) => x.id === id);
    if (!c) throw new Error(id);
    const parsed = parseTopology(boundedDesign(c));
    if (!parsed.ok) throw new Error('fixture');
    const des = createDesRun({ doc: parsed.doc, seed: `agreement-bounded-${id}`, precision: 0.02, requests: 4_000_000 }).runToEnd();
    return { c, a: simulate(parsed.doc).services.s, d: des.services.s, rejCi: des.des.intervals['services["s"].rejectionRate'] };
  };
  const rel = (x: number | undefined, y: number | undefined) => Math.abs((x ?? Number.NaN) - (y ?? Number.NaN)) / (y ?? Number.NaN);

  it('M/M/2/7 at ρ 1.5: the analytic figures are the closed forms, and the DES holds them in its intervals', () => {
    const { c, a, d, rejCi } = bounded('mm2-7-rho1.5');
    const exact = c.exact ?? { rejection: Number.NaN, mean: Number.NaN, p99: Number.NaN };
    expect(a?.method).toBe('mmck');
    expect(a?.validity).toBe('ok');
    expect(rel(a?.rejectionRate, exact.rejection)).toBeLessThan(1e-6);
    expect(rel(a?.sojournMs?.mean, exact.mean)).toBeLessThan(1e-6);
    expect(rel(a?.sojournMs?.p99, exact.p99)).toBeLessThan(1e-5);
    for (const [what, v, ci] of [
      ['rejection', exact.rejection, rejCi],
      ['mean', exact.mean, d?.sojournMs?.ci?.mean],
      ['p99', exact.p99, d?.sojournMs?.ci?.p99],
    ] as const) {
      expect(ci?.[0], `${what} ${v} in ${ci}`).toBeLessThanOrEqual(v);
      expect(ci?.[1], `${what} ${v} in ${ci}`).toBeGreaterThanOrEqual(v);
    }
  });

  it('cv 2 at ρ 0.9: M/PH/c/K (three-moment H2 for the gamma) is flagged, rejection within 8 %, admitted mean and P99 within 5 %', () => {
    // The two-moment M/G/c/K it replaced was 11 %, 17 % and 12 % off here (AGREEMENT.md).
    const { a, d } = bounded('cv2-c2-n5-rho0.9');
    expect(a?.method).toBe('mphck');
    expect(a?.validity === 'ok' ? [] : a?.validity?.map((n) => n.code)).toContain('bounded-approximation');
    expect(rel(a?.rejectionRate, d?.rejectionRate)).toBeLessThan(0.08);
    expect(rel(a?.sojournMs?.mean, d?.sojournMs?.mean)).toBeLessThan(0.05);
    expect(rel(a?.sojournMs?.p99, d?.sojournMs?.p99)).toBeLessThan(0.05);
  });
});
