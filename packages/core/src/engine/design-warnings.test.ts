import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { exportDesign } from '../export/index.ts';
import { rehearsalPlan } from '../rehearse/plan.ts';
import type { Topology, TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { physicalView } from '../view/physical.ts';
import { designWarnings } from './design-warnings.ts';
import { recommend } from './recommend/index.ts';
import { natsServerName, replicaName } from './server-names.ts';
import { simulate } from './simulate.ts';

function parsed(input: TopologyInput): Topology {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.doc;
}

const checkout = () => structuredClone((EXAMPLES.find((e) => e.id === 'checkout') as { doc: TopologyInput }).doc);

describe('one name per NATS server and replica', () => {
  it('counts from 0 within a zone, like the StatefulSet pods the export makes', () => {
    expect(natsServerName('nats', 'us-east-1a', 0)).toBe('nats-us-east-1a-0');
    expect(natsServerName('nats', 'zone a', 1)).toBe('nats-zone-a-1');
    expect(replicaName('shop', 'us-east-1a', 2)).toBe('shop-us-east-1a-2');
  });

  it('the engine, the physical view and the rehearsal name the same servers', () => {
    for (const ex of EXAMPLES) {
      const doc = parsed(ex.doc);
      const result = simulate(doc, { skipEndToEnd: true });
      const engine = result.brokers.map((b) => b.server);
      const physical = physicalView(doc, result).zones.flatMap((z) => z.natsServers.map((s) => s.server));
      expect(physical).toEqual(engine);
      // Every server the physical view lists has its load from the engine (no name mismatch).
      expect(physicalView(doc, result).zones.flatMap((z) => z.natsServers.map((s) => s.msgsPerSec === null))).not.toContain(true);
      const plan = rehearsalPlan(doc);
      if (plan.ok) expect(plan.plan.servers.map((s) => s.name)).toEqual(engine);
    }
  });
});

describe('one warning list', () => {
  it('counts a missed SLO once, whether the end-to-end figures came with the result or later', () => {
    const input = checkout();
    input.slo = [{ entry: 'edge.checkout', p95Ms: 50, p99Ms: 60 }];
    const doc = parsed(input);
    const full = simulate(doc);
    const list = designWarnings(doc, full, null);
    expect(list.filter((w) => w.code === 'slo-missed').map((w) => w.path)).toEqual(['slo[0].p95Ms', 'slo[0].p99Ms']);
    expect(list).toEqual(full.warnings);
    // The designer's fast pass has no end-to-end figures; it fills the entries in afterwards.
    const fast = simulate(doc, { skipEndToEnd: true });
    expect(designWarnings(doc, { ...fast, entries: full.entries }, null)).toEqual(list);
  });

  it('the export shows the same list as the engine with its recommendation', () => {
    for (const ex of EXAMPLES) {
      const doc = parsed(ex.doc);
      const r = exportDesign(doc);
      if (!r.ok) throw new Error('refused');
      expect(r.designWarnings).toEqual(designWarnings(doc, simulate(doc), recommend(doc)));
      // Export notes never repeat a capacity warning.
      expect(r.warnings.map((w) => w.code)).not.toContain('below-recommendation');
    }
  });

  it('a saturated service is sized where it saturates, not below what the bundle already has', () => {
    // shop: 1 replica in us-west-2a, 7 in us-west-2b. At 600 rps us-west-2a's lone replica takes
    // its zone's 200 rps plus 25 from us-west-2c: pricing (8 ms, 1 worker, 125 rps) at ρ 1.8.
    const input = checkout();
    input.traffic = [{ entry: 'edge.checkout', rps: 600 }];
    const shop = input.bundles?.[1];
    if (!shop) throw new Error('no shop');
    shop.replicas = { 'us-west-2a': 1, 'us-west-2b': 7, 'us-west-2c': 0 };
    const r = simulate(parsed(input), { skipEndToEnd: true });
    const w = r.warnings.find((x) => x.code === 'saturated' && x.message.startsWith('pricing.checkout'));
    expect(w?.message).toContain('ρ 1.80 per replica in us-west-2a');
    // ⌊1 × 1.8⌋ + 1 = 2 replicas carry us-west-2a's 225 rps below ρ 1.
    expect(w?.message).toContain('shop needs about 2 in us-west-2a (it has 1 there)');
    expect(w?.message).not.toMatch(/about \d+ replicas of shop would carry it/);
  });
});
