/**
 * The DES with time (issue 19): what the event loop (sim.ts) asks when it runs a window of the
 * day instead of a steady state. Its hooks:
 *
 * - **arrivals**: a non-homogeneous Poisson process by time change. Each traffic source's rate
 *   is its steady rate × its item's profile factor at the minute (rates constant within a
 *   minute, as the analytic timeline takes them), so the cumulative intensity Λ(t) is piecewise
 *   linear; the next arrival after t is Λ⁻¹(Λ(t) + E) with E a unit exponential (one draw per
 *   arrival, so a seed pins every arrival). A failed zone's share moves to the item's other
 *   zones in proportion (as `ingressOf` does for a steady failed zone).
 * - **replicas**: the plan holds a slot for every pod the schedule ever runs at once
 *   (pod-schedule.ts); a control event at each pod's readiness and removal rebuilds the routing
 *   candidates from the serving slots (`routesOf`, the plan's own locality rules), so a draining
 *   pod gets no new work and finishes what it holds. A call to a service with no serving pod
 *   fails its request (`callDead`, as for a failed zone).
 * - **warm-up**: a pod's own times × `warmupFactor` for its first `warmupSeconds` of serving.
 * - **caches**: a per-replica cache that starts empty hits, on the (n+1)-th request it looks
 *   up, with probability Σᵢ pᵢ(1 − (1 − pᵢ)ⁿ) (key i was asked for among the first n; Zipf
 *   pᵢ over the key space), capped by the plan's steady Che rate. The closed form per request
 *   rather than a simulated LRU, because the steady DES draws hits at Che's rate too: a
 *   constant profile then gives exactly the steady DES's model, and only the count n is new.
 *   Distributed caches keep the plan's rate (taken as warm, as the analytic timeline does).
 */
import type { Topology } from '../schema/topology.ts';
import type { EventHeap } from './heap.ts';
import { CALL_SERVICE, type DesPlan } from './plan.ts';
import { routesOf } from './plan-queues.ts';
import type { PodSchedule } from './pod-schedule.ts';
import type { Rng } from './rng.ts';

/** The hooks sim.ts calls when it runs with time (null: the steady simulation, unchanged). */
export interface TimeHooks {
  begin(rng: Rng, heap: EventHeap): void;
  /** Recorded: the request arrived inside the window. */
  recording(t: number): boolean;
  /** Schedules the next arrival and returns the source of this one (picked with u). */
  arrival(t: number, u: number): number;
  control(id: number, t: number): void;
  hitProb(q: number): number;
  /** A request's own time at queue q starting at t (warm-up), its busy time counted. */
  serve(q: number, t: number, own: number): number;
  latency(entry: number, t0: number, ms: number): void;
  failed(entry: number, t0: number): void;
}

const MIN_MS = 60_000;
/** Grid of request counts for the warming cache's hit rate (geometric, interpolated between). */
const GRID = 1.25;

export interface WindowSpec {
  /** Minutes: simulated from `start` (unrecorded warm-up), recorded over [from, to). */
  start: number;
  from: number;
  to: number;
  /** Per minute of [start, to) and traffic item: the profile factor. */
  factors: Float64Array[];
  /** Per minute of [start, to): zones failed (mask). */
  failed: Uint8Array[];
  /** Per bundle: warm-up seconds and factor. */
  warmup: Float64Array;
  warmFactor: Float64Array;
}

/** Per minute and entry: recorded latencies (ms) of one replication, and counts. */
export class MinuteRecords {
  readonly samples: number[][][];
  readonly arrivals: Float64Array;
  readonly rejected: Float64Array;
  /** Busy ms per bundle·zone·minute, all replications. */
  readonly busy: Float64Array;
  constructor(
    readonly entries: number,
    readonly minutes: number,
    cells: number,
  ) {
    this.samples = Array.from({ length: entries }, () => Array.from({ length: minutes }, () => []));
    this.arrivals = new Float64Array(entries * minutes);
    this.rejected = new Float64Array(entries * minutes);
    this.busy = new Float64Array(cells * minutes);
  }
}

export class DesTimeVarying implements TimeHooks {
  private rng!: Rng;
  private heap!: EventHeap;
  private readonly baseRate: Float64Array;
  /** Per minute of [start, to): total rate (per ms) and the sources' cumulative shares. */
  private readonly rate: Float64Array;
  private readonly cum: Float64Array[];
  /** Control events: [ms, slot replica, +1 ready / −1 removed]. */
  private readonly ctl: { at: number; replica: number; up: boolean; warmUntil: number; old: boolean }[] = [];
  private readonly serving: Uint8Array;
  private readonly warmUntil: Float64Array;
  private readonly seen: Float64Array;
  private readonly hitTable: (Float64Array | null)[];
  private readonly origDead: Uint8Array;
  private readonly svcQueues: number[][];

