/**
 * One zone's Deployment of a bundle over time: the count it asks for and its pods, each with
 * the second it was created. A pod serves once its start delay has passed (Kubernetes' readiness)
 * and runs `warmupFactor` × slower for `warmupSeconds` more. Scaling down removes the newest pods
 * first (the ReplicaSet's choice: not-ready before ready, then the youngest). Kubernetes' HPA
 * starts with its current count as the scale-down window's first recommendation (no scale-down
 * in the first 300 s), and so does this one. A failed zone loses
 * its pods; when it comes back they are created again and start from scratch.
 */
import type { StartupT } from '../schema/over-time.ts';
import type { HpaSpec, HpaState } from './hpa.ts';

export interface Startup {
  delay: number;
  warmup: number;
  factor: number;
}

export function startupOf(s: StartupT | undefined): Startup {
  return { delay: s?.delaySeconds ?? 0, warmup: s?.warmupSeconds ?? 0, factor: s?.warmupFactor ?? 1 };
}

/** Pods that existed before the timeline started: ready and warm. */
const LONG_AGO = -1e12;

export class Deployment {
  /** Creation second of each pod, oldest first. */
  pods: number[];
  failed = false;

  constructor(
    public spec: number,
    readonly startup: Startup,
    readonly hpa: { spec: HpaSpec; state: HpaState } | null,
  ) {
    this.pods = new Array(spec).fill(LONG_AGO);
    if (hpa) hpa.state.recommendations.push({ at: 0, replicas: spec });
  }

  /** Pods serving at second t. */
  ready(t: number): number {
    let n = 0;
    for (const c of this.pods) if (c + this.startup.delay <= t) n++;
    return n;
  }

  /** Seconds each ready pod has served at second t (Infinity for pods older than the timeline). */
  ages(t: number): number[] {
    const out: number[] = [];
    for (const c of this.pods) if (c + this.startup.delay <= t) out.push(c === LONG_AGO ? Number.POSITIVE_INFINITY : t - c - this.startup.delay);
    return out;
  }

  /** Ready pods still warming up at second t. */
  warming(t: number): number {
    if (this.startup.warmup <= 0 || this.startup.factor === 1) return 0;
    let n = 0;
    for (const c of this.pods) if (c + this.startup.delay <= t && t < c + this.startup.delay + this.startup.warmup) n++;
    return n;
  }

  /**
   * Pods ready at second t that are still warming up, each counted for the share of the next
   * `seconds` it warms (a pod ready at t that warms for 30 s more counts 0.5 over a minute).
   */
  warmingShare(t: number, seconds: number): number {
    if (this.startup.warmup <= 0 || this.startup.factor === 1) return 0;
    let n = 0;
    for (const c of this.pods) {
      const start = c + this.startup.delay;
      if (start <= t) n += Math.max(0, Math.min(t + seconds, start + this.startup.warmup) - t) / seconds;
    }
    return n;
  }

  /** Sets the count at second t: new pods are created now; removed ones are the newest. */
  scaleTo(n: number, t: number): void {
    this.spec = n;
    if (this.failed) return;
    this.reconcile(t);
  }

  private reconcile(t: number): void {
    while (this.pods.length < this.spec) this.pods.push(t);
    if (this.pods.length > this.spec) this.pods.length = this.spec;
  }

  fail(): void {
    this.failed = true;
    this.pods = [];
  }

  restore(t: number): void {
    this.failed = false;
    this.reconcile(t);
  }
}
