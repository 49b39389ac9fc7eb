/**
 * `node --import tsx scripts/battery-reference.ts [--cases prefix,prefix] [--precision P] [--budget-s S]`:
 * the reference figures of issue 12's accuracy battery (packages/core/test/battery.ts) from long
 * pinned-seed DES runs — never from the analytic engine — written to
 * packages/core/test/fixtures/battery-reference.json (cases already there are kept unless
 * listed in --cases). Each run stops when every entry P99 is known to ±P (default 1 %, 99 %
 * confidence) or after S seconds (default 600) or 400,000,000 requests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDesRun, type Percentiles } from '@busboard/core';
import { BATTERY } from '../packages/core/test/battery.ts';

const FILE = new URL('../packages/core/test/fixtures/battery-reference.json', import.meta.url);
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = arg('cases')?.split(',');
const precision = Number(arg('precision') ?? 0.01);
const budgetS = Number(arg('budget-s') ?? 600);

export interface ReferenceCase {
  id: string;
  seed: string;
  requests: number;
  precision: number;
  achievedPrecision: number;
  converged: boolean;
  stoppedBy: string;
  entries: Record<string, Percentiles | null>;
  services: Record<string, Percentiles | null>;
}

let store: { generatedBy: string; cases: Record<string, ReferenceCase> } = { generatedBy: 'scripts/battery-reference.ts', cases: {} };
try {
  store = JSON.parse(readFileSync(FILE, 'utf8'));
} catch {
  // first run
}

for (const c of BATTERY) {
  if (only && !only.some((p) => c.id.startsWith(p))) continue;
  if (!only && store.cases[c.id]) continue;
  const seed = `battery-${c.id}`;
  const t0 = performance.now();
  const run = createDesRun({
    doc: c.doc,
    seed,
    failZones: c.failZones,
    precision,
    requests: 400_000_000,
    timeBudgetMs: budgetS * 1000,
    now: () => performance.now(),
  });
  const r = run.runToEnd();
  const round = (p: Percentiles | null | undefined): Percentiles | null => {
    if (!p) return null;
    const f = (x: number) => Math.round(x * 1e6) / 1e6;
    const ci = p.ci;
    return {
      mean: f(p.mean),
      p50: f(p.p50),
      p95: f(p.p95),
      p99: f(p.p99),
      ...(ci
        ? {
            ci: {
              mean: [f(ci.mean[0]), f(ci.mean[1])],
              p50: [f(ci.p50[0]), f(ci.p50[1])],
              p95: [f(ci.p95[0]), f(ci.p95[1])],
              p99: [f(ci.p99[0]), f(ci.p99[1])],
            },
          }
        : {}),
    };
  };
  store.cases[c.id] = {
    id: c.id,
    seed,
    requests: r.des.requests,
    precision,
    achievedPrecision: Math.round(r.des.achievedPrecision * 1e5) / 1e5,
    converged: r.des.converged,
    stoppedBy: r.des.stoppedBy,
    entries: Object.fromEntries(Object.entries(r.entries).map(([k, e]) => [k, round(e.latencyMs)])),
    services: Object.fromEntries(Object.entries(r.services).map(([k, s]) => [k, round(s.sojournMs)])),
  };
  writeFileSync(FILE, `${JSON.stringify(store, null, 2)}\n`);
  // The repository's formatter decides the layout (the file is checked like any other).
  execFileSync('npx', ['biome', 'format', '--write', fileURLToPath(FILE)], { stdio: 'ignore' });
  process.stderr.write(
    `${c.id}: ${r.des.requests} requests, ±${(r.des.achievedPrecision * 100).toFixed(2)} %, ${r.des.stoppedBy}, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
}
