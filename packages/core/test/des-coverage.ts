/**
 * The cases on which the DES's 99 % intervals are checked for coverage: documents whose figures
 * have exact values (queue-reference.ts), from MODEL.md §3 and beyond it — heavy load,
 * non-exponential own times, several entries in one document, fork–join and batch arrivals.
 * `scripts/des-coverage.ts` runs each over many seeds and counts how often each interval holds
 * its exact value; `src/des/coverage.test.ts` runs a few seeds of the hardest ones.
 */
import type { DesResult } from '../src/des/index.ts';
import type { Topology } from '../src/schema/topology.ts';
import { docOf, FREE_NETWORK } from './docs.ts';
import { batchMM1, forkJoin2Mean, maxOfExponentials, mg1, mmc, type Quantiles, tandem } from './queue-reference.ts';

export interface CoverageFigure {
  label: string;
  exact: number;
  /** The simulated value and its 99 % interval (null when the result has none). */
  read(r: DesResult): { value: number; ci: [number, number] } | null;
}

export interface CoverageCase {
  id: string;
  title: string;
  doc: Topology;
  /** The request cap for each run (runs stop earlier once every entry P99 is within ±5 %). */
  requests: number;
  figures: CoverageFigure[];
}

const KEYS = ['mean', 'p50', 'p95', 'p99'] as const;

function latencyFigures(what: 'entry' | 'service', name: string, exact: Partial<Quantiles>): CoverageFigure[] {
  return KEYS.flatMap((k) => {
    const v = exact[k];
    if (v === undefined) return [];
    return [
      {
        label: `${what} ${name} ${k}`,
        exact: v,
        read: (r: DesResult) => {
          const p = what === 'entry' ? r.entries[name]?.latencyMs : r.services[name]?.sojournMs;
          const ci = p?.ci?.[k];
          return p && ci ? { value: p[k], ci } : null;
        },
      },
    ];
  });
}

function utilization(service: string, exact: number): CoverageFigure {
  return {
    label: `replica ${service}#0 utilization`,
    exact,
    read: (r) => {
      const ci = r.des.intervals[`services[${JSON.stringify(service)}].replicasDetail[0].utilization`];
      const v = r.services[service]?.replicasDetail[0]?.utilization;
      return ci && v !== undefined ? { value: v, ci } : null;
    },
  };
}

const scaled = (q: Quantiles, k: number, add = 0): Quantiles => ({
  mean: q.mean * k + add,
  p50: q.p50 * k + add,
  p95: q.p95 * k + add,
  p99: q.p99 * k + add,
});

interface Station {
  name: string;
  rps: number;
  ms: number;
  cv?: number;
  workers?: number;
}

/** Independent single-replica stations, each its own entry and bundle. */
function stations(list: Station[]): Topology {
  return docOf({
    zones: [{ name: 'a', region: 'r' }],
    network: FREE_NETWORK,
    services: list.map((s) => ({ name: s.name, serviceTimeMs: s.ms, serviceTimeCv: s.cv ?? 1, workers: s.workers ?? 1 })),
    bundles: list.map((s) => ({ name: `b-${s.name}`, services: [s.name], replicas: { a: 1 } })),
    traffic: list.map((s) => ({ entry: s.name, rps: s.rps })),
  });
}

/** Sojourn figures of an M/M/c station (λ per second, own time in ms). */
const mmcMs = (rps: number, ms: number, c: number) => mmc(rps / 1000, 1 / ms, c);

/** A front with no queue (fixed 0.001 ms, 1000 workers): its departures are Poisson, so callees see the arrivals the theory assumes. */
function front(rps: number, calls: { to: string; perRequest?: number; parallelGroup?: string }[], callees: Station[], externals = false): Topology {
  return docOf({
    zones: [{ name: 'a', region: 'r' }],
    network: FREE_NETWORK,
    services: [
      { name: 'front', serviceTimeMs: 0.001, serviceTimeCv: 0, workers: 1000, calls },
      ...callees.map((s) => ({ name: s.name, serviceTimeMs: s.ms, serviceTimeCv: s.cv ?? 1, workers: s.workers ?? 1 })),
    ],
    externals: externals ? [{ name: 'x', latencyMs: 1000, latencyCv: 1 }] : [],
    bundles: [
      { name: 'f', services: ['front'], replicas: { a: 1 } },
      ...callees.map((s) => ({ name: `b-${s.name}`, services: [s.name], replicas: { a: 1 } })),
    ],
    traffic: [{ entry: 'front', rps }],
  });
}

const station = (s: Station, requests: number, id: string, title: string, exact: Quantiles): CoverageCase => ({
  id,
  title,
  doc: stations([s]),
  requests,
  figures: [...latencyFigures('entry', s.name, exact), utilization(s.name, (s.rps * s.ms) / 1000 / (s.workers ?? 1))],
});

