/**
 * `node --import tsx scripts/des-coverage.ts [--seeds N] [--cases id,id] [--requests N] [--precision P]`:
 * how often the DES's 99 % intervals hold the exact value, over many seeds, on the cases of
 * packages/core/test/des-coverage.ts (exact values from closed forms and the Beneš equation).
 * Prints a Markdown table: per figure the exact value, the coverage (runs whose interval holds
 * it), the mean estimate's error, the mean half-width, and the requests a run took. Each run is
 * an ordinary `createDesRun` with the case's request cap and the default stopping rule
 * (every entry P99 within ±5 %), seeded `coverage-<case>-<k>`.
 */
import { createDesRun } from '@busboard/core';
import { coverageCases } from '../packages/core/test/des-coverage.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seeds = Number(flag('seeds') ?? 200);
const only = flag('cases')?.split(',');
const requestsOverride = flag('requests') === undefined ? undefined : Number(flag('requests'));
const precision = flag('precision') === undefined ? undefined : Number(flag('precision'));
const minReplications = flag('min-sections') === undefined ? undefined : Number(flag('min-sections'));
const seedFrom = Number(flag('first-seed') ?? 1);

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const sig = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(5));
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;

process.stdout.write(`DES 99 % interval coverage, ${seeds} seeds per case${precision === undefined ? '' : `, precision ${precision}`}\n\n`);
process.stdout.write(
  '| case | figure | exact | covered | coverage | mean error | mean ± | runs converged | median requests |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n',
);
let worst = 1;
for (const c of coverageCases()) {
  if (only && !only.includes(c.id)) continue;
  const started = performance.now();
  const hits = c.figures.map(() => 0);
  const seen = c.figures.map(() => 0);
  const errors = c.figures.map(() => 0);
  const halves = c.figures.map(() => 0);
  const requests: number[] = [];
  let converged = 0;
  for (let k = seedFrom; k < seedFrom + seeds; k++) {
    const r = createDesRun({
      doc: c.doc,
      seed: `coverage-${c.id}-${k}`,
      requests: requestsOverride ?? c.requests,
      precision,
      minReplications,
    }).runToEnd();
    requests.push(r.des.requests);
    if ((k - seedFrom + 1) % 10 === 0) process.stderr.write(`${c.id}: ${k - seedFrom + 1}/${seeds}\n`);
    if (r.des.converged) converged++;
    c.figures.forEach((f, i) => {
      const got = f.read(r);
      if (!got) return;
      seen[i] = (seen[i] as number) + 1;
      // A figure the model fixes exactly (a fixed own time's utilization) comes back as a point: allow rounding.
      const slack = 1e-9 * Math.abs(f.exact);
      if (got.ci[0] - slack <= f.exact && f.exact <= got.ci[1] + slack) hits[i] = (hits[i] as number) + 1;
      errors[i] = (errors[i] as number) + (got.value - f.exact) / f.exact;
      halves[i] = (halves[i] as number) + (got.ci[1] - got.ci[0]) / 2 / f.exact;
    });
  }
  c.figures.forEach((f, i) => {
    const n = seen[i] as number;
    const cov = n ? (hits[i] as number) / n : 0;
    worst = Math.min(worst, cov);
    process.stdout.write(
      `| ${c.id} | ${f.label} | ${sig(f.exact)} | ${hits[i]}/${n} | ${pct(cov)}${cov < 0.97 ? ' ⚠' : ''} | ${pct((errors[i] as number) / Math.max(1, n))} | ${pct((halves[i] as number) / Math.max(1, n))} | ${converged}/${seeds} | ${median(requests).toLocaleString('en-US')} |\n`,
    );
  });
  process.stderr.write(`${c.id}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}
process.stdout.write(`\nlowest coverage: ${pct(worst)}\n`);
