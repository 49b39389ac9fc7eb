import { describe, expect, it } from 'vitest';
import { lossBlocking } from './loss.ts';

describe('Erlang loss formula (values from mpmath at 20 digits)', () => {
  it.each([
    [1, 1, 0.5],
    [2, 1, 0.2],
    [10, 8, 0.12166106425295151],
    [100, 90, 0.02695738046435921],
    [300, 280, 0.012892052026519754],
    [20_000, 19_900, 0.0028804217540221175],
  ])('B(%i, %f) = %f', (n, a, b) => {
    expect(Math.abs(lossBlocking(n, a) - b) / b).toBeLessThan(1e-9);
  });
  it('is 0 with no load, and stays in [0, 1] far past the servers', () => {
    expect(lossBlocking(10, 0)).toBe(0);
    expect(lossBlocking(50_000, 1e6)).toBeGreaterThan(0.9);
    expect(lossBlocking(50_000, 1e6)).toBeLessThanOrEqual(1);
    expect(lossBlocking(1_000_000, 10)).toBe(0);
  });
});
