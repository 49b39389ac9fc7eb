/**
 * JetStream consumers in the DES (issue 18): each consumer is one line of stored messages
 * (JetStream keeps one pending sequence per consumer) served by a pool of its own: `workers` per
 * live replica of its service, pulling from that one line, at most `maxAckPending` delivered and
 * not yet acknowledged at once. A delivery needs a free worker and a free ack slot:
 *
 * - the worker is held for the consumer's own time (gamma with `serviceTimeMs`, `serviceTimeCv`;
 *   absent: the service's), and the hop from the stream leader to the worker's replica (a replica
 *   drawn uniformly) is paid on the way but overlaps the previous handling (a pull fetches ahead):
 *   it adds to the latency, not to the worker's time;
 * - with probability `failureRate` the handler does not ack: the worker is free at once, the ack
 *   slot stays taken until `ackWaitMs` after the delivery (or the handling's end, if later), and
 *   the message then goes to the head of the line (JetStream redelivers before new messages);
 * - otherwise the ack frees the slot when the handling ends, and the message is handled: its
 *   latency is publish → handled, every earlier delivery's wait included.
 *
 * An unstable consumer (forced-flow ρ ≥ 1 on workers or ack slots) is not simulated: its line has
 * no steady state (the result says so; lag grows without bound).
 *
 * Measured (per replication, for des/events.ts): deliveries and redeliveries of messages that
 * measured requests published, and time-integrals over the measurement window of the line
 * length (`meanPending`, JetStream's num_pending), the ack-pending count and the busy workers.
 * The what-ifs (des/events.ts `extend`) add a burst to a line or pause delivery.
 */
import { at } from '../checked.ts';
import type { AsyncPlan } from './async-tables.ts';
import type { Histogram } from './histogram.ts';
import type { DistTable, Rng } from './rng.ts';

export const K_STORED = 0;
export const K_HANDLED = 1;
export const K_TIMEOUT = 2;
const M_MEASURED = 1;
const M_FAILED = 2;
/** Delivered before (the next delivery is a redelivery). */
const M_DELIVERED = 4;

/** Per-replication sums of each consumer. */
export interface ConsumerTotals {
  delivered: Float64Array;
  redelivered: Float64Array;
  areaPending: Float64Array;
  areaAck: Float64Array;
  areaBusy: Float64Array;
  /** Drain time of the what-if (ms), −1 when not measured. */
  drainMs: Float64Array;
  backlog: Float64Array;
}

export interface ConsumerHost {
  schedule(t: number, id: number): void;
  /** A measured message is done (handled at t): −1 on the run's count of work outstanding. */
  settle(t: number): void;
  /** The what-if drain of a consumer ended. */
  drained(): void;
}

export class Consumers {
  readonly n: number;
  readonly stable: Uint8Array;
  private readonly workers: Int32Array;
  private readonly ackMax: Int32Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  readonly pending: Int32Array;
  private readonly busy: Int32Array;
  private readonly acks: Int32Array;
  readonly paused: Uint8Array;
  private readonly lastT: Float64Array;
  /** What-if: the line's level to return to, and when the drain started (−1: not draining). */
  readonly level0: Int32Array;
  private readonly drainStart: Float64Array;
  measuring = false;
  readonly totals: ConsumerTotals;
  hists: Histogram[] = [];

  // Messages (struct of arrays, a free list through mNext).
  private cap = 0;
  private mCons = new Int32Array(0);
  private mFlags = new Int32Array(0);
  private mNext = new Int32Array(0);
  private mT0 = new Float64Array(0);
  private mAt = new Float64Array(0);
  private free = -1;
  private rng!: Rng;

