/**
 * What binds each zone of goal seek's answer: the first thing that breaks with one replica fewer
 * there (its own bundle's ρ or CPU in normal operation first, then any SLO, then the same with
 * a zone down), or the floor of one replica per zone the bundle uses.
 */
import type { Model } from '../engine/model.ts';
import { type Check, checksAt, worstRatios } from '../engine/recommend/capacity.ts';
import type { Evaluation, Evaluator, Failure } from './evaluate.ts';
import type { GoalBinding, GoalConstraintKind } from './types.ts';

/** Per replica class (b·Z + z): the binding constraint; undefined for zones a bundle does not use. */
export function describeBindings(ev: Evaluator, answer: Evaluation, used: number[][]): GoalBinding[] {
  const Z = ev.model.zones.length;
  const out: GoalBinding[] = [];
  const checks = checksAt(ev.model, answer.counts, ev.scale, ev.targets);
  used.forEach((zs, b) => {
    const bundle = ev.model.bundles[b]?.name ?? '';
    for (const z of zs) {
      const c = b * Z + z;
      const n = answer.counts[c] as number;
      const zone = ev.model.zones[z] as string;
      if (n <= 1) {
        out[c] = { kind: 'floor', detail: `the floor: one replica of ${bundle} in each zone it uses` };
        continue;
      }
      const trial = Int32Array.from(answer.counts);
      trial[c] = n - 1;
      // The bundle's own ρ or CPU (on the answer's placements) first: no full evaluation needed.
      const own = utilization(ev.model, b, trial.subarray(b * Z, b * Z + Z), checks);
      if (own) {
        out[c] = { kind: own.kind, detail: `${n - 1} in ${zone}: ${own.text}` };
        continue;
      }
      const t = ev.evaluate(trial);
      const f = pick(t.failures, b);
      out[c] = f
        ? { kind: kindOf(f), detail: `${n - 1} in ${zone}: ${f.text}` }
        : { kind: 'floor', detail: `${n - 1} in ${zone} also meets every constraint (the search stopped at its budget)` };
    }
  });
  return out;
}

/** The first of bundle b's ρ and CPU limits that counts n break, normal operation first; null when they hold. */
function utilization(model: Model, b: number, n: Int32Array, checks: Check[]): { kind: GoalConstraintKind; text: string } | null {
  const bundle = model.bundles[b];
  if (!bundle) return null;
  const svc = bundle.services.length === 1 ? model.services[bundle.services[0] as number]?.name : null;
  for (const check of checks) {
    const failed = check.placement.scenario.failed.findIndex((x) => x > 0);
    const where = failed >= 0 ? `with ${model.zones[failed]} down` : 'in normal operation';
    for (let z = 0; z < model.zones.length; z++) {
      if ((n[z] as number) === 0 || z === failed) continue;
      const r = worstRatios(model, b, n, check, z);
      const over = (x: number) => (check.strict ? !(x < 1) : x > 1 + 1e-12);
      const at = model.zones[z];
      const fmt = (x: number) => x.toFixed(2);
      if (over(r.rho)) {
        const what = svc ? `ρ of ${svc} in ${at}` : `ρ of ${bundle.name}'s busiest service in ${at}`;
        return {
          kind: failed >= 0 ? 'zone-down' : 'rho',
          text: `${what} ${fmt(r.rho * check.limit)} ${check.strict ? '≥' : '>'} ${fmt(check.limit)} ${where}`,
        };
      }
      const cpuLimit = check.cpuLimit ?? check.limit;
      if (over(r.cpu))
        return {
          kind: failed >= 0 ? 'zone-down' : 'cpu',
          text: `CPU of a ${bundle.name} replica in ${at} ${fmt(r.cpu * cpuLimit)} ${check.strict ? '≥' : '>'} ${fmt(cpuLimit)} ${where}`,
        };
    }
  }
  return null;
}

/** The failure that explains a zone best: its own bundle's in normal operation, any in normal operation, its own with a zone down, any. */
function pick(failures: Failure[], b: number): Failure | undefined {
  return (
    failures.find((f) => f.failed === null && f.bundle === b) ??
    failures.find((f) => f.failed === null) ??
    failures.find((f) => f.bundle === b) ??
    failures[0]
  );
}

function kindOf(f: Failure): GoalConstraintKind {
  if (f.failed !== null) return 'zone-down';
  if (f.kind === 'rho' || f.kind === 'cpu') return f.kind;
  return 'slo';
}

/**
 * The binding overall: the constraint that holds up the most replicas (summed over the zones it
 * binds), named by its largest zone; the floor when nothing else binds; null with no zones.
 */
export function overallBinding(model: Model, answer: Evaluation, used: number[][], binds: GoalBinding[]): GoalBinding | null {
  const Z = model.zones.length;
  const weight = new Map<GoalConstraintKind, number>();
  let best: { c: number; n: number } | null = null;
  const byKind = new Map<GoalConstraintKind, { c: number; n: number }>();
  used.forEach((zs, b) => {
    for (const z of zs) {
      const c = b * Z + z;
      const bind = binds[c];
      if (!bind) continue;
      const n = answer.counts[c] as number;
      weight.set(bind.kind, (weight.get(bind.kind) ?? 0) + n);
      const top = byKind.get(bind.kind);
      if (!top || n > top.n) byKind.set(bind.kind, { c, n });
    }
  });
  let kind: GoalConstraintKind | null = null;
  for (const [k, w] of weight) if (k !== 'floor' && (kind === null || w > (weight.get(kind) ?? 0))) kind = k;
  kind ??= weight.has('floor') ? 'floor' : null;
  if (kind) best = byKind.get(kind) ?? null;
  return best ? (binds[best.c] ?? null) : null;
}
