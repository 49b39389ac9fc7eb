/**
 * Calls between the rehearsal's processes over NATS, Microbus-style: a request goes to the
 * callee's subject in the slot locality picks, the callee acks at once and answers later on the
 * caller's response subject (queue group: the caller's instance id). Timestamps from the shared
 * monotonic clock ride in headers, so both sides can tell network time from service time.
 *
 * Network cost: the model charges a call `natsHopMs` (+ `crossZoneMs` / `crossRegionMs` by the
 * two replicas' zones), or `dbCallMs` for a database, all before the callee's arrival. The real
 * hop on one machine is ~0.1–0.3 ms and does not dilate, so the callee holds a request until
 * `sent + cost × dilation − (expected answer leg)`; the caller then measures what each call's
 * network time really was, and the report shows both.
 */
import {
  type EndpointAddress,
  emptyHistogram,
  escapeMicrobusHostname,
  type HopCounters,
  type MicrobusReplicaSpec,
  type MicrobusSlot,
  microbusRequestSubject,
  microbusResponseSubscription,
  type RehearsalPlan,
  recordSample,
} from '@busboard/core';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { nowMs } from './clock.ts';

export const H = {
  msgId: 'Microbus-Msg-Id',
  opCode: 'Microbus-Op-Code',
  fromHost: 'Microbus-From-Host',
  fromId: 'Microbus-From-Id',
  /** Busboard's own: the caller's zone, send time, design cost of the hop, expected answer leg. */
  zone: 'Busboard-Zone',
  sent: 'Busboard-Sent',
  cost: 'Busboard-Cost',
  answerLeg: 'Busboard-Answer-Leg',
  /** How much longer than designed this caller's earlier calls to the same target took (real ms): the callee shortens its hold by it. */
  owed: 'Busboard-Owed',
  received: 'Busboard-Received',
  queued: 'Busboard-Queued',
  answered: 'Busboard-Answered',
} as const;

/** Timestamps of one call, monotonic ms: sent, received by the callee, queued there, answered, answer received. */
export interface CallTimes {
  sent: number;
  received: number;
  queued: number;
  answered: number;
  back: number;
  /** The callee's zone. */
  zone: string;
}

export interface Self {
  host: string;
  id: string;
  zone: string;
}

/** The network cost (design ms) of a broker call between two zones. */
export function hopCostMs(plan: RehearsalPlan, from: string, to: string): number {
  const n = plan.network;
  if (from === to) return n.natsHopMs;
  const region = (z: string) => plan.zones.find((x) => x.name === z)?.region;
  return n.natsHopMs + (region(from) === region(to) ? n.crossZoneMs : n.crossRegionMs);
}

/**
 * The slot a caller in `zone` uses for a service of `bundle`: its own zone's locality when the
 * bundle runs there, else its region's, else any replica (Microbus's locality-aware routing once
 * it has learned where responders are).
 */
export function slotFor(plan: RehearsalPlan, zone: string, bundle: string): MicrobusSlot {
  if (plan.routing !== 'locality') return { kind: 'any' };
  const z = plan.zones.find((x) => x.name === zone);
  if (!z) return { kind: 'any' };
  const here = plan.replicas.filter((r) => r.bundle === bundle);
  if (here.some((r) => r.zone === zone)) return { kind: 'locality', locality: z.locality };
  const region = z.region;
  if (here.some((r) => plan.zones.find((x) => x.name === r.zone)?.region === region)) return { kind: 'locality', locality: z.regionLocality };
  return { kind: 'any' };
}

/** The replica as core's Microbus subject builder (the live reader's own) knows it. */
export function replicaSpec(plan: RehearsalPlan, self: Self): MicrobusReplicaSpec {
  const locality = plan.zones.find((z) => z.name === self.zone)?.locality;
  return { generation: 'newest', plane: plan.plane, hostname: self.host, id: self.id, ...(locality ? { locality } : {}) };
}

const slotToken = (slot: MicrobusSlot) => (slot.kind === 'id' ? `id-${slot.id}` : slot.kind === 'locality' ? `loc-${slot.locality}` : '');

/** What a caller on `from` publishes to reach `to`'s endpoint through one slot. */
export function requestSubject(plan: RehearsalPlan, from: string, to: string, e: EndpointAddress, slot: MicrobusSlot): string {
  return microbusRequestSubject({
    generation: 'newest',
    plane: plan.plane,
    host: to,
    port: e.port,
    method: e.method,
    path: e.path,
    slot: slotToken(slot),
    from,
  });
}

/** Where a responder on `fromHost` answers replica `toId` of `toHost`: its response subscription with the responder in `<src>`. */
export function responseSubject(plan: RehearsalPlan, fromHost: string, toHost: string, toId: string): string {
  return `${plan.plane}.reply._.${escapeMicrobusHostname(fromHost)}.${escapeMicrobusHostname(toHost)}.id-${toId.toLowerCase()}`;
}

export function emptyHops(): HopCounters {
  return { calls: 0, targetMs: 0, actualMs: 0, requestLeg: emptyHistogram(), answerLeg: emptyHistogram() };
}

interface Pending {
  resolve(t: CallTimes): void;
  reject(err: Error): void;
  sent: number;
  onAck?: (ms: number) => void;
  timer: NodeJS.Timeout;
}