/** Every case, in the order the coverage table lists them. */
export function coverageCases(): CoverageCase[] {
  const mm4 = mmcMs(0.35, 10_000, 4);
  const md1 = mg1(0.08, 10, 0);
  const mm1Heavy = mmcMs(9, 100, 1);
  const cases: CoverageCase[] = [
    station({ name: 's', rps: 8, ms: 100 }, 20_000_000, 'mm1-0.8', 'M/M/1 ρ 0.8 (λ 8, μ 10)', mmcMs(8, 100, 1)),
    station({ name: 's', rps: 9, ms: 100 }, 40_000_000, 'mm1-0.9', 'M/M/1 ρ 0.9', mm1Heavy),
    station({ name: 's', rps: 0.35, ms: 10_000, workers: 4 }, 20_000_000, 'mm4-pdq', 'M/M/4 ρ 0.875 (PDQ), alone', mm4),
    {
      id: 'mm4-multi',
      title: 'M/M/4 ρ 0.875 beside two busier entries (1.5 rps)',
      doc: stations([
        { name: 's', rps: 0.35, ms: 10_000, workers: 4 },
        { name: 'o', rps: 1, ms: 50, workers: 4 },
        { name: 'p', rps: 0.5, ms: 200, workers: 8 },
      ]),
      requests: 100_000_000,
      figures: [...latencyFigures('entry', 's', mm4), ...latencyFigures('entry', 'o', mmcMs(1, 50, 4)), utilization('s', 0.875)],
    },
    station({ name: 's', rps: 1, ms: 1000, workers: 2 }, 20_000_000, 'mm2', 'M/M/2 λ 1, μ 1', mmcMs(1, 1000, 2)),
    station({ name: 's', rps: 8, ms: 1000, workers: 10 }, 20_000_000, 'mm10', 'M/M/10 λ 8, μ 1', mmcMs(8, 1000, 10)),
    {
      id: 'tandem',
      title: 'two M/M/1 in tandem (μ − λ = 1 and 2)',
      doc: docOf({
        zones: [{ name: 'a', region: 'r' }],
        network: FREE_NETWORK,
        services: [
          { name: 'first', serviceTimeMs: 500, calls: [{ to: 'second' }] },
          { name: 'second', serviceTimeMs: 1000 / 3 },
        ],
        bundles: [
          { name: 'one', services: ['first'], replicas: { a: 1 } },
          { name: 'two', services: ['second'], replicas: { a: 1 } },
        ],
        traffic: [{ entry: 'first', rps: 1 }],
      }),
      requests: 20_000_000,
      figures: [
        ...latencyFigures('entry', 'first', scaled(tandem(), 1000)),
        ...latencyFigures('service', 'first', mmcMs(1, 500, 1)),
        ...latencyFigures('service', 'second', mmcMs(1, 1000 / 3, 1)),
      ],
    },
    ...[5, 10].map(
      (n): CoverageCase => ({
        id: `max-exp-${n}`,
        title: `max of ${n} iid Exp(1 s) (a parallel group of ${n} external calls)`,
        doc: front(10, [{ to: 'ext:x', perRequest: n, parallelGroup: 'g' }], [], true),
        requests: 20_000_000,
        figures: latencyFigures('entry', 'front', scaled(maxOfExponentials(n), 1000, 0.001)),
      }),
    ),
    station({ name: 's', rps: 80, ms: 10, cv: 0 }, 20_000_000, 'md1-0.8', 'M/D/1 ρ 0.8 (cv 0)', md1),
    station({ name: 's', rps: 50, ms: 10, cv: 2 }, 20_000_000, 'mg1-cv2-0.5', 'M/G/1 cv 2, ρ 0.5', mg1(0.05, 10, 2)),
    station({ name: 's', rps: 90, ms: 10, cv: 2 }, 100_000_000, 'mg1-cv2-0.9', 'M/G/1 cv 2, ρ 0.9', mg1(0.09, 10, 2)),
    {
      id: 'fork-join-2',
      title: 'fork–join to two distinct M/M/1 at ρ 0.5 (same arrival instants)',
      doc: front(
        50,
        [
          { to: 'a', parallelGroup: 'g' },
          { to: 'b', parallelGroup: 'g' },
        ],
        [
          { name: 'a', rps: 0, ms: 10 },
          { name: 'b', rps: 0, ms: 10 },
        ],
      ),
      requests: 20_000_000,
      figures: [
        ...latencyFigures('entry', 'front', { mean: forkJoin2Mean(0.05, 0.1) + 0.001 }),
        ...latencyFigures('service', 'a', mmcMs(50, 10, 1)),
        ...latencyFigures('service', 'b', mmcMs(50, 10, 1)),
      ],
    },
    {
      id: 'batch-5',
      title: 'perRequest 5 in a parallel group to one M/M/1 at ρ 0.5 (batches of 5)',
      doc: front(10, [{ to: 'a', perRequest: 5, parallelGroup: 'g' }], [{ name: 'a', rps: 0, ms: 10 }]),
      requests: 20_000_000,
      figures: [
        ...latencyFigures('entry', 'front', { mean: batchMM1(0.05, 0.1, 5).batchDoneMean + 0.001 }),
        ...latencyFigures('service', 'a', { mean: batchMM1(0.05, 0.1, 5).customerSojournMean }),
      ],
    },
    {
      id: 'mixed-heavy',
      title: 'three entries in one document: M/M/1 ρ 0.9, M/D/1 ρ 0.8, M/M/2 ρ 0.5',
      doc: stations([
        { name: 'heavy', rps: 9, ms: 100 },
        { name: 'fixed', rps: 8, ms: 100, cv: 0 },
        { name: 'pair', rps: 1, ms: 1000, workers: 2 },
      ]),
      requests: 200_000_000,
      figures: [
        ...latencyFigures('entry', 'heavy', mm1Heavy),
        ...latencyFigures('entry', 'fixed', scaled(md1, 10)),
        ...latencyFigures('entry', 'pair', mmcMs(1, 1000, 2)),
        utilization('heavy', 0.9),
      ],
    },
  ];
  return cases;
}
