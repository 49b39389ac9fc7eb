import { simulate } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { desCommand } from './des.ts';
import { loadDesign, printProblems } from './load.ts';

export function simulateCommand(args: ParsedArgs): number {
  const file = args.positional[0];
  if (!file) throw new UsageError('simulate needs a FILE (a YAML/JSON design, - for stdin, or example:<id>)');
  const scaleText = args.flags.get('scale')?.at(-1);
  const scale = scaleText === undefined ? 1 : Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0) throw new UsageError(`--scale must be a positive number, got "${scaleText}"`);
  const loaded = loadDesign(file);
  if (!loaded.ok) {
    printProblems(file, loaded);
    return 2;
  }
  const failZones = args.flags.get('fail-zone') ?? [];
  const known = new Set(loaded.doc.zones.map((z) => z.name));
  for (const z of failZones)
    if (!known.has(z)) throw new UsageError(`--fail-zone ${z}: the design has no such zone (it has ${[...known].join(', ')})`);
  if (args.flags.has('des')) return desCommand(args, loaded.doc, { scale, failZones });
  if (args.flags.has('requests') || args.flags.has('seed')) throw new UsageError('--requests and --seed go with --des');
  const result = simulate(loaded.doc, { scale, failZones });
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const rows = Object.entries(result.services).map(([name, s]) => ({
    service: name,
    rps: s.arrivalRps.toFixed(1),
    replicas: String(s.replicas),
    'ρ max': s.utilization.toFixed(3),
    state: s.unavailable ? 'UNAVAILABLE' : s.saturated ? 'SATURATED' : 'ok',
  }));
  printTable(rows);
  process.stdout.write(`\nheadroom ${result.headroom.toFixed(2)}×, bottleneck ${result.bottleneck ?? 'none'}\n`);
  return 0;
}

export function printTable(rows: Record<string, string>[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0] as object);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => `${cells.map((c, i) => c.padEnd(width[i] ?? 0)).join('  ')}\n`;
  process.stdout.write(line(cols));
  for (const r of rows) process.stdout.write(line(cols.map((c) => r[c] ?? '')));
}
