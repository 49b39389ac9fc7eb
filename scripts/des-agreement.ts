/**
 * `node --import tsx scripts/des-agreement.ts [--requests N] [--bounded | --bounded-grid | --async]`: the analytic engine
 * against the DES on the example designs, as Markdown — as they are, with 30 % more traffic, and
 * with their first zone failed — then the bounded queues of schema v2 (des-agreement-bounded.ts;
 * `--bounded` prints those alone; `--bounded-grid` issue 17's grid of them alone). The tables in packages/core/src/des/AGREEMENT.md come from
 * here. Each example's DES run stops when every entry P99 is known to ±5 % (99 % confidence), a
 * bounded case's to ±1 %, or at N requests (default 100,000,000). Pinned seeds: the same output
 * on every machine for the same code.
 */
import { createDesRun, EXAMPLES, type Percentiles, parseTopology, simulate } from '@busboard/core';
import { asyncTables } from './des-agreement-async.ts';
import { boundedGridTable, boundedTables } from './des-agreement-bounded.ts';

const FIGURES = ['mean', 'p50', 'p95', 'p99'] as const;
const at = process.argv.indexOf('--requests');
const requests = at >= 0 ? Number(process.argv[at + 1]) : 100_000_000;
const boundedOnly = process.argv.includes('--bounded');
/** `--bounded-grid`: issue 17's grid of bounded queues alone (72 DES runs, several minutes), rows as they finish. */
const gridOnly = process.argv.includes('--bounded-grid');

const f = (v: number | undefined | null, d = 2) => (v === undefined || v === null ? '—' : v.toFixed(d));
const err = (a: number | undefined, d: number | undefined) =>
  a === undefined || d === undefined || d === 0 ? '—' : `${(((a - d) / d) * 100).toFixed(1)} %`;
const outside = (a: number | undefined, ci: [number, number] | undefined) =>
  a !== undefined && ci !== undefined && (a < ci[0] || a > ci[1]) ? ' ⚠' : '';

function row(label: string, a: Percentiles | null | undefined, d: Percentiles | null | undefined, k: (typeof FIGURES)[number]): string {
  const ci = d?.ci?.[k];
  return `| ${label} | ${k} | ${f(a?.[k])}${outside(a?.[k], ci)} | ${f(d?.[k])} | [${f(ci?.[0])}, ${f(ci?.[1])}] | ${err(a?.[k], d?.[k])} |`;
}

interface Scenario {
  scale: number;
  failFirstZone: boolean;
  /** Also list the service sojourns that disagree. */
  services: boolean;
}

const SCENARIOS: Scenario[] = [
  { scale: 1, failFirstZone: false, services: true },
  { scale: 1.3, failFirstZone: false, services: true },
  { scale: 1, failFirstZone: true, services: false },
];

// `--async`: schema v3's async messaging alone (des-agreement-async.ts).
if (process.argv.includes('--async')) {
  process.stdout.write(asyncTables(requests));
  process.exit(0);
}

if (gridOnly) {
  process.stderr.write('(rows as they finish)\n');
  boundedGridTable(Math.min(requests, 4_000_000), (line) => process.stdout.write(`${line}\n`));
  process.exit(0);
}

for (const sc of boundedOnly ? [] : SCENARIOS) {
  for (const ex of EXAMPLES) {
    const parsed = parseTopology(ex.doc);
    if (!parsed.ok) throw new Error(`example ${ex.id} is invalid`);
    const failZones = sc.failFirstZone ? [parsed.doc.zones[0]?.name as string] : [];
    const analytic = simulate(parsed.doc, { scale: sc.scale, failZones });
    const des = createDesRun({ doc: parsed.doc, seed: `agreement-${ex.id}`, scale: sc.scale, failZones, requests }).runToEnd();
    const rhos = Object.values(analytic.services).flatMap((s) => s.replicasDetail.map((r) => r.utilization));
    const what = [sc.scale === 1 ? '' : ` × ${sc.scale}`, failZones.length ? `, ${failZones.join(', ')} failed` : ''].join('');
    process.stdout.write(
      `\n#### ${ex.title}${what} (busiest replica ρ ${Math.max(...rhos).toFixed(2)}; DES ${des.des.requests.toLocaleString('en-US')} requests, ${des.des.replications} replications${des.des.converged ? '' : ', NOT converged'})\n\n`,
    );
    process.stdout.write('| figure | | analytic | DES | DES 99 % interval | analytic − DES |\n|---|---|---:|---:|---|---:|\n');
    for (const [name, e] of Object.entries(des.entries))
      for (const k of FIGURES) process.stdout.write(`${row(`entry ${name}`, analytic.entries[name]?.latencyMs, e.latencyMs, k)}\n`);
    if (!sc.services) continue;
    for (const [name, s] of Object.entries(des.services)) {
      const a = analytic.services[name]?.sojournMs;
      for (const k of ['mean', 'p99'] as const) {
        const line = row(`sojourn ${name} (${analytic.services[name]?.method})`, a, s.sojournMs, k);
        // Only the service figures that disagree: the table stays readable.
        if (line.includes('⚠')) process.stdout.write(`${line}\n`);
      }
    }
  }
}

process.stdout.write(boundedTables(requests));
if (!boundedOnly) process.stdout.write(`\n${boundedGridTable(Math.min(requests, 4_000_000))}`);
