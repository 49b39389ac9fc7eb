/**
 * The pods of the DES with time (issue 19), worked out before the run: every zone Deployment's
 * count follows a schedule of scale events (by default the analytic timeline's own, so the two
 * run the same replicas), and each pod is an interval of a plan replica ("slot"): created at
 * its scale event, serving from `delaySeconds` later (and `warmupFactor` × slower for
 * `warmupSeconds` more), removed on a scale-down (the newest first, as the ReplicaSet does,
 * timeline/deployment.ts) or when its zone fails. A removed pod drains: it takes no new work
 * and finishes what it holds. A zone that comes back creates its Deployment's pods afresh.
 * The schedule is the same for every replication, so it is fixed here and the event loop only
 * replays it (des/timevarying.ts).
 */
import type { ScaleEvent } from '../timeline/types.ts';

export interface Pod {
  bundle: number;
  zone: number;
  /** Slot within the bundle and zone (the plan replica's index there). */
  slot: number;
  /** Seconds: created, serving from, removed (Infinity: still there at the end). */
  created: number;
  ready: number;
  removed: number;
  /** Pods that existed before the timeline began: ready and warm (their caches too). */
  old: boolean;
}

export interface PodSchedule {
  pods: Pod[];
  /** Slots per bundle·zone: the plan's replicas there. */
  slots: Int32Array;
}

export interface ScheduleInput {
  nZones: number;
  /** Each bundle·zone Deployment's count at second 0 (0: the bundle does not run there). */
  initial: Int32Array;
  /** Each bundle's start delay, seconds. */
  delay: Float64Array;
  events: readonly ScaleEvent[];
  /** Zone failures and restorations, seconds, in order. */
  zoneEvents: readonly { at: number; zone: number; fail: boolean }[];
  bundleIndex: ReadonlyMap<string, number>;
  zoneIndex: ReadonlyMap<string, number>;
}

const LONG_AGO = -1e12;

/** The pods every Deployment has over the timeline, each in a slot of its bundle and zone. */
export function podSchedule(input: ScheduleInput): PodSchedule {
  const { nZones, initial, delay } = input;
  const n = initial.length;
  const live: Pod[][] = Array.from({ length: n }, () => []);
  const spec = Int32Array.from(initial);
  const failed = new Uint8Array(nZones);
  /** Per bundle·zone: slots and the second each was freed (a pod drains there until it empties). */
  const freedAt: number[][] = Array.from({ length: n }, () => []);
  const pods: Pod[] = [];
  const create = (k: number, t: number, old: boolean): void => {
    const free = freedAt[k] as number[];
    // The slot freed longest ago (its drained pod most likely done); a new slot when none is free.
    let slot = -1;
    for (let i = 0; i < free.length; i++) if ((free[i] as number) <= t && (slot < 0 || (free[i] as number) < (free[slot] as number))) slot = i;
    if (slot < 0) {
      slot = free.length;
      free.push(0);
    }
    free[slot] = Number.POSITIVE_INFINITY;
    const b = Math.floor(k / nZones);
    const pod: Pod = {
      bundle: b,
      zone: k % nZones,
      slot,
      created: old ? LONG_AGO : t,
      ready: old ? LONG_AGO : t + (delay[b] as number),
      removed: Number.POSITIVE_INFINITY,
      old,
    };
    pods.push(pod);
    (live[k] as Pod[]).push(pod);
  };
  const remove = (k: number, pod: Pod, t: number): void => {
    pod.removed = t;
    (freedAt[k] as number[])[pod.slot] = t;
  };
  const reconcile = (k: number, t: number): void => {
    const l = live[k] as Pod[];
    while (l.length < (spec[k] as number)) create(k, t, false);
    // Not-ready pods go first, then the youngest: with one start delay per bundle, the newest.
    while (l.length > (spec[k] as number)) remove(k, l.pop() as Pod, t);
  };
  for (let k = 0; k < n; k++) for (let i = 0; i < (initial[k] as number); i++) create(k, LONG_AGO, true);
  const timed = [
    ...input.events.map((e) => ({
      at: e.atSecond,
      k: (input.bundleIndex.get(e.bundle) ?? 0) * nZones + (input.zoneIndex.get(e.zone) ?? 0),
      to: e.to,
      zone: -1,
      fail: false,
    })),
    ...input.zoneEvents.map((e) => ({ at: e.at, k: -1, to: 0, zone: e.zone, fail: e.fail })),
  ].sort((a, b) => a.at - b.at);
  for (const e of timed) {
    if (e.k >= 0) {
      spec[e.k] = e.to;
      if (!failed[e.k % nZones]) reconcile(e.k, e.at);
      continue;
    }
    failed[e.zone] = e.fail ? 1 : 0;
    for (let k = e.zone; k < n; k += nZones) {
      if (e.fail) for (const pod of (live[k] as Pod[]).splice(0)) remove(k, pod, e.at);
      else reconcile(k, e.at);
    }
  }
  return { pods, slots: Int32Array.from(freedAt, (f) => f.length) };
}

/** Per minute of [from, to): each bundle·zone's Deployment count (pods not removed) and ready pods, at the minute's start. */
export function podCounts(s: PodSchedule, nZones: number, nBundles: number, from: number, to: number): { count: Int32Array[]; ready: Int32Array[] } {
  const count: Int32Array[] = [];
  const ready: Int32Array[] = [];
  for (let m = from; m < to; m++) {
    const t = m * 60;
    const c = new Int32Array(nBundles * nZones);
    const r = new Int32Array(nBundles * nZones);
    for (const p of s.pods) {
      if (p.created > t || p.removed <= t) continue;
      const k = p.bundle * nZones + p.zone;
      c[k] = (c[k] as number) + 1;
      if (p.ready <= t) r[k] = (r[k] as number) + 1;
    }
    count.push(c);
    ready.push(r);
  }
  return { count, ready };
}
