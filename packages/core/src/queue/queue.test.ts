import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, mmc } from './erlang.ts';
import { gammaP, gammaQ, lnGamma } from './special.ts';
import { expPlusGammaSurvival, gammaSurvival, sojournPercentile, sojournSurvival, station } from './station.ts';

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('special functions', () => {
  it('lnGamma matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(171.5)).toBeCloseTo(709.1431630309282, 8); // Python math.lgamma
    expect(lnGamma(1000.3)).toBeCloseTo(5907.29264478588, 7);
  });

  it('incomplete gamma: P(1, x) = 1 − e^{−x}; P(2, x) = 1 − e^{−x}(1 + x); P + Q = 1', () => {
    for (const x of [0.01, 0.5, 1, 3, 10, 40]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13);
      expect(gammaP(2, x)).toBeCloseTo(1 - Math.exp(-x) * (1 + x), 13);
      expect(gammaP(3.7, x) + gammaQ(3.7, x)).toBeCloseTo(1, 13);
    }
    expect(rel(gammaQ(1, 50), Math.exp(-50))).toBeLessThan(1e-10);
  });
});

describe('Erlang B and C (MODEL.md §3)', () => {
  it('M/M/1, λ=8, μ=10: Wq 0.4, W 0.5', () => {
    const f = mmc(8, 10, 1);
    expect(rel(f.Wq, 0.4)).toBeLessThan(1e-9);
    expect(rel(f.W, 0.5)).toBeLessThan(1e-9);
  });

  it("M/M/4, λ=0.35, μ=0.1 (PDQ's example): C 0.73786, Wq 14.7572, W 24.7572, L 8.6650", () => {
    const f = mmc(0.35, 0.1, 4);
    expect(rel(f.C, 0.73786)).toBeLessThan(1e-4);
    expect(rel(f.Wq, 14.7572)).toBeLessThan(1e-5);
    expect(rel(f.W, 24.7572)).toBeLessThan(1e-5);
    expect(rel(f.L, 8.665)).toBeLessThan(1e-4);
  });

  it('M/M/2, λ=1, μ=1: C 1/3, Wq 1/3, W 4/3; M/M/10, λ=8, μ=1: C 0.40918, Wq 0.20459', () => {
    const a = mmc(1, 1, 2);
    expect(a.C).toBeCloseTo(1 / 3, 12);
    expect(a.Wq).toBeCloseTo(1 / 3, 12);
    expect(a.W).toBeCloseTo(4 / 3, 12);
    const b = mmc(8, 1, 10);
    expect(rel(b.C, 0.40918)).toBeLessThan(1e-4);
    expect(rel(b.Wq, 0.20459)).toBeLessThan(1e-4);
  });

  it('stays finite and in [0, 1] up to c = 10,000 and matches the large-c limit', () => {
    // At c = 10,000 and ρ = 0.99 the textbook a^c/c! overflows; the recursion does not.
    const c = 10_000;
    const C = erlangC(c, 0.99 * c);
    expect(Number.isFinite(C)).toBe(true);
    expect(C).toBeGreaterThan(0);
    expect(C).toBeLessThan(1);
    // Halfin–Whitt: with β = (1 − ρ)√c, C → [1 + β Φ(β)/φ(β)]⁻¹. β = 1 gives 0.2168.
    const beta = 1;
    const Cw = erlangC(c, c - beta * Math.sqrt(c));
    const Phi = 0.8413447460685429;
    const pdf = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
    expect(Math.abs(Cw - 1 / (1 + (beta * Phi) / pdf))).toBeLessThan(0.01);
    expect(erlangB(c, 0)).toBe(0);
    expect(erlangC(4, 5)).toBe(1);
  });
});

