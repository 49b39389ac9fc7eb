/**
 * P(a retry is rejected | the attempt before it was rejected by the same replica `gapMs` earlier):
 * the chance a bounded queue that was full is full again after gapMs. A rejected attempt finds
 * the queue in state K (c workers + N waiting); its retry arrives after the backoff and the
 * network, and the queue has not forgotten: with no backoff and no network it is still full.
 * Birth–death chain (arrivals λ below K, departures min(n, c)/mean), transient by uniformization.
 * Exact for M/M/c/K with Poisson arrivals; for other own times the exponential chain with the same
 * mean (the bounded approximation's shape). When the chain is too long to walk (K·steps > 4e6)
 * the gap is long enough to forget and the stationary blocking is returned.
 */
export function fullAgain(lambda: number, workers: number, capacity: number, mean: number, gapMs: number, stationary: number): number {
  if (!(gapMs > 0)) return 1;
  // The same station and gap come back for every call that retries into it (success, composition, each
  // root-finding step): remember the answers (a pure function of its arguments; bounded memory).
  const key = `${lambda}|${workers}|${capacity}|${mean}|${gapMs}|${stationary}`;
  const known = MEMO.get(key);
  if (known !== undefined) return known;
  const out = walk(lambda, workers, capacity, mean, gapMs, stationary);
  if (MEMO.size >= 50_000) MEMO.clear();
  MEMO.set(key, out);
  return out;
}

const MEMO = new Map<string, number>();

function walk(lambda: number, workers: number, capacity: number, mean: number, gapMs: number, stationary: number): number {
  const mu = 1 / mean;
  const rate = lambda + workers * mu;
  const lt = rate * gapMs;
  const steps = Math.ceil(lt + 8 * Math.sqrt(lt) + 20);
  if (steps * (capacity + 1) > 4e6) return stationary;
  let v = new Float64Array(capacity + 1);
  let w = new Float64Array(capacity + 1);
  v[capacity] = 1;
  // Poisson weights e^{−Λt}(Λt)^n/n!, in logs so a long gap does not underflow the first one.
  let logW = -lt;
  let out = 0;
  const logLt = Math.log(lt);
  for (let n = 0; n <= steps; n++) {
    out += Math.exp(logW) * (v[capacity] as number);
    logW += logLt - Math.log(n + 1);
    // After n steps from K only states ≥ K − n carry mass.
    const from = Math.max(0, capacity - n - 1);
    w.fill(0, from);
    for (let i = from; i <= capacity; i++) {
      const m = v[i] as number;
      if (m === 0) continue;
      const up = i < capacity ? lambda / rate : 0;
      const down = (Math.min(i, workers) * mu) / rate;
      if (up > 0) w[i + 1] = (w[i + 1] as number) + m * up;
      if (down > 0) w[i - 1] = (w[i - 1] as number) + m * down;
      w[i] = (w[i] as number) + m * (1 - up - down);
    }
    [v, w] = [w, v];
  }
  return Math.min(1, Math.max(0, out));
}
