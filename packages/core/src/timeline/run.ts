/**
 * The analytic timeline (issue 19): minute by minute over the traffic profiles, the engine at
 * each instant (pointwise-stationary, evaluate.ts), the HPA of every autoscaled zone Deployment
 * at each sync reading the metric the engine computes at its current ready replicas (hpa.ts),
 * new pods serving after their start delay and slower while they warm up (deployment.ts),
 * per-replica caches warming from empty (Che's sum over the requests a pod has seen), zones
 * failing and coming back at the timeline's events. README: packages/core/src/timeline/README.md.
 */
import { cheHitRateAfter } from '../cache/che.ts';
import { compile, type Model } from '../engine/model.ts';
import type { Problem } from '../problems.ts';
import type { AutoscaleT } from '../schema/over-time.ts';
import type { Topology } from '../schema/topology.ts';
import { Deployment, startupOf } from './deployment.ts';
import { Evaluator, type Instant } from './evaluate.ts';
import { hpaSpec, hpaState, hpaSync, metricProposal } from './hpa.ts';
import { customMetric, type Readings, zoneLoad } from './metrics.ts';
import { profileFactor, timelineMinutes } from './profile.ts';
import { Recorder } from './record.ts';
import type { ScaleEvent, TimelineOptions, TimelineResult } from './types.ts';

export type TimelineOutcome = { ok: true; timeline: TimelineResult } | { ok: false; problems: Problem[] };

/** Each bundle's autoscaler under a policy (absent: the bundles' own). */
export function autoscalersFor(
  doc: Topology,
  policy?: string,
): { ok: true; autoscalers: (AutoscaleT | null)[] } | { ok: false; problems: Problem[] } {
  const own = doc.bundles.map((b) => b.autoscale ?? null);
  if (policy === undefined) return { ok: true, autoscalers: own };
  const p = (doc.autoscalePolicies ?? []).find((x) => x.name === policy);
  if (!p) {
    const names = (doc.autoscalePolicies ?? []).map((x) => `"${x.name}"`);
    return {
      ok: false,
      problems: [
        {
          path: 'autoscalePolicies',
          message: `no policy "${policy}"; ${names.length ? `the document has ${names.join(', ')}` : 'the document defines none (autoscalePolicies[])'}`,
        },
      ],
    };
  }
  return { ok: true, autoscalers: doc.bundles.map((b, i) => p.bundles[b.name] ?? own[i] ?? null) };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The zone Deployments, flat: deps[b·Z + z] (null where the bundle does not run). */
function deployments(model: Model, autoscalers: (AutoscaleT | null)[]): (Deployment | null)[] {
  const Z = model.zones.length;
  const out: (Deployment | null)[] = [];
  for (const b of model.bundles) {
    const auto = autoscalers[b.index] ?? null;
    const startup = startupOf(model.doc.bundles[b.index]?.startup);
    for (let z = 0; z < Z; z++) {
      const n = b.replicas[z] as number;
      if (n === 0) out.push(null);
      else if (!auto) out.push(new Deployment(n, startup, null));
      else out.push(new Deployment(Math.min(auto.max, Math.max(auto.min, n)), startup, { spec: hpaSpec(auto), state: hpaState() }));
    }
  }
  return out;
}

/** Runs the timeline of a document (parsed, with defaults). */
export function timeline(doc: Topology, options: TimelineOptions = {}): TimelineOutcome {
  const picked = autoscalersFor(doc, options.policy);
  if (!picked.ok) return picked;
  const model = compile(doc);
  const Z = model.zones.length;
  const S = model.services.length;
  const deps = deployments(model, picked.autoscalers);
  const syncs = picked.autoscalers.filter((a): a is AutoscaleT => a !== null).map((a) => a.syncPeriodSeconds ?? 15);
  const tick = syncs.reduce(gcd, 60);
  const minutes = options.minutes ?? timelineMinutes(doc);
  const evaluator = new Evaluator(model, options.rateStep ?? 0);
  const events = [...(doc.timeline ?? [])].sort((a, b) => a.atMinute - b.atMinute);
  let nextEvent = 0;
  const failed = new Set<string>();
  const backlog = new Float64Array(S * Z);
  const rec = new Recorder(model, deps, picked.autoscalers);
  const scaleEvents: ScaleEvent[] = [];
  let last: Readings | null = null;

  for (let t = 0; t < minutes * 60; t += tick) {
    const minute = Math.floor(t / 60);
    for (; nextEvent < events.length && (events[nextEvent]?.atMinute ?? 0) * 60 <= t; nextEvent++)
      applyEvent(model, deps, failed, events[nextEvent], t);
    const inst = instant(model, deps, failed, minute, t, last);
    const record = t % 60 === 0;
    // Each minute the whole engine (the figures); between minutes, at the HPAs' syncs, only what they read.
    const figures = record ? evaluator.minute(inst, options.tolerance ?? 0) : null;
    const full = figures?.result ?? null;
    const res: Readings = full ?? evaluator.readings(inst);
    last = res;
    if (full) rec.minute(inst, full, failed, backlog, figures?.estimate ?? null);
    if (record) options.onProgress?.(minute, minutes);
    drain(model, deps, res, backlog, tick);
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i];
      if (!d?.hpa || d.failed || t % d.hpa.spec.syncPeriodSeconds !== 0) continue;
      const b = Math.floor(i / Z);
      const z = i % Z;
      const auto = picked.autoscalers[b] as AutoscaleT;
      const proposals = readProposals(model, res, auto, d, b, z, t, backlog);
      const from = d.spec;
      const to = hpaSync(d.hpa.spec, d.hpa.state, t, from, proposals);
      if (to !== from) {
        d.scaleTo(to, t);
        scaleEvents.push({ atSecond: t, bundle: model.bundles[b]?.name as string, zone: model.zones[z] as string, from, to });
      }
    }
  }
  return { ok: true, timeline: rec.result(options.policy ?? null, tick, scaleEvents, evaluator.evaluations, options.tolerance ?? 0) };
}

