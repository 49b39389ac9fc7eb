/**
 * `node --import tsx scripts/budget-agreement.ts`: the time-budget rows of src/des/AGREEMENT.md —
 * M/M/c+D closed forms (queue/impatient.ts) against the analytic engine and pinned-seed DES runs,
 * and the approximations (`onTimeout: stop`, a downstream deadline, the Microbus example with a zone
 * failed) against the DES alone. Prints markdown.
 */
import { createDesRun, getExample, impatientQueue, parseTopology, type SimulationResult, simulate, type TopologyInput } from '@busboard/core';

const ZERO = { natsHopMs: 0, crossZoneMs: 0, crossRegionMs: 0, shortCircuitMs: 0, dbCallMs: 0 };
const single = (rps: number, ms: number, workers: number, budgetMs: number, onTimeout: 'finish' | 'stop'): TopologyInput => ({
  schema: 'busboard.topology/v3',
  zones: [{ name: 'a', region: 'r' }],
  network: { ...ZERO, timeBudgetHopMs: 0 },
  services: [{ name: 's', serviceTimeMs: ms, workers, onTimeout }],
  bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
  traffic: [{ entry: 's', rps, timeBudgetMs: budgetMs }],
});
const chain: TopologyInput = {
  schema: 'busboard.topology/v3',
  zones: [{ name: 'a', region: 'r' }],
  network: { ...ZERO, natsHopMs: 1, timeBudgetHopMs: 20 },
  services: [
    { name: 'front', serviceTimeMs: 5, workers: 2, calls: [{ to: 'back' }] },
    { name: 'back', serviceTimeMs: 10, workers: 1 },
  ],
  bundles: [
    { name: 'f', services: ['front'], replicas: { a: 1 } },
    { name: 'k', services: ['back'], replicas: { a: 1 } },
  ],
  traffic: [{ entry: 'front', rps: 120, timeBudgetMs: 60 }],
};

type Row = [string, number | null, (r: SimulationResult) => number | undefined | null, string | null];

function table(title: string, input: TopologyInput, rows: Row[], failZones: string[] = [], requests = 1_000_000) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const a = simulate(parsed.doc, { failZones });
  const d = createDesRun({ doc: parsed.doc, seed: 2026, requests, failZones }).runToEnd();
  console.log(`#### ${title} (DES ${d.des.requests.toLocaleString('en-US')} requests)\n`);
  console.log('| figure | exact | analytic | DES | DES 99 % interval | analytic − DES |');
  console.log('|---|---:|---:|---:|---|---:|');
  for (const [name, exact, get, path] of rows) {
    const av = get(a) ?? Number.NaN;
    const dv = get(d) ?? Number.NaN;
    const iv = path ? d.des.intervals[path] : undefined;
    const f = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(2) : x.toFixed(4));
    const diff = dv !== 0 ? `${(((av - dv) / dv) * 100).toFixed(1)} %` : '—';
    console.log(`| ${name} | ${exact === null ? '—' : f(exact)} | ${f(av)} | ${f(dv)} | ${iv ? `[${f(iv[0])}, ${f(iv[1])}]` : '—'} | ${diff} |`);
  }
  console.log('');
}

const q15 = impatientQueue(3, 2, 1, 3);
const to15 = q15.abandon + q15.timeoutInService;
table('M/M/2+D, 5 ms, 600 rps (ρ 1.5), budget 15 ms, finish: exact (mmcd)', single(600, 5, 2, 15, 'finish'), [
  ['timeout rate', to15, (r) => r.services.s?.timeoutRate, 'services["s"].timeoutRate'],
  ['served sojourn mean (ms)', 5 * (q15.servedWq + 1), (r) => r.services.s?.sojournMs?.mean, null],
  ['wasted work (cores)', 0.6 * 5 * q15.wastedFinish, (r) => r.services.s?.wastedWorkRate, 'services["s"].wastedWorkRate'],
  ['entry success', 1 - to15, (r) => r.entries.s?.successRate, 'entries["s"].successRate'],
  ['success P50 (ms)', null, (r) => r.entries.s?.latencyMs?.p50, null],
  ['success P99 (ms)', null, (r) => r.entries.s?.latencyMs?.p99, null],
]);
const q08 = impatientQueue(0.8, 1, 1, 2);
table('M/M/1+D, 10 ms, 80 rps (ρ 0.8), budget 20 ms, finish: exact (mmcd)', single(80, 10, 1, 20, 'finish'), [
  ['timeout rate', q08.abandon + q08.timeoutInService, (r) => r.services.s?.timeoutRate, 'services["s"].timeoutRate'],
  ['served sojourn mean (ms)', 10 * (q08.servedWq + 1), (r) => r.services.s?.sojournMs?.mean, null],
]);
table('M/M/2+D, ρ 1.5, budget 15 ms, stop: approximate (utilization correction)', single(600, 5, 2, 15, 'stop'), [
  ['timeout rate', null, (r) => r.services.s?.timeoutRate, 'services["s"].timeoutRate'],
  ['wasted work (cores)', null, (r) => r.services.s?.wastedWorkRate, 'services["s"].wastedWorkRate'],
  ['success P99 (ms)', null, (r) => r.entries.s?.latencyMs?.p99, null],
]);
table('front → back (ρ 1.2), budget 60 ms, hop reserve 20 ms: mean downstream deadline', chain, [
  ['entry success', null, (r) => r.entries.front?.successRate, 'entries["front"].successRate'],
  ['back timeout rate', null, (r) => r.services.back?.timeoutRate, 'services["back"].timeoutRate'],
  ['success P50 (ms)', null, (r) => r.entries.front?.latencyMs?.p50, null],
  ['success P99 (ms)', null, (r) => r.entries.front?.latencyMs?.p99, null],
]);
const ex = getExample('microbus-budget')?.doc as TopologyInput;
table(
  'example microbus-budget, us-east-1c failed (orders ρ 1.125, stop; recs unanswered)',
  ex,
  [
    ['entry success', null, (r) => r.entries['http.ingress.core']?.successRate, 'entries["http.ingress.core"].successRate'],
    ['orders timeout rate', null, (r) => r.services['orders.example']?.timeoutRate, 'services["orders.example"].timeoutRate'],
    ['orders wasted work (cores)', null, (r) => r.services['orders.example']?.wastedWorkRate, 'services["orders.example"].wastedWorkRate'],
    ['success P50 (ms)', null, (r) => r.entries['http.ingress.core']?.latencyMs?.p50, null],
    ['success P99 (ms)', null, (r) => r.entries['http.ingress.core']?.latencyMs?.p99, null],
  ],
  ['us-east-1c'],
  1_500_000,
);
