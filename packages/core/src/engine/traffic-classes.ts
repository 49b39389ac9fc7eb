/**
 * Traffic classes (schema v2 `classes[]`, `traffic[].class`, `services[].admission[]`,
 * `slo[].class`; core README "Traffic classes"). A request keeps the class of the traffic item it
 * entered with all the way down the call graph.
 *
 * The load of each class is forced through the graph like the total (placement.ts), thinned by
 * each class's own admission. At a replica the classes share, three cases:
 *
 * - `shared`: no per-class rule applies there (no `admission[]`, no priority between the classes
 *   it receives): every class sees the one station the class-blind engine builds.
 * - `partitioned`: every class has a `maxInFlight`, Σ of them ≤ workers, every class has a line
 *   and Σ of the lines ≤ the service's `queueLimit`: each class is its own exact M/M/cap/(cap+N).
 * - `chain`: otherwise (shared workers under per-class limits, or priority with a bounded line)
 *   the per-class Markov chain of queue/multiclass.ts; `priority` (Cobham) for priority on an
 *   unbounded line.
 *
 * What each chain gives exactly (for exponential own times) is per class: rejection, the wait
 * probability and the mean wait; the shape of the wait given that one waits is taken as
 * exponential with that mean (a validity note says so), and cv ≠ 1 or a cache makes the chain's
 * own times exponential with the true mean (noted too). The class-blind figures of such a
 * service are the classes' together (a synthetic station: rejection and mean wait exact, wait
 * shape exponential); everything else in the engine is unchanged, and a document without classes
 * never reaches this module.
 */
import { dict } from '../dict.ts';
import { type Lattice, mix } from '../distribution/lattice.ts';
import type { BoundedQueue } from '../queue/bounded.ts';
import { type ClassFigures, type ClassLoad, type MultiClassResult, multiClassChain, priorityMMc } from '../queue/multiclass.ts';
import { type Station, station } from '../queue/station.ts';
import { LIMITS } from '../schema/limits.ts';
import { DEFAULT_CLASS, type Topology } from '../schema/topology.ts';
import { Composer, summarize } from './compose.ts';
import { CALL_SERVICE, type Model } from './model.ts';
import { ownTime } from './own-time.ts';
import { buildDispatch, type Dispatch, hitRates, ingressShares, type Placement, type Scenario } from './placement.ts';
import type { Queues } from './queues.ts';
import { serviceSojourn } from './sojourn.ts';
import { classSuccess, entrySuccess } from './success.ts';
import type { EntryClassResult, EntryResult, RejectionCheck, ServiceClassResult, SimulationResult, SloCheck } from './types.ts';

/** Whether a document uses traffic classes at all (any of the four v2 fields). */
export function usesClasses(doc: Topology): boolean {
  return (
    (doc.classes?.length ?? 0) > 0 ||
    doc.traffic.some((t) => t.class !== undefined) ||
    doc.services.some((s) => (s.admission?.length ?? 0) > 0) ||
    doc.slo.some((s) => s.class !== undefined)
  );
}

/** How one service's replicas treat the classes (see the module comment). */
export type ClassMethod = 'shared' | 'partitioned' | 'chain' | 'priority' | 'too-large';

export interface ClassPlan {
  /** Class names: the declared ones, then the default class when some traffic names none. */
  names: string[];
  priority: number[];
  /** Per class: arrival rate (rps) at each replica class, all its replicas together: lam[k][s·Z + z]. */
  lam: Float64Array[];
  /** Per class: requests per second entering each entry in each zone (as Placement.ingress). */
  ingress: Float64Array[];
  /** Per class: share of its arrivals admitted at one replica of (s, z). */
  admit: Float64Array[];
  /** Per class: its own station at (s, z) where the service treats classes apart (null: the shared one). */
  stations: (Station | null)[][];
  /** The classes together at (s, z) where the service treats them apart (placement uses it). */
  joint: (Station | null)[];
  /** Per service. */
  method: ClassMethod[];
  /** Per service: the chain picks between classes of equal priority at random rather than FIFO. */
  orderApprox: Uint8Array;
}

