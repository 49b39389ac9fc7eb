/**
 * Event rates through the graph (schema v3, issue 18; engine/README.md "Async messaging").
 *
 * - A service publishes `perRequest` events per request it handles (every admitted request, a
 *   cache hit too: publishing is part of handling, not a downstream call), from the zone of the
 *   replica that handled it.
 * - Core NATS fan-out: every matching `delivery: replica` subscription gets a copy on each live
 *   replica of its service; every queue group (a `delivery: service` subscription's
 *   `queueGroup`, or its service's name) gets one copy, handed to one live replica of its
 *   members chosen at random, evenly per replica, whatever the zones (NATS queue groups and
 *   Microbus events have no locality: a copy crosses zones as often as the replicas sit
 *   elsewhere). A group with no live replica loses the copy (core NATS keeps nothing).
 * - A stream captures the subjects its patterns match (streams never overlap), while a quorum
 *   of its replicas is alive; each consumer of it receives the captured messages its filter
 *   lets through.
 */
import type { TimeComponent } from '../queue/station.ts';
import type { AsyncModel, StreamModel } from './async-model.ts';
import type { Model } from './model.ts';
import type { Placement } from './placement.ts';

/** Subscription events landing on the services' replicas (queues.ts adds them to the request stations). */
export interface EventLoad {
  /** Events per second at replica class (s, z), all its replicas together: rate[s·Z + z]. */
  rate: Float64Array;
  /** Their handler times, weights summing to 1 (null where no event lands). */
  own: (TimeComponent[] | null)[];
  /** Worker-seconds per second the events take at (s, z), all its replicas together. */
  work: Float64Array;
}

export interface AsyncFlows {
  /** Events per second published on subject k (am.subjects) from zone z: pub[k·Z + z]. */
  pub: Float64Array;
  /** Per subscription: copies per second from publisher zone z1 to its replicas in zone z2, flow[i][z1·Z + z2]. */
  flow: Float64Array[];
  /** The same copies' payload bytes per second (each subject's publishers' `payloadBytes` from z1), bytes[i][z1·Z + z2]. */
  bytes: Float64Array[];
  /** Per stream: whether a quorum of its replicas is alive, and its live replicas (leader first). */
  up: boolean[];
  live: StreamModel['placement'][];
  /** Per stream: captured messages per second, and from each publisher zone. */
  ingest: Float64Array;
  ingestFrom: Float64Array[];
  /** Per consumer: messages per second its filter lets through (first deliveries). */
  consumerRate: Float64Array;
  events: EventLoad;
}

/** Requests per second handled (admitted) at each replica class: what publishes. */
function handled(pl: Placement, i: number): number {
  return (pl.lam[i] as number) * (pl.admit[i] as number);
}

