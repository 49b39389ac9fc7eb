/**
 * End-to-end latency (MODEL.md §2): a request's time is its sojourn at the entry replica plus,
 * step by step, the network cost and the callee's response time; a parallel group takes the
 * maximum of its members; on a cached service the hit branch (no calls) and the miss branch
 * (calls) are composed separately and mixed. Everything is a distribution on a lattice
 * (histogram convolution), never a sum of percentiles.
 *
 * The path matters: the response time of service s is computed per replica class (s, zone),
 * because the zone a request is in decides which replicas — and which hot spots — it meets
 * downstream (locality), and a short-circuit call stays on the caller's own replica.
 * Sojourns at different replicas are taken as independent (exact for tandem M/M/1 queues,
 * the usual approximation elsewhere).
 *
 * With bounded queues (schema v2) the distributions are those of successful requests: every
 * branch — the replica a call lands on, the number of repetitions, a cache hit or miss, the
 * zone a request enters — is weighted by the chance that it succeeds (success.ts). With no
 * queue limit every such chance is 1 and nothing is reweighted.
 */
import { add, addCopies, coarsen, dtOf, type Lattice, maxOf, mean, mix, quantile, shift, zero } from '../distribution/lattice.ts';
import { cutHere, endReserve, truncateAt } from './budget.ts';
import { forkBeta, forkLoad } from './forkjoin.ts';
import { CALL_DB, CALL_EXT, CALL_SERVICE, type CallModel, type Model, type StepModel } from './model.ts';
import type { Placement } from './placement.ts';
import type { Queues } from './queues.ts';
import { failureChain } from './retries.ts';
import { chainDelays, type RetryPolicy } from './retry-policy.ts';
import { gammaOf, withWait } from './sojourn.ts';
import { callSuccess, classSuccess, downSuccess, repeatedSuccess, retried } from './success.ts';

/** A composed distribution, or why there is none (a saturated or missing replica on the path). */
export type Composed = { dist: Lattice; reason: null } | { dist: null; reason: string };

const blocked = (reason: string): Composed => ({ dist: null, reason });
const ok = (dist: Lattice): Composed => ({ dist, reason: null });

/**
 * Composed distributions by signature. One Composer fills its own; the recommendation
 * shares one across its trial designs (same model), so a trial recomputes only the replica
 * classes whose load — or whose downstream — changed.
 */
export interface ComposeCache {
  ids: Map<string, number>;
  bySig: (Composed | undefined)[];
  callBySig: (Composed | undefined)[];
}

export const newComposeCache = (): ComposeCache => ({ ids: new Map(), bySig: [], callBySig: [] });

/**
 * Replicas still warming up (the timeline): in class (s, z) a share of the replicas runs slower,
 * each with its full share of the requests. `slow` composes on those replicas' own stations (what
 * it reaches by a short-circuit call stays on the same slow replica); a call or request landing on
 * the class meets a warming replica with probability `share[s·Z + z]`.
 */
export interface WarmingReplicas {
  share: Float64Array;
  /** Own-time multiplier of each service on a warming replica (its bundle's warmupFactor). */
  pace: Float64Array;
  slow: Composer;
}

export class Composer {
  private readonly Z: number;
  /** Signature id of each replica class (−1: not yet computed). Classes with one signature share one distribution. */
  private readonly classSig: Int32Array;
  private readonly callSig = new Map<number, number>();
  /** Time budgets: endReserve per service (budget.ts). */
  private readonly reserve = new Map<number, number>();
  private readonly ids: Map<string, number>;
  private readonly bySig: (Composed | undefined)[];
  private readonly callBySig: (Composed | undefined)[];
  /** Success of a request at each class (success.ts): the weights that condition on success. */
  private readonly succ: Float64Array;
  /** Where calls that leave the replica land: this composer, or for a warming replica's composer the warm one. */
  private home: Composer = this;
  private warming: WarmingReplicas | null = null;
  /** On a warming replica's composer: each service's own-time multiplier. */
  private pace: Float64Array | null = null;

  constructor(
    private readonly model: Model,
    private readonly pl: Placement,
    private readonly q: Queues,
    cache: ComposeCache = newComposeCache(),
  ) {
    this.Z = model.zones.length;
    this.classSig = new Int32Array(model.services.length * this.Z).fill(-1);
    this.ids = cache.ids;
    this.bySig = cache.bySig;
    this.callBySig = cache.callBySig;
    this.succ = classSuccess(model, pl);
  }

