/**
 * A seeded design generator for benchmarks (until core's generator lands): services in
 * bundles of 1–4 over 3 zones, a layered call DAG (depth ≤ 6, fan-out ≤ 4), a tenth cached.
 */
import type { TopologyInput } from '@busboard/core';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateDesign(services: number, seed = 1): TopologyInput {
  const rnd = lcg(seed);
  const zones = ['z-a', 'z-b', 'z-c'];
  const depth = 6;
  const names = Array.from({ length: services }, (_, i) => `svc-${i}.bench`);
  const layer = names.map((_, i) => (i === 0 ? 0 : 1 + Math.floor((i / services) * (depth - 1))));
  const svcs = names.map((name, i) => {
    const later = names.filter((_, j) => layer[j] === (layer[i] ?? 0) + 1);
    const fan = later.length ? 1 + Math.floor(rnd() * 4) : 0;
    const calls = Array.from({ length: Math.min(fan, later.length) }, () => later[Math.floor(rnd() * later.length)] as string)
      .filter((to, k, all) => all.indexOf(to) === k)
      .map((to) => ({ to, perRequest: 0.3 + Math.round(rnd() * 10) / 10 }));
    return {
      name,
      serviceTimeMs: 0.5 + Math.round(rnd() * 40) / 10,
      serviceTimeCv: 1,
      workers: 8,
      calls,
      ...(i % 10 === 5 ? { cache: { entriesPerReplica: 5000, keySpace: 200_000, zipf: 0.9, hitTimeMs: 0.1 } } : {}),
    };
  });
  const bundles: NonNullable<TopologyInput['bundles']> = [];
  for (let i = 0; i < services; ) {
    const size = 1 + Math.floor(rnd() * 4);
    bundles.push({
      name: `b${bundles.length}`,
      services: names.slice(i, i + size),
      replicas: { 'z-a': 2, 'z-b': 2, 'z-c': 1 + Math.floor(rnd() * 2) },
      cpu: 2,
    });
    i += size;
  }
  return {
    schema: 'busboard.topology/v1',
    name: `Generated ${services}`,
    zones: zones.map((name) => ({ name, region: 'r1' })),
    services: svcs,
    bundles,
    traffic: [{ entry: names[0] as string, rps: 500 }],
    slo: [{ entry: names[0] as string, p99Ms: 200 }],
  };
}
