/**
 * Time budgets (schema v2, Microbus's depleting timeout; core README "Time budgets") in the
 * analytic engine. Only a document whose traffic carries `timeBudgetMs` builds one of these:
 * without a budget the placement, success and composition run exactly as before.
 *
 * What a replica class (s, z) sees: requests whose deadline is D after they arrive (at an entry,
 * the traffic's budget, as Microbus's ingress sets its context; at a callee, the budget it was
 * sent − the hop reserve H). Its queue is M/M/c+D (queue/impatient.ts): a
 * request still waiting at its deadline leaves the queue; one whose own time runs past it
 * fails in service (`finish`: its worker runs on, wasted; `stop`: freed at the deadline). A
 * request done with its own work by D − H may send its first call (Microbus sends no call with
 * ≤ H left); its callee is sent the budget left and gets a deadline H shorter again.
 *
 * The approximation (validity `budget-approximation`): a class's D is the MEAN over the
 * requests that reach it (rate-weighted over callers and traffic items), not its distribution;
 * the budget left at a call is D − E[wait + own | done by D − H] − H minus, for later steps,
 * the network cost and own time (no queue) of the earlier ones; a later step whose mean budget
 * left is ≤ H fails fast for every request. Own times are taken as exponential with their mean.
 * Its error against the DES is measured in engine/budget.test.ts.
 */
import { dtOf, type Lattice, normalize } from '../distribution/lattice.ts';
import { doneBy, meanDoneTime } from '../queue/impatient.ts';
import { type Station, station } from '../queue/station.ts';
import { CALL_DB, CALL_EXT, CALL_SERVICE, type CallModel, type Model } from './model.ts';
import { ownTime } from './own-time.ts';

/** Microbus's connector defaults (connector.go): `networkHop` and `ackTimeout`, 250 ms each. */
export const MICROBUS_HOP_MS = 250;
export const MICROBUS_ACK_TIMEOUT_MS = 250;

export interface BudgetPlacement {
  /** The hop reserve H and the ack timeout (ms). */
  hopMs: number;
  ackMs: number;
  /** Σ rate × deadline and Σ rate of the budgeted requests reaching each class (per second). */
  patW: Float64Array;
  patRate: Float64Array;
  /** The part of patRate that comes from calls (not the ingress): its deadline is a mean, an approximation. */
  callRate: Float64Array;
  /** Mean deadline from arrival at each class (Infinity: no budget). */
  D: Float64Array;
  /** Share of arrivals done with their own work in time (no calls, or a cache hit): P(W + S ≤ D). */
  leaf: Float64Array;
  /** Share of arrivals that may send their first service call: P(W + S ≤ D − H) (= leaf without service calls). */
  pass: Float64Array;
  /** Mean budget left (ms) when the first step is sent, for the requests that send it. */
  leftAtFirstCall: Float64Array;
  /** Index of the first step that fails fast for every request (steps.length: none). */
  failStep: Int32Array;
  /** The M/M/c+D stations (null where no budget arrives, or the queue is bounded). */
  stations: (Station | null)[];
  /** Mean budget left when each step of class i is sent (null: no budget there). */
  leftAtStep: (Float64Array | null)[];
  /** The step of each call of the model. */
  stepOf: Map<CallModel, number>;
}

/** A budget state when some traffic carries a time budget; null otherwise (the engine then runs as before). */
export function budgetPlacement(model: Model): BudgetPlacement | null {
  if (!model.traffic.some((t) => t.timeBudgetMs !== null)) return null;
  const n = model.services.length * model.zones.length;
  const net = model.doc.network;
  return {
    hopMs: net.timeBudgetHopMs ?? MICROBUS_HOP_MS,
    ackMs: net.ackTimeoutMs ?? MICROBUS_ACK_TIMEOUT_MS,
    patW: new Float64Array(n),
    patRate: new Float64Array(n),
    callRate: new Float64Array(n),
    D: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    leaf: new Float64Array(n).fill(1),
    pass: new Float64Array(n).fill(1),
    leftAtFirstCall: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    failStep: new Int32Array(n).fill(1 << 30),
    stations: new Array(n).fill(null),
    leftAtStep: new Array(n).fill(null),
    stepOf: stepsOf(model),
  };
}

function stepsOf(model: Model): Map<CallModel, number> {
  const out = new Map<CallModel, number>();
  for (const s of model.services) for (let k = 0; k < s.steps.length; k++) for (const c of s.steps[k]?.calls ?? []) out.set(c, k);
  return out;
}

/** Ingress: rps of a traffic item reaching class (entry, z) with its budget. */
export function feedIngress(b: BudgetPlacement, cls: number, rps: number, budgetMs: number | null): void {
  if (budgetMs === null || rps === 0) return;
  b.patW[cls] = (b.patW[cls] as number) + rps * budgetMs;
  b.patRate[cls] = (b.patRate[cls] as number) + rps;
}

