/**
 * `node --import tsx scripts/battery-table.ts [--auto]`: issue 12's accuracy battery as Markdown —
 * per case and entry, the analytic P50/P95/P99 with its validity, the reference (long pinned-seed
 * DES, packages/core/test/fixtures/battery-reference.json) and the error; with `--auto`, also the
 * `--method auto` figure and which side it trusts. The table in packages/core/src/des/AGREEMENT.md
 * comes from here.
 */
import { readFileSync } from 'node:fs';
import { autoCrossCheck, simulate } from '@busboard/core';
import { BATTERY } from '../packages/core/test/battery.ts';

const ref = JSON.parse(readFileSync(new URL('../packages/core/test/fixtures/battery-reference.json', import.meta.url), 'utf8'));
const withAuto = process.argv.includes('--auto');
const only = process.argv.indexOf('--cases') >= 0 ? process.argv[process.argv.indexOf('--cases') + 1]?.split(',') : undefined;
const KEYS = ['mean', 'p50', 'p95', 'p99'] as const;
const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;

console.log(
  `| case | entry | figure | analytic | validity | reference DES [99 % CI] | analytic error |${withAuto ? ' auto | trusted | auto error |' : ''}`,
);
console.log(`|---|---|---|---:|---|---:|---:|${withAuto ? '---:|---|---:|' : ''}`);
for (const c of BATTERY) {
  if (only && !only.some((p) => c.id.startsWith(p))) continue;
  const r = ref.cases[c.id];
  if (!r) continue;
  const a = simulate(c.doc, { failZones: c.failZones });
  const auto = withAuto
    ? autoCrossCheck(c.doc, { failZones: c.failZones, seed: `auto-${c.id}`, timeBudgetMs: 15_000, now: () => performance.now() })
    : null;
  for (const [name, e] of Object.entries(a.entries)) {
    const d = r.entries[name];
    for (const k of KEYS) {
      const av = e.latencyMs?.[k];
      const dv = d?.[k];
      const validity = e.validity === undefined || e.validity === 'ok' ? 'ok' : e.validity.map((v) => v.code).join(', ');
      let line = `| ${c.id} | ${name} | ${k} | ${av?.toFixed(2) ?? '—'} | ${validity} | ${dv?.toFixed(2) ?? '—'} [${d?.ci?.[k]?.[0]?.toFixed(2) ?? '—'}, ${d?.ci?.[k]?.[1]?.toFixed(2) ?? '—'}] | ${av !== undefined && dv ? pct(av, dv) : '—'} |`;
      if (auto) {
        const f = auto.entries[name]?.[k];
        line += ` ${f?.value?.toFixed(2) ?? '—'} | ${f?.trusted ?? '—'} | ${f?.value !== undefined && f.value !== null && dv ? pct(f.value, dv) : '—'} |`;
      }
      console.log(line);
    }
  }
}
