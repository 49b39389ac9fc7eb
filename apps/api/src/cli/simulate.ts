import { describeBinding, designWarnings, type GoodputPoint, goodputSweep, recommend, type SimulationResult, simulate } from '@busboard/core';
import { type ParsedArgs, UsageError } from './args.ts';
import { autoCommand } from './auto.ts';
import { DES_FLAGS, desCommand } from './des.ts';
import { loadDesign, printProblems } from './load.ts';
import { asyncWhatIfFlags, failZonesFlag, fileArg, ms, scaleFlag } from './scenario.ts';
import { printAsync, streamsJson } from './simulate-async.ts';
import { printTable } from './table.ts';

/**
 * `busboard simulate FILE [--scale X] [--fail-zone ZONE]... [--event-burst N] [--consumer-outage SECONDS]
 * [--method analytic|des|auto] [--json]`: the engine's figures (`--des` = `--method des`).
 */
export function simulateCommand(args: ParsedArgs): number {
  const file = fileArg(args, 'simulate');
  const scale = scaleFlag(args);
  const loaded = loadDesign(file, args);
  if (!loaded.ok) {
    printProblems(file, loaded, args);
    return 2;
  }
  const failZones = failZonesFlag(args, loaded.doc);
  const method = args.flags.get('method')?.at(-1) ?? (args.flags.has('des') ? 'des' : 'analytic');
  if (!['analytic', 'des', 'auto'].includes(method)) throw new UsageError(`--method must be analytic, des or auto, got "${method}"`);
  const whatIf = asyncWhatIfFlags(args);
  if (whatIf && (method !== 'analytic' || args.flags.has('sweep')))
    throw new UsageError('--event-burst and --consumer-outage go with the analytic engine (no --des, --method auto or --sweep)');
  if (args.flags.has('sweep')) return sweepCommand(args, loaded.doc, scale, failZones);
  if (method === 'des') return desCommand(args, loaded.doc, { scale, failZones });
  if (method === 'auto') return autoCommand(args, loaded.doc, { scale, failZones });
  const stray = DES_FLAGS.filter((f) => args.flags.has(f));
  if (stray.length)
    throw new UsageError(`${stray.map((f) => `--${f}`).join(', ')}: only with --des (${DES_FLAGS.map((f) => `--${f}`).join(', ')} go with --des)`);
  const simulated = simulate(loaded.doc, { scale, failZones, ...(whatIf ? { async: whatIf } : {}) });
  // The one warning list (designWarnings): the designer's Results and the export dialog show the same.
  const result = { ...simulated, warnings: designWarnings(loaded.doc, simulated, recommend(loaded.doc, { scale })) };
  if (args.flags.has('json')) {
    // Schema v3: a summary of each stream and its consumers beside the whole result (issue 18).
    const streams = streamsJson(result);
    process.stdout.write(`${JSON.stringify(streams ? { ...result, streams } : result, null, 2)}\n`);
    return 0;
  }
  printReport(result);
  return 0;
}

/** `--sweep`: goodput against offered load, with and without retries (core goodputSweep). */
function sweepCommand(args: ParsedArgs, doc: Parameters<typeof goodputSweep>[0], scale: number, failZones: string[]): number {
  const text = args.flags.get('points')?.at(-1);
  const points = text === undefined ? undefined : Number(text);
  if (points !== undefined && !(Number.isInteger(points) && points >= 4 && points <= 200))
    throw new UsageError(`--points must be a whole number from 4 to 200, got "${text}"`);
  const sweep = goodputSweep(doc, { currentScale: scale, ...(points ? { points } : {}), ...(failZones.length ? { failZones } : {}) });
  if (args.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
    return 0;
  }
  const row = (p: GoodputPoint, q: GoodputPoint | undefined) => ({
    scale: `${p.scale.toFixed(2)}${p.scale === sweep.currentScale ? ' ←' : ''}`,
    'offered rps': p.offeredRps.toFixed(1),
    'goodput rps': p.goodputRps.toFixed(1),
    failed: pct(p.failureRate),
    'p99 ms': p.saturated ? 'saturated' : ms(p.p99Ms ?? undefined),
    attempts: `${p.amplification.toFixed(2)}×`,
    ...(q
      ? {
          'goodput w/o retries': q.goodputRps.toFixed(1),
          'failed w/o': pct(q.failureRate),
          'p99 w/o': q.saturated ? 'saturated' : ms(q.p99Ms ?? undefined),
        }
      : {}),
  });
  printTable(sweep.withRetries.map((p, i) => row(p, sweep.withoutRetries?.[i])));
  return 0;
}

