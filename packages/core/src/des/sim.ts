/**
 * One replication of the discrete-event simulation: the event loop over a compiled plan.
 *
 * A request (a "job") arrives at a queue (a service replica or a database shard), waits FCFS
 * for one of the queue's servers, holds it for its own time (or the hit time on a cache hit),
 * releases it, and only then makes its downstream calls, step by step: a single call's
 * repetitions one after another, a parallel group's calls all at once, the job waiting for
 * the last of them (MODEL.md §2). Calls inside a bundle go to the caller's own replica for the
 * short-circuit cost; other calls pick a replica from the routing table of the caller's zone
 * and pay the broker hop plus any zone or region crossing; database calls pick a shard by
 * vcpu share and pay `dbCallMs`; externals are pure delays.
 *
 * Speed: all state lives in typed arrays (jobs as a struct of arrays with a free list, waiting
 * lines as links through the jobs, events in a typed binary heap), so the loop allocates
 * nothing and calls no closures. Counters feed only requests admitted after the warm-up.
 * Typed-array reads here stay unchecked casts rather than the checked `at()` (core/checked.ts):
 * measured paired against this loop, `at()` halved events per second (one read site for every
 * array kind goes megamorphic) and per-kind checked readers still cost about 20 % (the calls
 * outgrow what the compiler inlines). The indices it follows come from the plan, built with checked reads.
 */

import type { BudgetTotals, DesBudget } from './budget.ts';
import { CLASS_MASK, CLASS_SHIFT, type DesClasses, REJECT, START } from './classes.ts';
import type { DesAsync } from './events.ts';
import { EventHeap } from './heap.ts';
import type { Histogram } from './histogram.ts';
import { DesJobs } from './jobs.ts';
import { CALL_DB, CALL_SERVICE, type DesPlan } from './plan.ts';
import { DesRetries } from './retries.ts';
import type { DistTable, Rng } from './rng.ts';
import { leastHeld } from './routing.ts';
import type { TimeHooks } from './timevarying.ts';

const EV_INGRESS = 0;
const EV_ARRIVE = 1;
const EV_DONE = 2;
const EV_EXT = 3;

// Imported bindings can compile to getter calls (CommonJS interop); the hot loop reads local copies.
const K_SERVICE = CALL_SERVICE;
const K_DB = CALL_DB;

const F_MEASURED = 1;
const F_HIT = 2;
/** On a root job: some replica on its path rejected a call (schema v2 queue limits); the request fails. */
const F_FAILED = 4;
/** Admitted at its queue: held there until its response (routing.ts). */
const F_HELD = 8;
/** An event copy (des/events.ts): jEntry is its handler, jT0 its publish time; F_EV_MEASURED: a measured request published it. */
const F_EVENT = 16;
const F_EV_MEASURED = 32;

/** What one replication measured, in raw sums; the run turns them into estimates. */
export interface ReplicationTotals {
  /** Length of the measurement window (ms) over which the admitted requests arrived. */
  windowMs: number;
  /** Requests admitted in the window (the recorded ones). */
  measured: number;
  /**
   * Where recorded latencies go: one histogram per entry and per service, owned by the run (they
   * collect a whole section of replications, so a replication does not reset them).
   */
  entryHist: Histogram[];
  serviceHist: Histogram[];
  qArrivals: Float64Array;
  qBusyMs: Float64Array;
  qSojournMs: Float64Array;
  qSojournN: Float64Array;
  /** Recorded requests that found every server busy, and their total wait (ms). */
  qWaited: Float64Array;
  qWaitMs: Float64Array;
  /** Recorded requests rejected because the queue's line was full (queue limits). */
  qRejected: Float64Array;
  /** Of those, rejected by the in-flight cap; and the total time recorded admitted requests were held (ms; routing.ts). */
  qCapRejected: Float64Array;
  qHeldMs: Float64Array;
  /** Recorded requests per entry, and those that failed (a call on their path rejected). */
  entryMeasured: Float64Array;
  entryFailed: Float64Array;
  serviceHits: Float64Array;
  /** Broker calls by crossing: [same zone, cross-zone, cross-region]. */
  crossCalls: Float64Array;
  events: number;
  /** Time budgets (des/budget.ts), when the document has them. */
  budget?: BudgetTotals;
}

export class DesSim extends DesJobs {
  private readonly p: DesPlan;
  private readonly dists: DistTable;
  private rng!: Rng;
  readonly heap = new EventHeap(4096);
  now = 0;
  events = 0;

