/**
 * Traffic classes in the DES (schema v2 `classes[]`, `traffic[].class`, `services[].admission[]`):
 * the exact semantics, request by request, for the analytic engine to be checked against.
 *
 * - A request carries the class of its traffic item down every call it makes (sim.ts keeps it in
 *   the job's flags, bits 8–15).
 * - A replica of a service with `admission[]` rows, or reached by classes of different priority,
 *   keeps one FIFO line per class. An arrival of class k starts at once when a worker is free and
 *   fewer than `maxInFlight` of k hold workers; else it waits when fewer than its `queueLimit` of
 *   k wait and fewer than the service's `queueLimit` wait in all; else it is rejected at once.
 * - When a worker frees, the waiting class with the highest priority whose in-flight count is
 *   under its cap starts its oldest request; between classes of equal priority, the request that
 *   arrived first (FIFO). Non-preemptive: a running request is never interrupted.
 * - Other replicas keep sim.ts's single FIFO line; their per-class figures are only counted.
 *
 * Per class it measures, with 99 % intervals across replications: each service's arrival rate,
 * rejection rate and mean wait of admitted requests; each entry's success rate and the latency
 * of its successful requests (sectioned histograms, as the entries' own).
 */
import { at } from '../checked.ts';
import { dict } from '../dict.ts';
import { classNames, classSlo } from '../engine/traffic-classes.ts';
import type { EntryClassResult, ServiceClassResult, SimulationResult } from '../engine/types.ts';
import { DEFAULT_CLASS, type Topology } from '../schema/topology.ts';
import type { Histogram } from './histogram.ts';
import type { DesPlan } from './plan.ts';
import { interval, RatioFigures, SectionedDistribution } from './stats.ts';

/** Where a job's class sits in its flags. */
export const CLASS_SHIFT = 8;
export const CLASS_MASK = 0xff << CLASS_SHIFT;

export const START = 0;
export const WAIT = 1;
export const REJECT = 2;

export class DesClasses {
  readonly names: string[];
  readonly K: number;
  /** Class of each ingress source. */
  readonly srcClass: Int32Array;
  /** 1 for a replica that keeps per-class lines. */
  readonly aware: Uint8Array;
  private readonly cap: Int32Array;
  private readonly qlim: Int32Array;
  private readonly priority: Float64Array;
  private readonly busy: Int32Array;
  private readonly waitingAll: Int32Array;
  private readonly lineJob: number[][];
  private readonly lineT: number[][];
  private readonly lineHead: Int32Array;
  // One replication's counts of recorded requests, by (queue, class) and (entry, class).
  private readonly qArr: Float64Array;
  private readonly qRej: Float64Array;
  private readonly qAdm: Float64Array;
  private readonly qWaitMs: Float64Array;
  private readonly eMeas: Float64Array;
  private readonly eFail: Float64Array;
  readonly dist: SectionedDistribution[];
  private readonly reps: RatioFigures;

  constructor(
    private readonly doc: Topology,
    private readonly plan: DesPlan,
    entryGroup: readonly number[],
  ) {
    this.names = classNames(doc);
    const K = this.names.length;
    this.K = K;
    const nQ = plan.nQueues;
    const E = plan.entryNames.length;
    this.srcClass = Int32Array.from(plan.srcItem, (ti) => this.names.indexOf(doc.traffic[ti]?.class ?? DEFAULT_CLASS));
    this.priority = Float64Array.from(this.names, (n) => doc.classes?.find((c) => c.name === n)?.priority ?? 0);
    const prioritised = new Set(this.priority).size > 1;
    this.aware = new Uint8Array(nQ);
    this.cap = new Int32Array(nQ * K);
    this.qlim = new Int32Array(nQ * K).fill(-1);
    for (let q = 0; q < nQ; q++) {
      const s = at(plan.qService, q);
      const svc = s >= 0 ? doc.services.find((x) => x.name === plan.serviceNames[s]) : undefined;
      const rows = svc?.admission ?? [];
      if (svc && (rows.length || prioritised)) this.aware[q] = 1;
      for (let k = 0; k < K; k++) {
        const row = rows.find((r) => r.class === this.names[k]);
        this.cap[q * K + k] = row?.maxInFlight ?? at(plan.qServers, q);
        this.qlim[q * K + k] = row?.queueLimit ?? -1;
      }
    }
    this.busy = new Int32Array(nQ * K);
    this.waitingAll = new Int32Array(nQ);
    this.lineJob = Array.from({ length: nQ * K }, () => []);
    this.lineT = Array.from({ length: nQ * K }, () => []);
    this.lineHead = new Int32Array(nQ * K);
    this.qArr = new Float64Array(nQ * K);
    this.qRej = new Float64Array(nQ * K);
    this.qAdm = new Float64Array(nQ * K);
    this.qWaitMs = new Float64Array(nQ * K);
    this.eMeas = new Float64Array(E * K);
    this.eFail = new Float64Array(E * K);
    this.dist = Array.from({ length: E * K }, (_, i) => new SectionedDistribution(at(entryGroup, Math.floor(i / K))));
    this.reps = new RatioFigures(this.width());
  }

