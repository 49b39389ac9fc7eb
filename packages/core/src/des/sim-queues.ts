/**
 * The queues' side of the DES event loop (sim.ts): a request reaching a replica or a shard is
 * admitted (in-flight caps, line limits, per-class lines), waits FCFS in the queue's line (a link
 * through the jobs), holds a worker for its own time (or a cache hit's), and hands the worker on
 * when done. Rejections, retries of rejected attempts and time-budget expiries end or resend a
 * job here; what a job does once served (its calls, its response) is DesSim's.
 *
 * The same speed rules as sim.ts: typed arrays, unchecked reads, no closures; DesSim is the
 * only concrete class, so the calls between the two stay monomorphic.
 */

import type { DesBudget } from './budget.ts';
import { CLASS_MASK, CLASS_SHIFT, type DesClasses, REJECT, START } from './classes.ts';
import type { DesAsync } from './events.ts';
import { EventHeap } from './heap.ts';
import type { Histogram } from './histogram.ts';
import { DesJobs } from './jobs.ts';
import type { DesPlan } from './plan.ts';
import { createTotals, type ReplicationTotals } from './replication-totals.ts';
import { DesRetries } from './retries.ts';
import type { DistTable, Rng } from './rng.ts';
import { leastHeld } from './routing.ts';
import * as codes from './sim-flags.ts';
import type { TimeHooks } from './timevarying.ts';

// Imported bindings can compile to getter calls (CommonJS interop) or cell reads; the hot loop reads local copies.
const EV_ARRIVE = codes.EV_ARRIVE;
const EV_DONE = codes.EV_DONE;
const F_EVENT = codes.F_EVENT;
const F_EV_MEASURED = codes.F_EV_MEASURED;
const F_FAILED = codes.F_FAILED;
const F_HELD = codes.F_HELD;
const F_HIT = codes.F_HIT;
const F_MEASURED = codes.F_MEASURED;

export abstract class DesQueues extends DesJobs {
  protected readonly p: DesPlan;
  protected readonly dists: DistTable;
  protected rng!: Rng;
  readonly heap = new EventHeap(4096);
  now = 0;
  events = 0;

  protected readonly qBusy: Int32Array;
  protected readonly qHead: Int32Array;
  protected readonly qTail: Int32Array;
  /** Requests waiting in each queue's line (for the queue limits). */
  protected readonly qWaiting: Int32Array;
  /** Requests each queue holds, admission to response (in-flight caps, least-connections). */
  protected readonly qHeld: Int32Array;
  /** Schema v2 retries (retries.ts); null when nothing retries. */
  protected readonly retry: DesRetries | null;

  readonly totals: ReplicationTotals;
  /** Traffic classes (schema v2, des/classes.ts); null for a document without them. */
  classes: DesClasses | null = null;
  /** Schema v3 async messaging (des/events.ts); null for a document without it. */
  async: DesAsync | null = null;
  /** The DES with time (des/timevarying.ts): arrivals, pods, warm-up, warming caches, per-minute records; null: steady. */
  tv: TimeHooks | null = null;

  constructor(
    plan: DesPlan,
    entryHist: Histogram[],
    serviceHist: Histogram[],
    protected readonly budget: DesBudget | null,
  ) {
    super();
    this.p = plan;
    this.dists = plan.dists;
    this.qBusy = new Int32Array(plan.nQueues);
    this.qHead = new Int32Array(plan.nQueues);
    this.qTail = new Int32Array(plan.nQueues);
    this.qWaiting = new Int32Array(plan.nQueues);
    this.qHeld = new Int32Array(plan.nQueues);
    this.retry = DesRetries.of(plan);
    this.totals = createTotals(plan, entryHist, serviceHist, budget);
  }

  /** Sends call c of `job` at t; returns the child job (−1 for an external: a pure delay). */
  protected abstract launch(job: number, c: number, t: number): number;
  /** Launches the calls of the job's current step, skipping steps that make no call. */
  protected abstract nextStep(job: number, t: number): void;
  /** The job's visit ends: its response goes back to its caller (or ends its request). */
  protected abstract finish(job: number, t: number): void;
  /** An event copy leaves: handled (its worker already handed on), or rejected by a full line. */
  protected abstract endEvent(job: number, t: number, handled: boolean): void;

  /** Empties every queue and the jobs for a new replication drawing from `rng`. */
  protected clearQueues(rng: Rng): void {
    this.rng = rng;
    this.now = 0;
    this.events = 0;
    this.heap.clear();
    this.qBusy.fill(0);
    this.qHead.fill(-1);
    this.qTail.fill(-1);
    this.qWaiting.fill(0);
    this.classes?.begin();
    this.async?.begin(rng);
    this.qHeld.fill(0);
    this.freeAll();
  }

