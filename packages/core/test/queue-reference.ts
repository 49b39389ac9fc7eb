/**
 * Exact queueing values for checking the DES, written from textbook formulas with no code
 * shared with the engine or the DES (MODEL.md §3 and beyond):
 *
 * - M/M/c (Erlang C): mean and the sojourn tail of MODEL.md §2, inverted by bisection.
 * - Two M/M/1 in tandem: P(T > t) = 2e^{−t} − e^{−2t} for μ − λ = 1 and 2.
 * - The maximum of n iid Exp(1): P(M ≤ t) = (1 − e^{−t})^n.
 * - M/G/1 with fixed or gamma own times: the waiting-time distribution from the Beneš
 *   (Pollaczek–Khinchine) renewal equation W(t) = (1 − ρ) + ρ ∫₀ᵗ W(t − x) dR_e(x), R_e the
 *   equilibrium (residual) own-time distribution, solved on a fine grid with the trapezoid rule;
 *   the sojourn is the wait plus an independent own time. Exact up to the grid (checked against
 *   M/M/1's closed form and Crommelin's M/D/1 formula in des-reference.test.ts).
 * - Two-way fork–join of identical M/M/1 queues fed by the same Poisson arrivals: mean of the
 *   slower of the two, (12 − ρ)/8 · 1/(μ − λ) (Flatto & Hahn 1984; Nelson & Tantawi 1988).
 * - Batches of n at once into an M/M/1 (M^X/M/1 with X ≡ n): a batch waits like one M/G/1
 *   customer whose time is the sum of n own times, W_b = ρ(n + 1)/(2μ(1 − ρ)); a customer's
 *   mean sojourn adds (n − 1)/(2μ) for the batch-mates ahead of it and its own 1/μ; the batch's
 *   last completion (what a parallel group waits for) comes W_b + n/μ after the batch arrives.
 */