describe('sojourn distributions', () => {
  it('M/M/1 λ=8 μ=10: P(T>t) = e^{−2t}, p99 = ln(100)/2', () => {
    const st = station({ lambda: 8, workers: 1, own: [{ weight: 1, mean: 0.1, cv: 1 }] });
    expect(st.method).toBe('exact');
    for (const t of [0.1, 1, 3]) expect(sojournSurvival(st, t)).toBeCloseTo(Math.exp(-2 * t), 12);
    expect(rel(sojournPercentile([{ weight: 1, station: st }], 0.99), Math.log(100) / 2)).toBeLessThan(1e-9);
  });

  it('M/M/2 λ=1 μ=1 (θ = μ, the degenerate case): p50 0.9744, p95 3.8165, p99 5.6660', () => {
    const st = station({ lambda: 1, workers: 2, own: [{ weight: 1, mean: 1, cv: 1 }] });
    const parts = [{ weight: 1, station: st }];
    expect(rel(sojournPercentile(parts, 0.5), 0.9744)).toBeLessThan(1e-4);
    expect(rel(sojournPercentile(parts, 0.95), 3.8165)).toBeLessThan(1e-4);
    expect(rel(sojournPercentile(parts, 0.99), 5.666)).toBeLessThan(1e-4);
  });

  it('M/M/4 p99 99.843 and M/M/10 p99 4.9461', () => {
    const a = station({ lambda: 0.35, workers: 4, own: [{ weight: 1, mean: 10, cv: 1 }] });
    expect(rel(sojournPercentile([{ weight: 1, station: a }], 0.99), 99.843)).toBeLessThan(1e-4);
    const b = station({ lambda: 8, workers: 10, own: [{ weight: 1, mean: 1, cv: 1 }] });
    expect(rel(sojournPercentile([{ weight: 1, station: b }], 0.99), 4.9461)).toBeLessThan(1e-4);
  });

  it('Allen–Cunneen: mean wait × (1 + cs²)/2, wait probability still Erlang C', () => {
    const ex = station({ lambda: 0.7, workers: 1, own: [{ weight: 1, mean: 1, cv: 1 }] });
    const det = station({ lambda: 0.7, workers: 1, own: [{ weight: 1, mean: 1, cv: 0 }] });
    // One worker: the mean is Pollaczek–Khinchine's (Allen–Cunneen's agrees), the wait's shape the exact M/G/1 one.
    expect(det.method).toBe('pollaczek-khinchine');
    expect(det.shape.kind).toBe('mg1');
    expect(station({ lambda: 2.8, workers: 4, own: [{ weight: 1, mean: 1, cv: 0 }] }).method).toBe('allen-cunneen');
    expect(det.C).toBeCloseTo(ex.C, 12);
    // M/D/1 by Pollaczek–Khinchine: Wq = ρ/(2μ(1−ρ)) = 0.7/0.6.
    expect(det.Wq).toBeCloseTo(0.7 / 0.6, 12);
    expect(det.W).toBeCloseTo(0.7 / 0.6 + 1, 12);
  });

  it.each([
    [0.3, 2, 0.5],
    [0.5, 5, 2],
    [1.5, 0.8, 3],
    [0.7, 3, 3],
    [2, 1, 0.25],
    [1, 3, 0.5],
    [1, 2, 2],
  ])('P(Exp + Gamma > t) agrees with numerical integration (cv %f, mean %f, θ %f)', (cv, mean, theta) => {
    // Independent check: P(E+G>t) = P(G>t) + ∫₀ᵗ f_G(s) e^{−θ(t−s)} ds by the midpoint rule on dP_G.
    const numeric = (t: number) => {
      const n = 20_000;
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const s0 = (t * i) / n;
        const s1 = (t * (i + 1)) / n;
        const mass = gammaSurvival(mean, cv, s0) - gammaSurvival(mean, cv, s1);
        acc += mass * Math.exp(-theta * (t - (s0 + s1) / 2));
      }
      return gammaSurvival(mean, cv, t) + acc;
    };
    for (const t of [0.2 * mean, mean, 3 * mean, 8 * mean]) {
      const want = numeric(t);
      expect(Math.abs(expPlusGammaSurvival(theta, mean, cv, t) - want)).toBeLessThan(2e-6 + 1e-4 * want);
    }
  });

  it('a cached station mixes hit and miss: survival is the weighted mixture', () => {
    const st = station({
      lambda: 0.5,
      workers: 2,
      own: [
        { weight: 0.4, mean: 0.2, cv: 1 },
        { weight: 0.6, mean: 2, cv: 1 },
      ],
    });
    expect(st.method).toBe('allen-cunneen');
    expect(st.ownMean).toBeCloseTo(0.4 * 0.2 + 0.6 * 2, 12);
    const p99 = sojournPercentile([{ weight: 1, station: st }], 0.99);
    expect(sojournSurvival(st, p99)).toBeCloseTo(0.01, 10);
  });

  it('ρ ≥ 1 is saturated, with no NaN anywhere', () => {
    const st = station({ lambda: 2, workers: 1, own: [{ weight: 1, mean: 1, cv: 1 }] });
    expect(st.saturated).toBe(true);
    expect(st.rho).toBe(2);
    for (const v of [st.C, st.Wq, st.W, st.L]) expect(Number.isFinite(v)).toBe(true);
  });
});
