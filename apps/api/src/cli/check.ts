import { designWarnings, recommend, type SimulationResult, simulate, type Warning } from '@busboard/core';
import type { ParsedArgs } from './args.ts';
import { loadDesign, printProblems } from './load.ts';
import { failZonesFlag, fileArg, ms, scaleFlag } from './scenario.ts';

/**
 * `busboard check FILE [--scale X] [--fail-zone ZONE]... [--zone-failures] [--json]`: a CI gate.
 * Exits 1 when any SLO is missed (printing which), 0 when all hold, 2 for a bad document.
 * With --zone-failures it also checks every SLO with each zone failed in turn. An SLO's
 * `maxRejectionRate` (schema v2) is checked as a row of its own: percentile `rejection`, the
 * limit and value as fractions of the entry's requests (limitMs/valueMs stay the latency rows');
 * `maxTimeoutRate` (time budgets) the same way, percentile `timeout`.
 * An SLO for one traffic class (`slo[].class`) is checked on that class's figures; its rows carry
 * `class` and name it (`api.example [tenantB] p99 …`).
 */
const pctOf = (x: number) => `${(x * 100).toPrecision(3)} %`;

export function checkCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'check');
  const scale = scaleFlag(args);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const doc = loaded.doc;
  const failZones = failZonesFlag(args, doc);
  const scenarios: { label: string; failZones: string[] }[] = [
    { label: failZones.length ? `with ${failZones.join(', ')} down` : 'normal', failZones },
  ];
  if (args.flags.has('zone-failures'))
    for (const z of doc.zones)
      if (!failZones.includes(z.name)) scenarios.push({ label: `with ${[...failZones, z.name].join(', ')} down`, failZones: [...failZones, z.name] });

  const rows: {
    scenario: string;
    entry: string;
    class?: string;
    percentile: string;
    limitMs?: number;
    valueMs?: number | null;
    limit?: number;
    value?: number;
    met: boolean;
    reason: string | null;
  }[] = [];
  const rec = recommend(doc, { scale });
  const warnings: (Warning & { scenario: string })[] = [];
  for (const s of scenarios) {
    const r: SimulationResult = simulate(doc, { scale, failZones: s.failZones });
    // The one warning list (designWarnings): reported, not a reason to fail; SLOs decide the exit code.
    for (const w of designWarnings(doc, r, rec)) warnings.push({ ...w, scenario: s.label });
    for (const [entry, e] of Object.entries(r.entries)) {
      const groups: { cls?: string; slo: (typeof e)['slo']; reason: string | null }[] = [{ slo: e.slo, reason: e.reason }];
      for (const [cls, c] of Object.entries(e.classes ?? {})) groups.push({ cls, slo: c.slo, reason: c.reason });
      for (const g of groups) {
        const tag = g.cls === undefined ? {} : { class: g.cls };
        for (const c of g.slo?.checks ?? [])
          rows.push({
            scenario: s.label,
            entry,
            ...tag,
            percentile: c.percentile,
            limitMs: c.limitMs,
            valueMs: c.valueMs,
            met: c.met,
            reason: g.reason,
          });
        const rej = g.slo?.rejection;
        if (rej) {
          const rate = (x: (typeof r.services)[string]) => (g.cls === undefined ? x.rejectionRate : (x.classes?.[g.cls]?.rejectionRate ?? 0));
          const worst = Object.entries(r.services)
            .filter(([, x]) => rate(x) > 0)
            .sort((a, b) => rate(b[1]) - rate(a[1]))[0];
          const reason = worst ? `${worst[0]} rejects ${pctOf(rate(worst[1]))} of its ${g.cls === undefined ? '' : `${g.cls} `}requests` : null;
          rows.push({ scenario: s.label, entry, ...tag, percentile: 'rejection', limit: rej.limit, value: rej.value, met: rej.met, reason });
        }
      }
      const tmo = e.slo?.timeout;
      if (tmo) {
        const worst = Object.entries(r.services)
          .filter(([, x]) => (x.timeoutRate ?? 0) > 0)
          .sort((a, b) => (b[1].timeoutRate ?? 0) - (a[1].timeoutRate ?? 0))[0];
        const reason = worst ? `${worst[0]} times out ${pctOf(worst[1].timeoutRate ?? 0)} of its requests` : null;
        rows.push({ scenario: s.label, entry, percentile: 'timeout', limit: tmo.limit, value: tmo.value, met: tmo.met, reason });
      }
    }
  }
  const missed = rows.filter((r) => !r.met);
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify({ passed: missed.length === 0, checks: rows, warnings }, null, 2)}\n`);
    return missed.length ? 1 : 0;
  }
  if (rows.length === 0) {
    process.stdout.write(`${file}: no SLOs to check (add slo: [{entry, p95Ms…}] to the design)\n`);
    return 0;
  }
  for (const r of rows) {
    const who = r.class === undefined ? r.entry : `${r.entry} [${r.class}]`;
    if (r.percentile === 'rejection' || r.percentile === 'timeout') {
      const why = !r.met && r.reason ? `  (${r.reason})` : '';
      const verb = r.percentile === 'rejection' ? 'rejected' : 'timed out';
      process.stdout.write(
        `${r.met ? 'ok    ' : 'MISSED'}  ${who} ${verb} ${pctOf(r.value ?? 0)} ${r.met ? '≤' : '>'} ${pctOf(r.limit ?? 0)}  [${r.scenario}]${why}\n`,
      );
      continue;
    }
    const value = r.valueMs === null || r.valueMs === undefined ? `unbounded (${r.reason})` : `${ms(r.valueMs)} ms`;
    process.stdout.write(`${r.met ? 'ok    ' : 'MISSED'}  ${who} ${r.percentile} ${value} ${r.met ? '≤' : '>'} ${r.limitMs} ms  [${r.scenario}]\n`);
  }
  process.stdout.write(missed.length ? `\n${missed.length} of ${rows.length} SLO checks missed\n` : `\nall ${rows.length} SLO checks met\n`);
  for (const w of warnings) process.stdout.write(`warning: ${w.code} at ${w.path}: ${w.message}  [${w.scenario}]\n`);
  return missed.length ? 1 : 0;
}
