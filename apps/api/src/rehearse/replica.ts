/**
 * One emulated bundle replica: a process holding the bundle's services, each subscribed on its
 * endpoints in every slot (`_`, `id-<instance>`, `loc-<prefix>`…) with its hostname as queue
 * group, plus the `:888` control endpoints without a queue group, on one NATS connection to a
 * server of its zone.
 *
 * A request waits for one of `workers` slots (FIFO), holds it for a gamma-distributed own time
 * (× dilation; a cache hit holds it for `hitTimeMs` and calls nothing), releases it, then makes
 * its calls in the design's order: steps one after another, a parallel group at once, ⌊n⌋ (+1
 * with probability n − ⌊n⌋) repetitions; a call inside the bundle stays in the process
 * (`shortCircuitMs`), a database call goes to the database process, an external is a delay.
 */
import {
  createRng,
  emptyHistogram,
  gamma,
  mergeHistograms,
  microbusReplicaSubscriptions,
  microbusResponseSubscription,
  microbusSubscriptions,
  parseMicrobusSubject,
  type RehearsalCall,
  type RehearsalPlan,
  type RehearsalReplica,
  type RehearsalService,
  type ReplicaReport,
  type Rng,
  recordSample,
  type ServiceCounters,
  seedFromString,
} from '@busboard/core';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { type Clock, nowMs } from './clock.ts';
import type { InstanceMetrics, MetricsRegistry } from './metrics.ts';
import { answerHeaders, answerSubject, arrivalDue, Caller, emptyHops, replicaSpec } from './wire.ts';

function emptyCounters(): ServiceCounters {
  return { arrivals: 0, busyMs: 0, ownTargetMs: 0, own: emptyHistogram(), sojourn: emptyHistogram(), handler: emptyHistogram() };
}

/** A FIFO worker pool: `acquire` settles when a worker is free. */
class Workers {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(n: number) {
    this.free = n;
  }

  acquire(): Promise<void> | null {
    if (this.free > 0) {
      this.free--;
      return null;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++] as () => void;
      if (this.head > 1024) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else this.free++;
  }
}

class EmulatedService {
  readonly workers: Workers;
  counters = emptyCounters();
  /** Holds in progress: start times (for busy time inside the window). */
  readonly holding = new Set<{ start: number }>();
  readonly caller: Caller;
  readonly metrics: InstanceMetrics;
  /** How much longer than drawn the holds have lasted so far (ms), paid back from the next holds. */
  carry = 0;
  /** Labels of its request-duration series: its first endpoint (calls go there). */
  readonly handlerLabels: Record<string, string>;

  constructor(
    readonly spec: RehearsalService,
    readonly id: string,
    readonly replica: BundleReplica,
    nc: NatsConnection,
    registry: MetricsRegistry,
  ) {
    this.workers = new Workers(spec.workers);
    this.caller = new Caller(nc, replica.plan, { host: spec.name, id, zone: replica.spec.zone });
    this.metrics = registry.instance({ plane: replica.plan.plane, service: spec.name, id });
    const e = spec.endpoints[0];
    this.handlerLabels = { name: e?.path ?? '/', port: String(e?.port ?? 443), method: e?.method ?? 'POST', code: '200', error: 'OK' };
  }
}

export class BundleReplica {
  private readonly services = new Map<string, EmulatedService>();
  windowStart = nowMs();
  private readonly rng: Rng;
  private cpuStart = process.cpuUsage();
  private msgsStart = { in: 0, out: 0 };

  constructor(
    readonly plan: RehearsalPlan,
    readonly spec: RehearsalReplica,
    private readonly nc: NatsConnection,
    private readonly clock: Clock,
    registry: MetricsRegistry,
    seed: number,
  ) {
    this.rng = createRng(seedFromString(`${spec.id}:${seed}`));
    const bundle = plan.bundles.find((b) => b.name === spec.bundle);
    for (const name of bundle?.services ?? []) {
      const s = plan.services[name];
      const id = spec.ids[name];
      if (s && id) this.services.set(name, new EmulatedService(s, id, this, nc, registry));
    }
    this.subscribe();
  }

