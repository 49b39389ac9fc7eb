/**
 * Goal seek's enumeration. Every constraint on ρ and CPU concerns one bundle's replicas, so each
 * bundle gets its own list of count vectors (over the zones it uses) that keep its replicas
 * within the targets, fewest first (ties: the most even spread, then zone order) — built level
 * by level from the per-zone lower bounds. Whole designs are then visited in order of the
 * objective (Σ over bundles of weight × replicas; weight 1 for `replicas`, one replica's price
 * for `cost`) by a best-first walk over one index per bundle list, each combination reached
 * once (a successor only advances bundles at or after the one last advanced). The first design
 * that passes the full evaluation is the minimum.
 */
import type { Model } from '../engine/model.ts';
import { type Check, holds, MAX_PER_ZONE, tieOrder, zoneLowerBounds } from '../engine/recommend/capacity.ts';

/** Levels (totals above a bundle's lower bounds) one bundle's list may grow to. */
const MAX_LEVELS = 48;

/** One bundle's utilization-feasible count vectors (full length Z), fewest first, grown on demand. */
export class BundleOptions {
  readonly list: Int32Array[] = [];
  /** Utilization-feasible vectors not yet put to `admit`, fewest first. */
  private readonly pending: Int32Array[] = [];
  private pendingAt = 0;
  readonly lower: Int32Array;
  private level: number;
  private readonly last: number;
  /** True when the list stopped at its cap (more vectors exist beyond it). */
  truncated = false;

  constructor(
    private readonly model: Model,
    private readonly b: number,
    private readonly used: number[],
    private readonly checks: Check[],
    reasons: string[],
    /** A further test a vector must pass to be listed (goal seek's relaxation: every other bundle at the cap). */
    private readonly admit: ((v: Int32Array) => boolean) | null = null,
  ) {
    this.lower = used.length ? zoneLowerBounds(model, b, used, checks, reasons) : new Int32Array(model.zones.length);
    let base = 0;
    for (const z of used) base += this.lower[z] as number;
    this.level = base;
    this.last = Math.min(MAX_PER_ZONE * used.length, base + MAX_LEVELS);
    if (used.length === 0) this.list.push(new Int32Array(model.zones.length));
  }

  /** The i-th vector, growing the list level by level; undefined past the cap. */
  at(i: number): Int32Array | undefined {
    while (this.list.length <= i && this.used.length > 0) {
      if (this.pendingAt < this.pending.length) {
        const v = this.pending[this.pendingAt++] as Int32Array;
        if (!this.admit || this.admit(v)) this.list.push(v);
        continue;
      }
      if (this.level > this.last) {
        this.truncated = this.level <= MAX_PER_ZONE * this.used.length;
        return undefined;
      }
      this.grow(this.level++);
    }
    return this.list[i];
  }

  private grow(total: number): void {
    const { used, lower, model } = this;
    const Z = model.zones.length;
    const found: Int32Array[] = [];
    const n = new Int32Array(Z);
    const fill = (i: number, left: number) => {
      const z = used[i] as number;
      if (i === used.length - 1) {
        if (left < (lower[z] as number) || left > MAX_PER_ZONE) return;
        n[z] = left;
        if (holds(model, this.b, n, this.checks, null)) found.push(Int32Array.from(n));
        return;
      }
      for (let k = lower[z] as number; k <= Math.min(MAX_PER_ZONE, left); k++) {
        n[z] = k;
        fill(i + 1, left - k);
      }
    };
    fill(0, total);
    found.sort(tieOrder);
    this.pending.push(...found);
  }

  static total(v: Int32Array): number {
    let t = 0;
    for (const x of v) t += x;
    return t;
  }
}

interface Node {
  idx: number[];
  last: number;
  key: number;
  second: number;
}

/**
 * Visits whole designs (one vector per bundle) in order of Σ weight × replicas, ties by Σ
 * secondWeight × replicas; `visit` returns true to stop. Returns whether it stopped (true) or
 * ran out (the lists' caps or `maxNodes`).
 */
export function walk(
  options: BundleOptions[],
  weight: number[],
  secondWeight: number[],
  visit: (design: Int32Array) => boolean,
  maxNodes: number,
): boolean {
  const B = options.length;
  const Z = options[0]?.lower.length ?? 0;
  const vec = (b: number, i: number) => options[b]?.at(i);
  const make = (idx: number[], last: number): Node | null => {
    let key = 0;
    let second = 0;
    for (let b = 0; b < B; b++) {
      const v = vec(b, idx[b] as number);
      if (!v) return null;
      const t = BundleOptions.total(v);
      key += t * (weight[b] as number);
      second += t * (secondWeight[b] as number);
    }
    return { idx, last, key, second };
  };
  const heap = new Heap<Node>((x, y) => x.key - y.key || x.second - y.second);
  const first = make(new Array(B).fill(0), 0);
  if (!first) return false;
  heap.push(first);
  let visited = 0;
  while (heap.size > 0) {
    if (visited++ >= maxNodes) return false;
    const node = heap.pop() as Node;
    const design = new Int32Array(B * Z);
    for (let b = 0; b < B; b++) design.set(vec(b, node.idx[b] as number) as Int32Array, b * Z);
    if (visit(design)) return true;
    for (let j = node.last; j < B; j++) {
      const idx = [...node.idx];
      idx[j] = (idx[j] as number) + 1;
      const next = make(idx, j);
      if (next) heap.push(next);
    }
  }
  return false;
}

/** A binary min-heap. */
class Heap<T> {
  private readonly a: T[] = [];
  constructor(private readonly less: (x: T, y: T) => number) {}
  get size(): number {
    return this.a.length;
  }
  push(x: T): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i] as T, a[p] as T) >= 0) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const end = a.pop();
    if (a.length > 0 && end !== undefined) {
      a[0] = end;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T, a[m] as T) < 0) m = l;
        if (r < a.length && this.less(a[r] as T, a[m] as T) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}
