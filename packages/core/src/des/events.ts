/**
 * Async messaging in the DES (schema v3, issue 18): the hooks the event loop (sim.ts) calls.
 *
 * - **Publish**: when a request's handler ends its own time (every request a replica admits, a
 *   cache hit too: publishing is part of handling), it publishes each `publishes[]` entry ⌊n⌋
 *   times plus once more with probability n − ⌊n⌋. Fire and forget: the request does not wait (a
 *   publish with `ack` on a subject a live stream captures waits the stream's ack from its zone
 *   per publish, after its calls; plan-steps.ts, stream-placement.ts).
 * - **Subscription copies** (async-plan.ts groups): each copy is a job of the sim that arrives
 *   at the chosen replica's queue after the call delay from the publisher's zone (`natsHopMs` +
 *   any crossing), waits in the same FCFS line as the requests (queue limits and in-flight caps
 *   apply to it as to a request; a rejected copy is lost), holds a worker for the handler's own
 *   time and makes no calls. Its latency is publish → handled.
 * - **Streams and consumers** (jetstream.ts): the message is stored `storeMs` after the publish
 *   and waits in the line of every consumer whose filter matches.
 *
 * Measured: what measured requests publish (rates per measured request × the ingress rate, as
 * every DES rate), and the latency of their copies and messages; the replication waits until
 * each of those is handled (`extend`), except at a handler that cannot keep up.
 *
 * **What-ifs** (`SimulateOptions.async`), run after the measured part of every replication is
 * over (so the steady figures stay those of steady state), from the state the system is in then:
 * `eventBurst` B adds B messages at once to the tail of every stable consumer's line;
 * `consumerOutageSeconds` T stops every stable consumer's deliveries for T seconds (handlings
 * under way finish); both: the burst arrives as the outage begins. The drain time is the time
 * from the burst (from the end of the outage) until the consumer's line first holds no more
 * messages than it did just before the burst (the outage began); `backlog` is B (with an
 * outage: what the line gained by the restart). The replication ends when every consumer has
 * drained.
 */
import { at } from '../checked.ts';
import type { AsyncWhatIf } from '../engine/async-types.ts';
import type { AsyncPlan } from './async-tables.ts';
import type { EventHeap } from './heap.ts';
import type { Histogram } from './histogram.ts';
import { Consumers } from './jetstream.ts';
import type { DesPlan } from './plan.ts';
import type { DistTable, Rng } from './rng.ts';

/** What the event loop offers the async hooks. */
export interface AsyncHost {
  /** A copy for handler h, published at t0, arrives at queue q at `at`. */
  spawnEvent(q: number, h: number, t0: number, at: number, measured: boolean): void;
  finished: boolean;
}

/** Per replication: counts of what measured requests published and their copies. */
export interface AsyncTotals {
  /** Per `pubs[]` entry: publishes. */
  published: Float64Array;
  /** Per entry: publishes by its requests. */
  entryPublished: Float64Array;
  /** Per handler: copies sent to it (and those a full line rejected). */
  copies: Float64Array;
  lost: Float64Array;
  /** Per handler: payload bytes of the copies sent to a replica in another zone of the publisher's region, and in another region. */
  crossZoneBytes: Float64Array;
  crossRegionBytes: Float64Array;
}

/** A heap payload for an async event: EV_EXT (3) with a negative id (sim.ts). */
const payload = (id: number) => ((-1 - id) << 2) | 3;
const K_RESUME = 3;

export class DesAsync {
  readonly a: AsyncPlan;
  readonly handlerDist: Int32Array;
  readonly consumers: Consumers;
  readonly totals: AsyncTotals;
  /** Latency histograms of the replication being run (owned by the run's sectioned distributions). */
  handlerHists: Histogram[] = [];
  private rng!: Rng;
  /** Measured copies and messages not yet handled. */
  private outstanding = 0;
  /** The loop has nothing left but these (and the what-if). */
  private waiting = false;
  private extended = false;
  private drainsLeft = 0;
  private readonly finite: Uint8Array;

  constructor(
    private readonly plan: DesPlan,
    dists: DistTable,
    private readonly heap: EventHeap,
    private readonly host: AsyncHost,
    private readonly whatIf: AsyncWhatIf = {},
  ) {
    const a = plan.async as AsyncPlan;
    this.a = a;
    this.handlerDist = Int32Array.from(a.handlers, (h) => h.dist);
    this.finite = Uint8Array.from(a.handlers, (h) => (h.finite ? 1 : 0));
    this.consumers = new Consumers(a, dists, {
      schedule: (t, id) => this.heap.push(t, payload(id)),
      settle: (t) => this.settle(t),
      drained: () => {
        if (--this.drainsLeft === 0) this.host.finished = true;
      },
    });
    this.totals = {
      published: new Float64Array(a.pubs.length),
      entryPublished: new Float64Array(plan.entryNames.length),
      copies: new Float64Array(a.handlers.length),
      lost: new Float64Array(a.handlers.length),
      crossZoneBytes: new Float64Array(a.handlers.length),
      crossRegionBytes: new Float64Array(a.handlers.length),
    };
  }