  /**
   * Everything a Microbus replica subscribes to, from core's builder (the one the live reader
   * reads with): each endpoint in every slot with the hostname as queue group, the framework's
   * control, cache and OpenAPI routes. Requests to an endpoint are served; a ping is answered;
   * the other framework routes are only there to be seen. The response subscription is the
   * caller's (wire.ts).
   */
  private subscribe(): void {
    for (const svc of this.services.values()) {
      const replica = replicaSpec(this.plan, { host: svc.spec.name, id: svc.id, zone: this.spec.zone });
      const response = microbusResponseSubscription(replica).subject;
      const routes = svc.spec.endpoints.map((e) => ({ port: e.port, method: e.method, path: e.path }));
      const endpoints = new Set(routes.flatMap((r) => microbusSubscriptions(replica, r)).map((x) => x.subject));
      for (const sub of microbusReplicaSubscriptions(replica, routes)) {
        if (sub.subject === response) continue;
        const parsed = parseMicrobusSubject(sub.subject);
        const control = parsed?.kind === 'request' && parsed.control;
        const ping = control && parsed.path.replace(/^\//, '') === 'ping';
        this.nc.subscribe(sub.subject, {
          ...(sub.queue ? { queue: sub.queue } : {}),
          callback: (_err, msg) => {
            if (ping) {
              const to = answerSubject(this.plan, msg, svc.spec.name);
              if (to) this.nc.publish(to, undefined, { headers: answerHeaders(msg, this.spec.zone, { received: 0, queued: 0, answered: 0 }, 'Res') });
            } else if (!control && endpoints.has(sub.subject)) this.onRequest(svc, msg);
          },
        });
      }
    }
  }

  private onRequest(svc: EmulatedService, msg: Msg): void {
    const received = nowMs();
    const to = answerSubject(this.plan, msg, svc.spec.name);
    if (!to) return;
    const due = arrivalDue(this.plan, msg, this.spec.zone, received);
    this.clock.at(due, () => {
      // The request has crossed the (emulated) network: ack it, as Microbus acks on arrival,
      // so the caller's ack round trip carries the same network cost as the call.
      const queued = nowMs();
      this.nc.publish(to, undefined, { headers: answerHeaders(msg, this.spec.zone, { received, queued, answered: 0 }, 'Ack') });
      void this.serve(svc, queued).then(() => {
        this.nc.publish(to, undefined, { headers: answerHeaders(msg, this.spec.zone, { received, queued, answered: nowMs() }, 'Res') });
      });
    });
  }

  /** One request at one of this replica's services, from its arrival at the queue to its last call. */
  async serve(svc: EmulatedService, queued: number): Promise<void> {
    svc.counters.arrivals++;
    const wait = svc.workers.acquire();
    if (wait) await wait;
    const s = svc.spec;
    const hit = s.hitRate > 0 && this.rng.next() < s.hitRate;
    if (s.hitRate > 0) svc.metrics.add('microbus_cache_operations', { op: 'load', hit: hit ? 'local' : 'miss' });
    const mean = (hit ? s.hitTimeMs : s.serviceTimeMs) * this.plan.dilation;
    const target = gamma(this.rng, mean, s.serviceTimeCv);
    const hold = { start: nowMs() };
    svc.holding.add(hold);
    // A timer that fired late (a busy machine) made earlier holds too long: shorten this one by
    // what is owed (at most its own length), so busy time — and ρ — follows the drawn times.
    const owed = Math.min(svc.carry, target);
    await this.clock.until(hold.start + target - owed);
    const end = nowMs();
    svc.carry = Math.max(-mean, Math.min(5 * mean, svc.carry + end - hold.start - target));
    svc.holding.delete(hold);
    const counters = svc.counters; // a reset during the hold started a new window
    counters.busyMs += end - Math.max(hold.start, this.windowStart);
    if (hold.start >= this.windowStart) {
      counters.ownTargetMs += target;
      recordSample(counters.own, end - hold.start);
    }
    svc.workers.release();
    if (queued >= this.windowStart) recordSample(counters.sojourn, end - queued);
    if (!hit) {
      for (const step of s.steps) {
        if (step.parallel) await Promise.all(step.calls.flatMap((call) => this.repeat(svc, call).map((run) => run())));
        else for (const call of step.calls) for (const run of this.repeat(svc, call)) await run();
      }
    }
    const done = nowMs();
    if (queued >= this.windowStart) recordSample(svc.counters.handler, done - queued);
    // Every request, short-circuited ones included, as Microbus meters its handlers.
    svc.metrics.observe('microbus_server_request_duration_seconds', svc.handlerLabels, (done - queued) / 1000);
  }

  /** The calls one design call makes this time (⌊n⌋, +1 with probability n − ⌊n⌋), not yet started. */
  private repeat(from: EmulatedService, call: RehearsalCall): (() => Promise<void>)[] {
    const n = call.whole + (this.rng.next() < call.frac ? 1 : 0);
    const runs: (() => Promise<void>)[] = [];
    for (let i = 0; i < n; i++) runs.push(() => this.call(from, call));
    return runs;
  }

  private async call(from: EmulatedService, call: RehearsalCall): Promise<void> {
    const k = this.plan.dilation;
    if (call.kind === 'ext') {
      const ext = this.plan.externals[call.target];
      if (ext) await this.clock.after(gamma(this.rng, ext.latencyMs, ext.latencyCv) * k);
      return;
    }
    if (call.kind === 'db') {
      const db = this.plan.databases[call.target];
      if (!db) return;
      // Shards in proportion to their vcpu.
      let u = this.rng.next() * db.shards.reduce((a, s) => a + s.vcpu, 0);
      let shard = db.shards[db.shards.length - 1];
      for (const s of db.shards) {
        u -= s.vcpu;
        if (u < 0) {
          shard = s;
          break;
        }
      }
      if (shard) await from.caller.callDatabase(call.target, shard.name).catch(() => undefined);
      return;
    }
    const target = this.plan.services[call.target];
    if (!target) return;
    const local = this.services.get(call.target);
    const endpoint = target.endpoints[0] as RehearsalService['endpoints'][number];
    const labels = { host: target.name, port: String(endpoint.port) };
    if (local) {
      // Short-circuit: in-process, no broker, no zone change (still acked and metered, as Microbus does).
      const sent = nowMs();
      await this.clock.after(this.plan.network.shortCircuitMs * k);
      const queued = nowMs();
      from.metrics.observe('microbus_client_ack_roundtrip_latency_seconds', labels, (queued - sent) / 1000);
      await this.serve(local, queued);
      return;
    }
    try {
      await from.caller.callService({ host: target.name, bundle: target.bundle, endpoint }, (ms) =>
        from.metrics.observe('microbus_client_ack_roundtrip_latency_seconds', labels, ms / 1000),
      );
    } catch {
      from.metrics.add('microbus_client_timeout_requests', labels);
    }
  }

  /** Starts a new measurement window: counters to zero (holds in progress count from now). */
  reset(): void {
    this.windowStart = nowMs();
    this.cpuStart = process.cpuUsage();
    const stats = this.nc.stats();
    this.msgsStart = { in: stats.inMsgs, out: stats.outMsgs };
    this.clock.reset();
    for (const svc of this.services.values()) {
      svc.counters = emptyCounters();
      svc.caller.hops = emptyHops();
    }
  }

  /** What this replica measured since the last reset. */
  report(): ReplicaReport {
    const now = nowMs();
    const cpu = process.cpuUsage(this.cpuStart);
    const stats = this.nc.stats();
    const services: ReplicaReport['services'] = {};
    const hops = emptyHops();
    for (const [name, svc] of this.services) {
      const c = { ...svc.counters };
      // Holds still running count up to now.
      for (const h of svc.holding) c.busyMs += now - Math.max(h.start, this.windowStart);
      services[name] = c;
      const m = svc.caller.hops;
      hops.calls += m.calls;
      hops.targetMs += m.targetMs;
      hops.actualMs += m.actualMs;
      hops.requestLeg = mergeHistograms([hops.requestLeg, m.requestLeg]);
      hops.answerLeg = mergeHistograms([hops.answerLeg, m.answerLeg]);
    }
    return {
      id: this.spec.id,
      bundle: this.spec.bundle,
      zone: this.spec.zone,
      windowMs: now - this.windowStart,
      services,
      hops,
      timers: { ...this.clock.counters },
      cpuMs: (cpu.user + cpu.system) / 1000,
      msgsIn: stats.inMsgs - this.msgsStart.in,
      msgsOut: stats.outMsgs - this.msgsStart.out,
    };
  }

  /** Gauges a scrape reads: uptime, and the cache's elements (the model's capacity: entries per replica). */
  recordUptime(seconds: number): void {
    for (const svc of this.services.values()) svc.metrics.set('microbus_uptime_duration_seconds', {}, seconds);
  }

  /** Per-service arrivals and busy time since the last call, for progress while the rehearsal runs. */
  tick(): Record<string, { arrivals: number; busyMs: number }> {
    const out: Record<string, { arrivals: number; busyMs: number }> = {};
    for (const [name, svc] of this.services) out[name] = { arrivals: svc.counters.arrivals, busyMs: svc.counters.busyMs };
    return out;
  }

  close(): void {
    for (const svc of this.services.values()) svc.caller.close();
  }
}