  /** Figures per replication: per (service, class) arrivals, rejected rps, rejection rate, mean wait; per (entry, class) success. */
  private width(): number {
    return this.plan.serviceNames.length * this.K * 4 + this.plan.entryNames.length * this.K;
  }

  begin(): void {
    this.busy.fill(0);
    this.waitingAll.fill(0);
    for (const l of this.lineJob) l.length = 0;
    for (const l of this.lineT) l.length = 0;
    this.lineHead.fill(0);
    for (const a of [this.qArr, this.qRej, this.qAdm, this.qWaitMs, this.eMeas, this.eFail]) a.fill(0);
  }

  /** The histogram a successful recorded request of class k at entry e goes to. */
  hist(e: number, k: number): Histogram {
    return (this.dist[e * this.K + k] as SectionedDistribution).current;
  }

  arrived(q: number, k: number): void {
    this.qArr[q * this.K + k] = (this.qArr[q * this.K + k] as number) + 1;
  }

  rejected(q: number, k: number): void {
    this.qRej[q * this.K + k] = (this.qRej[q * this.K + k] as number) + 1;
  }

  started(q: number, k: number, waitMs: number): void {
    const i = q * this.K + k;
    this.qAdm[i] = (this.qAdm[i] as number) + 1;
    this.qWaitMs[i] = (this.qWaitMs[i] as number) + waitMs;
  }

  entryMeasured(e: number, k: number): void {
    this.eMeas[e * this.K + k] = (this.eMeas[e * this.K + k] as number) + 1;
  }

  entryFailed(e: number, k: number): void {
    this.eFail[e * this.K + k] = (this.eFail[e * this.K + k] as number) + 1;
  }

  /** A class-k arrival at an aware replica: START (a worker is its), WAIT (in its line) or REJECT. */
  admit(q: number, job: number, k: number, workerFree: boolean, t: number): number {
    const i = q * this.K + k;
    if (workerFree && (this.busy[i] as number) < (this.cap[i] as number)) {
      this.busy[i] = (this.busy[i] as number) + 1;
      return START;
    }
    const lim = this.qlim[i] as number;
    const all = at(this.plan.qLimit, q);
    const waiting = (this.lineJob[i] as number[]).length - (this.lineHead[i] as number);
    if ((lim >= 0 && waiting >= lim) || (all >= 0 && (this.waitingAll[q] as number) >= all)) return REJECT;
    (this.lineJob[i] as number[]).push(job);
    (this.lineT[i] as number[]).push(t);
    this.waitingAll[q] = (this.waitingAll[q] as number) + 1;
    return WAIT;
  }

  /** A class-k request left a worker of aware replica q: the job that takes it (−1: it idles). */
  release(q: number, k: number): number {
    const K = this.K;
    this.busy[q * K + k] = (this.busy[q * K + k] as number) - 1;
    let best = -1;
    for (let j = 0; j < K; j++) {
      const i = q * K + j;
      const line = this.lineJob[i] as number[];
      const head = this.lineHead[i] as number;
      if (head >= line.length || (this.busy[i] as number) >= (this.cap[i] as number)) continue;
      if (best < 0) {
        best = j;
        continue;
      }
      const pb = this.priority[best] as number;
      const pj = this.priority[j] as number;
      const tb = (this.lineT[q * K + best] as number[])[this.lineHead[q * K + best] as number] as number;
      const tj = (this.lineT[i] as number[])[head] as number;
      if (pj > pb || (pj === pb && tj < tb)) best = j;
    }
    if (best < 0) return -1;
    const i = q * K + best;
    const line = this.lineJob[i] as number[];
    const head = this.lineHead[i] as number;
    const job = line[head] as number;
    if (head + 1 === line.length) {
      line.length = 0;
      (this.lineT[i] as number[]).length = 0;
      this.lineHead[i] = 0;
    } else if (head > 64 && head * 2 > line.length) {
      // Drop the consumed front now and then, so a line's arrays stay its length.
      line.splice(0, head + 1);
      (this.lineT[i] as number[]).splice(0, head + 1);
      this.lineHead[i] = 0;
    } else this.lineHead[i] = head + 1;
    this.busy[i] = (this.busy[i] as number) + 1;
    this.waitingAll[q] = (this.waitingAll[q] as number) - 1;
    return job;
  }