  constructor(
    private readonly a: AsyncPlan,
    private readonly dists: DistTable,
    private readonly host: ConsumerHost,
  ) {
    const n = a.consumers.length;
    this.n = n;
    this.stable = Uint8Array.from(a.consumers, (c) => (c.rho < 1 && c.workers > 0 ? 1 : 0));
    this.workers = Int32Array.from(a.consumers, (c) => c.workers);
    this.ackMax = Int32Array.from(a.consumers, (c) => c.maxAckPending);
    this.head = new Int32Array(n);
    this.tail = new Int32Array(n);
    this.pending = new Int32Array(n);
    this.busy = new Int32Array(n);
    this.acks = new Int32Array(n);
    this.paused = new Uint8Array(n);
    this.lastT = new Float64Array(n);
    this.level0 = new Int32Array(n);
    this.drainStart = new Float64Array(n);
    const f = () => new Float64Array(n);
    this.totals = { delivered: f(), redelivered: f(), areaPending: f(), areaAck: f(), areaBusy: f(), drainMs: f(), backlog: f() };
    this.grow(256);
  }

  begin(rng: Rng): void {
    this.rng = rng;
    this.head.fill(-1);
    this.tail.fill(-1);
    this.pending.fill(0);
    this.busy.fill(0);
    this.acks.fill(0);
    this.paused.fill(0);
    this.lastT.fill(0);
    this.drainStart.fill(-1);
    this.measuring = false;
    for (const t of Object.values(this.totals)) t.fill(0);
    this.totals.drainMs.fill(-1);
    this.free = -1;
    for (let m = this.cap - 1; m >= 0; m--) {
      this.mNext[m] = this.free;
      this.free = m;
    }
  }

  /** A message published at t0 reaches consumer c's line at `at`. */
  publish(c: number, t0: number, at: number, measured: boolean): void {
    const m = this.alloc();
    this.mCons[m] = c;
    this.mT0[m] = t0;
    this.mFlags[m] = measured ? M_MEASURED : 0;
    this.host.schedule(at, (m << 2) | K_STORED);
  }