const pct = (x: number) => `${(x * 100).toFixed(x > 0.999 && x < 1 ? 2 : 1)} %`;

function sloText(slo: NonNullable<SimulationResult['entries'][string]['slo']>): string {
  const parts = slo.checks.map((c) => `${c.percentile} ≤ ${c.limitMs} ${c.met ? 'met' : 'MISSED'}`);
  if (slo.rejection) parts.push(`rejected ≤ ${pct(slo.rejection.limit)} ${slo.rejection.met ? 'met' : 'MISSED'}`);
  return parts.join(', ');
}

/** Mean held per replica against the cap, and "LC" for least-connections routing (schema v2; blank elsewhere). */
function inFlightText(s: SimulationResult['services'][string]): string {
  const f = s.inFlight;
  if (!f) return '';
  const held = f.maxInFlight === null ? f.meanInFlight.toFixed(1) : `${f.meanInFlight.toFixed(1)}/${f.maxInFlight}`;
  return f.routing === 'least-connections' ? `${held} LC` : held;
}

function printReport(r: SimulationResult): void {
  const out = process.stdout;
  const inFlight = Object.values(r.services).some((s) => s.inFlight);
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
      ...(inFlight ? { 'in flight': inFlightText(s) } : {}),
      state: s.unavailable
        ? 'UNAVAILABLE'
        : s.saturated
          ? `SATURATED (+${s.excessRps.toFixed(0)} rps, needs ${s.replicasNeeded})`
          : s.rejectionRate > 0.0005
            ? `REJECTS ${pct(s.rejectionRate)} (${s.rejectedRps.toFixed(1)} rps)`
            : 'ok',
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
        success: pct(e.successRate),
        slo: e.slo ? sloText(e.slo) : (e.reason ?? ''),
        validity: e.validity === undefined || e.validity === 'ok' ? 'ok' : e.validity.map((v) => v.code).join(', '),
      })),
    );
  }
  // Traffic classes (schema v2): one row per class entering each entry, and its rejections at the services.
  const classRows = entries.flatMap(([name, e]) =>
    Object.entries(e.classes ?? {}).map(([cls, c]) => ({
      entry: name,
      class: cls,
      rps: c.rps.toFixed(1),
      success: pct(c.successRate),
      rejected: pct(1 - c.successRate),
      'p50 ms': ms(c.latencyMs?.p50),
      'p99 ms': ms(c.latencyMs?.p99),
      slo: c.slo ? sloText(c.slo) : (c.reason ?? ''),
    })),
  );
  if (classRows.length) {
    out.write('\n');
    printTable(classRows);
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
  const cpu = Object.entries(r.bundles).filter(([, b]) => b.replicas > 0);
  if (cpu.length) {
    out.write('\n');
    printTable(
      cpu.map(([name, b]) => ({
        bundle: name,
        replicas: String(b.replicas),
        'CPU max': `${(b.cpuUtilization * 100).toFixed(1)} %`,
        'CPU mean': `${(b.meanCpuUtilization * 100).toFixed(1)} %`,
      })),
    );
  }
  printAsync(r);
  out.write(
    `\nheadroom ${r.headroom === null ? '– (no load)' : `${r.headroom.toFixed(2)}×`}, bottleneck ${r.binding ? describeBinding(r.binding) : 'none'}`,
  );
  out.write(`, cross-zone ${r.crossZoneRps.toFixed(1)} rps, cross-region ${r.crossRegionRps.toFixed(1)} rps`);
  if (busiest) out.write(`, busiest NATS server ${busiest.server} at ${(busiest.utilization * 100).toFixed(2)} %`);
  out.write('\n');
  if (r.warnings.length) {
    out.write(`\n${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}:\n`);
    for (const w of r.warnings) out.write(`  ${w.code} at ${w.path}: ${w.message}\n`);
  }
}