export interface Quantiles {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Inverts a decreasing tail function: the t with tail(t) = 1 − p. */
export function invertTail(tail: (t: number) => number, p: number, scale = 1): number {
  let lo = 0;
  let hi = scale;
  while (tail(hi) > 1 - p) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Erlang C: the probability an arrival waits in M/M/c with offered load a = λ/μ. */
export function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}

/** M/M/c sojourn figures, in the unit of 1/μ (λ and μ per that unit). */
export function mmc(lambda: number, mu: number, c: number): Quantiles {
  const C = erlangC(c, lambda / mu);
  const theta = c * mu - lambda;
  const tail = (t: number) =>
    Math.abs(theta - mu) < 1e-12
      ? (1 - C) * Math.exp(-mu * t) + C * Math.exp(-mu * t) * (1 + mu * t)
      : (1 - C) * Math.exp(-mu * t) + (C * (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t))) / (theta - mu);
  const q = (p: number) => invertTail(tail, p, 1 / mu);
  return { mean: C / theta + 1 / mu, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

/** Two M/M/1 in tandem with μ − λ = 1 and 2 (time unit 1). */
export function tandem(): Quantiles {
  const tail = (t: number) => 2 * Math.exp(-t) - Math.exp(-2 * t);
  const q = (p: number) => invertTail(tail, p);
  return { mean: 1.5, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

/** The maximum of n iid Exp(1). */
export function maxOfExponentials(n: number): Quantiles {
  let harmonic = 0;
  for (let k = 1; k <= n; k++) harmonic += 1 / k;
  const q = (p: number) => -Math.log(1 - p ** (1 / n));
  return { mean: harmonic, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

/** Two-way fork–join of identical M/M/1 queues: mean of the later of the two sojourns. */
export function forkJoin2Mean(lambda: number, mu: number): number {
  const rho = lambda / mu;
  return ((12 - rho) / 8) * (1 / (mu - lambda));
}

/** Batches of n arriving together at λ/n batches per unit into one exponential server of rate μ. */
export function batchMM1(lambda: number, mu: number, n: number): { customerSojournMean: number; batchDoneMean: number } {
  const rho = lambda / mu;
  const batchWait = (rho * (n + 1)) / (2 * mu * (1 - rho));
  return { customerSojournMean: batchWait + (n - 1) / (2 * mu) + 1 / mu, batchDoneMean: batchWait + n / mu };
}

// --- Gamma functions (Numerical Recipes' formulas, written afresh) ---

function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (c[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return sum * lead;
  }
  // Lentz's continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - lead * h;
}

/** Own time: fixed (cv 0) or gamma with the given mean and cv. Its CDF and its equilibrium CDF. */
function ownTime(mean: number, cv: number): { cdf: (x: number) => number; residual: (x: number) => number } {
  if (cv === 0) return { cdf: (x) => (x >= mean ? 1 : 0), residual: (x) => Math.min(1, x / mean) };
  const a = 1 / (cv * cv);
  const theta = mean / a;
  // R_e(x) = (1/m)∫₀ˣ(1 − F) = x(1 − F(x))/m + P(a + 1, x/θ), since ∫₀ˣ u f(u) du = m·P(a + 1, x/θ).
  return { cdf: (x) => gammaP(a, x / theta), residual: (x) => (x * (1 - gammaP(a, x / theta))) / mean + gammaP(a + 1, x / theta) };
}

/**
 * M/G/1 FCFS with Poisson arrivals (λ per unit) and fixed or gamma own times: the sojourn's
 * mean (Pollaczek–Khinchine) and percentiles (the Beneš equation on a grid of `points` cells
 * reaching past the sojourn's P99.9).
 */
export function mg1(lambda: number, mean: number, cv: number, points = 20_000): Quantiles {
  const rho = lambda * mean;
  const waitMean = (lambda * mean * mean * (1 + cv * cv)) / (2 * (1 - rho));
  const own = ownTime(mean, cv);
  // Reach: the wait's tail is about exponential; 12 mean waits plus 12 own-time sds and the mean.
  const reach = 12 * waitMean + mean * (1 + 12 * Math.max(cv, 0.1)) + 8 * mean;
  const h = reach / points;
  const dR = new Float64Array(points + 1);
  const dF = new Float64Array(points + 1);
  let prevR = 0;
  let prevF = 0;
  for (let j = 1; j <= points; j++) {
    const r = own.residual(j * h);
    const f = own.cdf(j * h);
    dR[j] = r - prevR;
    dF[j] = f - prevF;
    prevR = r;
    prevF = f;
  }
  const W = new Float64Array(points + 1);
  W[0] = 1 - rho;
  for (let k = 1; k <= points; k++) {
    let s = 0;
    for (let j = 2; j <= k; j++) s += (dR[j] as number) * ((W[k - j] as number) + (W[k - j + 1] as number));
    s = 0.5 * (s + (dR[1] as number) * (W[k - 1] as number));
    W[k] = (1 - rho + rho * s) / (1 - (rho * (dR[1] as number)) / 2);
  }
  /** The first grid point where a CDF reaches p, interpolated. */
  const quantile = (cdf: Float64Array, p: number) => {
    if ((cdf[0] as number) >= p) return 0;
    for (let k = 1; k <= points; k++) {
      if ((cdf[k] as number) >= p) {
        const lo = cdf[k - 1] as number;
        return (k - 1 + (p - lo) / ((cdf[k] as number) - lo)) * h;
      }
    }
    return Number.NaN;
  };
  let q: (p: number) => number;
  if (cv === 0) q = (p) => quantile(W, p) + mean;
  else {
    // Sojourn CDF: T = W + S, S independent of W.
    const T = new Float64Array(points + 1);
    for (let k = 1; k <= points; k++) {
      let s = 0;
      for (let j = 1; j <= k; j++) s += (dF[j] as number) * ((W[k - j] as number) + (W[k - j + 1] as number));
      T[k] = s / 2;
    }
    q = (p) => quantile(T, p);
  }
  return { mean: waitMean + mean, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}