export function classNames(doc: Topology): string[] {
  const names = (doc.classes ?? []).map((c) => c.name);
  if (!names.includes(DEFAULT_CLASS) && doc.traffic.some((t) => (t.class ?? DEFAULT_CLASS) === DEFAULT_CLASS)) names.push(DEFAULT_CLASS);
  return names;
}

/** Per-class load, admission and stations for one scenario (callers before callees, as placement.ts). */
export function planClasses(model: Model, sc: Scenario): ClassPlan {
  const doc = model.doc;
  const Z = model.zones.length;
  const S = model.services.length;
  const names = classNames(doc);
  const K = names.length;
  const priority = names.map((n) => doc.classes?.find((c) => c.name === n)?.priority ?? 0);
  const lam = names.map(() => new Float64Array(S * Z));
  const ingress = names.map(() => new Float64Array(model.entries.length * Z));
  const admit = names.map(() => new Float64Array(S * Z).fill(1));
  const stations: (Station | null)[][] = names.map(() => new Array(S * Z).fill(null));
  const joint: (Station | null)[] = new Array(S * Z).fill(null);
  const method: ClassMethod[] = new Array(S).fill('shared');
  const orderApprox = new Uint8Array(S);
  const dispatch = buildDispatch(model, sc);
  const hit = hitRates(model, sc);
  const solved = new Map<string, ReturnType<typeof solve>>();

  const spread = (k: number, s: number, rate: number, d: Dispatch | undefined) => {
    const l = lam[k] as Float64Array;
    for (let i = 0; d && i < d.zones.length; i++) {
      const to = d.zones[i] as number;
      l[s * Z + to] = (l[s * Z + to] as number) + rate * (d.weights[i] as number);
    }
  };
  model.traffic.forEach((t, ti) => {
    const entry = model.services[t.entry];
    if (!entry) return;
    const k = names.indexOf(doc.traffic[ti]?.class ?? DEFAULT_CLASS);
    const shares = ingressShares(model, sc, t.shares, entry.bundle);
    const ei = model.entries.indexOf(t.entry);
    for (let z = 0; z < Z; z++) {
      const r = t.rps * sc.scale * (shares[z] as number);
      if (r === 0) continue;
      const ing = ingress[k] as Float64Array;
      ing[ei * Z + z] = (ing[ei * Z + z] as number) + r;
      spread(k, t.entry, r, dispatch[entry.bundle * Z + z]);
    }
  });

  for (const si of model.topo) {
    const s = model.services[si];
    if (!s) continue;
    const rows = doc.services[si]?.admission ?? [];
    const own = ownTime(s, hit[si] as number);
    const mean = own.reduce((a, c) => a + c.weight * c.mean, 0);
    // Classes that reach this service at all, and whether priority separates them here.
    const present: number[] = [];
    for (let k = 0; k < K; k++) {
      let any = false;
      for (let z = 0; z < Z && !any; z++) any = ((lam[k] as Float64Array)[si * Z + z] as number) > 0;
      if (any) present.push(k);
    }
    const prioritised = new Set(present.map((k) => priority[k])).size > 1;
    if (rows.length || prioritised) {
      const loads = (z: number, n: number): ClassLoad[] =>
        present.map((k) => {
          const row = rows.find((r) => r.class === names[k]);
          return {
            lambda: ((lam[k] as Float64Array)[si * Z + z] as number) / n / 1000,
            cap: row?.maxInFlight ?? s.workers,
            queueLimit: row?.queueLimit ?? Number.POSITIVE_INFINITY,
            priority: priority[k] as number,
          };
        });
      const m = serviceMethod(s.workers, s.queueLimit, rows.length > 0, present, names, rows);
      method[si] = m;
      for (let z = 0; z < Z; z++) {
        const n = sc.counts[s.bundle * Z + z] as number;
        if (n === 0) continue;
        const ld = loads(z, n);
        // Zones with the same per-replica loads (an even spread) solve one chain.
        const key = `${si}|${ld.map((l) => l.lambda).join(',')}`;
        let perClass = solved.get(key);
        if (!perClass) {
          perClass = solve(m, s.workers, mean, s.queueLimit, ld, own, s.cache !== null);
          solved.set(key, perClass);
        }
        if (perClass.result?.orderExact === false) orderApprox[si] = 1;
        if (perClass.tooLarge) method[si] = 'too-large';
        present.forEach((k, j) => {
          const st = perClass.stations[j] ?? null;
          (stations[k] as (Station | null)[])[si * Z + z] = st;
          (admit[k] as Float64Array)[si * Z + z] = 1 - (st?.bounded?.block ?? 0);
        });
        joint[si * Z + z] = perClass.joint;
      }
    } else if (s.queueLimit !== null) {
      // Class-blind bounded line: every class meets the same rejection (placement.ts builds this station too).
      for (let z = 0; z < Z; z++) {
        const n = sc.counts[s.bundle * Z + z] as number;
        if (n === 0) continue;
        let total = 0;
        for (let k = 0; k < K; k++) total += (lam[k] as Float64Array)[si * Z + z] as number;
        const st = station({ lambda: total / n / 1000, workers: s.workers, own, cached: s.cache !== null, queueLimit: s.queueLimit });
        for (let k = 0; k < K; k++) (admit[k] as Float64Array)[si * Z + z] = 1 - (st.bounded?.block ?? 0);
      }
    }
    // Admitted requests of each class make the calls, in their class.
    const miss = 1 - (hit[si] as number);
    for (let k = 0; k < K; k++) {
      for (let z = 0; z < Z; z++) {
        const l = (lam[k] as Float64Array)[si * Z + z] as number;
        if (l === 0) continue;
        const passed = l * ((admit[k] as Float64Array)[si * Z + z] as number) * miss;
        for (const c of s.calls) {
          if (c.kind !== CALL_SERVICE) continue;
          const rate = passed * c.perRequest;
          if (rate === 0) continue;
          if (c.shortCircuit) {
            const lk = lam[k] as Float64Array;
            lk[c.target * Z + z] = (lk[c.target * Z + z] as number) + rate;
          } else spread(k, c.target, rate, dispatch[(model.services[c.target]?.bundle ?? -1) * Z + z]);
        }
      }
    }
  }
  return { names, priority, lam, ingress, admit, stations, joint, method, orderApprox };
}