  /** Mixes in warming replicas (see WarmingReplicas); `w.slow` must be a composer of its own (its own cache). */
  withWarming(w: WarmingReplicas): this {
    this.warming = w;
    w.slow.home = this;
    w.slow.pace = w.pace;
    return this;
  }

  /** A request or call landing on a replica of class (s, z): a warm one's response, or mixed with a warming one's. */
  private landing(s: number, z: number): Composed {
    const r = this.response(s, z);
    const w = this.warming;
    const p = w ? (w.share[s * this.Z + z] as number) : 0;
    if (!w || !(p > 0) || !r.dist) return r;
    const slow = w.slow.response(s, z);
    if (!slow.dist) return slow;
    return ok(
      mix([
        { weight: 1 - p, dist: r.dist },
        { weight: p, dist: slow.dist },
      ]),
    );
  }

  private callOk(c: CallModel, z: number): number {
    return callSuccess(this.model, this.pl, this.succ, c, z);
  }

  /** Latency of requests entering `model.entries[ei]`, mixed over the zones they enter in. */
  entry(ei: number): Composed {
    const e = this.model.entries[ei] as number;
    const svc = this.model.services[e];
    if (!svc) return blocked('no such entry');
    const parts: { weight: number; dist: Lattice }[] = [];
    const retrying = (this.pl.retry?.sources[e] ?? []).filter((src) => src.ingress);
    for (let z = 0; z < this.Z; z++) {
      const rps = this.pl.ingress[ei * this.Z + z] as number;
      if (rps === 0) continue;
      const d = this.pl.dispatch[svc.bundle * this.Z + z];
      if (!d || d.zones.length === 0) return blocked(`${svc.name} has no live replica`);
      const zoneParts: { weight: number; dist: Lattice }[] = [];
      for (let i = 0; i < d.zones.length; i++) {
        const to = d.zones[i] as number;
        const r = this.landing(e, to);
        if (!r.dist) return r;
        const p = this.succ[e * this.Z + to] as number;
        if (p > 0) zoneParts.push({ weight: p === 1 ? rps * (d.weights[i] as number) : rps * (d.weights[i] as number) * p, dist: r.dist });
      }
      const chains = retrying
        .filter((src) => src.from === z)
        .map((src) => ({ src, f: failureChain(this.model, this.pl, e, false, true, z, src.policy) }));
      if (chains.every((c) => (c.f[0] as number) === 0)) {
        // Nothing fails here: retries change nothing.
        parts.push(...zoneParts);
        continue;
      }
      // Client retries (retries.ts): the requests of a retrying item that succeed after k rejections waited k backoffs.
      if (!zoneParts.length) continue;
      const ok = zoneParts.reduce((n, q) => n + q.weight, 0);
      const once = mix(zoneParts);
      let plain = rps;
      for (const { src, f } of chains) {
        plain -= src.rate;
        parts.push({
          weight: src.rate * retried(downSuccess(this.model, this.pl, this.succ, e, false, z), f),
          dist: withRetries(once, src.policy, f, 0),
        });
      }
      if (plain > rps * 1e-12) parts.push({ weight: (ok / rps) * plain, dist: once });
    }
    if (parts.length === 0) return blocked(this.pl.unavailable[e] ? `${svc.name} has no live replica` : 'no traffic enters');
    return ok(mix(parts));
  }

  /** Response time of service s on a replica in zone z: queue + own time + its calls. */
  response(s: number, z: number): Composed {
    const id = this.signature(s, z);
    const memo = this.bySig[id];
    if (memo) return memo;
    let out = this.computeResponse(s, z);
    // Time budgets: a successful visit ended before its deadline (budget.ts).
    // (Where the deadline matters at this class, or is exact — an entry's, from the ingress; elsewhere a class no
    // request nears keeps its distribution, cut where its callees are.)
    const b = this.pl.budget;
    const deadline = b && cutHere(b, s * this.Z + z) ? (b.D[s * this.Z + z] as number) : Number.POSITIVE_INFINITY;
    if (b && out.dist && Number.isFinite(deadline)) out = ok(truncateAt(out.dist, deadline - endReserve(this.model, b.hopMs, s, this.reserve)));
    // Schema v3: the handler waits for its stream publish acks before it replies (async-streams.ts).
    const ack = this.q.publishAckMs?.[s * this.Z + z] ?? 0;
    if (ack > 0 && out.dist) out = ok(shift(out.dist, ack));
    this.bySig[id] = out;
    return out;
  }