  constructor(
    private readonly doc: Topology,
    private readonly plan: DesPlan,
    private readonly w: WindowSpec,
    pods: PodSchedule,
    slotReplica: (bundle: number, zone: number, slot: number) => number,
    caches: ({ keySpace: number; zipf: number; cap: number } | null)[],
    readonly rec: MinuteRecords,
  ) {
    const p = plan;
    const nSrc = p.srcCum.length;
    this.baseRate = Float64Array.from({ length: nSrc }, (_, i) => p.ingressRate * ((p.srcCum[i] as number) - (i ? (p.srcCum[i - 1] as number) : 0)));
    const M = w.to - w.start;
    this.rate = new Float64Array(M);
    this.cum = [];
    for (let m = 0; m < M; m++) this.cum.push(this.minuteShares(m));
    const nRep = p.replicaBundle.length;
    this.serving = new Uint8Array(nRep);
    this.warmUntil = new Float64Array(nRep);
    this.seen = new Float64Array(p.nQueues);
    const startMs = w.start * MIN_MS;
    for (const pod of pods.pods) {
      const r = slotReplica(pod.bundle, pod.zone, pod.slot);
      const ready = pod.ready * 1000;
      const warmUntil = ready + (w.warmup[pod.bundle] as number) * 1000;
      if (pod.removed * 1000 <= startMs) continue;
      this.ctl.push({ at: Math.max(ready, startMs), replica: r, up: true, warmUntil, old: pod.old });
      if (Number.isFinite(pod.removed)) this.ctl.push({ at: pod.removed * 1000, replica: r, up: false, warmUntil, old: pod.old });
    }
    this.ctl.sort((a, b) => a.at - b.at || Number(a.up) - Number(b.up));
    this.hitTable = caches.map((c) => (c ? warmingTable(c.keySpace, c.zipf, c.cap) : null));
    this.origDead = Uint8Array.from(p.callDead);
    this.svcQueues = p.svcQueues;
  }

  /** Minute m's total rate and cumulative source shares, a failed zone's share moved to its item's other zones. */
  private minuteShares(m: number): Float64Array {
    const p = this.plan;
    const f = this.w.factors[m] as Float64Array;
    const failed = this.w.failed[m] as Uint8Array;
    const nSrc = this.baseRate.length;
    const r = new Float64Array(nSrc);
    const itemAll = new Map<number, number>();
    const itemLive = new Map<number, number>();
    for (let i = 0; i < nSrc; i++) {
      const item = p.srcItem[i] as number;
      const base = this.baseRate[i] as number;
      itemAll.set(item, (itemAll.get(item) ?? 0) + base);
      if (!failed[p.srcZone[i] as number]) itemLive.set(item, (itemLive.get(item) ?? 0) + base);
    }
    let total = 0;
    for (let i = 0; i < nSrc; i++) {
      const item = p.srcItem[i] as number;
      const live = itemLive.get(item) ?? 0;
      const base = this.baseRate[i] as number;
      // No zone of the item left: its sources keep their shares (the requests find no replica there).
      const share = live > 0 ? (failed[p.srcZone[i] as number] ? 0 : (base * (itemAll.get(item) ?? 0)) / live) : base;
      r[i] = share * (f[item] as number);
      total += r[i] as number;
    }
    this.rate[m] = total;
    let c = 0;
    for (let i = 0; i < nSrc; i++) {
      c += total > 0 ? (r[i] as number) / total : 1 / nSrc;
      r[i] = c;
    }
    return r;
  }

  begin(rng: Rng, heap: EventHeap): void {
    this.rng = rng;
    this.heap = heap;
    this.serving.fill(0);
    this.seen.fill(0);
    this.ctl.forEach((c, i) => {
      heap.push(c.at, ((i + 1) << 2) | 0);
    });
    this.reroute();
    this.next(this.w.start * MIN_MS);
  }

  recording(t: number): boolean {
    return t >= this.w.from * MIN_MS;
  }

  /** Pushes the next arrival after t: Λ⁻¹(Λ(t) + E), minute by minute; none past the window. */
  private next(t: number): void {
    let e = this.rng.exp(1);
    let tau = t;
    const end = this.w.to * MIN_MS;
    while (tau < end) {
      const m = Math.floor(tau / MIN_MS) - this.w.start;
      const rate = this.rate[m] as number;
      const left = (m + this.w.start + 1) * MIN_MS - tau;
      if (rate * left >= e) {
        this.heap.push(tau + e / rate, 0);
        return;
      }
      e -= rate * left;
      tau += left;
    }
  }

  arrival(t: number, u: number): number {
    this.next(t);
    const m = Math.floor(t / MIN_MS) - this.w.start;
    const cum = this.cum[m] as Float64Array;
    let src = 0;
    while (src < cum.length - 1 && u >= (cum[src] as number)) src++;
    const rm = m - (this.w.from - this.w.start);
    if (rm >= 0) {
      const k = (this.plan.srcEntry[src] as number) * this.rec.minutes + rm;
      this.rec.arrivals[k] = (this.rec.arrivals[k] as number) + 1;
    }
    return src;
  }