function serviceMethod(
  workers: number,
  queueLimit: number | null,
  hasRows: boolean,
  present: number[],
  names: string[],
  rows: NonNullable<Topology['services'][number]['admission']>,
): ClassMethod {
  if (!hasRows) return queueLimit === null ? 'priority' : 'chain';
  let caps = 0;
  let lines = 0;
  for (const k of present) {
    const row = rows.find((r) => r.class === names[k]);
    if (row?.maxInFlight === undefined || row.queueLimit === undefined) return 'chain';
    caps += row.maxInFlight;
    lines += row.queueLimit;
  }
  return caps <= workers && lines <= (queueLimit ?? Number.POSITIVE_INFINITY) ? 'partitioned' : 'chain';
}

/** Each present class's station at one replica, and the classes' joint station (null: keep the class-blind one). */
function solve(
  m: ClassMethod,
  workers: number,
  mean: number,
  queueLimit: number | null,
  loads: ClassLoad[],
  own: ReturnType<typeof ownTime>,
  cached: boolean,
): { stations: (Station | null)[]; joint: Station | null; result: MultiClassResult | null; tooLarge?: boolean } {
  if (m === 'partitioned') {
    const stations = loads.map((l) => station({ lambda: l.lambda, workers: l.cap, own, cached, queueLimit: l.queueLimit }));
    return { stations, joint: jointStation(stations, loads, workers, own, mean), result: null };
  }
  if (m === 'priority') {
    const r = priorityMMc(workers, mean, loads);
    const stations = r.classes.map((f, j) => synthetic((loads[j] as ClassLoad).lambda, workers, own, mean, f, false));
    return { stations, joint: null, result: r };
  }
  const r = multiClassChain(workers, mean, queueLimit ?? Number.POSITIVE_INFINITY, loads, LIMITS.classStates);
  if (!r) {
    // Too many states: the classes share the class-blind line (placement.ts builds the same station).
    const lambda = loads.reduce((a, l) => a + l.lambda, 0);
    const shared = station({ lambda, workers, own, cached, queueLimit: queueLimit ?? undefined });
    return { stations: loads.map(() => (queueLimit === null ? null : shared)), joint: null, result: null, tooLarge: true };
  }
  const stations = r.classes.map((f, j) => synthetic((loads[j] as ClassLoad).lambda, workers, own, mean, f, true));
  return { stations, joint: jointStation(stations, loads, workers, own, mean), result: r };
}