  protected arrive(job: number, t: number): void {
    const q = this.jQueue[job] as number;
    if ((this.jFlags[job] as number) & F_MEASURED) this.totals.qArrivals[q] = (this.totals.qArrivals[q] as number) + 1;
    const cap = this.p.qCap[q] as number;
    if (cap >= 0 && (this.qHeld[q] as number) >= cap) {
      if ((this.jFlags[job] as number) & F_MEASURED) this.totals.qCapRejected[q] = (this.totals.qCapRejected[q] as number) + 1;
      this.reject(job, q, t);
      return;
    }
    if (this.budget?.expired(job, t)) {
      this.timedOut(job, q, t);
      return;
    }
    const tc = this.classes;
    if (tc !== null) {
      const k = ((this.jFlags[job] as number) & CLASS_MASK) >> CLASS_SHIFT;
      if ((this.jFlags[job] as number) & F_MEASURED) tc.arrived(q, k);
      if (tc.aware[q]) {
        // Per-class lines and limits (des/classes.ts). Time budgets do not expire requests in a class's line.
        const d = tc.admit(q, job, k, (this.qBusy[q] as number) < (this.p.qServers[q] as number), t);
        if (d === START) {
          this.qBusy[q] = (this.qBusy[q] as number) + 1;
          this.startService(job, q, t);
        } else if (d === REJECT) this.reject(job, q, t);
        else if ((this.jFlags[job] as number) & F_MEASURED) this.totals.qWaited[q] = (this.totals.qWaited[q] as number) + 1;
        return;
      }
    }
    if ((this.qBusy[q] as number) < (this.p.qServers[q] as number)) {
      this.hold(job, q);
      this.qBusy[q] = (this.qBusy[q] as number) + 1;
      this.startService(job, q, t);
    } else {
      const limit = this.p.qLimit[q] as number;
      if (limit >= 0 && (this.qWaiting[q] as number) >= limit) {
        this.reject(job, q, t);
        return;
      }
      this.hold(job, q);
      this.qWaiting[q] = (this.qWaiting[q] as number) + 1;
      if ((this.jFlags[job] as number) & F_MEASURED) this.totals.qWaited[q] = (this.totals.qWaited[q] as number) + 1;
      this.jNext[job] = -1;
      const tail = this.qTail[q] as number;
      if (tail < 0) this.qHead[q] = job;
      else this.jNext[tail] = job;
      this.qTail[q] = job;
    }
  }

  protected hold(job: number, q: number): void {
    this.qHeld[q] = (this.qHeld[q] as number) + 1;
    this.jFlags[job] = (this.jFlags[job] as number) | F_HELD;
  }

  /** A replica of service s among route's `count` candidates: at random (a queue group), or by least connections. */
  protected pick(s: number, route: number, count: number): number {
    const p = this.p;
    const start = p.routeStart[route] as number;
    if (count === 1) return p.routeQueues[start] as number;
    if (p.svcLeastConn[s]) return leastHeld(p.routeQueues, start, count, this.qHeld, this.rng);
    return p.routeQueues[start + Math.floor(this.rng.uniform() * count)] as number;
  }

  /**
   * The line is full: the request is rejected at once (a 429 or 503 back to its caller, no
   * worker held, no calls made). Its entry request fails; the caller goes on with its steps.
   */
  protected reject(job: number, q: number, t: number): void {
    if ((this.jFlags[job] as number) & F_EVENT) {
      this.endEvent(job, t, false);
      return;
    }
    if ((this.jFlags[job] as number) & F_MEASURED) {
      this.totals.qRejected[q] = (this.totals.qRejected[q] as number) + 1;
      this.classes?.rejected(q, ((this.jFlags[job] as number) & CLASS_MASK) >> CLASS_SHIFT);
    }
    if (this.retry && this.retryRejected(job, t)) return;
    this.failRoot(job);
    this.finish(job, t);
  }

  /** Sends a rejected attempt again after its backoff, to a replica picked afresh (retries.ts); false when none is left. */
  protected retryRejected(job: number, t: number): boolean {
    const retry = this.retry as DesRetries;
    const wait = retry.next(job);
    if (wait < 0) return false;
    const parent = this.jParent[job] as number;
    if (parent >= 0) {
      const state = retry.state(job);
      const c = retry.callOf(job);
      this.free(job);
      retry.carry(state, this.launch(parent, c, t + wait));
      return true;
    }
    const p = this.p;
    const src = -1 - retry.callOf(job);
    const route = (p.entryService[this.jEntry[job] as number] as number) * p.nZones + (p.srcZone[src] as number);
    const count = p.routeCount[route] as number;
    this.jQueue[job] = p.routeQueues[(p.routeStart[route] as number) + (count === 1 ? 0 : Math.floor(this.rng.uniform() * count))] as number;
    this.jT0[job] = t + wait;
    this.heap.push(t + wait, (job << 2) | EV_ARRIVE);
    return true;
  }

  /**
   * Marks the entry request that `job` serves as failed, counting it (once) the moment it fails:
   * a request of an entry the replication does not wait for (an unavailable or saturated one)
   * may still be in flight when the replication ends.
   */
  protected failRoot(job: number, instant = this.now, timeout = false): void {
    const root = this.rootOf(job);
    const flags = this.jFlags[root] as number;
    if (flags & F_FAILED) return;
    this.jFlags[root] = flags | F_FAILED;
    if (flags & F_MEASURED) {
      const entry = this.jEntry[root] as number;
      this.totals.entryFailed[entry] = (this.totals.entryFailed[entry] as number) + 1;
      this.classes?.entryFailed(entry, (flags & CLASS_MASK) >> CLASS_SHIFT);
      this.budget?.failed(entry, this.jT0[root] as number, instant, timeout);
      this.tv?.failed(entry, this.jT0[root] as number);
    }
  }