/** Builds the M/M/c+D stations of service si where budgeted requests arrive, and their in-time shares. */
export function budgetStations(b: BudgetPlacement, model: Model, counts: Int32Array, si: number, lam: Float64Array, hit: Float64Array): void {
  const Z = model.zones.length;
  const s = model.services[si];
  if (!s) return;
  const own = ownTime(s, hit[si] as number);
  const callsServices = s.calls.some((c) => c.kind === CALL_SERVICE);
  for (let z = 0; z < Z; z++) {
    const i = si * Z + z;
    const rate = b.patRate[i] as number;
    const nRep = counts[s.bundle * Z + z] as number;
    if (!(rate > 0) || nRep === 0) continue;
    const D = Math.max(0, (b.patW[i] as number) / rate);
    b.D[i] = D;
    if (s.queueLimit !== null) continue; // a bounded queue keeps its M/M/c/K station (README: not M/M/c/K+D)
    if (D <= 0) {
      b.leaf[i] = 0;
      b.pass[i] = 0;
      continue;
    }
    const st = station({
      lambda: (lam[i] as number) / nRep / 1000,
      workers: s.workers,
      own,
      cached: s.cache !== null,
      patience: D,
      stopAtDeadline: s.onTimeout === 'stop',
    });
    const q = st.impatient;
    if (!q) continue;
    // A deadline no request comes near (a stable queue, < 1e-9 of them late) leaves the replica's usual station,
    // with its own-time shape (Allen–Cunneen, M/G/1), rather than M/M/c+D's exponential stand-in.
    const idle = st.rho < 1 && q.abandon + q.timeoutInService < 1e-9 && (!callsServices || doneBy(q, D - b.hopMs) > 1 - 1e-9);
    if (!idle) b.stations[i] = st;
    const leaf = doneBy(q, D);
    b.leaf[i] = leaf;
    const callAt = D - b.hopMs;
    b.pass[i] = callsServices ? doneBy(q, callAt) : leaf;
    b.leftAtFirstCall[i] = callAt > 0 ? D - meanDoneTime(q, callAt) : 0;
    // Later steps: the earlier ones' network cost and own time (no queue) come off the budget left.
    let left = b.leftAtFirstCall[i] as number;
    b.failStep[i] = s.steps.length;
    const leftAt = new Float64Array(s.steps.length);
    b.leftAtStep[i] = leftAt;
    for (let k = 0; k < s.steps.length; k++) {
      leftAt[k] = left;
      const step = s.steps[k];
      if (!step) continue;
      if (step.calls.some((c) => c.kind === CALL_SERVICE) && !(left > b.hopMs)) {
        b.failStep[i] = k;
        if (k === 0) b.pass[i] = 0;
        break;
      }
      let longest = 0;
      for (const c of step.calls) longest = Math.max(longest, callCost(model, c));
      left -= longest;
    }
  }
}

/** A call's mean time without queueing: network and the callee's own time (a database's query, an external's latency). */
function callCost(model: Model, c: CallModel): number {
  const net = model.doc.network;
  if (c.kind === CALL_DB) return net.dbCallMs + (model.databases[c.target]?.queryTimeMs ?? 0);
  if (c.kind === CALL_EXT) return model.externals[c.target]?.latencyMs ?? 0;
  return (c.shortCircuit ? net.shortCircuitMs : net.natsHopMs) + (model.services[c.target]?.serviceTimeMs ?? 0);
}

/**
 * The rate a call of class (si, z) actually sends, given the rate its requests would send
 * without a budget (`rate`, already thinned by admission): only the requests that may send
 * their first call, and nothing from the step that fails fast on. Also the step index of c.
 */
export function budgetCallRate(b: BudgetPlacement, model: Model, si: number, z: number, c: CallModel, rate: number): number {
  const i = si * model.zones.length + z;
  if (!Number.isFinite(b.D[i] as number)) return rate;
  const step = b.stepOf.get(c) ?? 0;
  if (step >= (b.failStep[i] as number)) return 0;
  return rate * (b.pass[i] as number);
}

/** The budget a call of class (si, z) hands its callee, minus the hop: the callee's deadline from arrival (mean). */
export function budgetForCallee(b: BudgetPlacement, model: Model, si: number, z: number, c: CallModel): number {
  const i = si * model.zones.length + z;
  const left = b.leftAtStep[i]?.[b.stepOf.get(c) ?? 0] ?? (b.leftAtFirstCall[i] as number);
  return left - b.hopMs;
}