/** A station carrying one class's figures: exponential wait of the class's mean given that one waits. */
function synthetic(lambda: number, workers: number, own: ReturnType<typeof ownTime>, mean: number, f: ClassFigures, bounded: boolean): Station {
  const ownCv2 = own.reduce((a, c) => a + c.weight * c.mean * c.mean * (1 + c.cv * c.cv), 0) / (mean * mean) - 1;
  const waitRate = f.Wq > 0 ? f.C / f.Wq : 0;
  // The wait given that one waits: Erlang(j + 1) when j of its own or higher priority wait ahead
  // (the chain's distribution at arrival), its rate set so the mean is the chain's exact Wq.
  const stages = f.Wq > 0 ? (f.ahead && f.ahead.length > 0 ? f.ahead : Float64Array.of(f.C)) : new Float64Array(0);
  let meanStages = 0;
  let second = 0;
  stages.forEach((w, j) => {
    meanStages += w * (j + 1);
    second += w * (j + 1) * (j + 1);
  });
  const q: BoundedQueue | null = bounded
    ? {
        capacity: 0,
        // Not a ratio here: a marker of the stage shape, which the lattice cache keys on.
        ratio: second,
        block: f.block,
        C: f.C,
        firstStage: 1,
        stages,
        stageRate: f.Wq > 0 ? meanStages / f.Wq : 1,
        Wq: f.Wq,
        W: f.Wq + mean,
        Lq: f.Lq,
        L: f.L,
      }
    : null;
  return {
    method: bounded ? 'mgck' : 'allen-cunneen',
    lambda,
    workers,
    own,
    ownMean: mean,
    ownCv2: Math.max(0, ownCv2),
    rho: (lambda * mean) / workers,
    saturated: f.saturated,
    C: f.C,
    Wq: f.Wq,
    W: f.Wq + mean,
    Lq: f.Lq,
    L: f.L,
    waitRate,
    batch: false,
    shape: { kind: 'exp' },
    bounded: q,
  };
}

/** The classes together at one replica: rejection and mean wait exact (from the classes'), wait shape exponential. */
function jointStation(stations: Station[], loads: ClassLoad[], workers: number, own: ReturnType<typeof ownTime>, mean: number): Station {
  let lambda = 0;
  let rejected = 0;
  let waited = 0;
  let Lq = 0;
  let L = 0;
  stations.forEach((st, j) => {
    const l = (loads[j] as ClassLoad).lambda;
    const block = st.bounded?.block ?? 0;
    lambda += l;
    rejected += l * block;
    waited += l * (1 - block) * st.C;
    Lq += st.Lq;
    L += st.L;
  });
  const admitted = lambda - rejected;
  const f: ClassFigures = {
    block: lambda > 0 ? rejected / lambda : 0,
    C: admitted > 0 ? waited / admitted : 0,
    Wq: admitted > 0 ? Lq / admitted : 0,
    Lq,
    L,
    saturated: false,
  };
  return synthetic(lambda, workers, own, mean, f, true);
}

