/**
 * The autoscaler's CPU target from the engine's figures: the CPU utilization at which a
 * bundle's busiest service reaches the engine's target ρ.
 */
import type { SimulationResult } from '../engine/types.ts';
import type { BundleT, Topology } from '../schema/topology.ts';
import { TARGET_UTILIZATION } from './recommendation.ts';

/**
 * The CPU utilization (of the request) at which the bundle's busiest service reaches the
 * engine's target ρ, at the design's mix of load: CPU per replica = Σ ρ_s·workers_s / cpu
 * (ρ·workers is the service's busy time per second), and both grow in proportion to traffic.
 * When the CPU would pass 100 % first, CPU is the constraint and the target is the same ρ.
 */
export function cpuTarget(
  doc: Topology,
  result: SimulationResult,
  bundle: BundleT,
  zones: string[],
): { cpuPercent: number; cpuUtilization: number; why: string } {
  let busy = 0;
  let rhoMax = 0;
  let busiest = '';
  for (const name of bundle.services) {
    const svc = doc.services.find((s) => s.name === name);
    const r = result.services[name];
    if (!svc || !r) continue;
    const mine = r.replicasDetail.filter((d) => d.bundle === bundle.name && zones.includes(d.zone));
    const rho = mine.length ? mine.reduce((n, d) => n + d.utilization, 0) / mine.length : 0;
    busy += rho * svc.workers;
    if (rho > rhoMax) {
      rhoMax = rho;
      busiest = name;
    }
  }
  const cpu = busy / bundle.cpu;
  const target = Math.round(TARGET_UTILIZATION * 100);
  if (rhoMax <= 0 || !Number.isFinite(cpu))
    return {
      cpuPercent: target,
      cpuUtilization: 0,
      why: `CPU target ${target} % (no traffic reaches it in the design; the engine's target utilization)`,
    };
  const ratio = cpu / rhoMax;
  if (ratio >= 1)
    return {
      cpuPercent: target,
      cpuUtilization: cpu,
      why: `CPU target ${target} %: CPU (${pct(cpu)} at the design's load) fills before ${busiest}'s workers do (ρ ${rhoMax.toPrecision(2)}), so CPU is aimed at the engine's ρ ${TARGET_UTILIZATION}`,
    };
  const cpuPercent = Math.max(1, Math.round(target * ratio));
  return {
    cpuPercent,
    cpuUtilization: cpu,
    why: `CPU target ${cpuPercent} %: at the design's load CPU is ${pct(cpu)} while ${busiest} is at ρ ${rhoMax.toPrecision(2)}; ${busiest} reaches the engine's ρ ${TARGET_UTILIZATION} when CPU reaches ${cpuPercent} %`,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
}