/** A callee class (t, zone) receives `rate` budgeted requests (per second) from class (si, z). */
export function feedCall(b: BudgetPlacement, model: Model, si: number, z: number, c: CallModel, calleeCls: number, rate: number): void {
  const from = si * model.zones.length + z;
  if (!Number.isFinite(b.D[from] as number) || rate === 0) return;
  b.patW[calleeCls] = (b.patW[calleeCls] as number) + rate * Math.max(0, budgetForCallee(b, model, si, z, c));
  b.patRate[calleeCls] = (b.patRate[calleeCls] as number) + rate;
  b.callRate[calleeCls] = (b.callRate[calleeCls] as number) + rate;
}

/**
 * Share of the arrivals at class i that time out there: they leave the queue at their deadline,
 * run past it in service, or cannot send a call in time (the hit share h makes no calls).
 */
export function timeoutShare(b: BudgetPlacement, i: number, h: number): number {
  if (!Number.isFinite(b.D[i] as number)) return 0;
  return Math.min(1, Math.max(0, h * (1 - (b.leaf[i] as number)) + (1 - h) * (1 - (b.pass[i] as number))));
}

/**
 * Own time (ms per arrival) spent on requests that time out at class i: in service (`finish`:
 * the whole own time; `stop`: up to the deadline), and the own work of the ones done too late
 * to send their first call.
 */
export function wastedPerArrival(b: BudgetPlacement, i: number, onTimeout: 'finish' | 'stop', ownMean: number): number {
  const st = b.stations[i];
  const q = st?.impatient;
  if (!q) return 0;
  const inService = onTimeout === 'stop' ? q.wastedStop : q.wastedFinish;
  const tooLate = Math.max(0, (b.leaf[i] as number) - (b.pass[i] as number));
  return inService + tooLate * ownMean;
}

/** Success at a budgeted class i given its calls' success: hits need only their own work in time; misses must send every step. */
export function inTimeSuccess(b: BudgetPlacement, i: number, h: number, calls: number, steps: number): number {
  const miss = (b.failStep[i] as number) < steps ? 0 : (b.pass[i] as number) * calls;
  return h * (b.leaf[i] as number) + (1 - h) * miss;
}

/**
 * X given X ≤ x (a successful request finished before its deadline): masses past x dropped, the
 * rest rescaled. The last kept point holds, under the triangular kernel, mass from both sides of
 * it: only the part from at or below x is kept (for a locally flat density, ½ + δ/dt − δ²/2dt²).
 */
export function truncateAt(a: Lattice, x: number): Lattice {
  const dt = dtOf(a.k);
  const lastAbs = Math.floor(x / dt);
  const last = lastAbs - a.lo;
  if (last >= a.p.length - 1) return a;
  if (last < 0) return { k: a.k, lo: a.lo, p: Float64Array.of(1) };
  const p = Float64Array.from(a.p.subarray(0, last + 1));
  const d = x / dt - lastAbs;
  p[last] = (p[last] as number) * (0.5 + d - (d * d) / 2);
  return normalize({ k: a.k, lo: a.lo, p });
}

/** Share of the arrivals' own work actually done at a budgeted station (CPU): served × mean, less what `stop` cuts short. */
export function cpuShare(st: Station, onTimeout: 'finish' | 'stop'): number {
  const q = st.impatient;
  if (!q || !(st.ownMean > 0)) return 1;
  const cut = onTimeout === 'stop' ? q.wastedFinish - q.wastedStop : 0;
  return Math.max(0, (q.workPerArrival - cut) / st.ownMean);
}

/**
 * How much earlier than its own deadline a visit of service s must end, from its arrival: when
 * its last step calls services, it ends when they answer, and each callee's deadline is the
 * caller's minus H plus the call's network time (Microbus sends the budget left as a duration) —
 * recursively down the last steps. So a successful visit ends by D − endReserve(s).
 */
export function endReserve(model: Model, hopMs: number, s: number, memo: Map<number, number> = new Map()): number {
  const known = memo.get(s);
  if (known !== undefined) return known;
  const svc = model.services[s];
  const last = svc?.steps[svc.steps.length - 1];
  let reserve = 0;
  for (const c of last?.calls ?? []) {
    if (c.kind !== CALL_SERVICE) continue;
    const net = c.shortCircuit ? model.doc.network.shortCircuitMs : model.doc.network.natsHopMs;
    reserve = Math.max(reserve, hopMs - net + endReserve(model, hopMs, c.target, memo));
  }
  memo.set(s, reserve);
  return reserve;
}

/** Whether the composition cuts class i's latency at its deadline: it has an M/M/c+D station, or an exact (ingress-only) deadline. */
export function cutHere(b: BudgetPlacement, i: number): boolean {
  return Number.isFinite(b.D[i] as number) && (b.stations[i] !== null || (b.callRate[i] as number) === 0);
}
