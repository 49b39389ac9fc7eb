import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { formatProblem } from '../problems.ts';
import { parseTopologyText, toJson, toYaml } from './codec.ts';
import type { TopologyInput } from './topology.ts';
import { parseTopology } from './validate.ts';

// Tests break documents on purpose, so they handle them as loose JSON.
const base = (): any => structuredClone(EXAMPLES.find((e) => e.id === 'checkout')?.doc as TopologyInput);
const messages = (input: unknown) => {
  const r = parseTopology(input);
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('topology schema', () => {
  it.each(EXAMPLES.map((e) => [e.id, e.doc] as const))('accepts the example %s and round-trips it through YAML and JSON', (_id, doc) => {
    const parsed = parseTopology(doc);
    expect(parsed.ok).toBe(true);
    const viaYaml = parseTopologyText(toYaml(doc));
    const viaJson = parseTopologyText(toJson(doc));
    expect(viaYaml).toEqual(parsed);
    expect(viaJson).toEqual(parsed);
  });

  it('fills in the defaults MODEL.md gives', () => {
    const r = parseTopology({
      schema: 'busboard.topology/v3',
      zones: [{ name: 'a', region: 'r' }],
      services: [{ name: 's', serviceTimeMs: 2 }],
      bundles: [{ name: 'b', services: ['s'], replicas: { a: 1 } }],
    });
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.doc.network).toEqual({ natsHopMs: 0.13, crossZoneMs: 1.0, crossRegionMs: 30, shortCircuitMs: 0.014, dbCallMs: 0.5 });
    expect(r.doc.routing).toBe('locality');
    expect(r.doc.services[0]).toMatchObject({ serviceTimeCv: 1, workers: 1, calls: [] });
  });

  it('names the path of an unknown call target in MODEL.md form', () => {
    const doc = base();
    doc.services[2].calls[0] = { to: 'pricing.chekout', perRequest: 1 };
    expect(messages(doc)).toContain('services[2].calls[0].to: no service "pricing.chekout"');
  });

  it('lists every problem at once, each with its path', () => {
    const doc = base();
    doc.services[0].serviceTimeMs = 0;
    doc.services[1].workers = 'eight';
    doc.services[3].serviceTimeMs = -4;
    const all = messages(doc);
    expect(all).toEqual(
      expect.arrayContaining([
        'services[0].serviceTimeMs: must be > 0',
        'services[1].workers: expected number, got "eight"',
        'services[3].serviceTimeMs: must be > 0',
      ]),
    );
    expect(all).toHaveLength(3);
  });

  it('refuses a service in no bundle and a service in two bundles', () => {
    const doc = base();
    doc.bundles[2].services = [];
    doc.bundles[0].services.push('auth.checkout');
    expect(messages(doc)).toEqual(
      expect.arrayContaining([
        'services[5]: service "payment.checkout" is in no bundle; add it to one',
        'bundles[1].services[0]: service "auth.checkout" is already in bundle "edge"; a service belongs to one bundle',
      ]),
    );
  });

  it('refuses unknown zones in replicas and traffic, naming the key', () => {
    const doc = base();
    doc.bundles[0].replicas['us-west-2z'] = 1;
    doc.traffic[0].zones = { mars: 1 };
    expect(messages(doc)).toEqual(['bundles[0].replicas["us-west-2z"]: no zone "us-west-2z"', 'traffic[0].zones.mars: no zone "mars"']);
  });

  it('refuses a call cycle and says which calls close it', () => {
    const doc = base();
    doc.services[3].calls = [{ to: 'edge.checkout', perRequest: 1 }];
    expect(messages(doc)).toEqual([
      'services[3].calls[0].to: call cycle edge.checkout → cart.checkout → pricing.checkout → edge.checkout; calls must form a DAG',
    ]);
  });

  it('refuses NaN, strings and missing required numbers', () => {
    const doc = base();
    doc.services[0].serviceTimeMs = Number.NaN;
    delete doc.traffic[0].rps;
    expect(messages(doc)).toEqual(
      expect.arrayContaining(['services[0].serviceTimeMs: expected number, got NaN', 'traffic[0].rps: required (number)']),
    );
  });

  it('explains YAML syntax errors with a line number', () => {
    const r = parseTopologyText('schema: busboard.topology/v3\nzones: [\n  - name: a');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toMatch(/^line \d+, column \d+:/);
  });

  it('refuses a document without a schema or with an unknown one', () => {
    expect(messages({ name: 'x' })).toEqual(['schema: required: the document must say its schema, e.g. "schema": "busboard.topology/v3"']);
    expect(messages({ schema: 'busboard.topology/v9' })[0]).toMatch(/^schema: unknown schema "busboard.topology\/v9"/);
    expect(messages([])).toEqual(['a topology document must be an object, got a list']);
  });
});