export function asyncFlows(model: Model, am: AsyncModel, pl: Placement): AsyncFlows {
  const Z = model.zones.length;
  const S = model.services.length;
  const counts = pl.scenario.counts;
  const K = am.subjects.length;
  const pub = new Float64Array(K * Z);
  const pubBytes = new Float64Array(K * Z);
  am.subjects.forEach((sm, k) => {
    for (const p of sm.publishes)
      for (let z = 0; z < Z; z++) {
        const r = handled(pl, p.service * Z + z) * p.perRequest;
        pub[k * Z + z] = (pub[k * Z + z] as number) + r;
        pubBytes[k * Z + z] = (pubBytes[k * Z + z] as number) + r * p.payloadBytes;
      }
  });
  /** Mean payload of an event on subject k published from zone z. */
  const size = (k: number, z: number) => (pubBytes[k * Z + z] as number) / (pub[k * Z + z] as number);

  const n = (service: number, z: number) => counts[(model.services[service]?.bundle ?? 0) * Z + z] as number;
  const flow = am.subscriptions.map(() => new Float64Array(Z * Z));
  const bytes = am.subscriptions.map(() => new Float64Array(Z * Z));
  /** Adds x copies per second of subject k from z1 to subscription i's replicas in z2. */
  const add = (i: number, k: number, z1: number, z2: number, x: number) => {
    const f = flow[i] as Float64Array;
    const b = bytes[i] as Float64Array;
    f[z1 * Z + z2] = (f[z1 * Z + z2] as number) + x;
    b[z1 * Z + z2] = (b[z1 * Z + z2] as number) + x * size(k, z1);
  };
  am.subjects.forEach((sm, k) => {
    const groups = new Map<string, number[]>();
    for (const i of sm.subscriptions) {
      const sub = am.subscriptions[i];
      if (!sub) continue;
      if (sub.group === null) {
        // A copy to every live replica.
        for (let z1 = 0; z1 < Z; z1++) {
          const r = pub[k * Z + z1] as number;
          if (r > 0) for (let z2 = 0; z2 < Z; z2++) add(i, k, z1, z2, r * n(sub.service, z2));
        }
      } else {
        const g = groups.get(sub.group);
        if (g) g.push(i);
        else groups.set(sub.group, [i]);
      }
    }
    for (const members of groups.values()) {
      let total = 0;
      for (const i of members) for (let z = 0; z < Z; z++) total += n((am.subscriptions[i] as { service: number }).service, z);
      if (total === 0) continue;
      for (const i of members) {
        const service = (am.subscriptions[i] as { service: number }).service;
        for (let z1 = 0; z1 < Z; z1++) {
          const r = pub[k * Z + z1] as number;
          if (r > 0) for (let z2 = 0; z2 < Z; z2++) add(i, k, z1, z2, (r * n(service, z2)) / total);
        }
      }
    }
  });

  // Events land on the subscribers' replica classes, each with its handler's time.
  const rate = new Float64Array(S * Z);
  const work = new Float64Array(S * Z);
  const parts: Map<string, TimeComponent>[] = [];
  am.subscriptions.forEach((sub, i) => {
    const f = flow[i] as Float64Array;
    for (let z2 = 0; z2 < Z; z2++) {
      let r = 0;
      for (let z1 = 0; z1 < Z; z1++) r += f[z1 * Z + z2] as number;
      if (r === 0) continue;
      const c = sub.service * Z + z2;
      rate[c] = (rate[c] as number) + r;
      work[c] = (work[c] as number) + (r * sub.serviceTimeMs) / 1000;
      parts[c] ??= new Map();
      const key = `${sub.serviceTimeMs}|${sub.serviceTimeCv}`;
      const comp = parts[c].get(key);
      if (comp) comp.weight += r;
      else parts[c].set(key, { weight: r, mean: sub.serviceTimeMs, cv: sub.serviceTimeCv });
    }
  });
  const own: (TimeComponent[] | null)[] = new Array(S * Z).fill(null);
  parts.forEach((m, c) => {
    if (!m) return;
    const total = rate[c] as number;
    own[c] = [...m.values()].map((x) => ({ weight: x.weight / total, mean: x.mean, cv: x.cv }));
  });

  const live = am.streams.map((st) => st.placement.filter((srv) => !pl.scenario.failed[srv.zone]));
  const up = am.streams.map((st, k) => st.placement.length > 0 && (live[k] as unknown[]).length >= Math.floor(st.replicas / 2) + 1);
  const ingest = new Float64Array(am.streams.length);
  const ingestFrom = am.streams.map(() => new Float64Array(Z));
  const consumerRate = new Float64Array(am.consumers.length);
  am.subjects.forEach((sm, k) => {
    if (sm.stream < 0 || !up[sm.stream]) return;
    let r = 0;
    for (let z = 0; z < Z; z++) {
      const x = pub[k * Z + z] as number;
      r += x;
      const from = ingestFrom[sm.stream] as Float64Array;
      from[z] = (from[z] as number) + x;
    }
    ingest[sm.stream] = (ingest[sm.stream] as number) + r;
    for (const c of sm.consumers) consumerRate[c] = (consumerRate[c] as number) + r;
  });
  return { pub, flow, bytes, up, live, ingest, ingestFrom, consumerRate, events: { rate, own, work } };
}