/** The Placement and Queues one class sees: its own ingress, admission and stations, the shared ones elsewhere. */
function classView(pl: Placement, q: Queues, plan: ClassPlan, k: number): { pl: Placement; q: Queues } {
  const own = plan.stations[k] as (Station | null)[];
  const cls = q.cls.map((st, i) => own[i] ?? st);
  return { pl: { ...pl, ingress: plan.ingress[k] as Float64Array, admit: plan.admit[k] as Float64Array }, q: { ...q, cls } };
}

/** Per-class figures of services and entries (added to the class-blind result in place). */
export function addClassResults(
  model: Model,
  pl: Placement,
  q: Queues,
  plan: ClassPlan,
  result: Pick<SimulationResult, 'services' | 'entries'>,
  skipEndToEnd: boolean,
): void {
  const Z = model.zones.length;
  const K = plan.names.length;
  for (const s of model.services) {
    const out: Record<string, ServiceClassResult> = dict<ServiceClassResult>();
    for (let k = 0; k < K; k++) {
      let arrival = 0;
      let rejected = 0;
      let wait = 0;
      let admitted = 0;
      for (let z = 0; z < Z; z++) {
        const i = s.index * Z + z;
        const l = (plan.lam[k] as Float64Array)[i] as number;
        if (l === 0) continue;
        arrival += l;
        const a = (plan.admit[k] as Float64Array)[i] as number;
        rejected += l * (1 - a);
        const st = (plan.stations[k] as (Station | null)[])[i] ?? q.cls[i];
        if (st && !st.saturated) wait += l * a * st.Wq;
        admitted += l * a;
      }
      if (arrival === 0) continue;
      out[plan.names[k] as string] = {
        arrivalRps: arrival,
        rejectedRps: rejected,
        rejectionRate: rejected / arrival,
        meanWaitMs: admitted > 0 ? wait / admitted : null,
      };
    }
    const res = result.services[s.name];
    // Where the classes are treated apart, the service's sojourn is its classes' together (admitted requests).
    if (res?.sojournMs && plan.method[s.index] !== 'shared' && plan.method[s.index] !== 'too-large') {
      const parts: { weight: number; station: Station }[] = [];
      for (let k = 0; k < K; k++)
        for (let z = 0; z < Z; z++) {
          const i = s.index * Z + z;
          const st = (plan.stations[k] as (Station | null)[])[i];
          const w = ((plan.lam[k] as Float64Array)[i] as number) * ((plan.admit[k] as Float64Array)[i] as number);
          if (st && !st.saturated && w > 0) parts.push({ weight: w, station: st });
        }
      if (parts.length) res.sojournMs = serviceSojourn(parts);
      if (parts.length && parts.every((p) => p.station.method === 'mmck')) res.method = 'mmck';
    }
    if (res) {
      res.classes = out;
      res.classMethod = plan.method[s.index] as ClassMethod;
      const note = classNote(model, plan, s.index);
      if (res.classMethod !== 'shared' && Array.isArray(res.validity)) res.validity = res.validity.filter((n) => n.code !== 'bounded-approximation');
      if (note) res.validity = [...(res.validity === 'ok' || !res.validity ? [] : res.validity), note];
    }
  }
  const notes = model.services.map((s) => classNote(model, plan, s.index));
  const apart = plan.method.some((m) => m !== 'shared');
  model.entries.forEach((e, ei) => {
    const name = model.services[e]?.name as string;
    const res = result.entries[name];
    if (!res) return;
    const out: Record<string, EntryClassResult> = dict<EntryClassResult>();
    const parts: { weight: number; dist: Lattice }[] = [];
    let blocked = false;
    const reached = new Set<number>();
    for (let k = 0; k < K; k++) {
      const ing = plan.ingress[k] as Float64Array;
      let rps = 0;
      for (let z = 0; z < Z; z++) rps += ing[ei * Z + z] as number;
      if (rps === 0) continue;
      const view = classView(pl, q, plan, k);
      const succ = classSuccess(model, view.pl);
      const successRate = entrySuccess(model, view.pl, succ, ei);
      const composed = skipEndToEnd ? null : new Composer(model, view.pl, view.q).entry(ei);
      const latencyMs = composed?.dist ? summarize(composed.dist) : null;
      if (composed?.dist) parts.push({ weight: rps * successRate, dist: composed.dist });
      else blocked = true;
      for (let s = 0; s < model.services.length; s++)
        for (let z = 0; z < Z; z++) if (((plan.lam[k] as Float64Array)[s * Z + z] as number) > 0) reached.add(s);
      const cls = plan.names[k] as string;
      out[cls] = {
        rps,
        successRate,
        goodputRps: rps * successRate,
        latencyMs,
        reason: skipEndToEnd ? 'not composed (skipEndToEnd)' : (composed?.reason ?? null),
        slo: skipEndToEnd ? null : classSlo(model, name, cls, latencyMs, successRate),
      };
    }
    res.classes = out;
    // Where a service treats classes apart, the entry's requests are the classes' together: their mixture.
    if (apart && !skipEndToEnd && !blocked && parts.length) {
      res.latencyMs = summarize(mix(parts.filter((p) => p.weight > 0)));
      res.slo = classSlo(model, name, undefined, res.latencyMs, res.successRate);
    }
    const extra = [...reached].map((s) => notes[s]).filter((n): n is NonNullable<typeof n> => n !== null);
    if (extra.length && res.latencyMs) res.validity = [...(res.validity === 'ok' || !res.validity ? [] : res.validity), ...extra];
  });
}

