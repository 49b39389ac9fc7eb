import { describe, expect, it } from 'vitest';
import { formatProblem } from '../problems.ts';
import { parseTopology } from './validate.ts';

// Schema v2 traffic classes: classes[], traffic[].class, services[].admission[], slo[].class.
const doc = (): any => ({
  schema: 'busboard.topology/v3',
  zones: [{ name: 'a', region: 'r' }],
  classes: [{ name: 'tenantA' }, { name: 'tenantB', priority: 1 }],
  services: [
    {
      name: 'nimbus.example',
      serviceTimeMs: 10,
      workers: 4,
      queueLimit: 20,
      admission: [
        { class: 'tenantA', queueLimit: 10, maxInFlight: 2 },
        { class: 'tenantB', queueLimit: 10 },
      ],
    },
  ],
  bundles: [{ name: 'nimbus', services: ['nimbus.example'], replicas: { a: 1 } }],
  traffic: [
    { entry: 'nimbus.example', rps: 100, class: 'tenantA' },
    { entry: 'nimbus.example', rps: 50, class: 'tenantB' },
  ],
  slo: [{ entry: 'nimbus.example', class: 'tenantB', p99Ms: 100 }],
});
const messages = (input: unknown) => {
  const r = parseTopology(input);
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('traffic classes (schema v2)', () => {
  it('accepts classes, traffic classes, admission rows and class SLOs', () => {
    expect(messages(doc())).toEqual([]);
  });

  it('accepts the implicit default class by name without declaring it', () => {
    const d = doc();
    d.traffic[0].class = 'default';
    expect(messages(d)).toEqual([]);
  });

  it('refuses duplicates, unknown references and non-identifiers with their paths', () => {
    const d = doc();
    d.classes.push({ name: 'tenantA' }, { name: 'tenant A' });
    d.traffic[1].class = 'tenantC';
    d.services[0].admission[1].class = 'tenantZ';
    d.slo[0].class = 'nobody';
    const m = messages(d);
    expect(m).toContain('classes[2].name: duplicate class "tenantA" (also classes[0])');
    expect(m.some((x) => x.startsWith('classes[3].name: "tenant A" is not a class name'))).toBe(true);
    expect(m.some((x) => x.startsWith('traffic[1].class: no class "tenantC"'))).toBe(true);
    expect(m.some((x) => x.startsWith('services[0].admission[1].class: no class "tenantZ"'))).toBe(true);
    expect(m.some((x) => x.startsWith('slo[0].class: no class "nobody"'))).toBe(true);
  });

  it('refuses a second row for one class, a cap above the workers, an empty row, and admission without queueLimit', () => {
    const d = doc();
    d.services[0].admission.push({ class: 'tenantA', queueLimit: 1 });
    d.services[0].admission[0].maxInFlight = 5;
    d.services[0].admission.push({ class: 'tenantB' });
    let m = messages(d);
    expect(m.some((x) => x.startsWith('services[0].admission[2].class: class "tenantA" already has a row (admission[0])'))).toBe(true);
    expect(m.some((x) => x.startsWith("services[0].admission[0].maxInFlight: 5 is more than the service's 4 workers"))).toBe(true);
    expect(m.some((x) => x.startsWith('services[0].admission[3]: needs queueLimit or maxInFlight'))).toBe(true);
    const e = doc();
    delete e.services[0].queueLimit;
    m = messages(e);
    expect(m.some((x) => x.startsWith("services[0].admission: per-class limits need the service's queueLimit"))).toBe(true);
  });

  it('keeps unknown fields errors inside the new objects', () => {
    const d = doc();
    d.classes[0].weight = 2;
    d.services[0].admission[0].burst = 3;
    const m = messages(d);
    expect(m.some((x) => x.startsWith('classes[0].weight: unknown field'))).toBe(true);
    expect(m.some((x) => x.startsWith('services[0].admission[0].burst: unknown field'))).toBe(true);
  });
});
