/**
 * The in-flight and least-connections rows of packages/core/src/des/AGREEMENT.md (schema v2
 * `maxInFlight`, `routing: least-connections`): the analytic engine's approximations (pooled
 * M/M/(n·c) for least-connections, Erlang B on the mean response for a cap across calls)
 * against the DES, which simulates both exactly.
 *
 *   node --import tsx scripts/des-agreement-inflight.ts [--quick]
 */
import { createDesRun, erlangC, parseTopology, simulate, type TopologyInput } from '@busboard/core';

const quick = process.argv.includes('--quick');
const PRECISION = quick ? 0.05 : 0.02;
const REQUESTS = quick ? 2_000_000 : 20_000_000;
const ZERO = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };

interface Tier {
  n: number;
  c: number;
  rps: number;
  ownMs: number;
  cap?: number;
  lc?: boolean;
  extMs?: number;
}

function design(t: Tier): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    zones: [{ name: 'a', region: 'r' }],
    network: ZERO,
    routing: 'random',
    externals: t.extMs ? [{ name: 'x', latencyMs: t.extMs, latencyCv: 1 }] : [],
    services: [
      {
        name: 'api',
        serviceTimeMs: t.ownMs,
        workers: t.c,
        ...(t.cap === undefined ? {} : { maxInFlight: t.cap }),
        ...(t.lc ? { routing: 'least-connections' as const } : {}),
        calls: t.extMs ? [{ to: 'ext:x' }] : [],
      },
    ],
    bundles: [{ name: 'b', services: ['api'], replicas: { a: t.n } }],
    traffic: [{ entry: 'api', rps: t.rps }],
  };
}

function run(t: Tier, seed: string) {
  const parsed = parseTopology(design(t));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const a = simulate(parsed.doc);
  const d = createDesRun({ doc: parsed.doc, seed, precision: PRECISION, requests: REQUESTS }).runToEnd();
  return { a, d };
}

const pct = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}`;
const f = (v: number | null | undefined, k = 2) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(k));

const lines: string[] = [];
lines.push('#### Least-connections (JSQ) over n replicas × c workers, own time 5 ms exponential, leaf');
lines.push('');
lines.push(
  '| n | c | ρ | DES mean sojourn (ms) [99 % CI] | analytic (JSQ-stretched pool) | error | DES P99 (ms) | analytic P99 | error | pooled M/M/(n·c) alone: mean, error | random routing (M/M/c) mean |',
);
lines.push('|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|');
const ns = quick ? [2, 4] : [2, 4, 8];
const cs = quick ? [1, 4] : [1, 2, 4];
const rhos = quick ? [0.5, 0.8] : [0.5, 0.8, 0.9];
for (const n of ns)
  for (const c of cs)
    for (const rho of rhos) {
      const t: Tier = { n, c, rps: (rho * n * c * 1000) / 5, ownMs: 5, lc: true };
      const { a, d } = run(t, `lc-${n}-${c}-${rho}`);
      const rnd = simulate((parseTopology(design({ ...t, lc: false })) as { ok: true; doc: never }).doc).services.api;
      const ds = d.services.api?.sojournMs;
      const as = a.services.api?.sojournMs;
      const pooled = 5 + erlangC(n * c, rho * n * c) / ((n * c) / 5 - (rho * n * c) / 5);
      lines.push(
        `| ${n} | ${c} | ${rho} | ${f(ds?.mean, 3)} [${f(ds?.ci?.mean[0], 3)}, ${f(ds?.ci?.mean[1], 3)}] | ${f(as?.mean, 3)} | ${pct(as?.mean ?? Number.NaN, ds?.mean ?? Number.NaN)} % | ${f(ds?.p99)} | ${f(as?.p99)} | ${pct(as?.p99 ?? Number.NaN, ds?.p99 ?? Number.NaN)} % | ${f(pooled, 3)}, ${pct(pooled, ds?.mean ?? Number.NaN)} % | ${f(rnd?.sojournMs?.mean, 3)} |`,
      );
      console.error(lines.at(-1));
    }

lines.push('');
lines.push('#### In-flight caps across a call (own 5 ms exponential, then a 20 ms exponential external; cap rejection and entry mean)');
lines.push('');
lines.push('| case | DES cap rejection [99 % CI] | analytic | DES entry mean (ms) | analytic | error | DES in flight / replica | analytic |');
lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
const capCases: [string, Tier][] = [
  ['1 replica, c 16 ≥ cap 8, 240 rps (no worker line: Erlang B exact)', { n: 1, c: 16, cap: 8, rps: 240, ownMs: 5, extMs: 20 }],
  ['1 replica, c 2, cap 8, 240 rps (ρ 0.6 before the cap)', { n: 1, c: 2, cap: 8, rps: 240, ownMs: 5, extMs: 20 }],
  ['1 replica, c 2, cap 8, 360 rps (ρ 0.9)', { n: 1, c: 2, cap: 8, rps: 360, ownMs: 5, extMs: 20 }],
  ['1 replica, c 2, cap 8, 600 rps (ρ 1.5)', { n: 1, c: 2, cap: 8, rps: 600, ownMs: 5, extMs: 20 }],
  ['3 replicas, c 4, cap 10, least-connections, 1,800 rps (flow8 shape)', { n: 3, c: 4, cap: 10, lc: true, rps: 1800, ownMs: 5, extMs: 20 }],
  ['3 replicas, c 4, cap 10, least-connections, 2,400 rps', { n: 3, c: 4, cap: 10, lc: true, rps: 2400, ownMs: 5, extMs: 20 }],
  ['3 replicas, c 4, cap 10, random, 1,800 rps', { n: 3, c: 4, cap: 10, rps: 1800, ownMs: 5, extMs: 20 }],
];
for (const [label, t] of capCases) {
  const { a, d } = run(t, `cap-${label}`);
  const ci = d.des.intervals['services["api"].inFlight.capRejectionRate'];
  const de = d.entries.api?.latencyMs?.mean ?? Number.NaN;
  const ae = a.entries.api?.latencyMs?.mean ?? Number.NaN;
  lines.push(
    `| ${label} | ${f(d.services.api?.inFlight?.capRejectionRate, 4)} [${f(ci?.[0], 4)}, ${f(ci?.[1], 4)}] | ${f(a.services.api?.inFlight?.capRejectionRate, 4)} | ${f(de, 2)} | ${f(ae, 2)} | ${pct(ae, de)} % | ${f(d.services.api?.inFlight?.meanInFlight)} | ${f(a.services.api?.inFlight?.meanInFlight)} |`,
  );
  console.error(lines.at(-1));
}
console.log(lines.join('\n'));