  /** One replication ended: its figures join the estimates. `perSec`: recorded requests → rps. */
  endReplication(perSec: number): void {
    const { K, plan } = this;
    const num = new Float64Array(this.reps.width);
    const den = new Float64Array(this.reps.width);
    plan.serviceNames.forEach((_, s) => {
      for (let k = 0; k < K; k++) {
        let arr = 0;
        let rej = 0;
        let adm = 0;
        let wait = 0;
        for (const q of at(plan.svcQueues, s)) {
          arr += this.qArr[q * K + k] as number;
          rej += this.qRej[q * K + k] as number;
          adm += this.qAdm[q * K + k] as number;
          wait += this.qWaitMs[q * K + k] as number;
        }
        const b = (s * K + k) * 4;
        num[b] = arr * perSec;
        den[b] = 1;
        num[b + 1] = rej * perSec;
        den[b + 1] = 1;
        num[b + 2] = rej;
        den[b + 2] = arr;
        num[b + 3] = wait;
        den[b + 3] = adm;
      }
    });
    const base = plan.serviceNames.length * K * 4;
    for (let i = 0; i < plan.entryNames.length * K; i++) {
      num[base + i] = (this.eMeas[i] as number) - (this.eFail[i] as number);
      den[base + i] = this.eMeas[i] as number;
    }
    this.reps.add(num, den);
    for (const d of this.dist) d.endReplication();
  }

  /** Adds per-class figures (and their intervals) to a DES result, as the analytic engine lays them out. */
  addTo(result: SimulationResult, intervals: Record<string, [number, number]>): void {
    const { K, plan, names, doc } = this;
    const key = (n: string) => JSON.stringify(n);
    const read = (i: number, path: string): number | null => {
      const e = this.reps.estimate(i);
      if (e.n === 0 || !Number.isFinite(e.mean)) return null;
      if (e.n > 1) intervals[path] = interval(e);
      return e.mean;
    };
    plan.serviceNames.forEach((name, s) => {
      const res = result.services[name];
      if (!res) return;
      const out: Record<string, ServiceClassResult> = dict<ServiceClassResult>();
      for (let k = 0; k < K; k++) {
        const b = (s * K + k) * 4;
        const p = `services[${key(name)}].classes[${key(names[k] as string)}]`;
        const arrivalRps = read(b, `${p}.arrivalRps`) ?? 0;
        if (!(arrivalRps > 0)) continue;
        out[names[k] as string] = {
          arrivalRps,
          rejectedRps: read(b + 1, `${p}.rejectedRps`) ?? 0,
          rejectionRate: read(b + 2, `${p}.rejectionRate`) ?? 0,
          meanWaitMs: read(b + 3, `${p}.meanWaitMs`),
        };
      }
      res.classes = out;
    });
    const base = plan.serviceNames.length * K * 4;
    plan.entryNames.forEach((name, e) => {
      const res = result.entries[name];
      if (!res) return;
      const out: Record<string, EntryClassResult> = dict<EntryClassResult>();
      for (let k = 0; k < K; k++) {
        const cls = names[k] as string;
        let rps = 0;
        for (const t of doc.traffic) if (t.entry === name && (t.class ?? DEFAULT_CLASS) === cls) rps += t.rps * result.scale;
        if (rps === 0) continue;
        const p = `entries[${key(name)}].classes[${key(cls)}]`;
        const successRate = read(base + e * K + k, `${p}.successRate`) ?? 1;
        const est = res.latencyMs ? (this.dist[e * K + k] as SectionedDistribution).estimate() : null;
        const latencyMs = est
          ? {
              mean: est.mean.mean,
              p50: est.p50.mean,
              p95: est.p95.mean,
              p99: est.p99.mean,
              ci: {
                mean: interval(est.mean, est.range),
                p50: interval(est.p50, est.range),
                p95: interval(est.p95, est.range),
                p99: interval(est.p99, est.range),
              },
            }
          : null;
        out[cls] = {
          rps,
          successRate,
          goodputRps: rps * successRate,
          latencyMs,
          reason: latencyMs ? null : res.reason,
          slo: classSlo({ doc }, name, cls, latencyMs, successRate),
        };
      }
      res.classes = out;
    });
  }
}
