/**
 * Retries in the DES (schema v2 `calls[].retries`, `traffic[].retries`): an attempt rejected by a
 * full queue is sent again, to a replica picked afresh, after backoffMs · multiplier^(k−1) for
 * retry k (no jitter); a caller's request fails only when its last attempt is rejected. A client
 * retry at the entry keeps the request's start time: its latency runs from the first attempt.
 *
 * The event loop (sim.ts) owns the jobs; this keeps, per job, what it was sent for (a call of the
 * plan, or an ingress stream), how many attempts it has made, and when its request started.
 * Exact semantics, measured against the analytic fixed point in retries.test.ts.
 */
import type { DesPlan } from './plan.ts';

export class DesRetries {
  private attempt = new Int32Array(0);
  private sentFor = new Int32Array(0);
  private born = new Float64Array(0);

  private constructor(private readonly p: DesPlan) {}

  /** The retry state of a plan, or null when nothing retries (the loop then takes no retry branch). */
  static of(p: DesPlan): DesRetries | null {
    return p.callRetries.some((r) => r > 0) || p.srcRetries.some((r) => r > 0) ? new DesRetries(p) : null;
  }

  /** Job `job` was sent at t for plan call c (≥ 0), or entered from ingress stream src (c = −1 − src). */
  sent(job: number, c: number, t: number): void {
    if (job >= this.attempt.length) this.grow(job + 1);
    this.attempt[job] = 0;
    this.sentFor[job] = c;
    this.born[job] = t;
  }

  /** What job was sent for (see `sent`). */
  callOf(job: number): number {
    return this.sentFor[job] as number;
  }

  /** When the job's first attempt started (a root: its request's start). */
  bornOf(job: number): number {
    return this.born[job] as number;
  }

  /** After a rejection: the wait before the next attempt (ms), or −1 when no retry is left. Counts the attempt. */
  next(job: number): number {
    const c = this.sentFor[job] as number;
    const p = this.p;
    const retries = c >= 0 ? (p.callRetries[c] as number) : (p.srcRetries[-1 - c] as number);
    const k = (this.attempt[job] as number) + 1;
    if (k > retries) return -1;
    this.attempt[job] = k;
    const first = c >= 0 ? (p.callBackoff[c] as number) : (p.srcBackoff[-1 - c] as number);
    const mult = c >= 0 ? (p.callBackoffMult[c] as number) : (p.srcBackoffMult[-1 - c] as number);
    return first * mult ** (k - 1);
  }

  /** A retry sent as a new job: it carries the attempts and start of the one it replaces. */
  carry(from: { attempt: number; born: number }, job: number): void {
    if (job < 0) return; // not sent (a time budget failed it fast)
    this.attempt[job] = from.attempt;
    this.born[job] = from.born;
  }

  /** The attempts and start of a job (to carry over to its retry). */
  state(job: number): { attempt: number; born: number } {
    return { attempt: this.attempt[job] as number, born: this.born[job] as number };
  }

  private grow(n: number): void {
    const cap = Math.max(n, this.attempt.length * 2, 1024);
    const a = new Int32Array(cap);
    a.set(this.attempt);
    this.attempt = a;
    const s = new Int32Array(cap);
    s.set(this.sentFor);
    this.sentFor = s;
    const b = new Float64Array(cap);
    b.set(this.born);
    this.born = b;
  }
}
