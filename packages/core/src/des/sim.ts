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
 * Layout: DesSim (here) drives the replication (ingress, the window, the event loop) and what a
 * served job does next (its steps, calls and response); its base DesQueues (sim-queues.ts) is
 * the queues' side (admission, lines, service, rejections, retries, timeouts), on DesJobs
 * (jobs.ts). DesSim is the only concrete class, so calls across the layers stay monomorphic.
 *
 * Speed: all state lives in typed arrays (jobs as a struct of arrays with a free list, waiting
 * lines as links through the jobs, events in a typed binary heap), so the loop allocates
 * nothing and calls no closures. Counters feed only requests admitted after the warm-up.
 * Typed-array reads here stay unchecked casts rather than the checked `at()` (core/checked.ts):
 * measured paired against this loop, `at()` halved events per second (one read site for every
 * array kind goes megamorphic) and per-kind checked readers still cost about 20 % (the calls
 * outgrow what the compiler inlines). The indices it follows come from the plan, built with checked reads.
 */

import type { DesBudget } from './budget.ts';
import { CLASS_MASK, CLASS_SHIFT } from './classes.ts';
import type { DesAsync } from './events.ts';
import type { Histogram } from './histogram.ts';
import { CALL_DB, CALL_SERVICE, type DesPlan } from './plan.ts';
import { clearTotals } from './replication-totals.ts';
import type { Rng } from './rng.ts';
import * as codes from './sim-flags.ts';
import { DesQueues } from './sim-queues.ts';
import type { TimeHooks } from './timevarying.ts';

// Imported bindings can compile to getter calls (CommonJS interop) or cell reads; the hot loop reads local copies.
const K_SERVICE = CALL_SERVICE;
const K_DB = CALL_DB;
const EV_ARRIVE = codes.EV_ARRIVE;
const EV_DONE = codes.EV_DONE;
const EV_EXT = codes.EV_EXT;
const EV_INGRESS = codes.EV_INGRESS;
const F_EVENT = codes.F_EVENT;
const F_EV_MEASURED = codes.F_EV_MEASURED;
const F_FAILED = codes.F_FAILED;
const F_HELD = codes.F_HELD;
const F_MEASURED = codes.F_MEASURED;

export class DesSim extends DesQueues {
  /** Entries with a latency (their successful requests are recorded). */
  private readonly entryOk: Uint8Array;
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

  constructor(plan: DesPlan, entryHist: Histogram[], serviceHist: Histogram[], budget: DesBudget | null = null) {
    super(plan, entryHist, serviceHist, budget);
    this.entryOk = Uint8Array.from(plan.entryStatus.map((s) => (s === 'ok' ? 1 : 0)));
    this.entryWait = Uint8Array.from(plan.entryFinite.map((f) => (f ? 1 : 0)));
    this.growJobs(1024);
  }

  /**
   * Starts a fresh, empty system: `warmup` requests are simulated and discarded, the next
   * `measured` are recorded, and the replication ends when the last recorded request is done.
   */
  begin(rng: Rng, warmup: number, measured: number): void {
    this.warmup = warmup;
    this.measured = measured;
    this.admitted = 0;
    this.windowClosed = false;
    this.pending = 0;
    this.finished = false;
    this.clearQueues(rng);
    clearTotals(this.totals, measured);
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
  protected endEvent(job: number, t: number, handled: boolean): void {
    const flags = this.jFlags[job] as number;
    (this.async as DesAsync).ended(this.jEntry[job] as number, this.jT0[job] as number, t, (flags & F_EV_MEASURED) !== 0, handled);
    this.finish(job, t);
  }

  /** Launches the calls of the job's current step, skipping steps that make no call. */
  protected nextStep(job: number, t: number): void {
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
  protected launch(job: number, c: number, t: number): number {
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

  protected finish(job: number, t: number): void {
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
}
