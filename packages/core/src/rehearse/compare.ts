/**
 * Predicted against measured: every error is (predicted − measured) / measured, so +0.10 means
 * the model says 10 % more than was measured. The target: entry P50/P95/P99 and each
 * service's utilization within 15 % where every replica the figure depends on is at ρ ≤ 0.8.
 */
import type { ComparisonRow } from '../calibrate/compare.ts';
import type { SimulationResult } from '../engine/types.ts';
import type { Measured } from './summarize.ts';

export interface RehearsalErrors {
  entries: Record<string, { p50: number | null; p95: number | null; p99: number | null; mean: number | null }>;
  services: Record<string, { utilization: number | null; sojournMean: number | null; arrivalRps: number | null }>;
}

export interface TargetCheck {
  /** `entries.<name>.p95`, `services.<name>.utilization`… */
  figure: string;
  predicted: number | null;
  measured: number | null;
  error: number | null;
  /** Held to the target: every replica it depends on is predicted at ρ ≤ maxRho. */
  held: boolean;
  /** Why it is not held, when it is not. */
  reason: string | null;
  ok: boolean;
}

export interface TargetSummary {
  tolerance: number;
  maxRho: number;
  checks: TargetCheck[];
  /** Every held check within tolerance. */
  met: boolean;
}

/**
 * The measured ρ to hold against the engine's busiest replica: the replicas of the zones the
 * engine predicts busiest (within 1 %), averaged. Taking the measured maximum instead would
 * favour whichever replica happened to be busiest by chance, an upward bias of a few percent.
 */
export function measuredAtBusiest(predicted: SimulationResult, measured: Measured, service: string): number | null {
  const p = predicted.services[service];
  const m = measured.services[service];
  if (!p || !m) return null;
  const top = p.replicasDetail.reduce((a, r) => Math.max(a, r.utilization), 0);
  const zones = new Set(p.replicasDetail.filter((r) => r.utilization >= top * 0.99).map((r) => r.zone));
  const picked = m.replicas.filter((r) => zones.has(r.zone));
  if (picked.length === 0) return m.utilization;
  return picked.reduce((a, r) => a + r.utilization, 0) / picked.length;
}

/** (p − m)/m, or null when either is missing or m is 0. */
export function relativeError(predicted: number | null | undefined, measured: number | null | undefined): number | null {
  if (predicted === null || predicted === undefined || measured === null || measured === undefined || !(measured > 0)) return null;
  return (predicted - measured) / measured;
}

export function rehearsalErrors(predicted: SimulationResult, measured: Measured): RehearsalErrors {
  const entries: RehearsalErrors['entries'] = {};
  for (const [name, m] of Object.entries(measured.entries)) {
    const p = predicted.entries[name]?.latencyMs ?? null;
    entries[name] = {
      p50: relativeError(p?.p50, m.latencyMs?.p50),
      p95: relativeError(p?.p95, m.latencyMs?.p95),
      p99: relativeError(p?.p99, m.latencyMs?.p99),
      mean: relativeError(p?.mean, m.latencyMs?.mean),
    };
  }
  const services: RehearsalErrors['services'] = {};
  for (const [name, m] of Object.entries(measured.services)) {
    const p = predicted.services[name];
    services[name] = {
      utilization: relativeError(p?.utilization, measuredAtBusiest(predicted, measured, name)),
      sojournMean: relativeError(p?.sojournMs?.mean, m.sojournMs?.mean),
      arrivalRps: relativeError(p?.arrivalRps, m.arrivalRps),
    };
  }
  return { entries, services };
}

/** Services an entry's requests can reach (the entry itself included). */
function reachable(predicted: SimulationResult, calls: Record<string, string[]>, entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const s = stack.pop() as string;
    if (seen.has(s) || !predicted.services[s]) continue;
    seen.add(s);
    stack.push(...(calls[s] ?? []));
  }
  return [...seen];
}

export function targetSummary(
  predicted: SimulationResult,
  measured: Measured,
  calls: Record<string, string[]>,
  options: { tolerance?: number; maxRho?: number } = {},
): TargetSummary {
  const tolerance = options.tolerance ?? 0.15;
  const maxRho = options.maxRho ?? 0.8;
  const checks: TargetCheck[] = [];
  const hot = (services: string[]) => services.filter((s) => (predicted.services[s]?.utilization ?? 0) > maxRho);
  const push = (figure: string, p: number | null | undefined, m: number | null | undefined, hotOnes: string[]) => {
    const error = relativeError(p, m);
    const held = hotOnes.length === 0 && error !== null;
    const reason = hotOnes.length
      ? `${hotOnes.join(', ')} predicted above ρ ${maxRho}`
      : error === null
        ? 'nothing to compare (no prediction or no measurement)'
        : null;
    checks.push({ figure, predicted: p ?? null, measured: m ?? null, error, held, reason, ok: !held || Math.abs(error as number) <= tolerance });
  };
  for (const [name, m] of Object.entries(measured.entries)) {
    const p = predicted.entries[name]?.latencyMs ?? null;
    const h = hot(reachable(predicted, calls, name));
    for (const q of ['p50', 'p95', 'p99'] as const) push(`entries.${name}.${q}`, p?.[q], m.latencyMs?.[q], h);
  }
  for (const name of Object.keys(measured.services)) {
    push(`services.${name}.utilization`, predicted.services[name]?.utilization, measuredAtBusiest(predicted, measured, name), hot([name]));
  }
  return { tolerance, maxRho, checks, met: checks.every((c) => c.ok) };
}

/**
 * A rehearsal's figures as the predicted-vs-measured panel shows them (the same rows as a
 * Prometheus comparison): per entry its rate and P50/P95/P99, per service its rate, ρ of the
 * predicted-busiest zone, and its sojourn (queue + own time) mean and P99.
 */
export function rehearsalRows(predicted: SimulationResult, measured: Measured): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const row = (r: Omit<ComparisonRow, 'error' | 'note'>, note: string | null = null) =>
    rows.push({ ...r, error: relativeError(r.predicted, r.measured), note });
  for (const [name, m] of Object.entries(measured.entries)) {
    const p = predicted.entries[name];
    row({ kind: 'entry', name, figure: 'rps', unit: 'req/s', predicted: p?.rps ?? null, measured: m.rps });
    for (const q of ['p50', 'p95', 'p99'] as const)
      row(
        { kind: 'entry', name, figure: q, unit: 'ms', predicted: p?.latencyMs?.[q] ?? null, measured: m.latencyMs?.[q] ?? null },
        q === 'p50' ? `${m.samples} requests` : null,
      );
  }
  for (const [name, m] of Object.entries(measured.services)) {
    const p = predicted.services[name];
    row({ kind: 'service', name, figure: 'rps', unit: 'req/s', predicted: p?.arrivalRps ?? null, measured: m.arrivalRps });
    row({
      kind: 'service',
      name,
      figure: 'utilization',
      unit: '',
      predicted: p?.utilization ?? null,
      measured: measuredAtBusiest(predicted, measured, name),
    });
    row({ kind: 'service', name, figure: 'sojourn mean', unit: 'ms', predicted: p?.sojournMs?.mean ?? null, measured: m.sojournMs?.mean ?? null });
    row({ kind: 'service', name, figure: 'sojourn p99', unit: 'ms', predicted: p?.sojournMs?.p99 ?? null, measured: m.sojournMs?.p99 ?? null });
  }
  return rows;
}
