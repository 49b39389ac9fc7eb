/**
 * Warming pods, both engines (issue 19): the DES confirms what the analytic timeline says of the
 * checkout example's 07:00 rush — the HPA on CPU misses the P95 (300 ms) at its worst minute
 * beyond the DES's 99 % interval, the HPA on in-flight requests holds it beyond that interval —
 * and a warming M/M/1 pod's closed form (des/AGREEMENT.md, "The DES with time").
 */
import { describe, expect, it } from 'vitest';
import { checkout } from '../examples/checkout.ts';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { timeline } from '../timeline/run.ts';
import { desTimeline } from './timeline-run.ts';

function parsed(doc: TopologyInput) {
  const r = parseTopology(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

/** The worst analytic minute of the rush (06:56–07:11) and the DES's P95 and interval there. */
function worst(policy: string) {
  const doc = parsed(checkout);
  const a = timeline(doc, { policy, minutes: 432 });
  if (!a.ok) throw new Error('timeline');
  const p95 = a.timeline.series.entries['edge.checkout']?.p95Ms ?? [];
  let minute = 416;
  for (let m = 416; m < 432; m++) if ((p95[m] ?? 0) > (p95[minute] ?? 0)) minute = m;
  const d = desTimeline(doc, { policy, from: minute, to: minute + 1, warmupMinutes: 2, replications: 4, seed: 1 });
  if (!d.ok) throw new Error('des');
  const e = d.result.series.entries['edge.checkout'];
  return { minute, analytic: p95[minute] as number, des: e?.p95Ms[0] as number, ci: e?.p95Ci[0] as [number, number] };
}

describe('warming pods: the DES confirms the checkout rush’s verdicts', () => {
  it('the HPA on CPU misses the P95 at 07:03 (beyond the 99 % interval); on in-flight it holds at its worst minute', () => {
    const cpu = worst('cpu');
    expect(cpu.minute).toBe(423); // 07:03
    expect(cpu.analytic).toBeGreaterThan(300);
    expect(cpu.ci[0]).toBeGreaterThan(300);
    const inflight = worst('in-flight');
    expect(inflight.minute).toBe(422); // 07:02
    expect(inflight.analytic).toBeLessThan(300);
    expect(inflight.ci[1]).toBeLessThan(300);
  });

  it('a pod warming at half pace with its full share: P95 of the mixture ½e^{−(μ−λ/2)t} + ½e^{−(μ/2−λ/2)t}, 115.29 ms', () => {
    // Two M/M/1 pods (10 ms), random routing, 60 rps; zone b's pod is re-created at 2:00 and warms
    // at half pace until 5:00. Each pod gets 30 rps: the warm one is M/M/1 at μ 100, the warming
    // one at μ 50: P(T > t) = ½e^{−70t} + ½e^{−20t} = 0.05 at t = 115.29 ms (the bundle average,
    // own times × 2/(1 + ½), says ln 20/45 = 66.57 ms).
    const doc = parsed({
      schema: 'busboard.topology/v3',
      routing: 'random',
      zones: [
        { name: 'a', region: 'r' },
        { name: 'b', region: 'r' },
      ],
      services: [{ name: 'api.example', serviceTimeMs: 10, serviceTimeCv: 1, workers: 1 }],
      bundles: [
        {
          name: 'api',
          services: ['api.example'],
          replicas: { a: 1, b: 1 },
          cpu: 1,
          startup: { delaySeconds: 0, warmupSeconds: 180, warmupFactor: 2 },
        },
      ],
      traffic: [{ entry: 'api.example', rps: 60 }],
      timeline: [
        { atMinute: 1, failZone: 'b' },
        { atMinute: 2, restoreZone: 'b' },
      ],
    });
    const S = (t: number) => 0.5 * Math.exp(-70 * t) + 0.5 * Math.exp(-20 * t);
    let lo = 0;
    let hi = 1;
    for (let i = 0; i < 100; i++) [lo, hi] = S((lo + hi) / 2) > 0.05 ? [(lo + hi) / 2, hi] : [lo, (lo + hi) / 2];
    const exact = lo * 1000;
    expect(exact).toBeCloseTo(115.286, 2);
    const a = timeline(doc, { minutes: 5 });
    if (!a.ok) throw new Error('timeline');
    const p95 = a.timeline.series.entries['api.example']?.p95Ms ?? [];
    expect(Math.abs((p95[3] as number) / exact - 1)).toBeLessThan(0.005);
    expect(a.timeline.series.stationary[3]).toBe(false);
    expect(a.timeline.series.stationaryWhy[3]).toContain('api: pods warming up');
    const d = desTimeline(doc, { from: 3, to: 4, warmupMinutes: 1, replications: 4, seed: 3 });
    if (!d.ok) throw new Error('des');
    const ci = d.result.series.entries['api.example']?.p95Ci[0] as [number, number];
    expect(ci[0]).toBeLessThan(exact);
    expect(ci[1]).toBeGreaterThan(exact);
  });
});