function applyEvent(
  model: Model,
  deps: (Deployment | null)[],
  failed: Set<string>,
  e: NonNullable<Topology['timeline']>[number] | undefined,
  t: number,
): void {
  const zone = e?.failZone ?? e?.restoreZone;
  const z = zone === undefined ? -1 : model.zones.indexOf(zone);
  if (!e || z < 0) return;
  const Z = model.zones.length;
  if (e.failZone !== undefined) failed.add(e.failZone);
  else failed.delete(zone as string);
  for (let b = 0; b < model.bundles.length; b++) {
    const d = deps[b * Z + z];
    if (!d) continue;
    if (e.failZone !== undefined) d.fail();
    else d.restore(t);
  }
}

/** The instant the engine is asked about at second t of minute `minute`. */
function instant(model: Model, deps: (Deployment | null)[], failed: Set<string>, minute: number, t: number, last: Readings | null): Instant {
  const Z = model.zones.length;
  const factors = Float64Array.from(model.traffic, (tr) => profileFactor(model.doc.traffic[tr.docIndex]?.profile, minute));
  const ready = new Int32Array(model.bundles.length * Z);
  const slow = new Float64Array(model.bundles.length).fill(1);
  const warmingPods = new Float64Array(model.bundles.length * Z);
  for (let b = 0; b < model.bundles.length; b++) {
    let n = 0;
    let warming = 0;
    for (let z = 0; z < Z; z++) {
      const d = deps[b * Z + z];
      if (!d || d.failed) continue;
      const r = d.ready(t);
      ready[b * Z + z] = r;
      n += r;
      warming += d.warming(t);
      // The latency's mixture (warming.ts): each warming pod for the part of the minute it still warms.
      warmingPods[b * Z + z] = d.warmingShare(t, 60);
    }
    const f = model.doc.bundles[b]?.startup?.warmupFactor ?? 1;
    // Warming pods serve at 1/f of the pace: the bundle's capacity as if every pod were that much slower on average
    // (CPU, the HPA's readings); the latency takes each warming pod as its own slower station (warming.ts).
    if (warming > 0 && n > 0) slow[b] = n / (n - warming + warming / f);
  }
  return { factors, ready, slow, hitCap: hitCaps(model, deps, t, last), failZones: [...failed], warming: warmingPods };
}

/** Per-replica caches warming from empty: the mean over ready pods of Che's sum over the requests each has seen. */
function hitCaps(model: Model, deps: (Deployment | null)[], t: number, last: Readings | null): Float64Array {
  const Z = model.zones.length;
  const caps = new Float64Array(model.services.length).fill(1);
  for (const s of model.services) {
    if (s.cache?.scope !== 'perReplica') continue;
    let sum = 0;
    let n = 0;
    for (let z = 0; z < Z; z++) {
      const d = deps[s.bundle * Z + z];
      if (!d || d.failed) continue;
      const zone = model.zones[z] as string;
      const lam = last?.services[s.name]?.replicasDetail.find((r) => r.zone === zone)?.arrivalRps ?? 0;
      for (const age of d.ages(t)) {
        sum += Number.isFinite(age) ? cheHitRateAfter(s.cache.keySpace, s.cache.zipf, lam * age) : 1;
        n++;
      }
    }
    if (n > 0) caps[s.index] = sum / n;
  }
  return caps;
}

/**
 * A fluid backlog per replica where the load exceeds what the replicas serve (ρ ≥ 1): it grows by
 * the excess and drains at the spare capacity, so a queue outlives the overload that built it.
 */
function drain(model: Model, deps: (Deployment | null)[], res: Readings, backlog: Float64Array, seconds: number): void {
  const Z = model.zones.length;
  for (let i = 0; i < deps.length; i++) {
    if (!deps[i]) continue;
    const b = Math.floor(i / Z);
    const z = i % Z;
    for (const l of zoneLoad(model, res, b, z)) {
      const k = l.service * Z + z;
      const cap = l.rho > 0 ? l.lam / l.rho : Number.POSITIVE_INFINITY;
      backlog[k] = Math.max(0, (backlog[k] as number) + (l.lam - cap) * seconds);
    }
  }
}

/** What each of the Deployment's metrics proposes (step 1 of the HPA), or null when no pod is ready. */
function readProposals(
  model: Model,
  res: Readings,
  auto: AutoscaleT,
  d: Deployment,
  b: number,
  z: number,
  t: number,
  backlog: Float64Array,
): number[] | null {
  const ready = d.ready(t);
  if (ready === 0) return null;
  const notReady = d.pods.length - ready;
  const cpu = Math.min(1, res.bundles[model.bundles[b]?.name as string]?.zones[model.zones[z] as string]?.cpuUtilization ?? 0);
  const out = [metricProposal(d.spec, ready, notReady, { value: cpu, target: auto.targetUtilization })];
  if (auto.metric && auto.metric !== 'cpu' && auto.target !== undefined) {
    out.push(metricProposal(d.spec, ready, notReady, { value: customMetric(model, res, auto.metric, b, z, backlog), target: auto.target }));
  }
  return out;
}
