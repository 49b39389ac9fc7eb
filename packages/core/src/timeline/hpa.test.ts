/**
 * The HPA against the examples of Kubernetes' own documentation (kubernetes.io, "Horizontal Pod
 * Autoscaling": the algorithm details, the scaling policies and the default behavior).
 */
import { describe, expect, it } from 'vitest';
import { type HpaSpec, hpaSpec, hpaState, hpaSync, metricProposal } from './hpa.ts';

/** Runs the controller every `sync` seconds from 0 to `until` with a metric that depends on time; returns the counts after each sync. */
function run(
  spec: HpaSpec,
  start: number,
  until: number,
  metric: (t: number, n: number) => number,
  target = 1,
  sync = 15,
): { at: number; n: number }[] {
  const state = hpaState();
  let n = start;
  const out: { at: number; n: number }[] = [];
  for (let t = 0; t <= until; t += sync) {
    n = hpaSync(spec, state, t, n, [metricProposal(n, n, 0, { value: metric(t, n), target })]);
    out.push({ at: t, n });
  }
  return out;
}

describe('HPA: the replica calculation', () => {
  it('doubles at 200m against 100m, halves at 50m, and ignores a ratio within the tolerance 0.1', () => {
    expect(metricProposal(4, 4, 0, { value: 200, target: 100 })).toBe(8);
    expect(metricProposal(4, 4, 0, { value: 50, target: 100 })).toBe(2);
    expect(metricProposal(10, 10, 0, { value: 109, target: 100 })).toBe(10);
    expect(metricProposal(10, 10, 0, { value: 91, target: 100 })).toBe(10);
    expect(metricProposal(10, 10, 0, { value: 111, target: 100 })).toBe(12);
  });

  it('counts pods that are not ready as using nothing when scaling up, and skips if that undoes the need', () => {
    // 4 ready at twice the target, 4 starting: 4·2/8 = 1.0, within the tolerance: no change.
    expect(metricProposal(8, 4, 4, { value: 2, target: 1 })).toBe(8);
    // 4 ready at 3× the target, 2 starting: 4·3/6 = 2 → ceil(2·6) = 12.
    expect(metricProposal(6, 4, 2, { value: 3, target: 1 })).toBe(12);
    // Scaling down leaves them out: 4 ready at half the target → 2 (never above the current count).
    expect(metricProposal(6, 4, 2, { value: 0.5, target: 1 })).toBe(2);
  });
});

describe('HPA: behavior', () => {
  it('default scale-up: max(4 pods, 100 %) per 15 s', () => {
    const spec = hpaSpec({ min: 1, max: 100 });
    const counts = run(spec, 1, 60, () => 1000).map((s) => s.n);
    expect(counts).toEqual([5, 10, 20, 40, 80]);
  });

  it("the docs' scale-down policies: 4 pods or 10 % per minute, the larger; 80 → 72 → 64 …, 4 at a time at 40 or fewer", () => {
    const spec = hpaSpec({
      min: 1,
      max: 100,
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 0,
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 60 },
            { type: 'Percent', value: 10, periodSeconds: 60 },
          ],
        },
      },
    });
    // The target needs 10 replicas: the metric is 10/n of the target.
    const steps = run(spec, 80, 60 * 12, (_t, n) => 10 / n);
    const perMinute = steps.filter((s) => s.at % 60 === 0).map((s) => s.n);
    // "during the first step 8 replicas will be reduced … when the number of replicas is 72, 10 % of the pods is 7.2 but the number is rounded up to 8"
    expect(perMinute.slice(0, 3)).toEqual([72, 64, 57]);
    // Below 40 the Pods policy allows more: 4 at a time.
    expect(perMinute).toEqual([72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12]);
    // Nothing moves between the minutes (the period has not passed).
    expect(steps.filter((s) => s.at === 15 || s.at === 45).map((s) => s.n)).toEqual([72, 72]);
  });

  it('default scale-down stabilization: the highest recommendation of the last 300 s holds the count', () => {
    const spec = hpaSpec({ min: 1, max: 100 });
    // Steady at 10 until t = 150, then the load halves.
    const steps = run(spec, 10, 600, (t, n) => (t < 150 ? 1 : 5 / n) * (t < 150 ? 1 : 1));
    const at = (t: number) => steps.find((s) => s.at === t)?.n;
    expect(at(150)).toBe(10);
    expect(at(420)).toBe(10); // the recommendation of 10 at t = 135 is still in the window
    expect(at(435)).toBe(5); // 135 + 300: it left the window
  });

  it('a scale-up window ignores a one-sync spike; selectPolicy Disabled never scales that way', () => {
    const spike = (t: number) => (t === 30 ? 3 : 1);
    const windowed = hpaSpec({ min: 1, max: 100, behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } });
    expect(run(windowed, 4, 120, spike).map((s) => s.n)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    // Without the window the spike scales up, as far as the default rate allows (12 wanted; max(4 + 4, 2 × 4) = 8).
    expect(run(hpaSpec({ min: 1, max: 100 }), 4, 45, spike).map((s) => s.n)).toEqual([4, 4, 8, 8]);
    const noDown = hpaSpec({ min: 1, max: 100, behavior: { scaleDown: { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 } } });
    expect(run(noDown, 10, 600, () => 0.2).at(-1)?.n).toBe(10);
  });

  it('keeps within min and max, and brings a count outside them back at once', () => {
    const spec = hpaSpec({ min: 2, max: 6 });
    expect(run(spec, 4, 60, () => 1000).at(-1)?.n).toBe(6);
    expect(run(spec, 9, 0, () => 1).map((s) => s.n)).toEqual([6]);
    expect(run(spec, 1, 0, () => 1).map((s) => s.n)).toEqual([2]);
    expect(hpaSync(spec, hpaState(), 0, 4, null)).toBe(4);
  });
});