  protected rootFailed(job: number): boolean {
    return ((this.jFlags[this.rootOf(job)] as number) & F_FAILED) !== 0;
  }

  /** Time budgets (des/budget.ts): the job's deadline passed at queue q; its request fails and the job ends. */
  protected timedOut(job: number, q: number, t: number): void {
    const b = this.budget as DesBudget;
    b.countTimeout(q, ((this.jFlags[job] as number) & F_MEASURED) !== 0);
    this.failRoot(job, Math.min(t, b.deadline[job] as number), true);
    b.deadline[job] = Number.POSITIVE_INFINITY;
    this.finish(job, t);
  }

  protected startService(job: number, q: number, t: number): void {
    const p = this.p;
    let own: number;
    let flags = this.jFlags[job] as number;
    const h = this.tv ? this.tv.hitProb(q) : (p.qHitProb[q] as number);
    if (flags & F_EVENT) own = this.dists.sample(this.rng, (this.async as DesAsync).handlerDist[this.jEntry[job] as number] as number);
    else if (h > 0 && this.rng.uniform() < h) {
      flags |= F_HIT;
      own = this.dists.sample(this.rng, p.qHitDist[q] as number);
    } else {
      flags &= ~F_HIT;
      own = this.dists.sample(this.rng, p.qDist[q] as number);
    }
    this.jFlags[job] = flags;
    if (this.tv) own = this.tv.serve(q, t, own);
    if (this.budget) own = this.budget.hold(job, q, t, own, (flags & F_MEASURED) !== 0);
    if (flags & F_EV_MEASURED) this.totals.qBusyMs[q] = (this.totals.qBusyMs[q] as number) + own;
    if (flags & F_MEASURED) {
      this.totals.qBusyMs[q] = (this.totals.qBusyMs[q] as number) + own;
      this.totals.qWaitMs[q] = (this.totals.qWaitMs[q] as number) + t - (this.jT0[job] as number);
      this.classes?.started(q, (flags & CLASS_MASK) >> CLASS_SHIFT, t - (this.jT0[job] as number));
      if (flags & F_HIT) {
        const s = p.qService[q] as number;
        this.totals.serviceHits[s] = (this.totals.serviceHits[s] as number) + 1;
      }
    }
    this.heap.push(t + own, (job << 2) | EV_DONE);
  }

  protected done(job: number, t: number): void {
    const p = this.p;
    const q = this.jQueue[job] as number;
    // The worker is free: hand it to the next in line (downstream waits hold no worker).
    const tc = this.classes;
    if (tc?.aware[q]) {
      const next = tc.release(q, ((this.jFlags[job] as number) & CLASS_MASK) >> CLASS_SHIFT);
      if (next >= 0) this.startService(next, q, t);
      else this.qBusy[q] = (this.qBusy[q] as number) - 1;
    } else {
      let next = this.qHead[q] as number;
      // Time budgets: requests whose deadline passed while they waited have left the line.
      while (next >= 0 && this.budget?.expired(next, t)) {
        this.qWaiting[q] = (this.qWaiting[q] as number) - 1;
        const after = this.jNext[next] as number;
        this.qHead[q] = after;
        if (after < 0) this.qTail[q] = -1;
        this.timedOut(next, q, t);
        next = this.qHead[q] as number;
      }
      if (next >= 0) {
        this.qWaiting[q] = (this.qWaiting[q] as number) - 1;
        const after = this.jNext[next] as number;
        this.qHead[q] = after;
        if (after < 0) this.qTail[q] = -1;
        this.startService(next, q, t);
      } else this.qBusy[q] = (this.qBusy[q] as number) - 1;
    }
    const s = p.qService[q] as number;
    const flags = this.jFlags[job] as number;
    if (flags & F_MEASURED) {
      const sojourn = t - (this.jT0[job] as number);
      if (s >= 0) (this.totals.serviceHist[s] as Histogram).add(sojourn);
      this.totals.qSojournMs[q] = (this.totals.qSojournMs[q] as number) + sojourn;
      this.totals.qSojournN[q] = (this.totals.qSojournN[q] as number) + 1;
    }
    if (flags & F_EVENT) {
      this.endEvent(job, t, true);
      return;
    }
    if (s < 0) {
      this.finish(job, t);
      return;
    }
    this.async?.publish(q, s, this.jEntry[this.rootOf(job)] as number, t, (flags & F_MEASURED) !== 0);
    if (this.budget?.late[job]) {
      this.timedOut(job, q, t);
      return;
    }
    // A cache hit makes no calls; it still waits for its publish acks (schema v3), the steps after its calls.
    this.jStep[job] = (flags & F_HIT ? p.svcAckStart[s] : p.svcStepStart[s]) as number;
    this.nextStep(job, t);
  }

  protected override grown(cap: number): void {
    this.budget?.grow(cap);
  }
}
