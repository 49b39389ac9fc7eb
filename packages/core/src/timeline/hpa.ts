/**
 * Kubernetes' Horizontal Pod Autoscaler (autoscaling/v2), as its documentation describes the
 * controller (kubernetes.io, "Horizontal Pod Autoscaling"; written from the documented
 * algorithm, no code copied). Every sync period (15 s) it:
 *
 * 1. From each metric, proposes ceil(current × metric ÷ target), where the metric is the
 *    average over ready pods; within the tolerance (|metric ÷ target − 1| ≤ 0.1) it proposes
 *    no change. Pods not yet ready (still in their start delay) are set aside: when the ratio
 *    says scale up they count as using nothing and the ratio is computed again (no change if it
 *    then falls within the tolerance or reverses); when it says scale down they are left out.
 *    (Kubernetes does this for CPU; Busboard does it for every metric, since a pod that is not
 *    ready receives no requests and holds none in flight.) Several metrics: the largest proposal.
 * 2. Stabilizes: the result is the current count moved no further than every recommendation
 *    of the last `stabilizationWindowSeconds` allows — at least the lowest of the scale-up
 *    window, at most the highest of the scale-down window (300 s by default: "the highest
 *    recommendation in the window").
 * 3. Limits the rate: from the count at the start of each policy's period (the current count
 *    less what was added in the last `periodSeconds`, or plus what was removed), a `Pods` policy
 *    allows `value` pods, a `Percent` policy `value` % (up: rounded up; down: the remaining
 *    count rounded down); `selectPolicy` Max takes the policy that allows the larger change,
 *    Min the smaller, Disabled none. Defaults: up max(4 pods, 100 %) per 15 s; down 100 % per 15 s.
 * 4. Keeps within [min, max]; a count outside them is brought back at once.
 */
import type { AutoscaleT, ScalingPolicyT, ScalingRulesT } from '../schema/over-time.ts';

/** Kubernetes' `--horizontal-pod-autoscaler-tolerance` default. */
export const HPA_TOLERANCE = 0.1;
/** Kubernetes' `--horizontal-pod-autoscaler-sync-period` default, seconds. */
export const HPA_SYNC_SECONDS = 15;

export interface HpaRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicyT[];
}

/** An autoscaler with every default filled in. */
export interface HpaSpec {
  min: number;
  max: number;
  syncPeriodSeconds: number;
  tolerance: number;
  scaleUp: HpaRules;
  scaleDown: HpaRules;
}

const DEFAULT_UP: HpaRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_DOWN: HpaRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function rules(given: ScalingRulesT | undefined, fallback: HpaRules): HpaRules {
  return {
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? fallback.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? fallback.selectPolicy,
    policies: given?.policies ?? fallback.policies,
  };
}

/** The document's autoscaler with Kubernetes' defaults for what it leaves out. */
export function hpaSpec(a: Pick<AutoscaleT, 'min' | 'max' | 'behavior' | 'syncPeriodSeconds'>): HpaSpec {
  return {
    min: a.min,
    max: a.max,
    syncPeriodSeconds: a.syncPeriodSeconds ?? HPA_SYNC_SECONDS,
    tolerance: HPA_TOLERANCE,
    scaleUp: rules(a.behavior?.scaleUp, DEFAULT_UP),
    scaleDown: rules(a.behavior?.scaleDown, DEFAULT_DOWN),
  };
}

/** What one metric reads at a sync: its average over the ready pods, and its target. */
export interface MetricReading {
  value: number;
  target: number;
}

/**
 * Step 1: the count one metric proposes. `current` is the Deployment's count, `ready` the pods
 * that report the metric (ready ones), `notReady` those still starting.
 */
export function metricProposal(current: number, ready: number, notReady: number, m: MetricReading, tolerance = HPA_TOLERANCE): number {
  if (ready <= 0 || !(m.target > 0)) return current;
  const ratio = m.value / m.target;
  if (Math.abs(ratio - 1) <= tolerance) return current;
  if (ratio > 1) {
    // Not-ready pods count as using nothing: the ratio over every pod.
    const all = ready + notReady;
    const over = (ready * m.value) / (all * m.target);
    if (over <= 1 + tolerance) return current;
    return Math.max(current, Math.ceil(over * all - 1e-9));
  }
  return Math.min(current, Math.ceil(ratio * ready - 1e-9));
}