/** Why a service's per-class figures are approximate, or nothing when they are exact. */
function classNote(model: Model, plan: ClassPlan, s: number): { code: 'multiclass'; message: string } | null {
  const m = plan.method[s];
  const svc = model.services[s];
  if (!svc || m === 'shared') return null;
  const reasons: string[] = [];
  if (m === 'too-large')
    reasons.push(`its per-class chain has more than ${LIMITS.classStates.toLocaleString('en-US')} states: the classes share one line here`);
  if (svc.serviceTimeCv !== 1 || svc.cache) reasons.push('own times taken as exponential for the per-class chain');
  if (plan.orderApprox[s]) reasons.push('classes of equal priority taken in random order rather than FIFO between them');
  if (m !== 'partitioned') reasons.push('per-class waits exact in mean, exponential in shape');
  if (!reasons.length) return null;
  return {
    code: 'multiclass',
    message: `${svc.name} (${m === 'priority' ? 'priority M/M/c' : m === 'partitioned' ? 'partitioned M/M/c/K' : 'per-class chain'}): ${reasons.join('; ')}`,
  };
}

/** The checks of the SLOs set for one class at an entry (`cls` undefined: those set for no class, as simulate.ts's sloFor). */
export function classSlo(
  model: Pick<Model, 'doc'>,
  entry: string,
  cls: string | undefined,
  latency: EntryResult['latencyMs'],
  successRate: number,
): EntryClassResult['slo'] {
  const checks: SloCheck[] = [];
  let rejection: RejectionCheck | undefined;
  for (const slo of model.doc.slo) {
    if (slo.entry !== entry || slo.class !== cls) continue;
    if (slo.maxRejectionRate !== undefined) {
      const value = 1 - successRate;
      if (!rejection || slo.maxRejectionRate < rejection.limit)
        rejection = { limit: slo.maxRejectionRate, value, met: value <= slo.maxRejectionRate };
    }
    for (const percentile of ['p50', 'p95', 'p99'] as const) {
      const limitMs = slo[`${percentile}Ms`];
      if (limitMs === undefined) continue;
      const valueMs = latency ? latency[percentile] : null;
      checks.push({ percentile, limitMs, valueMs, met: valueMs !== null && valueMs <= limitMs });
    }
  }
  if (rejection) return { met: rejection.met && checks.every((c) => c.met), checks, rejection };
  return checks.length ? { met: checks.every((c) => c.met), checks } : null;
}
