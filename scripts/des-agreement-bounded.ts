/**
 * The bounded-queue rows of packages/core/src/des/AGREEMENT.md (schema v2 `queueLimit`; the
 * cases are packages/core/test/bounded-agreement.ts): the analytic engine (exact M/M/c/K at cv 1,
 * the two-moment M/G/c/K otherwise) against the DES, with the closed form beside them where
 * there is one. Printed by scripts/des-agreement.ts.
 */
import { createDesRun, parseTopology, simulate, type Validity } from '@busboard/core';
import { BOUNDED_CASES, boundedDesign } from '../packages/core/test/bounded-agreement.ts';

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