/** An autoscaler's memory: past recommendations (for the windows) and scale events (for the rates). */
export interface HpaState {
  recommendations: { at: number; replicas: number }[];
  events: { at: number; change: number }[];
}

export function hpaState(): HpaState {
  return { recommendations: [], events: [] };
}

/** Step 2: the count the stabilization windows allow, given this sync's recommendation. */
function stabilize(spec: HpaSpec, state: HpaState, now: number, current: number, recommended: number): number {
  let up = recommended;
  let down = recommended;
  const upFrom = now - spec.scaleUp.stabilizationWindowSeconds;
  const downFrom = now - spec.scaleDown.stabilizationWindowSeconds;
  for (const r of state.recommendations) {
    if (r.at > upFrom) up = Math.min(up, r.replicas);
    if (r.at > downFrom) down = Math.max(down, r.replicas);
  }
  const keepFrom = now - Math.max(spec.scaleUp.stabilizationWindowSeconds, spec.scaleDown.stabilizationWindowSeconds);
  state.recommendations = state.recommendations.filter((r) => r.at > keepFrom);
  state.recommendations.push({ at: now, replicas: recommended });
  return Math.min(Math.max(current, up), down);
}

/** Pods added (sign 1) or removed (sign −1) by scale events within the last `period` seconds. */
function changed(state: HpaState, now: number, period: number, sign: 1 | -1): number {
  let n = 0;
  for (const e of state.events) if (e.at > now - period && Math.sign(e.change) === sign) n += Math.abs(e.change);
  return n;
}

/** The highest count the scale-up policies allow now. */
export function scaleUpLimit(rulesUp: HpaRules, state: HpaState, now: number, current: number): number {
  if (rulesUp.selectPolicy === 'Disabled') return current;
  let limit = rulesUp.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const p of rulesUp.policies) {
    const start = current - changed(state, now, p.periodSeconds, 1);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100) - 1e-9);
    limit = rulesUp.selectPolicy === 'Min' ? Math.min(limit, proposed) : Math.max(limit, proposed);
  }
  return Math.max(limit, current);
}

/** The lowest count the scale-down policies allow now. */
export function scaleDownLimit(rulesDown: HpaRules, state: HpaState, now: number, current: number): number {
  if (rulesDown.selectPolicy === 'Disabled') return current;
  let limit = rulesDown.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const p of rulesDown.policies) {
    const start = current + changed(state, now, p.periodSeconds, -1);
    const proposed = p.type === 'Pods' ? start - p.value : Math.floor(start * (1 - p.value / 100) + 1e-9);
    limit = rulesDown.selectPolicy === 'Min' ? Math.max(limit, proposed) : Math.min(limit, proposed);
  }
  return Math.min(limit, current);
}

/**
 * One sync of the controller at time `now` (seconds): the Deployment's new count from its
 * current count and the counts its metrics propose (step 1 already done per metric; null when
 * no metric could be read, e.g. no pod is ready: Kubernetes then leaves the count alone).
 */
export function hpaSync(spec: HpaSpec, state: HpaState, now: number, current: number, proposals: number[] | null): number {
  let next: number;
  if (current > spec.max) next = spec.max;
  else if (current < spec.min) next = spec.min;
  else if (!proposals || proposals.length === 0) return current;
  else {
    const recommended = Math.max(...proposals);
    const stable = stabilize(spec, state, now, current, recommended);
    next = stable;
    if (stable > current) next = Math.min(stable, spec.max, scaleUpLimit(spec.scaleUp, state, now, current));
    else if (stable < current) next = Math.max(stable, spec.min, scaleDownLimit(spec.scaleDown, state, now, current));
  }
  if (next !== current) {
    const longest = Math.max(...spec.scaleUp.policies.map((p) => p.periodSeconds), ...spec.scaleDown.policies.map((p) => p.periodSeconds));
    state.events = state.events.filter((e) => e.at > now - longest);
    state.events.push({ at: now, change: next - current });
  }
  return next;
}