  begin(rng: Rng): void {
    this.rng = rng;
    this.outstanding = 0;
    this.waiting = false;
    this.extended = false;
    this.drainsLeft = 0;
    for (const t of Object.values(this.totals) as Float64Array[]) t.fill(0);
    this.consumers.begin(rng);
  }

  window(t: number, open: boolean): void {
    this.consumers.window(t, open);
  }

  /** A request's handler at queue q of service s ended its own time at t. */
  publish(q: number, s: number, entry: number, t: number, measured: boolean): void {
    const pubs = this.a.svcPubs[s];
    if (!pubs || pubs.length === 0) return;
    for (const i of pubs) {
      const pub = at(this.a.pubs, i);
      const n = pub.whole + (pub.frac > 0 && this.rng.uniform() < pub.frac ? 1 : 0);
      for (let k = 0; k < n; k++) {
        if (measured) {
          this.totals.published[i] = (this.totals.published[i] as number) + 1;
          this.totals.entryPublished[entry] = (this.totals.entryPublished[entry] as number) + 1;
        }
        this.send(pub.subject, at(this.plan.qZone, q), t, measured, pub.bytes);
      }
    }
  }

  private send(subject: number, z: number, t: number, measured: boolean, bytes: number): void {
    const a = this.a;
    const plan = this.plan;
    for (const target of at(a.subjectTargets, subject)) {
      const n = target.candCount[z] as number;
      if (n === 0) continue;
      const i = (target.candStart[z] as number) + (n === 1 ? 0 : Math.floor(this.rng.uniform() * n));
      const q = target.candQueue[i] as number;
      const h = target.candHandler[i] as number;
      const qz = plan.qZone[q] as number;
      if (measured) {
        this.totals.copies[h] = (this.totals.copies[h] as number) + 1;
        if (qz !== z) {
          const away = plan.zoneRegion[qz] === plan.zoneRegion[z] ? this.totals.crossZoneBytes : this.totals.crossRegionBytes;
          away[h] = (away[h] as number) + bytes;
        }
        if (this.finite[h]) this.outstanding++;
      }
      this.host.spawnEvent(q, h, t, t + (plan.zoneDelay[z * plan.nZones + qz] as number), measured);
    }
    const st = a.subjectStream[subject] as number;
    if (st < 0) return;
    const stored = t + (at(a.storeMs, st)[z] as number);
    for (const c of at(a.subjectConsumers, subject)) {
      if (!this.consumers.stable[c]) continue;
      if (measured) this.outstanding++;
      this.consumers.publish(c, t, stored, measured);
    }
  }

  /** An event copy for handler h, published at t0, was handled at t (or lost to a full line). */
  ended(h: number, t0: number, t: number, measured: boolean, handled: boolean): void {
    if (!measured) return;
    if (handled) (this.handlerHists[h] as Histogram).add(t - t0);
    else this.totals.lost[h] = (this.totals.lost[h] as number) + 1;
    if (this.finite[h]) this.settle(t);
  }

  /** A measured copy or message is done; the last one, once the loop waits for it, starts the what-if or ends the replication. */
  private settle(t: number): void {
    if (--this.outstanding === 0 && this.waiting) {
      this.waiting = false;
      if (!this.startWhatIf(t)) this.host.finished = true;
    }
  }

  fire(id: number, t: number): void {
    if ((id & 3) === K_RESUME) this.resume(id >> 2, t);
    else this.consumers.fire(id, t);
  }

  /**
   * The loop has finished its measured requests at t: true while measured events are still
   * outstanding or a what-if is running (the loop goes on; this sets `finished` when done).
   */
  extend(t: number): boolean {
    if (this.extended) return false;
    if (this.outstanding > 0) {
      this.waiting = true;
      return true;
    }
    return this.startWhatIf(t);
  }

  private startWhatIf(t: number): boolean {
    this.extended = true;
    const { eventBurst, consumerOutageSeconds } = this.whatIf;
    const cs = this.consumers;
    if (!eventBurst && !consumerOutageSeconds) return false;
    // Counted first: a consumer that drains at once must not end the replication before the others start.
    for (let c = 0; c < cs.n; c++) this.drainsLeft += cs.stable[c] as number;
    for (let c = 0; c < cs.n; c++) {
      if (!cs.stable[c]) continue;
      const level = cs.pending[c] as number;
      if (!consumerOutageSeconds) {
        cs.inject(c, t, eventBurst as number);
        cs.startDrain(c, t, level, eventBurst as number);
        continue;
      }
      // An outage (with a burst at its start, when both are asked): the drain starts at the restart.
      cs.paused[c] = 1;
      cs.level0[c] = level;
      if (eventBurst) cs.inject(c, t, eventBurst);
      this.heap.push(t + consumerOutageSeconds * 1000, payload((c << 2) | K_RESUME));
    }
    return this.drainsLeft > 0;
  }

  private resume(c: number, t: number): void {
    const cs = this.consumers;
    cs.paused[c] = 0;
    const level = cs.level0[c] as number;
    cs.startDrain(c, t, level, (cs.pending[c] as number) - level);
    cs.dispatch(c, t);
  }
}
