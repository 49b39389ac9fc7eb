import { type SimulationResult, simulate } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { DES_FLAGS, desCommand } from './des.ts';
import { loadDesign, printProblems } from './load.ts';
import { failZonesFlag, fileArg, ms, scaleFlag } from './scenario.ts';

/** `busboard simulate FILE [--scale X] [--fail-zone ZONE]... [--json]`: the engine's figures. */
export function simulateCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'simulate');
  const scale = scaleFlag(args);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded);
    return 2;
  }
  const failZones = failZonesFlag(args, loaded.doc);
  if (args.flags.has('des')) return desCommand(args, loaded.doc, { scale, failZones });
  const stray = DES_FLAGS.filter((f) => args.flags.has(f));
  if (stray.length)
    throw new UsageError(`${stray.map((f) => `--${f}`).join(', ')}: only with --des (${DES_FLAGS.map((f) => `--${f}`).join(', ')} go with --des)`);
  const result = simulate(loaded.doc, { scale, failZones });
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  printReport(result);
  return 0;
}

function printReport(r: SimulationResult): void {
  const out = process.stdout;
  if (r.scale !== 1 || r.failedZones.length)
    out.write(`scenario: traffic × ${r.scale}${r.failedZones.length ? `, failed zones ${r.failedZones.join(', ')}` : ''}\n\n`);
  printTable(
    Object.entries(r.services).map(([name, s]) => ({
      service: name,
      rps: s.arrivalRps.toFixed(1),
      replicas: String(s.replicas),
      'ρ max': s.utilization.toFixed(3),
      'ρ mean': s.meanUtilization.toFixed(3),
      'p99 ms': ms(s.sojournMs?.p99),
      hit: s.cacheHitRate === null ? '' : s.cacheHitRate.toFixed(3),
      method: s.method,
      state: s.unavailable ? 'UNAVAILABLE' : s.saturated ? `SATURATED (+${s.excessRps.toFixed(0)} rps, needs ${s.replicasNeeded})` : 'ok',
    })),
  );
  const entries = Object.entries(r.entries);
  if (entries.length) {
    out.write('\n');
    printTable(
      entries.map(([name, e]) => ({
        entry: name,
        rps: e.rps.toFixed(1),
        'mean ms': ms(e.latencyMs?.mean),
        'p50 ms': ms(e.latencyMs?.p50),
        'p95 ms': ms(e.latencyMs?.p95),
        'p99 ms': ms(e.latencyMs?.p99),
        slo: e.slo ? e.slo.checks.map((c) => `${c.percentile} ≤ ${c.limitMs} ${c.met ? 'met' : 'MISSED'}`).join(', ') : (e.reason ?? ''),
      })),
    );
  }
  const shards = Object.entries(r.databases).flatMap(([db, d]) => d.shards.map((s) => ({ db, ...s, conn: d.connections })));
  if (shards.length) {
    out.write('\n');
    printTable(
      shards.map((s) => ({
        shard: `${s.db}/${s.name}`,
        'queries/s': s.arrivalRps.toFixed(1),
        vcpu: String(s.vcpu),
        ρ: s.utilization.toFixed(3),
        connections: `${s.conn.needed}/${s.conn.available}`,
      })),
    );
  }
  const busiest = [...r.brokers].sort((a, b) => b.utilization - a.utilization)[0];
  out.write(`\nheadroom ${r.headroom === null ? '– (no load)' : `${r.headroom.toFixed(2)}×`}, bottleneck ${r.bottleneck ?? 'none'}`);
  out.write(`, cross-zone ${r.crossZoneRps.toFixed(1)} rps, cross-region ${r.crossRegionRps.toFixed(1)} rps`);
  if (busiest) out.write(`, busiest NATS server ${busiest.server} at ${(busiest.utilization * 100).toFixed(2)} %`);
  out.write('\n');
  if (r.warnings.length) {
    out.write(`\n${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}:\n`);
    for (const w of r.warnings) out.write(`  ${w.code} at ${w.path}: ${w.message}\n`);
  }
}

export function printTable(rows: Record<string, string>[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0] as object);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(line(cols));
  for (const r of rows) process.stdout.write(line(cols.map((c) => r[c] ?? '')));
}