  private intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }

  /**
   * What determines a class's response time: the service, its per-replica load, and what
   * each of its calls meets. Zones with the same load and the same downstream (an even
   * spread) get one signature and are composed once.
   */
  private signature(s: number, z: number): number {
    const key = s * this.Z + z;
    const known = this.classSig[key] as number;
    if (known >= 0) return known;
    const st = this.q.cls[key];
    let text: string;
    // Everything the class's distribution depends on: service, per-replica load, hit rate, callees.
    if (!st || st.saturated) text = `x${key}:${st ? st.lambda : 'none'}`;
    else {
      text = `${s}:${st.lambda}:${st.Wq}:${this.pl.hit[s]}`;
      if (this.pl.budget && cutHere(this.pl.budget, key)) text += `:${this.pl.budget.D[key]}`;
      if (this.q.publishAckMs) text += `:a${this.q.publishAckMs[key]}`;
      const svc = this.model.services[s];
      if ((this.pl.hit[s] as number) < 1) for (const step of svc?.steps ?? []) for (const c of step.calls) text += `,${this.callSignature(c, z)}`;
    }
    const id = this.intern(text);
    this.classSig[key] = id;
    return id;
  }

  private callSignature(c: CallModel, z: number): number {
    if (c.kind === CALL_EXT) return this.intern(`e${c.target}`);
    if (c.kind === CALL_DB) return this.intern(`d${c.target}:${this.pl.dbRate[c.target]}`);
    // A retrying call also depends on its policy (the plain call's signature says where its attempts land).
    if (c.retry) return this.intern(`r${c.retry.retries}/${c.retry.backoffMs}/${c.retry.multiplier}@${this.callSignature({ ...c, retry: null }, z)}`);
    const key = (c.target * this.Z + z) * 2 + (c.shortCircuit ? 1 : 0);
    const known = this.callSig.get(key);
    if (known !== undefined) return known;
    let text: string;
    if (c.shortCircuit) text = `c${this.signature(c.target, z)}`;
    else {
      const t = this.model.services[c.target];
      const d = t ? this.pl.dispatch[t.bundle * this.Z + z] : undefined;
      text = 'b';
      if (!d || d.zones.length === 0) text += `none${c.target}`;
      else
        for (let i = 0; i < d.zones.length; i++) {
          const to = d.zones[i] as number;
          const warm = this.home.warming?.share[c.target * this.Z + to] ?? 0;
          text += `;${d.weights[i]}@${this.cost(z, to)}#${this.home.signature(c.target, to)}${warm > 0 ? `~${warm}` : ''}`;
        }
    }
    const id = this.intern(text);
    this.callSig.set(key, id);
    return id;
  }

  private cost(from: number, to: number): number {
    const net = this.model.doc.network;
    if (to === from) return net.natsHopMs;
    return net.natsHopMs + (this.model.zoneRegion[to] === this.model.zoneRegion[from] ? net.crossZoneMs : net.crossRegionMs);
  }

  private computeResponse(s: number, z: number): Composed {
    const svc = this.model.services[s];
    const st = this.q.cls[s * this.Z + z];
    if (!svc || !st) return blocked(`${svc?.name ?? s} has no replica in ${this.model.zones[z]}`);
    if (st.saturated) return blocked(`${svc.name} is saturated in ${this.model.zones[z]} (ρ ${st.rho.toFixed(2)})`);
    const h = this.pl.hit[s] as number;
    const k = this.pace ? (this.pace[s] as number) : 1;
    let missBranch = withWait(gammaOf(svc.serviceTimeMs * k, svc.serviceTimeCv), st);
    let missOk = 1;
    if (h < 1) {
      for (const step of svc.steps) {
        const d = this.step(step, z, s);
        if (!d.dist) return d;
        missBranch = add(missBranch, d.dist);
        for (const c of step.calls) missOk *= repeatedSuccess(this.callOk(c, z), c.perRequest);
      }
    }
    if (!svc.cache || h <= 0) return ok(missBranch);
    const hitBranch = withWait(gammaOf(svc.cache.hitTimeMs * k, svc.serviceTimeCv), st);
    if (h >= 1 || missOk === 0) return ok(hitBranch);
    return ok(
      mix([
        { weight: h, dist: hitBranch },
        { weight: (1 - h) * missOk, dist: missBranch },
      ]),
    );
  }

  /** One step: a call repeated perRequest times one after another, or a parallel group's maximum. */
  private step(step: StepModel, z: number, s: number): Composed {
    if (step.parallel) {
      const members: { dist: Lattice; count: number; linked: boolean }[] = [];
      for (const c of step.calls) {
        const d = this.call(c, z);
        if (!d.dist) return d;
        members.push({
          dist: d.dist,
          count: this.batchCount(c, z, okRepetitions(c.perRequest, this.callOk(c, z)), d.dist),
          linked: c.kind === CALL_SERVICE,
        });
      }
      // Distinct services called at one instant: correlated waits (forkjoin.ts).
      const fork = forkLoad(this.model, this.pl, this.q, s, z, step);
      return ok(maxOf(members, forkBeta(fork.linked, fork.rho)));
    }
    const c = step.calls[0] as CallModel;
    const d = this.call(c, z);
    if (!d.dist) return d;
    // Given that every repetition succeeded: the extra one is less likely by its chance to fail.
    const n = okRepetitions(c.perRequest, this.callOk(c, z));
    const whole = Math.floor(n);
    const frac = n - whole;
    const base = whole === 0 ? zero(d.dist.k) : addCopies(d.dist, whole);
    if (frac < 1e-12) return ok(base);
    return ok(
      mix([
        { weight: 1 - frac, dist: base },
        { weight: frac, dist: add(base, d.dist) },
      ]),
    );
  }

  /**
   * The copies of a call repeated inside a group reach their replicas at one instant (a batch):
   * their sojourns share the work the batch finds, so their maximum is that of fewer independent
   * copies. The n copies are joined by the fork–join copula (forkjoin.ts) calibrated at the
   * callee's wait probability, i.e. counted as n^{1/β}. Only the callee's own sojourn is shared:
   * what the copies do after it (their downstream calls, an external's latency) is independent,
   * so the shared load is diluted by the callee's share of the call's mean time. (Without this,
   * more load could lower the group's P99: the copula tightened around time no copy shares.)
   */
  private batchCount(c: CallModel, z: number, n: number, call: Lattice): number {
    if (c.kind !== CALL_SERVICE || n <= 1) return n;
    const t = this.model.services[c.target];
    const st = t ? this.q.cls[c.target * this.Z + z] : null;
    let C = st ? st.C : 0;
    let W = st ? st.W : 0;
    if (!c.shortCircuit && t) {
      const d = this.pl.dispatch[t.bundle * this.Z + z];
      C = 0;
      W = 0;
      for (let i = 0; d && i < d.zones.length; i++) {
        const to = this.q.cls[c.target * this.Z + (d.zones[i] as number)];
        C += (d.weights[i] as number) * (to?.C ?? 0);
        W += (d.weights[i] as number) * (to?.W ?? 0);
      }
    }
    const whole = mean(call);
    const share = whole > 0 && W > 0 ? Math.min(1, W / whole) : 1;
    const beta = forkBeta(Math.round(n), Math.sqrt(C) * share);
    return beta > 1 ? n ** (1 / beta) : n;
  }

  /** One call from a replica in zone z, network cost included. */
  private call(c: CallModel, z: number): Composed {
    if (c.kind === CALL_EXT) {
      const ext = this.model.externals[c.target];
      return ext ? ok(gammaOf(ext.latencyMs, ext.latencyCv)) : blocked('no such external');
    }
    if (c.kind === CALL_DB) return this.database(c.target);
    const id = this.callSignature(c, z);
    const memo = this.callBySig[id];
    if (memo) return memo;
    const out = this.computeCall(c, z);
    this.callBySig[id] = out;
    return out;
  }

  private computeCall(c: CallModel, z: number): Composed {
    const plain = c.retry ? this.call({ ...c, retry: null }, z) : this.computePlainCall(c, z);
    if (!c.retry || !plain.dist) return plain;
    // Retries (retries.ts): a successful call after k rejections also took k failed attempts and k backoffs.
    const t = this.model.services[c.target];
    const d = c.shortCircuit || !t ? undefined : this.pl.dispatch[t.bundle * this.Z + z];
    const f = failureChain(this.model, this.pl, c.target, c.shortCircuit, false, z, c.retry);
    let failedMs = this.model.doc.network.shortCircuitMs;
    if (!c.shortCircuit && d) {
      let w = 0;
      let cost = 0;
      for (let i = 0; i < d.zones.length; i++) {
        const to = d.zones[i] as number;
        const pf = (d.weights[i] as number) * (1 - (this.pl.admit[c.target * this.Z + to] as number));
        w += pf;
        cost += pf * this.cost(z, to);
      }
      failedMs = w > 0 ? cost / w : this.cost(z, z);
    }
    return ok(withRetries(plain.dist, c.retry, f, failedMs));
  }

  private computePlainCall(c: CallModel, z: number): Composed {
    if (c.shortCircuit) {
      const r = this.response(c.target, z);
      return r.dist ? ok(shift(r.dist, this.model.doc.network.shortCircuitMs)) : r;
    }
    const t = this.model.services[c.target];
    const d = t ? this.pl.dispatch[t.bundle * this.Z + z] : undefined;
    // With time budgets such a call fails after its ack timeout: the requests that make it fail, the others have a latency.
    if (!t || !d || d.zones.length === 0) return this.pl.budget ? ok(zero()) : blocked(`${t?.name ?? c.target} has no live replica`);
    const parts: { weight: number; dist: Lattice }[] = [];
    for (let i = 0; i < d.zones.length; i++) {
      const to = d.zones[i] as number;
      const r = this.home.landing(c.target, to);
      if (!r.dist) return r;
      const p = this.succ[c.target * this.Z + to] as number;
      if (p > 0) parts.push({ weight: p === 1 ? (d.weights[i] as number) : (d.weights[i] as number) * p, dist: shift(r.dist, this.cost(z, to)) });
    }
    if (parts.length === 0) return blocked(`every call to ${t.name} is rejected`);
    return ok(mix(parts));
  }

  /** A database call: dbCallMs plus the sojourn at a shard chosen in proportion to vcpu. */
  private database(d: number): Composed {
    const id = this.intern(`d${d}:${this.pl.dbRate[d]}`);
    const memo = this.callBySig[id];
    if (memo) return memo;
    const db = this.model.databases[d];
    const shards = this.q.shards[d];
    let out: Composed;
    if (!db || !shards) out = blocked('no such database');
    else {
      const sat = shards.findIndex((s) => s.saturated);
      if (sat >= 0) out = blocked(`db:${db.name}/${db.shards[sat]?.name} is saturated (ρ ${shards[sat]?.rho.toFixed(2)})`);
      else {
        const parts = shards.map((st, i) => ({
          weight: db.shards[i]?.vcpu ?? 0,
          dist: withWait(gammaOf(db.queryTimeMs, db.queryTimeCv), st),
        }));
        out = ok(shift(mix(parts), this.model.doc.network.dbCallMs));
      }
    }
    this.callBySig[id] = out;
    return out;
  }
}

