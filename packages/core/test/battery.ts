/**
 * The accuracy battery of issue 12: designs where the analytic engine's assumptions are
 * stretched, each with the what-if it is run under. Reference figures come from long
 * pinned-seed DES runs (`scripts/battery-reference.ts` → fixtures/battery-reference.json),
 * never from the engine; `src/engine/battery.test.ts` checks the analytic validity flags and the
 * `--method auto` figures against them, and `src/des/AGREEMENT.md` tabulates them.
 *
 * - fan-out: a parallel group calling k ∈ {2, 5, 10} distinct one-replica, one-worker services
 *   at ρ 0.5 (fork–join: the k queues see the same arrival instants);
 * - scatter: `perRequest` n ∈ {2, 5, 10} inside a group, to a service of 2 replicas × 2 workers
 *   at ρ 0.5 (batch arrivals);
 * - queues: one service of c workers, own time 10 ms with cv ∈ {0, 0.5, 2}, at ρ ∈ {0.5, 0.8, 0.9};
 * - the three example designs, each with each of its zones failed.
 */
import { usesAsync } from '../src/engine/async-model.ts';
import { EXAMPLES } from '../src/examples/index.ts';
import type { Topology } from '../src/schema/topology.ts';
import { docOf } from './docs.ts';

export interface BatteryCase {
  id: string;
  title: string;
  doc: Topology;
  failZones: string[];
  /** Zone that fails in an example case (for the table). */
  family: 'fan-out' | 'scatter' | 'queue' | 'example';
}

const ZONE = [{ name: 'z1', region: 'r1' }];
/** A caller whose own queue is negligible (64 workers, 1 ms): what we watch is downstream. */
const front = (calls: Topology['services'][number]['calls']) => ({ name: 'front', serviceTimeMs: 1, serviceTimeCv: 1, workers: 64, calls });
const bundle = (name: string, services: string[], replicas = 1) => ({ name, services, replicas: { z1: replicas }, cpu: 64, memoryMiB: 256 });

function fanOut(k: number): BatteryCase {
  const leaves = Array.from({ length: k }, (_, i) => `leaf${i + 1}`);
  const doc = docOf({
    name: `fan-out to ${k}`,
    zones: ZONE,
    services: [
      front(leaves.map((to) => ({ to, perRequest: 1, parallelGroup: 'fan' }))),
      ...leaves.map((name) => ({ name, serviceTimeMs: 10, serviceTimeCv: 1, workers: 1, calls: [] })),
    ],
    bundles: [bundle('front', ['front']), ...leaves.map((l) => bundle(l, [l]))],
    traffic: [{ entry: 'front', rps: 50 }],
  });
  return { id: `fan-out-${k}`, title: `fan-out to ${k} distinct services, each 1 × M/M/1 at ρ 0.5`, doc, failZones: [], family: 'fan-out' };
}

function scatter(n: number): BatteryCase {
  const doc = docOf({
    name: `scatter ${n}`,
    zones: ZONE,
    services: [
      front([{ to: 'leaf', perRequest: n, parallelGroup: 'scatter' }]),
      { name: 'leaf', serviceTimeMs: 10, serviceTimeCv: 1, workers: 2, calls: [] },
    ],
    bundles: [bundle('front', ['front']), bundle('leaf', ['leaf'], 2)],
    traffic: [{ entry: 'front', rps: 200 / n }],
  });
  return { id: `scatter-${n}`, title: `perRequest ${n} in a group, to 2 replicas × 2 workers at ρ 0.5`, doc, failZones: [], family: 'scatter' };
}

function queue(cv: number, workers: number, rho: number): BatteryCase {
  const doc = docOf({
    name: `cv ${cv}, ${workers} workers, ρ ${rho}`,
    zones: ZONE,
    services: [{ name: 'svc', serviceTimeMs: 10, serviceTimeCv: cv, workers, calls: [] }],
    bundles: [bundle('svc', ['svc'])],
    traffic: [{ entry: 'svc', rps: 100 * rho * workers }],
  });
  return { id: `queue-cv${cv}-c${workers}-rho${rho}`, title: `cv ${cv}, ${workers} workers, ρ ${rho}`, doc, failZones: [], family: 'queue' };
}

function examples(): BatteryCase[] {
  const out: BatteryCase[] = [];
  for (const ex of EXAMPLES) {
    const doc = docOf(ex.doc);
    // A one-zone design (Nimbus's single process) has nothing left when its zone fails.
    if (doc.zones.length < 2) continue;
    // Async messaging (schema v3, issue 18) joins the battery once the DES simulates it and the reference is re-run.
    if (usesAsync(doc)) continue;
    for (const z of doc.zones)
      out.push({ id: `${ex.id}-fail-${z.name}`, title: `${ex.title}, ${z.name} failed`, doc, failZones: [z.name], family: 'example' });
  }
  return out;
}

export const BATTERY: readonly BatteryCase[] = [
  ...[2, 5, 10].map(fanOut),
  ...[2, 5, 10].map(scatter),
  ...[0, 0.5, 2].flatMap((cv) => [1, 4, 16].flatMap((c) => [0.5, 0.8, 0.9].map((rho) => queue(cv, c, rho)))),
  ...examples(),
];
