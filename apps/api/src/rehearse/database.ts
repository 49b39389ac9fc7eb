/**
 * The design's databases in one process: each shard a FIFO queue with `vcpu` servers and
 * gamma(`queryTimeMs`, `queryTimeCv`) × dilation query times, reached over NATS on
 * `<plane>.db.<database>.<shard>`. A call's `dbCallMs` is paid before it queues, like a
 * broker hop (see wire.ts).
 */
import { createRng, type DatabaseReport, emptyHistogram, gamma, type RehearsalPlan, recordSample, type ShardCounters } from '@busboard/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { type Clock, nowMs } from './clock.ts';
import { answerHeaders, arrivalDue, databaseSubject, H, responseSubject } from './wire.ts';

interface Shard {
  /** Late timers' excess, paid back from the next queries (see replica.ts). */
  carry: number;
  free: number;
  waiting: (() => void)[];
  counters: ShardCounters;
  holding: Set<{ start: number }>;
}

const empty = (): ShardCounters => ({ arrivals: 0, busyMs: 0, sojourn: emptyHistogram() });

export class Databases {
  private readonly shards = new Map<string, Shard>();
  private windowStart = nowMs();
  private cpuStart = process.cpuUsage();
  private msgsStart = { in: 0, out: 0 };
  private readonly rng;

  constructor(
    private readonly plan: RehearsalPlan,
    private readonly nc: NatsConnection,
    private readonly clock: Clock,
    zone: string,
    seed: number,
  ) {
    this.rng = createRng(`databases:${seed}`);
    for (const [db, spec] of Object.entries(plan.databases)) {
      for (const s of spec.shards) {
        const shard: Shard = { carry: 0, free: s.vcpu, waiting: [], counters: empty(), holding: new Set() };
        this.shards.set(`${db}\u0000${s.name}`, shard);
        nc.subscribe(databaseSubject(plan.plane, db, s.name), {
          callback: (_err, msg) => {
            const received = nowMs();
            const host = msg.headers?.get(H.fromHost);
            const id = msg.headers?.get(H.fromId);
            if (!host || !id) return;
            const to = responseSubject(plan, `${db}.db`, host, id);
            this.clock.at(arrivalDue(plan, msg, zone, received), () => {
              const queued = nowMs();
              void this.query(shard, spec.queryTimeMs, spec.queryTimeCv, queued).then(() => {
                this.nc.publish(to, undefined, { headers: answerHeaders(msg, zone, { received, queued, answered: nowMs() }, 'Res') });
              });
            });
          },
        });
      }
    }
  }

  private async query(shard: Shard, meanMs: number, cv: number, queued: number): Promise<void> {
    shard.counters.arrivals++;
    if (shard.free > 0) shard.free--;
    else await new Promise<void>((resolve) => shard.waiting.push(resolve));
    const hold = { start: nowMs() };
    shard.holding.add(hold);
    const mean = meanMs * this.plan.dilation;
    const target = gamma(this.rng, mean, cv);
    await this.clock.until(hold.start + target - Math.min(shard.carry, target));
    const end = nowMs();
    shard.carry = Math.max(-mean, Math.min(5 * mean, shard.carry + end - hold.start - target));
    shard.holding.delete(hold);
    shard.counters.busyMs += end - Math.max(hold.start, this.windowStart);
    if (queued >= this.windowStart) recordSample(shard.counters.sojourn, end - queued);
    const next = shard.waiting.shift();
    if (next) next();
    else shard.free++;
  }

  reset(): void {
    this.windowStart = nowMs();
    this.cpuStart = process.cpuUsage();
    const stats = this.nc.stats();
    this.msgsStart = { in: stats.inMsgs, out: stats.outMsgs };
    this.clock.reset();
    for (const s of this.shards.values()) s.counters = empty();
  }

  report(): DatabaseReport {
    const now = nowMs();
    const cpu = process.cpuUsage(this.cpuStart);
    const stats = this.nc.stats();
    const shards: DatabaseReport['shards'] = {};
    for (const [key, s] of this.shards) {
      const [db, shard] = key.split('\u0000') as [string, string];
      const c = { ...s.counters };
      for (const h of s.holding) c.busyMs += now - Math.max(h.start, this.windowStart);
      shards[db] = { ...(shards[db] ?? {}), [shard]: c };
    }
    return {
      windowMs: now - this.windowStart,
      shards,
      timers: { ...this.clock.counters },
      cpuMs: (cpu.user + cpu.system) / 1000,
      msgsIn: stats.inMsgs - this.msgsStart.in,
      msgsOut: stats.outMsgs - this.msgsStart.out,
    };
  }
}