/** The calling side of one microservice instance: its response subscription and its pending calls. */
export class Caller {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  /** Running mean of the answer leg (real ms), sent along so callees can pad the request leg. */
  answerLeg = 0.15;
  /**
   * Per target (a host, or `db`): how much longer than designed the calls so far have taken,
   * paid back by asking the callee to hold the next ones that much less (where there is room:
   * a hop whose real legs already exceed its designed cost cannot be shortened).
   */
  private readonly owed = new Map<string, number>();
  hops = emptyHops();
  timeouts = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly plan: RehearsalPlan,
    readonly self: Self,
    private readonly timeoutMs = 30_000,
  ) {
    const sub = microbusResponseSubscription(replicaSpec(plan, self));
    nc.subscribe(sub.subject, { ...(sub.queue ? { queue: sub.queue } : {}), callback: (_err, msg) => this.onAnswer(msg) });
  }

  private onAnswer(msg: Msg): void {
    const h = msg.headers;
    const id = h?.get(H.msgId);
    const p = id ? this.pending.get(id) : undefined;
    if (!h || !p || !id) return;
    const back = nowMs();
    if (h.get(H.opCode) === 'Ack') {
      p.onAck?.(back - p.sent);
      return;
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    const t: CallTimes = {
      sent: p.sent,
      received: Number(h.get(H.received)),
      queued: Number(h.get(H.queued)),
      answered: Number(h.get(H.answered)),
      back,
      zone: h.get(H.zone),
    };
    const leg = back - t.answered;
    if (leg >= 0 && leg < 50) this.answerLeg += 0.05 * (leg - this.answerLeg);
    p.resolve(t);
  }

  /** Sends one request and settles with its timestamps. `costMs` null: ingress, no network cost. */
  request(subject: string, o: { costMs: number | null; owedMs?: number; onAck?: (ms: number) => void }): Promise<CallTimes> {
    const id = `${this.self.id}-${(this.seq++).toString(36)}`;
    const h = headers();
    h.set(H.msgId, id);
    h.set(H.fromHost, this.self.host);
    h.set(H.fromId, this.self.id);
    h.set(H.zone, this.self.zone);
    if (o.costMs !== null) h.set(H.cost, String(o.costMs));
    h.set(H.answerLeg, this.answerLeg.toFixed(4));
    if (o.owedMs) h.set(H.owed, o.owedMs.toFixed(4));
    const sent = nowMs();
    h.set(H.sent, sent.toFixed(4));
    return new Promise<CallTimes>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.timeouts++;
        reject(new Error(`no answer on ${subject} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, sent, timer, ...(o.onAck ? { onAck: o.onAck } : {}) });
      this.nc.publish(subject, undefined, { headers: h });
    });
  }

  /** Calls a service of another bundle through the broker; records the hop against its design cost. */
  async callService(target: { host: string; bundle: string; endpoint: EndpointAddress }, onAck?: (ms: number) => void): Promise<CallTimes> {
    const slot = slotFor(this.plan, this.self.zone, target.bundle);
    const subject = requestSubject(this.plan, this.self.host, target.host, target.endpoint, slot);
    const t = await this.request(subject, { costMs: -1, owedMs: this.owed.get(target.host) ?? 0, ...(onAck ? { onAck } : {}) });
    this.account(t, hopCostMs(this.plan, this.self.zone, t.zone), target.host);
    return t;
  }

  /** Calls a database shard (the database process answers like a callee). */
  async callDatabase(db: string, shard: string): Promise<CallTimes> {
    const t = await this.request(databaseSubject(this.plan.plane, db, shard), {
      costMs: this.plan.network.dbCallMs,
      owedMs: this.owed.get('db') ?? 0,
    });
    this.account(t, this.plan.network.dbCallMs, 'db');
    return t;
  }

  private account(t: CallTimes, costMs: number, target: string): void {
    const k = this.plan.dilation;
    const hops = this.hops;
    const actual = t.back - t.sent - (t.answered - t.queued);
    hops.calls++;
    hops.targetMs += costMs * k;
    hops.actualMs += actual;
    const cap = Math.max(1, costMs * k);
    this.owed.set(target, Math.max(-cap, Math.min(5 * cap, (this.owed.get(target) ?? 0) + actual - costMs * k)));
    recordSample(hops.requestLeg, t.received - t.sent);
    recordSample(hops.answerLeg, t.back - t.answered);
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}

export function databaseSubject(plane: string, db: string, shard: string): string {
  const token = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${plane}.db.${token(db)}.${token(shard)}`;
}

/** The callee side: when a request may join the queue (its network cost paid), and the answer's headers. */
export function arrivalDue(plan: RehearsalPlan, msg: Msg, calleeZone: string, received: number): number {
  const h = msg.headers;
  const cost = Number(h?.get(H.cost) ?? 'NaN');
  if (!h || !Number.isFinite(cost)) return received; // ingress: free
  const designCost = cost < 0 ? hopCostMs(plan, h.get(H.zone), calleeZone) : cost;
  const sent = Number(h.get(H.sent));
  const leg = Number(h.get(H.answerLeg)) || 0;
  const owed = Number(h.get(H.owed)) || 0;
  return sent + designCost * plan.dilation - leg - owed;
}

export function answerHeaders(msg: Msg, zone: string, t: { received: number; queued: number; answered: number }, opCode: 'Ack' | 'Res') {
  const h = headers();
  h.set(H.msgId, msg.headers?.get(H.msgId) ?? '');
  h.set(H.opCode, opCode);
  h.set(H.zone, zone);
  if (opCode === 'Res') {
    h.set(H.received, t.received.toFixed(4));
    h.set(H.queued, t.queued.toFixed(4));
    h.set(H.answered, t.answered.toFixed(4));
  }
  return h;
}

/** Where the answer goes: the caller's response subject, from its headers. */
export function answerSubject(plan: RehearsalPlan, msg: Msg, fromHost: string): string | null {
  const host = msg.headers?.get(H.fromHost);
  const id = msg.headers?.get(H.fromId);
  return host && id ? responseSubject(plan, fromHost, host, id) : null;
}
