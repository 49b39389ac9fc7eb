/**
 * What binds each zone of goal seek's answer: the first thing that breaks with one replica fewer
 * there (its own bundle's ρ or CPU in normal operation first, then any SLO, then the same with
 * a zone down), or the floor of one replica per zone the bundle uses.
 */
import type { Model } from '../engine/model.ts';
import type { Evaluation, Evaluator, Failure } from './evaluate.ts';
import type { GoalBinding, GoalConstraintKind } from './types.ts';

/** Per replica class (b·Z + z): the binding constraint; undefined for zones a bundle does not use. */
export function describeBindings(ev: Evaluator, answer: Evaluation, used: number[][]): GoalBinding[] {
  const Z = ev.model.zones.length;
  const out: GoalBinding[] = [];
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
      const t = ev.evaluate(trial);
      const f = pick(t.failures, b);
      out[c] = f
        ? { kind: kindOf(f), detail: `${n - 1} in ${zone}: ${f.text}` }
        : { kind: 'floor', detail: `${n - 1} in ${zone} also meets every constraint (the search stopped at its budget)` };
    }
  });
  return out;
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
