/**
 * The bounded-queue rows of packages/core/src/des/AGREEMENT.md (schema v2 `queueLimit`; the
 * cases are packages/core/test/bounded-agreement.ts): the analytic engine (exact M/M/c/K at cv 1,
 * the two-moment M/G/c/K otherwise) against the DES, with the closed form beside them where
 * there is one. Printed by scripts/des-agreement.ts.
 */
import { createDesRun, parseTopology, simulate, type Validity } from '@busboard/core';
import { quantile } from '../packages/core/src/distribution/lattice.ts';
import { stationLattice } from '../packages/core/src/engine/sojourn.ts';
import { boundedQueue } from '../packages/core/src/queue/bounded.ts';
import { type Station, station } from '../packages/core/src/queue/station.ts';
import { BOUNDED_CASES, type BoundedCase, boundedDesign } from '../packages/core/test/bounded-agreement.ts';

/** The DES runs until its P99 is known to ±1 % (99 % confidence), or to the request cap. */
const PRECISION = 0.01;

const f = (v: number | undefined | null, d: number) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toFixed(d));
const pct = (a: number, b: number) => (b === 0 || Number.isNaN(a - b) ? '—' : `${(((a - b) / b) * 100).toFixed(1)} %`);
const validityText = (v: Validity | undefined) => (v === undefined ? '—' : v === 'ok' ? 'ok' : v.map((n) => n.code).join(', '));

type Row = [label: string, analytic: number, exact: number | undefined, des: number, ci: [number, number] | undefined, digits: number];

/** One Markdown table per case, for AGREEMENT.md's bounded section. */
export function boundedTables(requests: number): string {
  const out: string[] = [];
  for (const c of BOUNDED_CASES) {
    const parsed = parseTopology(boundedDesign(c));
    if (!parsed.ok) throw new Error(`bounded case ${c.id} is invalid`);
    const analytic = simulate(parsed.doc);
    const des = createDesRun({ doc: parsed.doc, seed: `agreement-bounded-${c.id}`, precision: PRECISION, requests }).runToEnd();
    const a = analytic.services.s;
    const d = des.services.s;
    if (!a || !d) throw new Error('no service s');
    const rows: Row[] = [
      ['rejection rate', a.rejectionRate, c.exact?.rejection, d.rejectionRate, des.des.intervals['services["s"].rejectionRate'], 5],
      ['admitted sojourn mean (ms)', a.sojournMs?.mean ?? Number.NaN, c.exact?.mean, d.sojournMs?.mean ?? Number.NaN, d.sojournMs?.ci?.mean, 3],
      ['admitted sojourn P99 (ms)', a.sojournMs?.p99 ?? Number.NaN, c.exact?.p99, d.sojournMs?.p99 ?? Number.NaN, d.sojournMs?.ci?.p99, 3],
    ];
    out.push(
      `\n#### ${c.title} (analytic ${a.method}, validity ${validityText(a.validity)}; DES ${des.des.requests.toLocaleString('en-US')} requests, ${des.des.replications} replications${des.des.converged ? '' : ', NOT converged'})\n`,
      '| figure | exact | analytic | DES | DES 99 % interval | analytic − DES |',
      '|---|---:|---:|---:|---|---:|',
    );
    for (const [label, av, ex, dv, ci, digits] of rows) {
      const outside = ci && (av < ci[0] || av > ci[1]) ? ' ⚠' : '';
      out.push(
        `| ${label} | ${f(ex, digits)} | ${f(av, digits)}${outside} | ${f(dv, digits)} | [${f(ci?.[0], digits)}, ${f(ci?.[1], digits)}] | ${pct(av, dv)} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Issue 17's grid: workers × own-time cv × ρ × queueLimit, one replica of 5 ms. */
export const GRID = {
  workers: [1, 2, 4],
  cv: [0, 0.5, 2, 3],
  rho: [0.8, 1.2, 2],
  queueLimit: [2, 10],
};

/**
 * The figures the two-moment M/G/c/K (bounded.ts, `mgck`) gave before the exact M/G/1/K and the
 * M/PH/c/K replaced it: its blocking and mean, and the P99 of its sojourn lattice (what the
 * engine's one-replica path computed, engine/sojourn.ts).
 */
function before(lambda: number, workers: number, queueLimit: number, cv: number): { rejection: number; mean: number; p99: number } {
  const own = [{ weight: 1, mean: 5, cv }];
  const st = station({ lambda, workers, own, queueLimit });
  const old = boundedQueue(lambda, workers, queueLimit, 5, cv * cv, false);
  const mg: Station = { ...st, method: 'mgck', bounded: old, C: old.C, Wq: old.Wq, W: old.W, Lq: old.Lq, L: old.L };
  return { rejection: old.block, mean: old.W, p99: quantile(stationLattice(mg), 0.99) };
}

/** The grid as one Markdown table: analytic now, before, and the DES (to ±1 % on its P99, or the request cap). */
export function boundedGridTable(requests: number, log: (line: string) => void = () => {}): string {
  const out = [
    '| c | cv | ρ | N | method (validity) | rejection now / before / DES | err now / before | admitted mean now / before / DES (ms) | err now / before | admitted P99 now / before / DES (ms) | err now / before |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const e = (a: number, b: number) => (b === 0 ? (a === 0 ? '0' : '—') : `${(((a - b) / b) * 100).toFixed(1)}`);
  for (const workers of GRID.workers)
    for (const cv of GRID.cv)
      for (const rho of GRID.rho)
        for (const queueLimit of GRID.queueLimit) {
          const c: BoundedCase = {
            id: `grid-c${workers}-cv${cv}-rho${rho}-n${queueLimit}`,
            title: '',
            serviceTimeMs: 5,
            serviceTimeCv: cv,
            workers,
            queueLimit,
            rps: (rho * workers * 1000) / 5,
          };
          const parsed = parseTopology(boundedDesign(c));
          if (!parsed.ok) throw new Error(`bounded case ${c.id} is invalid`);
          const a = simulate(parsed.doc).services.s;
          const des = createDesRun({ doc: parsed.doc, seed: `agreement-bounded-${c.id}`, precision: PRECISION, requests }).runToEnd();
          const d = des.services.s;
          if (!a || !d) throw new Error('no service s');
          const b = before((rho * workers) / 5, workers, queueLimit, cv);
          const an = [a.rejectionRate, a.sojournMs?.mean ?? Number.NaN, a.sojournMs?.p99 ?? Number.NaN];
          const bf = [b.rejection, b.mean, b.p99];
          const ds = [d.rejectionRate, d.sojournMs?.mean ?? Number.NaN, d.sojournMs?.p99 ?? Number.NaN];
          const cells: string[] = [];
          for (let i = 0; i < 3; i++) {
            const dg = i === 0 ? 4 : 2;
            cells.push(
              `${f(an[i], dg)} / ${f(bf[i], dg)} / ${f(ds[i], dg)}${des.des.converged ? '' : '*'}`,
              `${e(an[i] as number, ds[i] as number)} / ${e(bf[i] as number, ds[i] as number)}`,
            );
          }
          const line = `| ${workers} | ${cv} | ${rho} | ${queueLimit} | ${a.method} (${validityText(a.validity)}) | ${cells.join(' | ')} |`;
          log(line);
          out.push(line);
        }
  return `${out.join('\n')}\n`;
}