  /** Adds `count` messages published now to c's line (a burst what-if; not measured). */
  inject(c: number, t: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const m = this.alloc();
      this.mCons[m] = c;
      this.mT0[m] = t;
      this.mFlags[m] = 0;
      this.enqueue(m, c, t, false);
    }
    this.dispatch(c, t);
  }

  fire(id: number, t: number): void {
    const m = id >> 2;
    const c = this.mCons[m] as number;
    switch (id & 3) {
      case K_STORED:
        this.enqueue(m, c, t, false);
        break;
      case K_HANDLED:
        this.handled(m, c, t);
        break;
      default:
        // Ack wait over: the slot frees and the message is redelivered first.
        this.advance(c, t);
        this.acks[c] = (this.acks[c] as number) - 1;
        this.enqueue(m, c, t, true);
    }
    this.dispatch(c, t);
  }

  private handled(m: number, c: number, t: number): void {
    this.advance(c, t);
    this.busy[c] = (this.busy[c] as number) - 1;
    const flags = this.mFlags[m] as number;
    if (flags & M_FAILED) {
      this.mFlags[m] = flags & ~M_FAILED;
      const spec = at(this.a.consumers, c);
      this.host.schedule(Math.max(t, (this.mAt[m] as number) + spec.ackWaitMs), (m << 2) | K_TIMEOUT);
      return;
    }
    this.acks[c] = (this.acks[c] as number) - 1;
    if (flags & M_MEASURED) {
      (this.hists[c] as Histogram).add(t + this.hop(c) - (this.mT0[m] as number));
      this.host.settle(t);
    }
    this.release(m);
  }

  /** Leader → a replica drawn uniformly: `natsHopMs` plus any crossing (added to the latency only). */
  private hop(c: number): number {
    const spec = at(this.a.consumers, c);
    const st = this.a.streams[spec.stream];
    const zones = spec.replicaZones;
    const z = zones[Math.floor(this.rng.uniform() * zones.length)] as number;
    if (!st || st.leaderZone < 0) return this.a.hopMs;
    return this.a.zoneDelay[st.leaderZone * this.a.nZones + z] as number;
  }

  private enqueue(m: number, c: number, t: number, front: boolean): void {
    this.advance(c, t);
    if (front) {
      this.mNext[m] = this.head[c] as number;
      this.head[c] = m;
      if ((this.tail[c] as number) < 0) this.tail[c] = m;
    } else {
      this.mNext[m] = -1;
      const tail = this.tail[c] as number;
      if (tail < 0) this.head[c] = m;
      else this.mNext[tail] = m;
      this.tail[c] = m;
    }
    this.pending[c] = (this.pending[c] as number) + 1;
  }

  /** Delivers while a worker and an ack slot are free and delivery is not paused. */
  dispatch(c: number, t: number): void {
    if (this.paused[c]) return;
    const spec = at(this.a.consumers, c);
    while (
      (this.pending[c] as number) > 0 &&
      (this.busy[c] as number) < (this.workers[c] as number) &&
      (this.acks[c] as number) < (this.ackMax[c] as number)
    ) {
      this.advance(c, t);
      const m = this.head[c] as number;
      this.head[c] = this.mNext[m] as number;
      if ((this.head[c] as number) < 0) this.tail[c] = -1;
      this.pending[c] = (this.pending[c] as number) - 1;
      this.busy[c] = (this.busy[c] as number) + 1;
      this.acks[c] = (this.acks[c] as number) + 1;
      const flags = this.mFlags[m] as number;
      if (flags & M_MEASURED) {
        this.totals.delivered[c] = (this.totals.delivered[c] as number) + 1;
        if (flags & M_DELIVERED) this.totals.redelivered[c] = (this.totals.redelivered[c] as number) + 1;
      }
      this.mAt[m] = t;
      this.mFlags[m] = flags | M_DELIVERED | (spec.failureRate > 0 && this.rng.uniform() < spec.failureRate ? M_FAILED : 0);
      this.host.schedule(t + this.dists.sample(this.rng, spec.dist), (m << 2) | K_HANDLED);
    }
    this.checkDrain(c, t);
  }

  /** What-if: starts measuring the drain of c's line back to `level`; `backlog` what the what-if added. */
  startDrain(c: number, t: number, level: number, backlog: number): void {
    this.level0[c] = level;
    this.drainStart[c] = t;
    this.totals.backlog[c] = backlog;
    this.checkDrain(c, t);
  }

  private checkDrain(c: number, t: number): void {
    const start = this.drainStart[c] as number;
    if (start < 0 || this.paused[c] || (this.pending[c] as number) > (this.level0[c] as number)) return;
    this.totals.drainMs[c] = t - start;
    this.drainStart[c] = -1;
    this.host.drained();
  }

  /** Time-integrals up to t (only while the measurement window is open). */
  advance(c: number, t: number): void {
    if (!this.measuring) return;
    const dt = t - (this.lastT[c] as number);
    this.lastT[c] = t;
    if (dt <= 0) return;
    const tot = this.totals;
    tot.areaPending[c] = (tot.areaPending[c] as number) + dt * (this.pending[c] as number);
    tot.areaAck[c] = (tot.areaAck[c] as number) + dt * (this.acks[c] as number);
    tot.areaBusy[c] = (tot.areaBusy[c] as number) + dt * (this.busy[c] as number);
  }

  /** Opens (at its start) or closes (at its end) the measurement window of the time-averages. */
  window(t: number, open: boolean): void {
    if (open) {
      this.measuring = true;
      this.lastT.fill(t);
      return;
    }
    for (let c = 0; c < this.n; c++) this.advance(c, t);
    this.measuring = false;
  }

  private alloc(): number {
    if (this.free < 0) this.grow(this.cap * 2);
    const m = this.free;
    this.free = this.mNext[m] as number;
    return m;
  }

  private release(m: number): void {
    this.mNext[m] = this.free;
    this.free = m;
  }

  private grow(cap: number): void {
    const old = this.cap;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.mCons = i32(this.mCons);
    this.mFlags = i32(this.mFlags);
    this.mNext = i32(this.mNext);
    this.mT0 = f64(this.mT0);
    this.mAt = f64(this.mAt);
    this.cap = cap;
    for (let m = cap - 1; m >= old; m--) {
      this.mNext[m] = this.free;
      this.free = m;
    }
  }
}