/** A successful attempt's time, shifted by the failed attempts and backoffs before it: the geometric mixture of retry-policy.ts. */
function withRetries(once: Lattice, policy: RetryPolicy, f: Float64Array, failedMs: number): Lattice {
  const delays = chainDelays(policy, f, failedMs);
  if (delays.length === 1) return once;
  // Long backoffs beside a short call: coarsen first, so the mixture's support stays ~2,048 points.
  const span = (delays[delays.length - 1] as { delay: number }).delay + once.lo * dtOf(once.k) + once.p.length * dtOf(once.k);
  let base = once;
  while (span / dtOf(base.k) > 2048) base = coarsen(base);
  return mix(delays.map((x) => ({ weight: x.weight, dist: x.delay > 0 ? shift(base, x.delay) : base })));
}

/**
 * The repetition count of a call given that all of them succeeded: ⌊n⌋ stays, the extra one's
 * chance f becomes f·p / (1 − f + f·p). Unchanged when nothing is rejected (p = 1).
 */
function okRepetitions(perRequest: number, p: number): number {
  if (p === 1) return perRequest;
  const whole = Math.floor(perRequest);
  const frac = perRequest - whole;
  if (frac < 1e-12) return perRequest;
  const denom = 1 - frac + frac * p;
  return denom > 0 ? whole + (frac * p) / denom : whole;
}

/** Mean and percentiles of a composed distribution, in ms. */
export function summarize(d: Lattice): { mean: number; p50: number; p95: number; p99: number } {
  return { mean: mean(d), p50: quantile(d, 0.5), p95: quantile(d, 0.95), p99: quantile(d, 0.99) };
}
