/**
 * Properties of bounded queues and retries (schema v2, issue 17), checked with fast-check on small
 * random designs (seeded: `PROPERTY_SEED` replays a failure; the default is pinned).
 * - retries never lower any service's offered load;
 * - a larger queueLimit never raises that service's rejection rate;
 * - with no limits and no retries (fields absent, or `retries: 0`) every figure equals the
 *   document without the fields; retries with no limit and everything live change no figure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { simulate } from './simulate.ts';
import type { SimulationResult } from './types.ts';

const ZONES = [
  { name: 'a', region: 'r1' },
  { name: 'b', region: 'r1' },
  { name: 'c', region: 'r2' },
];

const serviceArb = fc.record({
  serviceTimeMs: fc.double({ min: 0.5, max: 20, noNaN: true }),
  serviceTimeCv: fc.constantFrom(0.5, 1, 1, 1.5),
  workers: fc.integer({ min: 1, max: 4 }),
  bundle: fc.integer({ min: 0, max: 2 }),
  calls: fc.array(fc.record({ ahead: fc.integer({ min: 1, max: 3 }), perRequest: fc.double({ min: 0.2, max: 2, noNaN: true }) }), { maxLength: 2 }),
  queueLimit: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  retries: fc.integer({ min: 0, max: 4 }),
  backoffMs: fc.constantFrom(0, 1, 10, 100),
});

const designArb = fc.record({
  routing: fc.constantFrom('locality', 'random'),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 5 }),
  replicas: fc.array(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }),
  rps: fc.double({ min: 10, max: 2000, noNaN: true }),
  clientRetries: fc.integer({ min: 0, max: 3 }),
});

type Design = typeof designArb extends fc.Arbitrary<infer T> ? T : never;

/** `limits`: keep the queue limits; `retries`: 'none' (absent), 'zero' (retries: 0 with a backoff), 'on'. */
function toDoc(d: Design, opts: { limits: boolean; retries: 'none' | 'zero' | 'on'; bump?: number }): TopologyInput {
  const n = d.services.length;
  const retry = (r: number, backoffMs: number) =>
    opts.retries === 'none' ? {} : opts.retries === 'zero' ? { retries: 0, backoffMs } : r > 0 ? { retries: r, backoffMs } : {};
  const services = d.services.map((s, i) => {
    const calls: { to: string; perRequest: number; retries?: number; backoffMs?: number }[] = [];
    for (const c of s.calls) {
      const t = i + c.ahead;
      if (t >= n || calls.some((x) => x.to === `s${t}`)) continue;
      calls.push({ to: `s${t}`, perRequest: c.perRequest, ...retry(s.retries, s.backoffMs) });
    }
    const limit = opts.limits && s.queueLimit !== undefined ? { queueLimit: s.queueLimit + (opts.bump === i ? 3 : 0) } : {};
    return { name: `s${i}`, serviceTimeMs: s.serviceTimeMs, serviceTimeCv: s.serviceTimeCv, workers: s.workers, calls, ...limit };
  });
  const bundles = [0, 1, 2]
    .map((b) => ({
      name: `b${b}`,
      services: services.filter((_, i) => d.services[i]?.bundle === b).map((s) => s.name),
      replicas: Object.fromEntries(ZONES.map((z, zi) => [z.name, d.replicas[b]?.[zi] ?? 1])),
      cpu: 4,
    }))
    .filter((b) => b.services.length > 0);
  return {
    schema: 'busboard.topology/v3',
    zones: ZONES,
    routing: d.routing,
    services,
    bundles,
    traffic: [{ entry: 's0', rps: d.rps, ...retry(d.clientRetries, 10) }],
    slo: [{ entry: 's0', p99Ms: 100, maxRejectionRate: 0.01 }],
  };
}

function parsed(input: TopologyInput) {
  const r = parseTopology(input);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.doc;
}

/** The result without the figures only retries add (retryAmplification, offeredWithoutRetriesRps). */
function withoutRetryFigures(r: SimulationResult): SimulationResult {
  const services = Object.fromEntries(
    Object.entries(r.services).map(([k, v]) => {
      const { retryAmplification: _a, offeredWithoutRetriesRps: _o, ...rest } = v;
      return [k, rest];
    }),
  );
  return { ...r, services };
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.PROPERTY_SEED ?? 1717);

describe('bounded queues and retries: properties', () => {
  it('retries never lower any service offered load', () => {
    fc.assert(
      fc.property(designArb, fc.double({ min: 0.2, max: 3, noNaN: true }), (d, scale) => {
        const plain = simulate(parsed(toDoc(d, { limits: true, retries: 'none' })), { scale, skipEndToEnd: true });
        const retried = simulate(parsed(toDoc(d, { limits: true, retries: 'on' })), { scale, skipEndToEnd: true });
        for (const [name, s] of Object.entries(plain.services))
          expect(retried.services[name]?.arrivalRps ?? 0, name).toBeGreaterThanOrEqual(s.arrivalRps * (1 - 1e-9) - 1e-9);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('a larger queueLimit never raises that service rejection rate (with or without retries)', () => {
    fc.assert(
      fc.property(designArb, fc.nat(4), fc.boolean(), (d, which, retries) => {
        const i = which % d.services.length;
        fc.pre(d.services[i]?.queueLimit !== undefined);
        const mode = retries ? 'on' : 'none';
        const short = simulate(parsed(toDoc(d, { limits: true, retries: mode })), { skipEndToEnd: true });
        const long = simulate(parsed(toDoc(d, { limits: true, retries: mode, bump: i })), { skipEndToEnd: true });
        const a = short.services[`s${i}`]?.rejectionRate ?? 0;
        const b = long.services[`s${i}`]?.rejectionRate ?? 0;
        expect(b).toBeLessThanOrEqual(a + 1e-9);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('retries: 0 (with a backoff) gives exactly the figures of the document without the fields', () => {
    fc.assert(
      fc.property(designArb, (d) => {
        const a = simulate(parsed(toDoc(d, { limits: true, retries: 'none' })));
        const b = simulate(parsed(toDoc(d, { limits: true, retries: 'zero' })));
        expect(b).toEqual(a);
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED },
    );
  });

  it('with no queue limit and every replica live, retries change no figure (nothing fails); amplification 1', () => {
    fc.assert(
      fc.property(designArb, (d) => {
        const a = simulate(parsed(toDoc(d, { limits: false, retries: 'none' })));
        const b = simulate(parsed(toDoc(d, { limits: false, retries: 'on' })));
        for (const s of Object.values(b.services)) expect(s.retryAmplification ?? 1).toBe(1);
        expect(withoutRetryFigures(b)).toEqual(a);
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED },
    );
  });
});
