import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLES } from '../examples/index.ts';
import { parseTopology } from '../schema/validate.ts';
import { buildDeployments, dns1123, toMultiDocYaml } from './k8s.ts';

describe('kubernetes deployments', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.id}: one Deployment per bundle per zone with the design's replicas, pinned to its zone`, () => {
      const r = parseTopology(ex.doc);
      if (!r.ok) throw new Error('example invalid');
      const yaml = toMultiDocYaml(buildDeployments(r.doc));
      const objects = yaml.split(/^---$/m).map((d) => parse(d));
      for (const b of r.doc.bundles) {
        for (const [zone, n] of Object.entries(b.replicas)) {
          const dep = objects.find((o) => o.metadata.name === dns1123(`${b.name}-${zone}`));
          expect(dep?.spec.replicas).toBe(n);
          const term = dep?.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0];
          expect(term.matchExpressions[0]).toEqual({ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] });
          expect(dep?.spec.template.spec.containers[0].env).toContainEqual({ name: 'MICROBUS_LOCALITY', value: zone });
        }
      }
    });
  }
  it('makes DNS-1123 names of awkward ones', () => {
    expect(dns1123('My Bundle.v2')).toBe('my-bundle-v2');
    expect(dns1123('x'.repeat(80))).toHaveLength(63);
  });
});
