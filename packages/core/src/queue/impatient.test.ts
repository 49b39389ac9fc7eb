import { describe, expect, it } from 'vitest';
import { erlangB, mmc } from './erlang.ts';
import { doneBy, impatientQueue, meanDoneTime, offeredWaitSurvival, servedWaitH, servedWaitSurvival } from './impatient.ts';

/**
 * An independent numerical solution of M/M/c+D, from the dynamics alone (not the closed form):
 * the offered wait V falls at rate 1; a request arriving with V ≤ D raises it by Exp(cμ); the
 * states with V = 0 are a birth–death chain n = 0…c − 1 fed from V = 0⁺ at rate g(0⁺). Level
 * crossing at v: g(v) = λp_{c−1}e^{−cμv} + λ∫₀^{min(v,D)} g(u)e^{−cμ(v−u)}du, solved on a grid
 * by the trapezoid rule (a Volterra recursion), then normalized with the birth–death chain.
 */
function bruteForce(lambda: number, c: number, mean: number, D: number, n = 20000) {
  const mu = 1 / mean;
  const cmu = c * mu;
  const h = D / n;
  const decay = Math.exp(-cmu * h);
  const g = new Float64Array(n + 1);
  g[0] = lambda; // p_{c−1} = 1 (unnormalized)
  let I = 0;
  for (let j = 1; j <= n; j++) {
    const base = lambda * Math.exp(-cmu * j * h) + lambda * (decay * I + (h / 2) * (g[j - 1] as number) * decay);
    g[j] = base / (1 - (lambda * h) / 2);
    I = decay * I + (h / 2) * ((g[j - 1] as number) * decay + (g[j] as number));
  }
  let inside = 0;
  let late = 0; // ∫₀ᴰ g(v)e^{−μ(D−v)}dv
  let wSum = 0;
  for (let j = 0; j <= n; j++) {
    const w = j === 0 || j === n ? h / 2 : h;
    inside += w * (g[j] as number);
    late += w * (g[j] as number) * Math.exp(-mu * (D - j * h));
    wSum += w * (g[j] as number) * j * h;
  }
  const beyond = (g[n] as number) / cmu;
  // p_n for n < c from p_{c−1} = 1: p_n = p_{n+1}(n + 1)μ/λ.
  let zeroMass = 1;
  let p = 1;
  for (let k = c - 2; k >= 0; k--) {
    p = (p * (k + 1) * mu) / lambda;
    zeroMass += p;
  }
  const total = zeroMass + inside + beyond;
  return {
    abandon: beyond / total,
    p0: zeroMass / total,
    timeoutInService: (zeroMass * Math.exp(-mu * D) + late) / total,
    servedWq: wSum / total / (1 - beyond / total),
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('M/M/c+D (queue/impatient.ts)', () => {
  const cases: [string, number, number, number, number][] = [
    // name, λ per ms, c, mean own ms, D ms
    ['M/M/1+D, ρ 0.8, D 2 means', 0.8, 1, 1, 2],
    ['M/M/4+D, ρ 0.875, D 10', 0.35, 4, 10, 10],
    ['M/M/2+D, ρ 1.5 (overloaded), D 3', 3, 2, 1, 3],
    ['M/M/10+D, ρ 1.2, D 5', 12, 10, 1, 5],
    ['M/M/1+D, ρ 2, D 1', 2, 1, 1, 1],
  ];
  for (const [name, lambda, c, mean, D] of cases) {
    it(`${name}: within 0.5 % of the brute-force solution`, () => {
      const q = impatientQueue(lambda, c, mean, D);
      const b = bruteForce(lambda, c, mean, D);
      expect(rel(q.abandon, b.abandon)).toBeLessThan(0.005);
      expect(rel(q.p0, b.p0)).toBeLessThan(0.005);
      expect(rel(q.timeoutInService, b.timeoutInService)).toBeLessThan(0.005);
      expect(rel(q.servedWq, b.servedWq)).toBeLessThan(0.005);
    });
  }

  it('M/M/1+D matches the textbook closed form P(abandon) = ρ(1 − ρ)e^{−θD}/(1 − ρ²e^{−θD})', () => {
    for (const [lambda, D] of [
      [0.8, 2],
      [0.5, 0.3],
      [1.7, 4],
    ] as const) {
      const rho = lambda;
      const E = Math.exp(-(1 - lambda) * D);
      const exact = (rho * (1 - rho) * E) / (1 - rho * rho * E);
      expect(rel(impatientQueue(lambda, 1, 1, D).abandon, exact)).toBeLessThan(1e-9);
    }
  });

  it('limits: D → 0 is Erlang loss (B(c, a)); D → ∞ at ρ < 1 is M/M/c (no abandonment, Erlang C wait)', () => {
    expect(rel(impatientQueue(3, 4, 1, 1e-9).abandon, erlangB(4, 3))).toBeLessThan(1e-6);
    const far = impatientQueue(0.35, 4, 10, 1e5);
    expect(far.abandon).toBeLessThan(1e-12);
    expect(rel(far.servedWq, mmc(0.35, 0.1, 4).Wq)).toBeLessThan(1e-9);
  });

  it('reference values (core README, "Time budgets"; mpmath quadrature of the definitions at 30 digits)', () => {
    const rows: [number, number, number, number, number, number, number, number][] = [
      // λ, c, mean, D → P(abandon), P(V = 0), P(timeout in service), served Wq
      [0.8, 1, 1, 2, 0.1878321, 0.3502657, 0.2347901, 0.5309131],
      [0.35, 4, 10, 10, 0.09194826, 0.4308614, 0.4479356, 2.409495],
      [3, 2, 1, 3, 0.3395954, 0.01502885, 0.3395018, 2.108096],
      [12, 10, 1, 5, 0.1666701, 1.749507e-5, 0.5555668, 4.500133],
      [2, 1, 1, 1, 0.5506425, 0.101285, 0.2753213, 0.4507993],
    ];
    for (const [lambda, c, mean, D, ab, p0, ts, wq] of rows) {
      const q = impatientQueue(lambda, c, mean, D);
      expect(rel(q.abandon, ab)).toBeLessThan(1e-6);
      expect(rel(q.p0, p0)).toBeLessThan(1e-5);
      expect(rel(q.timeoutInService, ts)).toBeLessThan(1e-6);
      expect(rel(q.servedWq, wq)).toBeLessThan(1e-6);
    }
  });

  it('an overloaded replica with a very long budget stays finite (logs), its abandonment 1 − 1/ρ', () => {
    const q = impatientQueue(2, 1, 1, 3_600_000);
    expect(q.abandon).toBeCloseTo(0.5, 9);
    expect(Number.isFinite(q.servedWq)).toBe(true);
    expect(q.servedWq).toBeCloseTo(3_600_000, -3);
  });

  it('served-wait survival and H agree with each other and with the offered wait', () => {
    const q = impatientQueue(3, 2, 1, 3);
    expect(servedWaitSurvival(q, 0)).toBeCloseTo(q.servedC, 9);
    expect(servedWaitSurvival(q, 3)).toBe(0);
    expect(servedWaitH(q, 10)).toBeCloseTo(q.servedWq, 4);
    expect(offeredWaitSurvival(q, 2, 3)).toBeCloseTo(q.abandon, 9);
  });
});

describe('doneBy (wait + own time within x)', () => {
  it('at D it is 1 − abandon − timeout in service; it grows with x; the mean of the done is below x', () => {
    for (const [lambda, c, mean, D] of [
      [0.8, 1, 1, 2],
      [3, 2, 1, 3],
      [12, 10, 1, 5],
    ] as const) {
      const q = impatientQueue(lambda, c, mean, D);
      expect(doneBy(q, D)).toBeCloseTo(1 - q.abandon - q.timeoutInService, 9);
      expect(doneBy(q, D / 2)).toBeLessThan(doneBy(q, D));
      const m = meanDoneTime(q, D);
      expect(m).toBeGreaterThan(0);
      expect(m).toBeLessThan(D);
    }
  });
});