  // Queues.
  private readonly qBusy: Int32Array;
  private readonly qHead: Int32Array;
  private readonly qTail: Int32Array;
  /** Requests waiting in each queue's line (for the queue limits). */
  private readonly qWaiting: Int32Array;
  /** Requests each queue holds, admission to response (in-flight caps, least-connections). */
  private readonly qHeld: Int32Array;
  /** Entries with a latency (their successful requests are recorded). */
  private readonly entryOk: Uint8Array;
  /** Schema v2 retries (retries.ts); null when nothing retries. */
  private readonly retry: DesRetries | null;
  /** Entries whose every request ends (no saturated queue on any path): the replication waits for them. */
  private readonly entryWait: Uint8Array;

  // Replication control.
  private warmup = 0;
  private measured = 0;
  private admitted = 0;
  private windowStart = 0;
  private windowEnd = 0;
  private windowClosed = false;
  private pending = 0;
  finished = false;

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
    private readonly budget: DesBudget | null = null,
  ) {
    super();
    this.p = plan;
    this.dists = plan.dists;
    this.qBusy = new Int32Array(plan.nQueues);
    this.qHead = new Int32Array(plan.nQueues);
    this.qTail = new Int32Array(plan.nQueues);
    this.qWaiting = new Int32Array(plan.nQueues);
    this.qHeld = new Int32Array(plan.nQueues);
    this.entryOk = Uint8Array.from(plan.entryStatus.map((s) => (s === 'ok' ? 1 : 0)));
    this.retry = DesRetries.of(plan);
    this.entryWait = Uint8Array.from(plan.entryFinite.map((f) => (f ? 1 : 0)));
    this.totals = {
      windowMs: 0,
      measured: 0,
      entryHist,
      serviceHist,
      qArrivals: new Float64Array(plan.nQueues),
      qBusyMs: new Float64Array(plan.nQueues),
      qSojournMs: new Float64Array(plan.nQueues),
      qSojournN: new Float64Array(plan.nQueues),
      qWaited: new Float64Array(plan.nQueues),
      qWaitMs: new Float64Array(plan.nQueues),
      qRejected: new Float64Array(plan.nQueues),
      qCapRejected: new Float64Array(plan.nQueues),
      qHeldMs: new Float64Array(plan.nQueues),
      entryMeasured: new Float64Array(plan.entryNames.length),
      entryFailed: new Float64Array(plan.entryNames.length),
      serviceHits: new Float64Array(plan.serviceNames.length),
      crossCalls: new Float64Array(3),
      events: 0,
      ...(budget ? { budget: budget.totals } : {}),
    };
    this.growJobs(1024);
  }

  /**
   * Starts a fresh, empty system: `warmup` requests are simulated and discarded, the next
   * `measured` are recorded, and the replication ends when the last recorded request is done.
   */
  begin(rng: Rng, warmup: number, measured: number): void {
    this.rng = rng;
    this.warmup = warmup;
    this.measured = measured;
    this.admitted = 0;
    this.windowClosed = false;
    this.pending = 0;
    this.finished = false;
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
    const t = this.totals;
    t.qArrivals.fill(0);
    t.qBusyMs.fill(0);
    t.qSojournMs.fill(0);
    t.qSojournN.fill(0);
    t.qWaited.fill(0);
    t.qWaitMs.fill(0);
    t.qRejected.fill(0);
    t.qCapRejected.fill(0);
    t.qHeldMs.fill(0);
    t.entryMeasured.fill(0);
    t.entryFailed.fill(0);
    t.serviceHits.fill(0);
    t.crossCalls.fill(0);
    t.windowMs = 0;
    t.measured = measured;
    t.events = 0;
    this.budget?.reset();
    if (this.tv) this.tv.begin(rng, this.heap);
    else if (this.p.ingressRate > 0) this.heap.push(rng.exp(1 / this.p.ingressRate), EV_INGRESS);
    else this.finished = true;
  }

  /** Requests admitted so far in this replication (warm-up included). */
  get admittedCount(): number {
    return this.admitted;
  }

  /** Runs up to `maxEvents` events; returns true once the replication is complete. */
  run(maxEvents: number): boolean {
    const heap = this.heap;
    let n = 0;
    while (n < maxEvents && !this.finished) {
      if (heap.size === 0) {
        this.finished = true;
        break;
      }
      const t = heap.peekTime();
      const payload = heap.peekPayload();
      heap.pop();
      this.now = t;
      const id = payload >> 2;
      switch (payload & 3) {
        case EV_INGRESS:
          if (id > 0) (this.tv as TimeHooks).control(id, t);
          else this.ingress(t);
          break;
        case EV_ARRIVE:
          this.arrive(id, t);
          break;
        case EV_DONE:
          this.done(id, t);
          break;
        default:
          if (id < 0) (this.async as DesAsync).fire(-1 - id, t);
          else this.childDone(id, t);
      }
      n++;
      if (this.finished && this.async?.extend(t)) this.finished = false;
    }
    this.events += n;
    this.totals.events = this.events;
    if (this.finished) this.totals.windowMs = this.windowEnd - this.windowStart;
    return this.finished;
  }

  private ingress(t: number): void {
    const p = this.p;
    const rng = this.rng;
    const tv = this.tv;
    if (tv === null) this.heap.push(t + rng.exp(1 / p.ingressRate), EV_INGRESS);
    const k = ++this.admitted;
    let measured = false;
    if (tv !== null) measured = tv.recording(t);
    else if (!this.windowClosed) {
      if (k === this.warmup + 1) this.windowStart = t;
      if (k === this.warmup + 1) this.async?.window(t, true);
      if (k > this.warmup + this.measured) {
        // The first request after the window closes it: the window holds `measured` arrivals.
        this.windowEnd = t;
        this.async?.window(t, false);
        this.windowClosed = true;
        if (this.pending === 0) this.finished = true;
      } else measured = k > this.warmup;
    }
    const cum = p.srcCum;
    const u = rng.uniform();
    let src = 0;
    if (tv !== null) src = tv.arrival(t, u);
    else while (src < cum.length - 1 && u >= (cum[src] as number)) src++;
    const entry = p.srcEntry[src] as number;
    const route = (p.entryService[entry] as number) * p.nZones + (p.srcZone[src] as number);
    const count = p.routeCount[route] as number;
    const cls = this.classes ? (this.classes.srcClass[src] as number) : 0;
    if (measured) {
      this.totals.entryMeasured[entry] = (this.totals.entryMeasured[entry] as number) + 1;
      this.classes?.entryMeasured(entry, cls);
    }
    if (count === 0) {
      // The entry has no live replica: the request fails at once.
      if (measured) this.totals.entryFailed[entry] = (this.totals.entryFailed[entry] as number) + 1;
      if (measured) this.classes?.entryFailed(entry, cls);
      if (measured && this.budget) this.budget.failed(entry, t, t + this.budget.ingressAck(src), false);
      return;
    }
    const q = this.pick(p.entryService[entry] as number, route, count);
    const job = this.alloc();
    this.jParent[job] = -1;
    this.jQueue[job] = q;
    this.jEntry[job] = entry;
    this.jT0[job] = t;
    this.jRep[job] = 0;
    this.retry?.sent(job, -1 - src, t);
    if (measured) {
      this.jFlags[job] = F_MEASURED;
      if (this.entryWait[entry]) this.pending++;
    } else this.jFlags[job] = 0;
    this.jFlags[job] = (this.jFlags[job] as number) | (cls << CLASS_SHIFT);
    this.budget?.enter(job, src, t);
    this.arrive(job, t);
  }

  private arrive(job: number, t: number): void {
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

  private hold(job: number, q: number): void {
    this.qHeld[q] = (this.qHeld[q] as number) + 1;
    this.jFlags[job] = (this.jFlags[job] as number) | F_HELD;
  }

  /** A replica of service s among route's `count` candidates: at random (a queue group), or by least connections. */
  private pick(s: number, route: number, count: number): number {
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
  private reject(job: number, q: number, t: number): void {
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
  private retryRejected(job: number, t: number): boolean {
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
  private failRoot(job: number, instant = this.now, timeout = false): void {
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

  private rootFailed(job: number): boolean {
    return ((this.jFlags[this.rootOf(job)] as number) & F_FAILED) !== 0;
  }

  /** Time budgets (des/budget.ts): the job's deadline passed at queue q; its request fails and the job ends. */
  private timedOut(job: number, q: number, t: number): void {
    const b = this.budget as DesBudget;
    b.countTimeout(q, ((this.jFlags[job] as number) & F_MEASURED) !== 0);
    this.failRoot(job, Math.min(t, b.deadline[job] as number), true);
    b.deadline[job] = Number.POSITIVE_INFINITY;
    this.finish(job, t);
  }

  private startService(job: number, q: number, t: number): void {
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

  private done(job: number, t: number): void {
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

  /** Async messaging (des/events.ts): a copy for handler h, published at t0, arrives at queue q at `at`. */
  spawnEvent(q: number, h: number, t0: number, at: number, measured: boolean): void {
    const job = this.alloc();
    this.jParent[job] = -1;
    this.jQueue[job] = q;
    this.jEntry[job] = h;
    this.jT0[job] = t0;
    this.jFlags[job] = measured ? F_EVENT | F_EV_MEASURED : F_EVENT;
    this.budget?.none(job);
    this.heap.push(at, (job << 2) | EV_ARRIVE);
  }

  /** An event copy leaves: handled (its worker already handed on), or rejected by a full line. */
  private endEvent(job: number, t: number, handled: boolean): void {
    const flags = this.jFlags[job] as number;
    (this.async as DesAsync).ended(this.jEntry[job] as number, this.jT0[job] as number, t, (flags & F_EV_MEASURED) !== 0, handled);
    this.finish(job, t);
  }

  /** Launches the calls of the job's current step, skipping steps that make no call. */
  private nextStep(job: number, t: number): void {
    const p = this.p;
    const end = p.svcStepEnd[p.qService[this.jQueue[job] as number] as number] as number;
    for (let st = this.jStep[job] as number; st < end; st++) {
      const c0 = p.stepCallStart[st] as number;
      if (p.stepGroup[st]) {
        const c1 = p.stepCallEnd[st] as number;
        let launched = 0;
        for (let c = c0; c < c1; c++) {
          const k = this.repetitions(job, c);
          for (let r = 0; r < k; r++) this.launch(job, c, t);
          launched += k;
        }
        if (launched > 0) {
          this.jStep[job] = st;
          this.jRep[job] = 0;
          this.jPending[job] = launched;
          return;
        }
      } else {
        const k = this.repetitions(job, c0);
        if (k > 0) {
          this.jStep[job] = st;
          this.jRep[job] = k - 1;
          this.jPending[job] = 1;
          this.launch(job, c0, t);
          return;
        }
      }
    }
    this.finish(job, t);
  }

  /**
   * ⌊n⌋ calls plus one more with probability n − ⌊n⌋. A call to a service with no live replica
   * is not sent: if it would have been made at all, it fails the request (the caller carries on
   * with its other steps, as after a rejection).
   */
  private repetitions(job: number, c: number): number {
    const p = this.p;
    const frac = p.callFrac[c] as number;
    const k = (p.callWhole[c] as number) + (frac > 0 && this.rng.uniform() < frac ? 1 : 0);
    if (!p.callDead[c] || this.budget) return k; // with time budgets the call waits for its ack (launch)
    if (k > 0) this.failRoot(job);
    return 0;
  }

  /** Sends call c of `job` at t; returns the child job (−1 for an external: a pure delay). */
  private launch(job: number, c: number, t: number): number {
    const p = this.p;
    const kind = p.callKind[c];
    if (kind !== K_SERVICE && kind !== K_DB) {
      // A publish ack (schema v3) has one delay per zone: the replica's zone picks it.
      const d = (p.callTarget[c] as number) + (p.callZoned[c] ? (p.qZone[this.jQueue[job] as number] as number) : 0);
      this.heap.push(t + this.dists.sample(this.rng, d), (job << 2) | EV_EXT);
      return -1;
    }
    const q = this.jQueue[job] as number;
    if (this.budget && kind === K_SERVICE && this.launchBudgeted(job, q, c, t)) return -1;
    const target = p.callTarget[c] as number;
    let callee: number;
    let delay: number;
    if (kind === K_DB) {
      const u = this.rng.uniform();
      let g = p.dbShardStart[target] as number;
      const last = (p.dbShardEnd[target] as number) - 1;
      while (g < last && u >= (p.shardCum[g] as number)) g++;
      callee = p.shardQueue[g] as number;
      delay = p.dbCallMs;
    } else if (p.callSameBundle[c]) {
      callee = (p.replicaQueueBase[p.qReplica[q] as number] as number) + (p.svcPos[target] as number);
      delay = p.shortCircuitMs;
    } else {
      const z = p.qZone[q] as number;
      const route = target * p.nZones + z;
      const count = p.routeCount[route] as number;
      callee = this.pick(target, route, count);
      const zz = z * p.nZones + (p.qZone[callee] as number);
      delay = p.zoneDelay[zz] as number;
      if ((this.jFlags[job] as number) & F_MEASURED) {
        const cross = p.zoneCross[zz] as number;
        this.totals.crossCalls[cross] = (this.totals.crossCalls[cross] as number) + 1;
      }
    }
    const child = this.alloc();
    this.jParent[child] = job;
    this.jQueue[child] = callee;
    this.jFlags[child] = (this.jFlags[job] as number) & (F_MEASURED | CLASS_MASK);
    this.jT0[child] = t + delay;
    if (this.budget) {
      if (kind === K_SERVICE) this.budget.child(job, child, t, delay);
      else this.budget.none(child);
    }
    this.retry?.sent(child, c, t);
    this.heap.push(t + delay, (child << 2) | EV_ARRIVE);
    return child;
  }

  /**
   * Time budgets (des/budget.ts): a service call with H or less left is not sent (it fails fast);
   * one to a service with no live replica fails after its ack timeout. Either way the caller goes
   * on when the failure shows (an EV_EXT for the job). True when the call was handled here.
   */
  private launchBudgeted(job: number, q: number, c: number, t: number): boolean {
    const b = this.budget as DesBudget;
    const measured = ((this.jFlags[job] as number) & F_MEASURED) !== 0;
    if (!b.canSend(job, t)) {
      b.countTimeout(q, measured);
      this.failRoot(job, t, true);
      this.heap.push(t, (job << 2) | EV_EXT);
      return true;
    }
    if (!this.p.callDead[c]) return false;
    const wait = b.ackWait(job, t);
    this.failRoot(job, t + wait, wait < b.ackMs);
    this.heap.push(t + wait, (job << 2) | EV_EXT);
    return true;
  }

  private childDone(job: number, t: number): void {
    const left = (this.jPending[job] as number) - 1;
    this.jPending[job] = left;
    if (left > 0) return;
    const rep = this.jRep[job] as number;
    if (rep > 0) {
      // The next repetition of a sequential call.
      this.jRep[job] = rep - 1;
      this.jPending[job] = 1;
      this.launch(job, this.p.stepCallStart[this.jStep[job] as number] as number, t);
      return;
    }
    this.jStep[job] = (this.jStep[job] as number) + 1;
    this.nextStep(job, t);
  }

  private finish(job: number, t: number): void {
    const held = this.jFlags[job] as number;
    if (held & F_HELD) {
      // The response leaves (answered or timed out): the replica holds one request fewer.
      const q = this.jQueue[job] as number;
      this.qHeld[q] = (this.qHeld[q] as number) - 1;
      if (held & F_MEASURED) this.totals.qHeldMs[q] = (this.totals.qHeldMs[q] as number) + t - (this.jT0[job] as number);
      this.jFlags[job] = held & ~F_HELD;
    }
    // Time budgets: a visit that ends past its deadline (waiting on a database or an external) timed out.
    // Counted here only when nothing below failed the request first (a late callee already counted itself).
    if (this.budget && t > (this.budget.deadline[job] as number)) {
      if (!this.rootFailed(job)) {
        this.timedOut(job, this.jQueue[job] as number, t);
        return;
      }
      this.budget.deadline[job] = Number.POSITIVE_INFINITY;
    }
    const parent = this.jParent[job] as number;
    if (parent < 0) {
      const flags = this.jFlags[job] as number;
      if (flags & F_MEASURED) {
        const entry = this.jEntry[job] as number;
        // Latency is that of successful requests.
        const t0 = this.retry ? this.retry.bornOf(job) : (this.jT0[job] as number);
        if (this.entryOk[entry] && !(flags & F_FAILED)) {
          (this.totals.entryHist[entry] as Histogram).add(t - t0);
          this.tv?.latency(entry, t0, t - t0);
          this.classes?.hist(entry, (flags & CLASS_MASK) >> CLASS_SHIFT).add(t - t0);
        }
        if (this.entryWait[entry] && --this.pending === 0 && this.windowClosed) this.finished = true;
      }
      this.free(job);
      return;
    }
    this.free(job);
    this.childDone(parent, t);
  }

  protected override grown(cap: number): void {
    this.budget?.grow(cap);
  }
}
