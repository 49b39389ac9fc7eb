/**
 * Schema v3 async messaging in the analytic engine (issue 18; engine/README.md "Async
 * messaging"): subjects, subscriptions, consumers and streams figured from the placement and
 * the queues, and their share of the bundles' CPU, the brokers' messages, the entries' events,
 * headroom and warnings. Runs only when the document has async fields (`model.async`).
 */
import { dict } from '../dict.ts';
import { addAsyncBrokerLoad } from './async-brokers.ts';
import { type ConsumerQueue, consumerLatency, consumerQueue } from './async-consumers.ts';
import type { AsyncFlows } from './async-flows.ts';
import type { AsyncModel } from './async-model.ts';
import { streamResult } from './async-streams.ts';
import { subscriptionResults } from './async-subscriptions.ts';
import type { AsyncResult, AsyncWhatIf, ConsumerResult, EventLatency, StreamResult, SubjectFlow, SubscriptionResult } from './async-types.ts';
import { asyncWarnings } from './async-warnings.ts';
import { CALL_SERVICE, type Model } from './model.ts';
import { liveReplicas, type Placement } from './placement.ts';
import type { Queues } from './queues.ts';
import type { Binding, SimulationResult, Warning } from './types.ts';

export interface AsyncFigures {
  result: AsyncResult;
  /** Constraints for headroom: each consumer (`consumer:<stream>/<name>`), and services loaded by events alone. */
  bindings: Binding[];
  warnings: Warning[];
}

type Parts = Pick<SimulationResult, 'services' | 'bundles' | 'brokers' | 'entries'>;

export function asyncFigures(
  model: Model,
  am: AsyncModel,
  flows: AsyncFlows,
  pl: Placement,
  q: Queues,
  parts: Parts,
  opts: { skip: boolean; whatIf?: AsyncWhatIf },
): AsyncFigures {
  const subscriptions = subscriptionResults(model, am, flows, q, opts.skip);
  const cqs = am.consumers.map((_, ci) => consumerQueue(model, am, flows, pl, ci, opts.whatIf));
  cqs.forEach((cq, ci) => {
    if (!opts.skip) cq.result.latency = consumerLatency(model, am, flows, cq, ci);
    else if (!cq.result.latency.reason) cq.result.latency.reason = 'not composed (skipEndToEnd)';
  });
  const streams: Record<string, StreamResult> = dict();
  const streamList = am.streams.map((st) => {
    const consumers: Record<string, ConsumerResult> = dict();
    const zones = new Map<string, Float64Array>();
    cqs.forEach((cq, ci) => {
      if (am.consumers[ci]?.stream !== st.index) return;
      consumers[cq.result.name] = cq.result;
      zones.set(cq.result.name, cq.zones);
    });
    const r = streamResult(model, am, flows, st, consumers, zones);
    streams[st.name] = r;
    return r;
  });
  addAsyncBrokerLoad(model, am, flows, pl, cqs, parts.brokers);
  addAsyncCpu(model, am, pl, q, cqs, parts.bundles);
  addEntryEvents(model, am, pl, parts.entries, subscriptions, cqs);
  return {
    result: { subjects: subjectFlows(model, am, flows, pl), subscriptions, streams },
    bindings: bindings(model, am, q, cqs, parts.services),
    warnings: asyncWarnings(model, am, flows, cqs, streamList),
  };
}

function subjectFlows(model: Model, am: AsyncModel, flows: AsyncFlows, pl: Placement): Record<string, SubjectFlow> {
  const Z = model.zones.length;
  const out: Record<string, SubjectFlow> = dict();
  am.subjects.forEach((sm, k) => {
    let publishRps = 0;
    for (let z = 0; z < Z; z++) publishRps += flows.pub[k * Z + z] as number;
    let bytes = 0;
    for (const p of sm.publishes)
      for (let z = 0; z < Z; z++)
        bytes += (pl.lam[p.service * Z + z] as number) * (pl.admit[p.service * Z + z] as number) * p.perRequest * p.payloadBytes;
    out[sm.subject] = {
      subject: sm.subject,
      publishers: [...new Set(sm.publishes.map((p) => model.services[p.service]?.name ?? ''))],
      publishRps,
      bytesPerSec: bytes,
      stream: sm.stream >= 0 ? (am.streams[sm.stream]?.name ?? null) : null,
    };
  });
  return out;
}

