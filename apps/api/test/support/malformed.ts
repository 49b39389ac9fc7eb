/**
 * Malformed topology documents for property tests: a valid example broken in one known place.
 * Each case says the path a precise refusal must name (and, where it matters, what it must say),
 * so a test can check that the problem is reported where it is, not just that "something" failed.
 */
import { EXAMPLES, formatPath, type TopologyInput } from '@busboard/core';
import fc from 'fast-check';

export interface Malformed {
  doc: unknown;
  /** The path a problem must name, in MODEL.md's form (`services[2].calls[0].to`). */
  path: string;
  /** What the problem's message must match. */
  says?: RegExp;
  kind: string;
}

type Doc = Record<string, unknown> & {
  services: Svc[];
  bundles: Bdl[];
  zones: { name: string; region: string }[];
  traffic: { entry: string; rps: number }[];
};
type Svc = Record<string, unknown> & { name: string; calls: { to: string }[] };
type Bdl = Record<string, unknown> & { name: string; services: string[]; replicas: Record<string, unknown> };

const BASES = EXAMPLES.map((e) => e.doc as TopologyInput);
/** Names no example uses: lowercase words with a dot, or odd characters. */
const ghost = fc.oneof(fc.stringMatching(/^[a-z]{3,8}\.ghost$/), fc.constantFrom('cart.exmple', 'x', 'Ünïcode.svc'));
const notANumber = fc.constantFrom<unknown>('5', null, true, [], {}, 'NaN');
const notPositive = fc.constantFrom<unknown>(0, -1, -0.001, -1e9);

/** One way to break a document, given the (cloned) document and choices drawn by fast-check. */
const breakers: fc.Arbitrary<(d: Doc) => Omit<Malformed, 'doc'> | Malformed>[] = [
  // A service's number that must be positive is zero, negative, or not a number.
  fc.tuple(fc.nat(), fc.constantFrom('serviceTimeMs', 'workers'), fc.oneof(notANumber, notPositive)).map(([i, field, bad]) => (d: Doc) => {
    const k = i % d.services.length;
    (d.services[k] as Record<string, unknown>)[field] = bad;
    return { path: `services[${k}].${field}`, kind: 'bad number' };
  }),
  // A replica count is negative, fractional or not a number.
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom<unknown>(-1, 1.5, '2', null, [])).map(([i, z, bad]) => (d: Doc) => {
    const b = i % d.bundles.length;
    const zone = d.zones[z % d.zones.length]?.name ?? '';
    (d.bundles[b] as Bdl).replicas[zone] = bad;
    return { path: formatPath(['bundles', b, 'replicas', zone]), kind: 'bad replicas' };
  }),
  // Replicas in a zone the design does not have.
  fc.tuple(fc.nat(), fc.stringMatching(/^zz-[a-z]{4,6}-\d[a-z]$/)).map(([i, zone]) => (d: Doc) => {
    const b = i % d.bundles.length;
    (d.bundles[b] as Bdl).replicas[zone] = 1;
    return { path: formatPath(['bundles', b, 'replicas', zone]), says: /no zone/, kind: 'unknown zone' };
  }),
  // A call to a service that does not exist.
  fc.tuple(fc.nat(), ghost).map(([i, to]) => (d: Doc) => {
    const k = i % d.services.length;
    const svc = d.services[k] as Svc;
    svc.calls = [...(svc.calls ?? []), { to }];
    return { path: `services[${k}].calls[${svc.calls.length - 1}].to`, says: /no service/, kind: 'dangling call' };
  }),
  // A service that calls itself: a cycle.
  fc.nat().map((i) => (d: Doc) => {
    const k = i % d.services.length;
    const svc = d.services[k] as Svc;
    svc.calls = [...(svc.calls ?? []), { to: svc.name }];
    return { path: `services[${k}].calls[${svc.calls.length - 1}].to`, says: /cycle/, kind: 'cycle' };
  }),
  // A required field is missing.
  fc
    .tuple(fc.nat(), fc.constantFrom('services:serviceTimeMs', 'services:name', 'zones:region', 'zones:name', 'bundles:replicas', 'bundles:name'))
    .map(([i, where]) => (d: Doc) => {
      const [list, field] = where.split(':') as ['services' | 'zones' | 'bundles', string];
      const items = d[list] as Record<string, unknown>[];
      const k = i % items.length;
      delete (items[k] as Record<string, unknown>)[field];
      return { path: `${list}[${k}].${field}`, says: /required/, kind: 'missing field' };
    }),
  // Two services with one name.
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (d: Doc) => {
    const n = d.services.length;
    const i = a % (n - 1);
    const k = i + 1 + (b % (n - 1 - i));
    (d.services[k] as Svc).name = (d.services[i] as Svc).name;
    return { path: `services[${k}].name`, says: /duplicate service/, kind: 'duplicate name' };
  }),
  // A bundle lists a service that does not exist.
  fc.tuple(fc.nat(), ghost).map(([i, name]) => (d: Doc) => {
    const b = d.bundles[i % d.bundles.length] as Bdl;
    b.services = [...b.services, name];
    return { path: `bundles[${i % d.bundles.length}].services[${b.services.length - 1}]`, says: /no service/, kind: 'ghost member' };
  }),
  // Traffic into a service that does not exist, or at a rate that is not positive.
  fc.tuple(ghost, fc.boolean(), notPositive).map(([entry, badEntry, rps]) => (d: Doc) => {
    if (badEntry) {
      (d.traffic[0] as { entry: string }).entry = entry;
      return { path: 'traffic[0].entry', says: /no service/, kind: 'traffic entry' };
    }
    (d.traffic[0] as { rps: unknown }).rps = rps;
    return { path: 'traffic[0].rps', kind: 'traffic rate' };
  }),
  // A list that is not a list, or no zones at all.
  fc.tuple(fc.constantFrom('zones', 'services', 'bundles', 'traffic'), fc.constantFrom<unknown>('x', 5, {}, null)).map(([key, bad]) => (d: Doc) => {
    (d as Record<string, unknown>)[key] = bad;
    return { path: key, kind: 'not a list' };
  }),
  fc.constant((d: Doc) => {
    d.zones = [];
    return { path: 'zones', says: /at least one zone/, kind: 'no zones' };
  }),
  // A schema this Busboard does not read, or none.
  fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom<unknown>(undefined, 1, 'busboard.topology/v3')).map((schema) => (d: Doc) => {
    // v1 and v2 are read (v1 through its migration): a string that happens to name one becomes v0.
    if (schema === 'busboard.topology/v1' || schema === 'busboard.topology/v3') d.schema = 'busboard.topology/v0';
    else if (schema === undefined) delete d.schema;
    else d.schema = schema;
    return { path: 'schema', kind: 'schema' };
  }),
  // Not a document at all.
  fc
    .constantFrom<unknown>(null, 0, 'services: []', [], true, [{ schema: 'busboard.topology/v1' }])
    .map((doc) => () => ({ doc, path: '', kind: 'not an object' })),
];

/** A malformed document: one of the examples, broken in one place. */
export const malformedDocument: fc.Arbitrary<Malformed> = fc.tuple(fc.constantFrom(...BASES), fc.oneof(...breakers)).map(([base, breakIt]) => {
  const doc = structuredClone(base) as unknown as Doc;
  const out = breakIt(doc);
  return 'doc' in out ? out : { doc, ...out };
});
