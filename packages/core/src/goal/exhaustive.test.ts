/**
 * Goal seek is minimal on small designs, checked exhaustively (test/goal-small.ts): fewest replicas with locality routing, with and without zone failure and other targets.
 */
import { describe, it } from 'vitest';
import { checkMinimal, design, type SmallCase } from '../../test/goal-small.ts';

const CASES: SmallCase[] = [
  {
    name: 'locality, p99 ≤ 75 ms, fewest replicas',
    doc: () => design('locality', { p99Ms: 75 }, { cpu: 2, memoryMiB: 2048 }),
    targets: { rho: 0.7, cpu: 0.7, zoneFailure: true },
    objective: 'replicas',
  },
  {
    name: 'locality, p99 ≤ 60 ms, ρ ≤ 0.8, CPU ≤ 0.5, no zone failure, fewest replicas',
    doc: () => design('locality', { p99Ms: 60 }, { cpu: 0.5, memoryMiB: 512 }),
    targets: { rho: 0.8, cpu: 0.5, zoneFailure: false },
    objective: 'replicas',
  },
];

describe('goal seek is minimal: fewest replicas (exhaustive over 2 bundles × 2 zones)', () => {
  for (const c of CASES) it(c.name, () => checkMinimal(c));
});
