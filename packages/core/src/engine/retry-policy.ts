/**
 * A retry policy (schema v2 `calls[].retries`, `traffic[].retries`) and the sums it implies.
 * A failed attempt is sent again up to `retries` times; before retry k (k = 1…r) the caller
 * waits backoffMs · multiplier^(k−1) (no jitter). With each attempt failing independently with
 * probability p (the engine's independence assumption; the DES measures what it costs):
 * - attempts per call: 1 + p + … + p^r (the load it offers the callee, per first attempt);
 * - success: 1 − p^(r+1) when only the first hop can fail;
 * - a successful call succeeded on attempt k with probability p^k / (1 + p + … + p^r), after
 *   k failed attempts and k backoffs.
 */

export interface RetryPolicy {
  retries: number;
  backoffMs: number;
  multiplier: number;
}

/** The policy of a call or traffic item, or null when it does not retry (absent or 0 retries). */
export function retryPolicy(x: {
  retries?: number | undefined;
  backoffMs?: number | undefined;
  backoffMultiplier?: number | undefined;
}): RetryPolicy | null {
  if (!x.retries) return null;
  return { retries: x.retries, backoffMs: x.backoffMs ?? 0, multiplier: x.backoffMultiplier ?? 2 };
}

/** Expected attempts per call when each fails with probability p: 1 + p + … + p^r. */
export function attempts(p: number, retries: number): number {
  let a = 1;
  let pk = 1;
  for (let k = 1; k <= retries; k++) {
    pk *= p;
    a += pk;
  }
  return a;
}

/** The wait before retry k (k ≥ 1), ms. */
export function backoffBefore(policy: RetryPolicy, k: number): number {
  return policy.backoffMs * policy.multiplier ** (k - 1);
}

/**
 * What retries add to the time of a call that succeeds: with probability p^k / Σ p^j it took
 * k failed attempts (each `failedMs`: a rejection comes back at once, after the network) and k
 * backoffs. Weights and delays for k = 0…r (terms below 1e-12 dropped).
 */
export function retryDelays(policy: RetryPolicy, p: number, failedMs: number): { weight: number; delay: number }[] {
  const out = [{ weight: 1, delay: 0 }];
  let pk = 1;
  let delay = 0;
  for (let k = 1; k <= policy.retries; k++) {
    pk *= p;
    if (pk < 1e-12) break;
    delay += failedMs + backoffBefore(policy, k);
    out.push({ weight: pk, delay });
  }
  return out;
}

/**
 * With failure chances that change from attempt to attempt — f[0] the first attempt's, f[k] retry
 * k's given that the one before failed (a full queue is often still full: queue/retry-rejection.ts)
 * — the expected attempts per call: Σ_k Π_{j<k} f_j.
 */
export function chainAttempts(f: ArrayLike<number>): number {
  let a = 0;
  let reach = 1;
  for (let k = 0; k < f.length; k++) {
    a += reach;
    reach *= f[k] as number;
  }
  return a;
}

/** P(every attempt fails): Π_k f_k. */
export function chainFailure(f: ArrayLike<number>): number {
  let x = 1;
  for (let k = 0; k < f.length; k++) x *= f[k] as number;
  return x;
}

/** The time retries add to a call that succeeds: weight Π_{j<k} f_j·(1 − f_k) after k failed attempts and k backoffs. */
export function chainDelays(policy: RetryPolicy, f: ArrayLike<number>, failedMs: number): { weight: number; delay: number }[] {
  const out: { weight: number; delay: number }[] = [];
  let reach = 1;
  let delay = 0;
  for (let k = 0; k < f.length; k++) {
    if (k > 0) delay += failedMs + backoffBefore(policy, k);
    const w = reach * (1 - (f[k] as number));
    if (w > 1e-12) out.push({ weight: w, delay });
    reach *= f[k] as number;
    if (reach < 1e-12) break;
  }
  return out.length ? out : [{ weight: 1, delay: 0 }];
}
