/**
 * Time budgets in the discrete-event simulation (schema v2; core README "Time budgets"): every
 * job carries an absolute deadline, and sim.ts asks this module at five moments. Only a
 * document whose traffic carries `timeBudgetMs` builds one; without it sim.ts runs as before.
 *
 * The rules, as Microbus's connector applies them (connector/publish.go, subscribe.go):
 * - A request entering with budget B gets the deadline t₀ + B at its entry replica (Microbus's
 *   ingress sets its context to its `TimeBudget`); H is the hop reserve (`networkHop`).
 * - A service call is not sent when the caller has H or less left (408 at once, "fail fast");
 *   otherwise the callee is sent the budget left r and its deadline is its arrival + r − H.
 *   Database and external calls are not bus calls: no check, no deadline of their own.
 * - A request still in a replica's line at its deadline leaves it and never takes a worker
 *   (taken lazily: a worker that frees skips the expired heads, which is the same FCFS order).
 * - A request whose own time runs past its deadline fails in service: `finish` holds the worker
 *   to the end (wasted work), `stop` frees it at the deadline.
 * - A visit that ends after its deadline (waiting on a database or an external) has timed out.
 * - A call to a service with no live replica waits for an ack that never comes: it fails after
 *   `ackTimeoutMs` (or when the budget runs out, if sooner), not at once.
 * A failed request's caller carries on with its steps (as after a rejection); with H ≥ the
 * network delay its later calls then fail fast, so a failure stops the load it would cause.
 */
import type { Topology } from '../schema/topology.ts';
import type { DesPlan } from './plan.ts';

const MICROBUS_HOP_MS = 250;
const MICROBUS_ACK_TIMEOUT_MS = 250;

/** What one replication counted, for figures.ts. */
export interface BudgetTotals {
  /** Recorded arrivals at each queue that timed out there (abandoned, in service, fail fast, late). */
  qTimedOut: Float64Array;
  /** Own time (ms) recorded queues spent on requests that timed out in service or right after. */
  qWastedMs: Float64Array;
  /** Recorded requests per entry that failed by a timeout (their first failure), and the time each failure took to show. */
  entryTimedOut: Float64Array;
  entryFailMs: Float64Array;
  entryFailN: Float64Array;
}

export class DesBudget {
  readonly hopMs: number;
  readonly ackMs: number;
  /** Per traffic source: the budget (ms), Infinity for none. */
  private readonly srcBudget: Float64Array;
  /** Per queue: 1 when its service stops work at the deadline. */
  private readonly qStop: Uint8Array;
  deadline = new Float64Array(0);
  /** Per job: its own time ran past its deadline. */
  late = new Uint8Array(0);
  readonly totals: BudgetTotals;

  constructor(plan: DesPlan, doc: Topology) {
    this.hopMs = doc.network.timeBudgetHopMs ?? MICROBUS_HOP_MS;
    this.ackMs = doc.network.ackTimeoutMs ?? MICROBUS_ACK_TIMEOUT_MS;
    this.srcBudget = plan.srcBudget;
    this.qStop = new Uint8Array(plan.nQueues);
    for (let q = 0; q < plan.nQueues; q++) {
      const s = plan.qService[q] as number;
      if (s >= 0 && doc.services[s]?.onTimeout === 'stop') this.qStop[q] = 1;
    }
    this.totals = {
      qTimedOut: new Float64Array(plan.nQueues),
      qWastedMs: new Float64Array(plan.nQueues),
      entryTimedOut: new Float64Array(plan.entryNames.length),
      entryFailMs: new Float64Array(plan.entryNames.length),
      entryFailN: new Float64Array(plan.entryNames.length),
    };
  }

  reset(): void {
    const t = this.totals;
    t.qTimedOut.fill(0);
    t.qWastedMs.fill(0);
    t.entryTimedOut.fill(0);
    t.entryFailMs.fill(0);
    t.entryFailN.fill(0);
  }

  grow(cap: number): void {
    const d = new Float64Array(cap).fill(Number.POSITIVE_INFINITY);
    d.set(this.deadline);
    this.deadline = d;
    const l = new Uint8Array(cap);
    l.set(this.late);
    this.late = l;
  }

