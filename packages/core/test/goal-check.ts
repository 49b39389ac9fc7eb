/**
 * Goal seek's independent yardstick for tests: a design judged from `simulate` alone, in normal
 * operation and with each zone failed — SLOs (percentiles, rejection and timeout budgets) from
 * each entry's `slo`, every service's busiest replica ρ and every bundle's busiest replica CPU.
 */
import { simulate } from '../src/engine/simulate.ts';
import type { SimulationResult } from '../src/engine/types.ts';
import type { Topology } from '../src/schema/topology.ts';

export interface Targets {
  rho: number;
  cpu: number;
  zoneFailure: boolean;
  scale?: number;
}

export const DEFAULT_TARGETS: Targets = { rho: 0.7, cpu: 0.7, zoneFailure: true };

/** Every way the design falls short (empty: it meets everything); `skipZones` leaves failed-zone scenarios out. */
export function shortfalls(doc: Topology, t: Targets = DEFAULT_TARGETS, skipZones: string[] = []): string[] {
  const out: string[] = [];
  const scenarios: (string | null)[] = [null, ...(t.zoneFailure ? doc.zones.map((z) => z.name).filter((z) => !skipZones.includes(z)) : [])];
  for (const failed of scenarios) {
    const r = simulate(doc, { scale: t.scale ?? 1, failZones: failed ? [failed] : [] });
    out.push(...judge(r, t, failed));
    if (out.length) break;
  }
  return out;
}

function judge(r: SimulationResult, t: Targets, failed: string | null): string[] {
  const out: string[] = [];
  const where = failed ? `${failed} down` : 'normal';
  for (const [name, e] of Object.entries(r.entries)) {
    if (!e.slo) continue;
    for (const c of e.slo.checks) if (!c.met) out.push(`${where}: ${name} ${c.percentile} ${c.valueMs} > ${c.limitMs}`);
    if (e.slo.rejection && !e.slo.rejection.met) out.push(`${where}: ${name} rejects ${e.slo.rejection.value}`);
    if (e.slo.timeout && !e.slo.timeout.met) out.push(`${where}: ${name} times out ${e.slo.timeout.value}`);
  }
  for (const [name, s] of Object.entries(r.services)) {
    if (s.arrivalRps > 0 && s.unavailable) out.push(`${where}: ${name} unavailable`);
    if (failed === null && s.utilization > t.rho + 1e-9) out.push(`${where}: ${name} ρ ${s.utilization} > ${t.rho}`);
    if (failed !== null && s.saturated) out.push(`${where}: ${name} saturated`);
  }
  for (const [name, b] of Object.entries(r.bundles)) {
    if (failed === null && b.cpuUtilization > t.cpu + 1e-9) out.push(`${where}: ${name} CPU ${b.cpuUtilization} > ${t.cpu}`);
    if (failed !== null && !(b.cpuUtilization < 1)) out.push(`${where}: ${name} CPU ${b.cpuUtilization} ≥ 1`);
  }
  return out;
}