  control(id: number, _t: number): void {
    const c = this.ctl[id - 1];
    if (!c) return;
    this.serving[c.replica] = c.up ? 1 : 0;
    if (c.up) {
      this.warmUntil[c.replica] = c.warmUntil;
      const p = this.plan;
      const base = p.replicaQueueBase[c.replica] as number;
      const n = this.svcCount(c.replica);
      this.seen.fill(c.old ? Number.POSITIVE_INFINITY : 0, base, base + n);
    }
    this.reroute();
  }

  private svcCount(r: number): number {
    const p = this.plan;
    const next = r + 1 < p.replicaQueueBase.length ? (p.replicaQueueBase[r + 1] as number) : p.nServiceQueues;
    return next - (p.replicaQueueBase[r] as number);
  }

  /** Routing candidates over the serving pods only; calls to a service with none fail. */
  private reroute(): void {
    const p = this.plan;
    const live = this.svcQueues.map((qs) => qs.filter((q) => this.serving[p.qReplica[q] as number]));
    const routes = routesOf(this.doc, p, live, p.qZone);
    p.routeStart = routes.routeStart;
    p.routeCount = routes.routeCount;
    p.routeQueues = routes.routeQueues;
    for (let c = 0; c < p.callDead.length; c++)
      p.callDead[c] = this.origDead[c] || (p.callKind[c] === CALL_SERVICE && (live[p.callTarget[c] as number] as number[]).length === 0) ? 1 : 0;
  }

  hitProb(q: number): number {
    const p = this.plan;
    const steady = p.qHitProb[q] as number;
    const s = p.qService[q] as number;
    const table = s >= 0 ? this.hitTable[s] : null;
    if (!table) return steady;
    const n = this.seen[q] as number;
    this.seen[q] = n + 1;
    if (!Number.isFinite(n)) return steady;
    return Math.min(steady, tableAt(table, n));
  }

  serve(q: number, t: number, own: number): number {
    const p = this.plan;
    const r = p.qReplica[q] as number;
    const m = Math.floor(t / MIN_MS) - this.w.from;
    let out = own;
    if (r >= 0) {
      if (t < (this.warmUntil[r] as number)) out *= this.w.warmFactor[p.replicaBundle[r] as number] as number;
      if (m >= 0 && m < this.rec.minutes) {
        const k = ((p.replicaBundle[r] as number) * p.nZones + (p.replicaZone[r] as number)) * this.rec.minutes + m;
        this.rec.busy[k] = (this.rec.busy[k] as number) + out;
      }
    }
    return out;
  }

  latency(entry: number, t0: number, ms: number): void {
    const m = Math.floor(t0 / MIN_MS) - this.w.from;
    if (m >= 0 && m < this.rec.minutes) ((this.rec.samples[entry] as number[][])[m] as number[]).push(ms);
  }

  failed(entry: number, t0: number): void {
    const m = Math.floor(t0 / MIN_MS) - this.w.from;
    if (m >= 0 && m < this.rec.minutes)
      this.rec.rejected[entry * this.rec.minutes + m] = (this.rec.rejected[entry * this.rec.minutes + m] as number) + 1;
  }
}

/** Hit rate of an empty cache after n lookups, Σ pᵢ(1 − (1 − pᵢ)ⁿ), at n = 0, 1, ⌈1.25ᵏ⌉… until it reaches the steady rate `cap`. */
export function warmingTable(keySpace: number, zipf: number, cap: number): Float64Array {
  const p = new Float64Array(keySpace);
  let z = 0;
  for (let i = 0; i < keySpace; i++) {
    p[i] = (i + 1) ** -zipf;
    z += p[i] as number;
  }
  for (let i = 0; i < keySpace; i++) p[i] = (p[i] as number) / z;
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const n = gridN(k);
    let h = 0;
    for (let i = 0; i < keySpace; i++) h += (p[i] as number) * -Math.expm1(n * Math.log1p(-(p[i] as number)));
    out.push(h);
    if (h >= cap || k > 120) break;
  }
  return Float64Array.from(out);
}

export function gridN(k: number): number {
  return k === 0 ? 0 : Math.ceil(GRID ** (k - 1));
}

function tableAt(table: Float64Array, n: number): number {
  if (n <= 0) return table[0] as number;
  const k = Math.min(table.length - 1, 1 + Math.floor(Math.log(n) / Math.log(GRID)));
  const a = gridN(k);
  if (k >= table.length - 1 || a >= n) return table[k] as number;
  const b = gridN(k + 1);
  const ha = table[k] as number;
  return ha + (((table[k + 1] as number) - ha) * (n - a)) / (b - a);
}
