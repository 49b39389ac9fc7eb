/** The rehearsal's result as text tables: predicted, measured and the error, entry by entry and service by service. */
import { measuredAtBusiest } from '@busboard/core';
import type { RehearsalReport } from './run.ts';

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pct = (e: number | null | undefined) => (e === null || e === undefined ? '–' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} %`);
const rho = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

export function table(rows: Record<string, string>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0] as object);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i] as number) : c.padStart(width[i] as number))).join('  ');
  return [line(cols), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}

export function rehearsalText(r: RehearsalReport): string {
  const out: string[] = [];
  const o = r.options;
  out.push(
    `${r.design}: ${o.durationS} s measured after ${o.warmupS} s warm-up, dilation ×${o.dilation}` +
      `${o.scale !== 1 ? `, traffic × ${o.scale}` : ''}${o.failZones.length ? `, failed zones ${o.failZones.join(', ')}` : ''}; ${r.processes} processes`,
    '',
  );
  const entryRows: Record<string, string>[] = [];
  for (const [name, m] of Object.entries(r.measured.entries)) {
    const p = r.predicted.entries[name]?.latencyMs ?? null;
    const e = r.errors.entries[name];
    for (const q of ['p50', 'p95', 'p99'] as const) {
      entryRows.push({
        entry: q === 'p50' ? name : '',
        figure: q,
        'predicted ms': ms(p?.[q]),
        'measured ms': ms(m.latencyMs?.[q]),
        error: pct(e?.[q]),
        samples: q === 'p50' ? String(m.samples) : '',
      });
    }
  }
  out.push(table(entryRows), '');
  out.push(
    table(
      Object.entries(r.measured.services).map(([name, m]) => {
        const p = r.predicted.services[name];
        const e = r.errors.services[name];
        return {
          service: name,
          'rps pred': p ? p.arrivalRps.toFixed(1) : '–',
          'rps meas': m.arrivalRps.toFixed(1),
          'ρ pred': rho(p?.utilization),
          'ρ meas': rho(measuredAtBusiest(r.predicted, r.measured, name)),
          'ρ error': pct(e?.utilization),
          'sojourn pred': ms(p?.sojournMs?.mean),
          'sojourn meas': ms(m.sojournMs?.mean),
          'sojourn error': pct(e?.sojournMean),
        };
      }),
    ),
    '',
  );
  const held = r.target.checks.filter((c) => c.held);
  out.push(
    `target (±${r.target.tolerance * 100} % where every replica is at ρ ≤ ${r.target.maxRho}): ${held.filter((c) => c.ok).length}/${held.length} within${r.target.met ? '' : ' — NOT MET'}`,
  );
  for (const n of r.notes) out.push(`- ${n}`);
  return `${out.join('\n')}\n`;
}

export function printRehearsal(r: RehearsalReport): void {
  process.stdout.write(rehearsalText(r));
}