/** Subscription handlers hold the service's workers, consumer handlers their own pool: both use the bundle replica's cores. */
function addAsyncCpu(model: Model, am: AsyncModel, pl: Placement, q: Queues, cqs: ConsumerQueue[], bundles: SimulationResult['bundles']): void {
  const Z = model.zones.length;
  for (const b of model.bundles) {
    const res = bundles[b.name];
    if (!res) continue;
    const N = liveReplicas(model, pl.scenario, b.index);
    let consumerWork = 0;
    cqs.forEach((cq, ci) => {
      if (model.services[am.consumers[ci]?.service ?? -1]?.bundle === b.index) consumerWork += cq.work;
    });
    let busiest = 0;
    let total = 0;
    for (let z = 0; z < Z; z++) {
      const n = pl.scenario.counts[b.index * Z + z] as number;
      const zr = res.zones[model.zones[z] as string];
      if (n === 0 || !zr) continue;
      let events = 0;
      for (const s of b.services) events += (q.events?.work[s * Z + z] ?? 0) / n;
      zr.cpuUtilization += (events + (N > 0 ? consumerWork / N : 0)) / b.cpu;
      busiest = Math.max(busiest, zr.cpuUtilization);
      total += zr.cpuUtilization * n;
    }
    res.cpuUtilization = busiest;
    res.meanCpuUtilization = N > 0 ? total / N : 0;
  }
}

/**
 * Per entry: events its requests publish (visits per request through the call graph, a cache hit
 * making no calls) and the latency to every handler of those subjects (each handler's latency
 * over all its publishers: the figure is the handler's, not this entry's path alone).
 */
function addEntryEvents(
  model: Model,
  am: AsyncModel,
  pl: Placement,
  entries: SimulationResult['entries'],
  subs: SubscriptionResult[],
  cqs: ConsumerQueue[],
): void {
  const S = model.services.length;
  for (const e of model.entries) {
    const name = model.services[e]?.name as string;
    const entry = entries[name];
    if (!entry) continue;
    const visits = new Float64Array(S);
    visits[e] = 1;
    for (const si of model.topo) {
      const v = visits[si] as number;
      if (v === 0) continue;
      const miss = 1 - (pl.hit[si] as number);
      for (const c of model.services[si]?.calls ?? [])
        if (c.kind === CALL_SERVICE) visits[c.target] = (visits[c.target] as number) + v * miss * c.perRequest;
    }
    let perRequest = 0;
    const handlers: EventLatency[] = [];
    const seen = new Set<EventLatency>();
    const note = (l: EventLatency | undefined) => {
      if (l && !seen.has(l)) {
        handlers.push(l);
        seen.add(l);
      }
    };
    for (const sm of am.subjects) {
      let n = 0;
      for (const p of sm.publishes) n += (visits[p.service] as number) * p.perRequest;
      if (n === 0) continue;
      perRequest += n;
      for (const i of sm.subscriptions) note(subs[i]?.latency);
      for (const ci of sm.consumers) note(cqs[ci]?.result.latency);
    }
    if (perRequest > 0) entry.events = { publishedRps: entry.rps * perRequest, handlers };
  }
}

function bindings(model: Model, am: AsyncModel, q: Queues, cqs: ConsumerQueue[], services: SimulationResult['services']): Binding[] {
  const out: Binding[] = [];
  cqs.forEach((cq) => {
    const r = cq.result;
    if (r.deliverRps > 0)
      out.push({
        constraint: 'consumer',
        resource: `consumer:${r.stream}/${r.name}`,
        name: `${r.stream}/${r.name}`,
        zone: null,
        utilization: r.utilization,
      });
  });
  // A service loaded by events alone has no requests: limitsOf would pass it by.
  const Z = model.zones.length;
  for (const sub of am.subscriptions) {
    const svc = model.services[sub.service];
    const res = svc ? services[svc.name] : undefined;
    if (!svc || !res || res.arrivalRps > 0 || out.some((b) => b.resource === svc.name)) continue;
    let top = -1;
    let zone: string | null = null;
    for (let z = 0; z < Z; z++) {
      const st = q.cls[svc.index * Z + z];
      if (st && (q.events?.work[svc.index * Z + z] ?? 0) > 0 && st.rho > top) {
        top = st.rho;
        zone = model.zones[z] as string;
      }
    }
    if (top > 0) out.push({ constraint: 'rho', resource: svc.name, name: svc.name, zone, utilization: top });
  }
  return out;
}