  /** A request from traffic source `src` enters at t. */
  enter(job: number, src: number, t: number): void {
    const b = this.srcBudget[src] as number;
    this.deadline[job] = t + b;
    this.late[job] = 0;
  }

  /** How long the ingress waits for an ack from an entry with no live replica. */
  ingressAck(src: number): number {
    return Math.min(this.ackMs, this.srcBudget[src] as number);
  }

  /** A job that is not a budgeted service visit (a database query). */
  none(job: number): void {
    this.deadline[job] = Number.POSITIVE_INFINITY;
    this.late[job] = 0;
  }

  /** Whether a service call may be sent at t (more than H left); false: it fails fast. */
  canSend(job: number, t: number): boolean {
    return (this.deadline[job] as number) - t > this.hopMs;
  }

  /** The callee of a call sent at t arriving after `delay`: sent the budget left, its deadline H shorter. */
  child(parent: number, child: number, t: number, delay: number): void {
    this.deadline[child] = (this.deadline[parent] as number) - t + delay + t - this.hopMs;
    this.late[child] = 0;
  }

  /** Whether a waiting job has passed its deadline by t (it leaves the line). */
  expired(job: number, t: number): boolean {
    return (this.deadline[job] as number) <= t;
  }

  /** Own time `own` starts at t on queue q: how long the worker is held (`stop`: no longer than the deadline). */
  hold(job: number, q: number, t: number, own: number, measured: boolean): number {
    const d = this.deadline[job] as number;
    if (t + own <= d) return own;
    this.late[job] = 1;
    const held = this.qStop[q] ? Math.max(0, d - t) : own;
    if (measured) this.totals.qWastedMs[q] = (this.totals.qWastedMs[q] as number) + held;
    return held;
  }

  /** How long a call to a service with no live replica waits before it fails (the ack timeout, or the budget left). */
  ackWait(job: number, t: number): number {
    return Math.max(0, Math.min(this.ackMs, (this.deadline[job] as number) - t));
  }

  countTimeout(q: number, measured: boolean): void {
    if (measured) this.totals.qTimedOut[q] = (this.totals.qTimedOut[q] as number) + 1;
  }

  /** A measured entry request's first failure, at `instant`, `timeout` when a deadline caused it. */
  failed(entry: number, t0: number, instant: number, timeout: boolean): void {
    const t = this.totals;
    if (timeout) t.entryTimedOut[entry] = (t.entryTimedOut[entry] as number) + 1;
    t.entryFailMs[entry] = (t.entryFailMs[entry] as number) + Math.max(0, instant - t0);
    t.entryFailN[entry] = (t.entryFailN[entry] as number) + 1;
  }
}

/** A budget state when some traffic carries a time budget; null otherwise. */
export function desBudget(plan: DesPlan, doc: Topology): DesBudget | null {
  return doc.traffic.some((t) => t.timeBudgetMs !== undefined) ? new DesBudget(plan, doc) : null;
}

/** Some traffic source carries a budget (the figures then include the timeouts). */
export function hasBudget(plan: Pick<DesPlan, 'srcBudget'>): boolean {
  return plan.srcBudget.some((b) => Number.isFinite(b));
}

/** Every traffic source carries a budget: no service replica saturates (it sheds by timeouts). */
export function allBudgeted(plan: Pick<DesPlan, 'srcBudget'>): boolean {
  return plan.srcBudget.length > 0 && plan.srcBudget.every((b) => Number.isFinite(b));
}

/**
 * How long (ms) an empty replica past ρ 1 takes to fill its line up to the deadline when every
 * request carries a budget: the line grows at λ − cμ until its wait reaches the longest budget
 * B, i.e. B/(ρ − 1) (at most 20 B); 0 when some request has no budget (it is saturated then).
 */
export function budgetFillTime(plan: Pick<DesPlan, 'srcBudget' | 'qService'>, q: number, rho: number): number {
  if (!allBudgeted(plan) || (plan.qService[q] as number) < 0) return 0;
  let longest = 0;
  for (const b of plan.srcBudget) longest = Math.max(longest, b);
  return longest * Math.min(20, 1 / Math.max(rho - 1, 1e-9));
}
