/**
 * Goal seek is minimal on small designs, checked exhaustively (test/goal-small.ts): lowest cost (a bundle with big replicas weighs more), and fewest replicas with random routing.
 */
import { describe, it } from 'vitest';
import { checkMinimal, design, type SmallCase } from '../../test/goal-small.ts';

const CASES: SmallCase[] = [
  {
    name: 'locality, p95 ≤ 50 ms, lowest cost (back replicas 4 vCPU / 16 GiB, front 2 vCPU / 4 GiB)',
    doc: () => design('locality', { p95Ms: 50 }, { cpu: 4, memoryMiB: 16384 }, { cpu: 2, memoryMiB: 4096 }),
    targets: { rho: 0.7, cpu: 0.7, zoneFailure: true },
    objective: 'cost',
  },
  {
    name: 'random routing, p95 ≤ 50 ms, fewest replicas',
    doc: () => design('random', { p95Ms: 50 }, { cpu: 1, memoryMiB: 1024 }),
    targets: { rho: 0.7, cpu: 0.7, zoneFailure: true },
    objective: 'replicas',
  },
];

describe('goal seek is minimal: lowest cost, random routing (exhaustive over 2 bundles × 2 zones)', () => {
  for (const c of CASES) it(c.name, () => checkMinimal(c));
});
