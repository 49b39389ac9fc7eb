/**
 * The load generator: one Poisson stream per (entry, zone) at the design's rate ÷ dilation,
 * each sent from a connection to a server of that zone, reaching the entry the way a call from
 * that zone would (locality applies). Ingress is free in the model, so an entry's latency is
 * measured from the request's arrival at the entry replica to its answer; the generator also
 * keeps the raw round trip.
 */
import { createRng, type EntryCounters, emptyHistogram, exponential, type GeneratorReport, type RehearsalPlan, recordSample } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { type Clock, nowMs } from './clock.ts';
import { Caller, requestSubject, slotFor } from './wire.ts';

export const GENERATOR_HOST = 'loadgen.busboard';

const empty = (): EntryCounters => ({ sent: 0, answered: 0, failed: 0, latency: emptyHistogram(), roundTrip: emptyHistogram(), zones: {} });

export interface EntryTick {
  sent: number;
  answered: number;
  /** Sum of entry latencies answered since the last tick, real ms. */
  latencySumMs: number;
}

export class LoadGenerator {
  private entries = new Map<string, EntryCounters>();
  private readonly callers = new Map<string, Caller>();
  private windowStart = nowMs();
  private cpuStart = process.cpuUsage();
  private msgsStart = { in: 0, out: 0 };
  private running = false;
  private readonly rng;
  private ticks = new Map<string, EntryTick>();

  constructor(
    private readonly plan: RehearsalPlan,
    /** One connection per zone, to a server of that zone. */
    private readonly connections: Map<string, NatsConnection>,
    private readonly clock: Clock,
    idOf: (zone: string) => string,
    seed: number,
  ) {
    this.rng = createRng(`generator:${seed}`);
    for (const [zone, nc] of connections) this.callers.set(zone, new Caller(nc, plan, { host: GENERATOR_HOST, id: idOf(zone), zone }));
    for (const s of plan.sources) if (!this.entries.has(s.entry)) this.entries.set(s.entry, empty());
  }

  start(): void {
    this.running = true;
    for (const source of this.plan.sources) {
      const caller = this.callers.get(source.zone);
      const entry = this.plan.services[source.entry];
      if (!caller || !entry || source.rps <= 0) continue;
      const endpoint = entry.endpoints[0];
      if (!endpoint) continue;
      const subject = requestSubject(this.plan, GENERATOR_HOST, entry.name, endpoint, slotFor(this.plan, source.zone, entry.bundle));
      const meanGapMs = (1000 * this.plan.dilation) / source.rps;
      // Arrival times are kept on an absolute schedule, so a late timer does not thin the stream.
      let next = nowMs() + exponential(this.rng, meanGapMs);
      const fire = () => {
        if (!this.running) return;
        this.send(source.entry, source.zone, caller, subject);
        next += exponential(this.rng, meanGapMs);
        this.clock.at(next, fire);
      };
      this.clock.at(next, fire);
    }
  }

  private send(entry: string, zone: string, caller: Caller, subject: string): void {
    const c = this.entries.get(entry) as EntryCounters;
    const start = this.windowStart;
    c.sent++;
    c.zones[zone] = (c.zones[zone] ?? 0) + 1;
    const tick = this.ticks.get(entry) ?? { sent: 0, answered: 0, latencySumMs: 0 };
    this.ticks.set(entry, tick);
    tick.sent++;
    caller.request(subject, { costMs: null }).then(
      (t) => {
        if (t.sent < start || start !== this.windowStart) return; // sent before this window
        const now = this.entries.get(entry) as EntryCounters;
        now.answered++;
        recordSample(now.latency, t.answered - t.queued);
        recordSample(now.roundTrip, t.back - t.sent);
        const k = this.ticks.get(entry);
        if (k) {
          k.answered++;
          k.latencySumMs += t.answered - t.queued;
        }
      },
      () => {
        if (start === this.windowStart) (this.entries.get(entry) as EntryCounters).failed++;
      },
    );
  }

  stop(): void {
    this.running = false;
  }

  reset(): void {
    this.windowStart = nowMs();
    this.cpuStart = process.cpuUsage();
    this.msgsStart = this.msgs();
    this.clock.reset();
    this.entries = new Map([...this.entries.keys()].map((e) => [e, empty()]));
    this.ticks = new Map();
  }

  private msgs(): { in: number; out: number } {
    let msgsIn = 0;
    let msgsOut = 0;
    for (const nc of this.connections.values()) {
      const s = nc.stats();
      msgsIn += s.inMsgs;
      msgsOut += s.outMsgs;
    }
    return { in: msgsIn, out: msgsOut };
  }

  report(): GeneratorReport {
    const cpu = process.cpuUsage(this.cpuStart);
    const m = this.msgs();
    return {
      windowMs: nowMs() - this.windowStart,
      entries: Object.fromEntries(this.entries),
      timers: { ...this.clock.counters },
      cpuMs: (cpu.user + cpu.system) / 1000,
      msgsIn: m.in - this.msgsStart.in,
      msgsOut: m.out - this.msgsStart.out,
    };
  }

  /** Sent, answered and summed latency per entry since the last tick. */
  tick(): Record<string, EntryTick> {
    const out = Object.fromEntries(this.ticks);
    this.ticks = new Map();
    return out;
  }

  close(): void {
    this.stop();
    for (const c of this.callers.values()) c.close();
  }
}
